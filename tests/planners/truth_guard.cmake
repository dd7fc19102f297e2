# Planners never see ground truth, checked at build level. Both probes compile with the
# planners library's own compile definitions (so dropping MARSDRIVE_NO_GROUND_TRUTH from
# planners/CMakeLists.txt breaks them):
#   planners_truth_guard          a source including terrain/terrain_truth.h must FAIL to
#                                 build, with terrain_truth.h's #error message;
#   planners_truth_guard_control  the planners headers and the orbital products must build.
# The probes are EXCLUDE_FROM_ALL object libraries that the tests build on demand.
foreach(probe truth_guard_probe truth_guard_control)
  add_library(planners_${probe} OBJECT EXCLUDE_FROM_ALL planners/${probe}.cpp)
  target_link_libraries(planners_${probe} PRIVATE marsdrive_options)
  target_compile_definitions(planners_${probe} PRIVATE
    $<TARGET_PROPERTY:marsdrive_planners,COMPILE_DEFINITIONS>)
endforeach()
add_test(NAME planners_truth_guard
  COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target planners_truth_guard_probe)
set_tests_properties(planners_truth_guard PROPERTIES
  PASS_REGULAR_EXPRESSION "ground truth is off limits here" TIMEOUT 600)
add_test(NAME planners_truth_guard_control
  COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target planners_truth_guard_control)
set_tests_properties(planners_truth_guard_control PROPERTIES TIMEOUT 600)

# Planners never see ground truth, checked at link level (issue 13): the built planners library
# must reference no symbol the truth library defines. The control library calls truth functions
# and must be caught, so a checker that finds nothing cannot pass unnoticed.
add_library(planners_truth_link_control STATIC planners/truth_link_control.cpp)
target_link_libraries(planners_truth_link_control PRIVATE marsdrive_options marsdrive::terrain_truth)
add_test(NAME planners_truth_link
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/planners/truth_link_check.sh
  $<TARGET_FILE:marsdrive_planners> $<TARGET_FILE:marsdrive_terrain_truth>)
add_test(NAME planners_truth_link_control
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/planners/truth_link_check.sh
  $<TARGET_FILE:planners_truth_link_control> $<TARGET_FILE:marsdrive_terrain_truth>)
set_tests_properties(planners_truth_link_control PROPERTIES
  PASS_REGULAR_EXPRESSION "references ground-truth symbols.*LoadTerrainDir")

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

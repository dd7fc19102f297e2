# Compiler flags shared by every marsdrive target (see STYLE: no -ffast-math, no FP contraction,
# so results are bit-identical across runs and machines of the same build).
add_library(marsdrive_options INTERFACE)
target_compile_options(marsdrive_options INTERFACE
  -Wall -Wextra -Wpedantic -ffp-contract=off)
target_include_directories(marsdrive_options INTERFACE "${PROJECT_SOURCE_DIR}")

if(MARSDRIVE_SANITIZE)
  target_compile_options(marsdrive_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(marsdrive_options INTERFACE -fsanitize=address,undefined)
endif()

# Fuzzing (tests/fuzz): every library instrumented for libFuzzer's coverage feedback
# (fuzzer-no-link) and checked by ASan and UBSan; the fuzz targets themselves link the fuzzer.
if(MARSDRIVE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MARSDRIVE_FUZZ=ON needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(marsdrive_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(marsdrive_options INTERFACE -fsanitize=address,undefined)
endif()

# marsdrive_module(NAME SOURCES...) : one library target per top-level folder, aliased
# marsdrive::NAME. Header-only folders pass no sources and get an INTERFACE target.
function(marsdrive_module name)
  if(ARGN)
    add_library(marsdrive_${name} STATIC ${ARGN})
    target_link_libraries(marsdrive_${name} PUBLIC marsdrive_options)
  else()
    add_library(marsdrive_${name} INTERFACE)
    target_link_libraries(marsdrive_${name} INTERFACE marsdrive_options)
  endif()
  add_library(marsdrive::${name} ALIAS marsdrive_${name})
endfunction()

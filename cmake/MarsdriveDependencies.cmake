# Every dependency comes from a Debian 12 package (.ci/install-deps installs them).
find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(GDAL CONFIG REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Bullet REQUIRED)

# OpenCV: Debian splits it into per-module -dev packages, and only the full libopencv-dev
# (which pulls VTK and Qt) ships OpenCVConfig.cmake. We need core, imgproc and imgcodecs only,
# so find those three libraries directly when the config package is absent.
find_package(OpenCV 4 QUIET COMPONENTS core imgproc imgcodecs)
add_library(marsdrive_opencv INTERFACE)
if(OpenCV_FOUND)
  target_link_libraries(marsdrive_opencv INTERFACE ${OpenCV_LIBS})
  target_include_directories(marsdrive_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
else()
  find_path(MARSDRIVE_OPENCV_INCLUDE opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
  foreach(component core imgproc imgcodecs)
    find_library(MARSDRIVE_OPENCV_${component} opencv_${component} REQUIRED)
    target_link_libraries(marsdrive_opencv INTERFACE ${MARSDRIVE_OPENCV_${component}})
  endforeach()
  target_include_directories(marsdrive_opencv SYSTEM INTERFACE ${MARSDRIVE_OPENCV_INCLUDE})
endif()

if(MARSDRIVE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(MARSDRIVE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

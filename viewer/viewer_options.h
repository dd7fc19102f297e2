#pragma once
// What `marsdrive view` was asked to do (app/view_command.cpp fills it), and the one error the
// viewer raises itself: no window could be opened.

#include <array>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "viewer/camera.h"
#include "viewer/layer_images.h"
#include "viewer/scene_types.h"

namespace marsdrive::viewer {

struct ViewerOptions {
  std::filesystem::path input;                   // run directory (or run.json); scenario if live
  std::optional<std::filesystem::path> compare;  // a second run on the same terrain
  bool live = false;
  std::optional<std::filesystem::path> screenshot;  // render one frame to this PNG and exit
  std::optional<double> time_s;                     // screenshot time (default: the drive's end)
  bool screenshot_ui = false;  // screenshot of the interactive window, panels included
  CameraMode camera = CameraMode::kTop;
  int width_px = 1280, height_px = 720;
  std::array<bool, kLayerCount> layers = DefaultLayers();
  OverlayKind overlay = OverlayKind::kSlope;
  bool hillshade = false;
  int max_terrain_vertices = 1'000'000;
  int bench_frames = 0;  // > 0: render this many frames offscreen and print frame times
  std::optional<std::filesystem::path> live_out;  // live: the run directory (default: temporary)
};

// No window could be opened (no display, no OpenGL 3.3): not the user's input.
class DisplayError : public std::runtime_error {
 public:
  explicit DisplayError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace marsdrive::viewer

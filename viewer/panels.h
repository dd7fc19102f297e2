#pragma once
// The ImGui panels: timeline, telemetry plots, run / metrics / planner / AutoNav details,
// layers and cameras, comparison of two runs, and the clicked map point.

#include <array>
#include <optional>

#include "viewer/camera.h"
#include "viewer/layer_images.h"
#include "viewer/renderer.h"
#include "viewer/scene.h"
#include "viewer/series.h"

namespace marsdrive::viewer {

struct UiState {
  double time_s = 0;
  bool playing = false;
  float speed = 8.0f;  // simulated seconds per wall second
  CameraMode mode = CameraMode::kOrbit;
  RenderSettings render;
  bool plot_by_distance = false;
  std::optional<MapPointInfo> picked;
  bool live = false;
  std::string live_status;  // live mode: what the simulation is doing
};

// Draws every panel; edits `ui`.
void DrawPanels(const Scene& scene, const RunSeries& series,
                const std::optional<RunSeries>& compare_series, const Renderer::Stats& stats,
                UiState& ui);

}  // namespace marsdrive::viewer

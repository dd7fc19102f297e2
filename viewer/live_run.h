#pragma once
// Live mode (`marsdrive view SCENARIO.yaml --live`): runs the scenario (scenarios::RunScenario)
// on a worker thread and feeds its telemetry samples into the interactive window.

#include "viewer/scene.h"
#include "viewer/viewer_options.h"

namespace marsdrive::viewer {

int RunLiveViewer(const ViewerOptions& options, const SceneOptions& scene_options);

}  // namespace marsdrive::viewer

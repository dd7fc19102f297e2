#pragma once
// The interactive window: the scene with Dear ImGui panels, time control, three cameras and
// map picking; `live` (optional) feeds it samples of a running drive. With options.screenshot
// it captures the window, panels included, and returns.

#include "viewer/live_session.h"
#include "viewer/scene.h"
#include "viewer/viewer_options.h"

namespace marsdrive::viewer {

int RunInteractive(Scene& scene, const ViewerOptions& options, LiveSession* live);

}  // namespace marsdrive::viewer

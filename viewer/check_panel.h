#pragma once
// The "Plan check" panel of a plan-check scene: the verdict and its reasons, the trials (index,
// status, goal, slip p95, failure) and the legs (p_fail, main failure). Clicking a trial
// highlights its track; "Open" (or a double click) makes it the replayed run.

#include <optional>

#include "viewer/scene.h"

namespace marsdrive::viewer {

// What the user asked of the check this frame (the caller applies it: SelectTrial, OpenTrial).
struct CheckPanelRequest {
  std::optional<int> select;  // a trial to highlight (-1: none)
  std::optional<int> open;    // a trial to open as the run
};

// Draws nothing when the scene is not a plan check.
CheckPanelRequest DrawCheckPanel(const Scene& scene);

}  // namespace marsdrive::viewer

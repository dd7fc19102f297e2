#pragma once
// The viewer program behind `marsdrive view`, one dispatcher: replay of a run directory
// (optionally compared with a second run) in the interactive window (viewer/interactive.h), live
// mode on a scenario (viewer/live_run.h), the headless one-frame screenshot and the render bench.

#include "viewer/viewer_options.h"

namespace marsdrive::viewer {

// Returns the exit code. Throws InputError for bad input (a missing or malformed file) and
// DisplayError when no OpenGL 3.3 window can be opened.
int RunViewer(const ViewerOptions& options);

}  // namespace marsdrive::viewer

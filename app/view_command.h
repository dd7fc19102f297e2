#pragma once
// `marsdrive view`: the interactive viewer of a run directory (issue 8, docs/viewer.md), live
// mode on a scenario, and a headless one-frame screenshot.

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `view` subcommand. Without the viewer (built only when GLFW, OpenGL and Dear ImGui
// are found) it says so and `exit_code` becomes 2. When no window can be opened (no display),
// `exit_code` becomes 1.
void AddViewCommand(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

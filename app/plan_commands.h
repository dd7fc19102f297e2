#pragma once
// `marsdrive planners` (list the planners and their parameters) and `marsdrive plan` (run one
// planner on a terrain directory's orbital products, writing problem.json and plan.json).

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `planners` and `plan` subcommands. When `plan` runs, `exit_code` becomes 0 for an
// exact or approximate plan and 1 for a planner failure (plan.json is written either way); bad
// input throws InputError (exit 2, reported by main).
void AddPlanCommands(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

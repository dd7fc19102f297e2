#pragma once
// `marsdrive drive`: one rover drive on a terrain directory, writing metrics.json and
// telemetry.csv.

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `drive` subcommand. When it runs, `exit_code` becomes 0 if the drive completed and
// 1 if it ended stuck, at the time limit or in a numerical failure (its metrics are written
// either way); bad input throws InputError (exit 2, reported by main).
void AddDriveCommand(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

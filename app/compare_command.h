#pragma once
// `marsdrive compare BASELINE.json CANDIDATE.json`: regression comparison of two suite results
// (scenarios/compare.h, docs/scoring.md "Compare").

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `compare` subcommand. When it runs, `exit_code` becomes 0 when nothing regressed and
// 1 when something did; unreadable or invalid results throw InputError (exit 2, from main).
void AddCompareCommand(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

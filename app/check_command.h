#pragma once
// `marsdrive check`: a Monte-Carlo digital-twin verdict on a plan (scenarios/check/).

#include <CLI/CLI.hpp>

namespace marsdrive::app {

void AddCheckCommand(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

#pragma once
// `marsdrive run`, `marsdrive suite` and `marsdrive merge`: scenarios and suites of them
// (scenarios/).

#include <CLI/CLI.hpp>

namespace marsdrive::app {

void AddSuiteCommands(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

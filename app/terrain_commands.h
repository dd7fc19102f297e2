#pragma once
// `marsdrive terrain generate | import | info`.

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `terrain` subcommand tree to the application.
void AddTerrainCommands(CLI::App& app);

}  // namespace marsdrive::app

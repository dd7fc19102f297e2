#pragma once
// `marsdrive validate mobility --out DIR [--quick] [--jobs N]`: runs the mobility validation
// matrix against the bundled reference data (docs/validation.md).

#include <CLI/CLI.hpp>

namespace marsdrive::app {

// Adds the `validate` subcommand group. When `validate mobility` runs, `exit_code` becomes 0
// when every case with a reference is within it and 1 when any falls outside; bad input throws
// InputError (exit 2, from main).
void AddValidateCommand(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

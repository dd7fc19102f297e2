// marsdrive: a physics digital twin of a Mars rover drive and a planner-scoring harness.
// This file only wires subcommands; each module's work lives in its library.
//
// Exit codes: 0 success; 1 a run or check failed; 2 bad input (a file, field or parameter,
// reported in one line naming it); 3 an internal error.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/terrain_commands.h"
#include "terrain/check.h"

namespace {
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"marsdrive: a Mars rover drive simulator and planner-evaluation harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "marsdrive 0.1.0");
  marsdrive::app::AddTerrainCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  } catch (const marsdrive::InputError& e) {
    std::fprintf(stderr, "marsdrive: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marsdrive: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return 0;
}

// marsdrive: a physics digital twin of a Mars rover drive and a planner-scoring harness.
// This file only wires subcommands; each module's work lives in its library.
//
// Exit codes: 0 success; 1 a run or check failed; 2 bad input (a file, field or parameter,
// reported in one line naming it, and a request too large for the memory: docs/limits.md); 3 an
// internal error.

#include <cstdio>
#include <exception>
#include <new>

#include <CLI/CLI.hpp>

#include "app/check_command.h"
#include "app/compare_command.h"
#include "app/drive_command.h"
#include "app/plan_commands.h"
#include "app/slurm_commands.h"
#include "app/suite_commands.h"
#include "app/terrain_commands.h"
#include "app/validate_command.h"
#include "app/view_command.h"
#include "base/check.h"

namespace {
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"marsdrive: a Mars rover drive simulator and planner-evaluation harness"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "marsdrive 0.1.0");
  int exit_code = 0;  // set by subcommands whose run can fail (e.g. a drive that gets stuck)
  marsdrive::app::AddTerrainCommands(app);
  marsdrive::app::AddDriveCommand(app, exit_code);
  marsdrive::app::AddCheckCommand(app, exit_code);
  marsdrive::app::AddPlanCommands(app, exit_code);
  marsdrive::app::AddViewCommand(app, exit_code);
  marsdrive::app::AddSuiteCommands(app, exit_code);
  marsdrive::app::AddSlurmCommands(app, exit_code);
  marsdrive::app::AddCompareCommand(app, exit_code);
  marsdrive::app::AddValidateCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  } catch (const marsdrive::InputError& e) {
    std::fprintf(stderr, "marsdrive: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    // A request the memory estimates (base/memory_budget.h) did not catch: the input's size is
    // at fault, not marsdrive.
    std::fprintf(stderr,
                 "marsdrive: error: out of memory: the request needs more memory than this "
                 "process could allocate (a smaller size, a coarser resolution or a shorter run; "
                 "see docs/limits.md)\n");
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marsdrive: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return exit_code;
}

#pragma once
// `marsdrive submit` and `marsdrive status`: a suite as a Slurm job array of shards plus a
// dependent merge job, resubmission of what is missing, and progress (scenarios/slurm.h,
// docs/cluster.md).

#include <CLI/CLI.hpp>

namespace marsdrive::app {

void AddSlurmCommands(CLI::App& app, int& exit_code);

}  // namespace marsdrive::app

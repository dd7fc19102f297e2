#pragma once
// Shared by the Slurm tests: a tiny suite on flat ground (a few seconds a run) and results.json
// without what differs between two executions.

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive::testing {

// Two short scenarios x two planners x `seeds` in dir/tiny.yaml; returns the suite file.
inline std::filesystem::path WriteTinySuite(const std::filesystem::path& dir,
                                            const std::string& seeds = "[1]",
                                            const std::string& name = "tiny") {
  for (const char* scenario : {"short-a", "short-b"}) {
    std::ofstream(dir / (std::string(scenario) + ".yaml"))
        << "schema: marsdrive/scenario/1\nname: " << scenario
        << "\nseed: 5\nterrain: {preset: flat, size_m: [14, 8], resolution_m: 0.1, params: "
           "{rock_k: 0.03}}\nstart: {x: 2.5, y: 4}\ngoal: {x: 6.5, y: 4, tolerance_m: 1}\n"
           "limits: {time_s: 400}\n";
  }
  const std::filesystem::path suite = dir / (name + ".yaml");
  std::ofstream(suite) << "schema: marsdrive/suite/1\nname: " << name
                       << "\nscenarios: [\"short-*.yaml\"]\nplanners: [{name: scripted}, "
                          "{name: astar}]\nseeds: "
                       << seeds << "\nrun_time_limit_s: 300\n";
  return suite;
}

inline nlohmann::json ReadJsonFile(const std::filesystem::path& path) {
  return nlohmann::json::parse(ReadWholeFile(path));
}

// results.json without wall-clock times.
inline nlohmann::json WithoutWallTimes(nlohmann::json results) {
  for (auto& run : results["runs"]) {
    run.erase("wall_time_s");
    if (run["metrics"].is_object()) {
      run["metrics"].erase("wall_time_s");
      run["metrics"].erase("rtf");
    }
  }
  return results;
}

}  // namespace marsdrive::testing

#pragma once
// A suite file (schema marsdrive/suite/1, docs/scenarios.md): scenarios x planners x seeds,
// and the list of runs it expands to, in a fixed order (scenario, planner, seed) that ids,
// shards and results follow.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace marsdrive::scenarios {

inline constexpr const char* kSuiteSchema = "marsdrive/suite/1";

struct Suite {
  std::filesystem::path file;  // absolute
  std::string name;
  std::vector<Scenario> scenarios;      // in the order listed; globs expand sorted
  std::vector<PlannerChoice> planners;  // empty: each scenario's own planner
  std::vector<std::uint64_t> seeds = {1};
  double run_time_limit_s = 600;  // wall-clock limit per run; over it the run is killed
};

// Loads the suite and every scenario it names. Throws InputError naming the file and key (or
// the scenario file and its key) for any problem; a glob that matches nothing is an error.
Suite LoadSuite(const std::filesystem::path& file);

struct PlannedRun {
  std::string id;  // RunId(scenario, planner label, seed)
  std::size_t scenario = 0;
  PlannerChoice planner;
  std::uint64_t seed = 1;
};

// Every run of the suite, in order. Throws InputError when two planners share a label.
std::vector<PlannedRun> ExpandRuns(const Suite& suite);

// A deterministic slice: runs whose position i (0-based) satisfies i % count == index - 1.
struct Shard {
  int index = 1;  // 1..count
  int count = 1;
};
std::optional<Shard> ParseShard(const std::string& text);  // "I/N" with 1 <= I <= N
std::vector<PlannedRun> SelectShard(const std::vector<PlannedRun>& runs, const Shard& shard);

}  // namespace marsdrive::scenarios

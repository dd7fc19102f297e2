#pragma once
// One run: terrain (from the content-addressed cache), plan, drive with AutoNav, metrics,
// score, and the run directory (scenarios/run_record.h). Never throws for what happens inside
// the run: a planner failure, a drive fault or an exception becomes a failed RunRecord with
// its reason, so a suite goes on.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>

#include "scenarios/plan_checker.h"
#include "scenarios/run_record.h"
#include "scenarios/scenario.h"
#include "scenarios/terrain_cache.h"
#include "sim/telemetry.h"

namespace marsdrive::scenarios {

struct RunOptions {
  std::filesystem::path out_dir;         // the run directory (created)
  std::filesystem::path terrain_cache;   // cache root: terrains live in <cache>/<hash>/
  std::optional<PlannerChoice> planner;  // overrides the scenario's planner
  std::uint64_t seed = 0;                // the suite seed (0: none, the scenario as written)
  std::optional<double> time_limit_s;    // overrides the scenario's limits.time_s
  // Live observers (viewer --live): every stored telemetry sample, on the run's thread.
  std::function<void(const sim::TelemetrySample&)> on_sample;
  std::stop_token stop;
  // Runs a planner entry's `check:` (scenarios/plan_checker.h); a run that asks for a check
  // without one fails with an input error.
  PlanChecker plan_checker;
};

RunRecord RunScenario(const Scenario& scenario, const RunOptions& options);

// The terrain a run of `scenario` with suite seed `seed` drives on (0: the scenario as
// written): what RunScenario asks the cache for, so that others (the live viewer) find it.
TerrainRequest RunTerrainRequest(const Scenario& scenario, std::uint64_t seed);

// The record of a run before it starts: ids, scenario, planner, seed, start, goal, keep-outs;
// no files, status failed (RunScenario fills in the rest; the suite uses it for runs whose
// process died).
RunRecord NewRunRecord(const Scenario& scenario, const PlannerChoice& planner, std::uint64_t seed);

// The id of a run: "<scenario>/<planner label>/seed-<n>".
std::string RunId(const std::string& scenario, const std::string& planner_label,
                  std::uint64_t seed);

}  // namespace marsdrive::scenarios

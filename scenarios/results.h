#pragma once
// A suite's results (schema marsdrive/results/1): every run's record plus aggregates per
// planner, as DIR/results.json and DIR/results.csv, and the terminal scorecard. Field names
// are stable: baselines in other people's CI depend on them (docs/scenarios.md).

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/calibration.h"
#include "scenarios/run_record.h"

namespace marsdrive::scenarios {

inline constexpr const char* kResultsSchema = "marsdrive/results/1";

struct RunEntry {
  RunRecord record;
  std::string dir;        // the run directory, relative to the results directory ("runs/<id>")
  std::size_t index = 0;  // position in the whole suite's run order (shards keep it; merge sorts)
};

struct SuiteResults {
  std::string suite;           // suite name
  std::string suite_file;      // as loaded
  std::vector<RunEntry> runs;  // in the suite's run order
};

// Aggregates of one planner (label) over its non-skipped runs; mean and 95 % confidence
// interval (Student t over runs, i.e. over seeds x scenarios) of the score.
struct PlannerAggregate {
  std::string planner;  // label
  int runs = 0, ok = 0, failed = 0, skipped = 0;
  int goals_reached = 0;
  double completion_pct = 0;  // goals reached / non-skipped runs, in percent
  double score_mean = 0;
  std::optional<double> score_ci95;  // half-width; absent with fewer than 2 runs
  double slip_p95_mean = 0;          // mean over driven runs of each run's slip p95
  double hazards_per_100m = 0;       // hazard events per 100 m driven (all driven runs)
  double distance_m = 0;             // total distance driven
  bool privileged = false;           // the planner saw the ground truth (the oracle)
  // How its runs ended (RunEndReason), in order of first appearance, skipped runs included.
  std::vector<std::pair<std::string, int>> end_reasons;
  // Present when an oracle ran (docs/scoring.md "score_vs_oracle"): this planner's mean score
  // over the (scenario, seed) pairs the oracle also ran, divided by the oracle's mean over the
  // same pairs; absent when they share no pair or the oracle's mean is 0.
  std::optional<double> score_vs_oracle;
  struct PerScenario {
    std::string scenario;
    int runs = 0;  // non-skipped
    double score_mean = 0;
    std::optional<double> score_vs_oracle;  // as above, on this scenario's seeds
  };
  std::vector<PerScenario> scenarios;  // in order of first appearance
  // Present when some of its runs checked their plan before driving (a planner entry's
  // `check:`): the twin's calibration against what the drive on the truth then did, over the
  // runs that checked and drove (docs/plan-check.md "Calibration").
  std::optional<Calibration> calibration;
};

// "goal 2, time_limit 1": a planner's runs by how they ended, in end_reasons' order (the
// scorecard's and the report's "why runs end").
std::string EndReasonsText(const PlannerAggregate& aggregate);

std::vector<PlannerAggregate> Aggregate(const std::vector<RunEntry>& runs);

// How a run ended, one word for the scorecard's "why runs end": "goal" (reached), "skipped",
// "plan_failure" (the planner found no route), the drive's end status when it stopped short
// ("slip_limit", "no_safe_path", "stuck", "time_limit", "tilt_limit", "slide", "off_map",
// "rollover", "sim_fault", "cancelled", "route_end": the route's end is not the goal), or the
// run's failure ("input", "error", "crash", "timeout").
std::string RunEndReason(const RunRecord& record);

// The label of the first privileged planner among `aggregates` (the oracle), or "".
std::string OracleLabel(const std::vector<PlannerAggregate>& aggregates);

nlohmann::ordered_json ResultsToJson(const SuiteResults& results);
// Throws InputError naming the file and field.
SuiteResults ResultsFromJson(const nlohmann::ordered_json& json, const std::string& source);
SuiteResults LoadResults(const std::filesystem::path& results_json);

// results.json (atomically), results.csv and junit.xml in `dir`.
void WriteResultsFiles(const std::filesystem::path& dir, const SuiteResults& results);

// One row per planner: runs, completion %, mean score +- CI, slip p95, hazards per 100 m,
// distance; then "why runs end" and, when some planner checked its plans, "digital twin" (its
// calibration); plain text for the terminal.
std::string ScorecardText(const std::vector<PlannerAggregate>& aggregates);

}  // namespace marsdrive::scenarios

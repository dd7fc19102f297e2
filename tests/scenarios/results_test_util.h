#pragma once
// Suite results built in memory for compare, JUnit and report tests: runs whose metrics object
// is what scenarios/metrics_json.h writes, so the tests read the same fields real suites have.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/metrics_json.h"
#include "scenarios/results.h"
#include "scenarios/run_scenario.h"
#include "sim/metrics.h"

namespace marsdrive::testing {

struct RunSpec {
  std::string scenario = "ledge";
  std::string planner = "astar";
  std::uint64_t seed = 1;
  double score = 0.8;
  bool goal_reached = true;
  double progress_m = 50;
  double distance_m = 55;
  double slip_p95 = 0.1;
  // Events per kind, in sim::HazardKind order: body_contact, wheel_on_rock, tilt,
  // suspension, keep_out, stuck.
  std::array<int, sim::kHazardKindCount> hazards{};
  scenarios::RunStatus status = scenarios::RunStatus::kOk;
  std::string failure;  // for failed runs
  std::string reason;
};

inline sim::Metrics MakeMetrics(const RunSpec& s) {
  sim::Metrics m;
  m.status = "completed";
  m.distance_m = s.distance_m;
  m.odometry_m = s.distance_m;
  m.progress_m = s.progress_m;
  m.goal_reached = s.goal_reached;
  m.slip.count = 10;
  m.slip.mean = s.slip_p95 / 2;
  m.slip.p95 = s.slip_p95;
  m.slip.max = s.slip_p95;
  m.slip_limit = 0.4;
  m.tilt_max_rad = 0.2;
  for (int k = 0; k < sim::kHazardKindCount; ++k) {
    const auto i = static_cast<std::size_t>(k);
    m.hazard_counts[i] = s.hazards[i];
    for (int e = 0; e < s.hazards[i]; ++e) {
      m.hazards.push_back({.kind = static_cast<sim::HazardKind>(k),
                           .part = "",
                           .start_s = 10.0 * e,
                           .duration_s = 1,
                           .x_m = 20.0 + e,
                           .y_m = 10});
    }
  }
  return m;
}

inline scenarios::RunRecord MakeRecord(const RunSpec& s) {
  scenarios::RunRecord r;
  r.id = scenarios::RunId(s.scenario, s.planner, s.seed);
  r.scenario = s.scenario;
  r.planner = s.planner;
  r.planner_label = s.planner;
  r.seed = s.seed;
  r.status = s.status;
  r.failure = s.failure;
  r.reason = s.reason;
  r.start = {5, 10, 0};
  r.goal = {55, 10, 2};
  if (s.status != scenarios::RunStatus::kSkipped) r.score = s.score;
  if (s.status == scenarios::RunStatus::kOk) {
    r.metrics = scenarios::MetricsToJson(MakeMetrics(s));
    r.plan_status = "exact";
  } else {
    r.files = {"", "", "", ""};
  }
  return r;
}

inline scenarios::SuiteResults MakeResults(const std::vector<RunSpec>& specs) {
  scenarios::SuiteResults results;
  results.suite = "test-suite";
  results.suite_file = "suites/test.yaml";
  for (const RunSpec& s : specs) {
    scenarios::RunEntry e;
    e.record = MakeRecord(s);
    e.dir = "runs/" + e.record.id;
    e.index = results.runs.size();
    results.runs.push_back(std::move(e));
  }
  return results;
}

inline void WriteResultsJson(const std::filesystem::path& path,
                             const scenarios::SuiteResults& results) {
  WriteTextFile(path, scenarios::ResultsToJson(results).dump(2) + "\n");
}

}  // namespace marsdrive::testing

#pragma once
// Regression comparison of two suite results (`marsdrive compare`, docs/scoring.md "Compare").
// Runs are paired by (scenario, planner label, seed). A regression is
//   lost_run     a run of the baseline that the candidate lacks;
//   new_failure  a run ok in the baseline and failed in the candidate;
//   new_hazard   a hazard kind with no event in the baseline run and some in the candidate's;
//   score_drop   per planner, over the score differences d = candidate - baseline of the pairs
//                it shares: with n >= 2 pairs, a paired one-sided Student t test rejects
//                "mean d >= 0" at level alpha AND the mean drop -mean(d) exceeds the tolerance;
//                with one pair, a drop beyond the tolerance. The same test runs per planner on
//                each scenario (over its seeds; verdict "planner @ scenario"), so one scenario
//                collapsing is not hidden by the others.
// Runs new in the candidate are listed and never a regression.
// With `exact` (a baseline from the same code: results are deterministic, scenarios/baseline.h)
// also
//   changed      a paired run whose deterministic fields differ in any way, better or worse,
//                or a run new in the candidate: the baseline no longer describes the code.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/results.h"

namespace marsdrive::scenarios {

// The numbers of one run that compare, JUnit and the report read from its metrics.json object.
struct RunFigures {
  bool drove = false;                // metrics present (a drive happened)
  std::optional<bool> goal_reached;  // absent without a goal
  double completion = 0;  // as ScoreRun: 1 at the goal, else progress / start-goal, in [0, 1]
  double distance_m = 0, progress_m = 0;
  double slip_p95 = 0, slip_over_limit_m = 0, slip_limit = 0;
  double tilt_max_deg = 0;
  std::vector<std::pair<std::string, int>> hazard_counts;  // kind -> events, in file order
  int hazards = 0;                                         // all events

  int HazardCount(const std::string& kind) const;
};

// Throws InputError "<source>: <path>.metrics.<field>: ..." for a malformed metrics object.
RunFigures FiguresOf(const RunRecord& record, const std::string& source = "run",
                     const std::string& path = "");

struct CompareOptions {
  double tolerance = 0.02;  // score points (scores are in [0, 1]): smaller drops never fail
  double alpha = 0.05;      // one-sided level of the paired t test
  bool exact = false;       // also fail on any change of a deterministic field (kChanged)
};

struct RunPair {
  std::string id;  // "<scenario>/<planner label>/seed-<n>"
  std::string scenario, planner;
  std::uint64_t seed = 0;
  RunRecord baseline, candidate;
  RunFigures baseline_figures, candidate_figures;
  std::optional<double> score_delta;  // candidate - baseline, when both have a score
  bool new_failure = false;
  std::vector<std::string> new_hazard_kinds;
  std::vector<std::string> changes;  // with `exact`: DeterministicDifferences, in order
};

struct PlannerVerdict {
  std::string planner;
  int pairs = 0;  // pairs with both scores
  double mean_delta = 0;
  double sd_delta = 0;            // sample standard deviation (n >= 2)
  std::optional<double> t;        // t statistic (n >= 2, sd > 0)
  std::optional<double> p_value;  // one-sided P(T <= t) under "mean d = 0" (n >= 2)
  std::string test;               // "paired t (n=5)", "single pair", "no pairs"
  bool regressed = false;
};

enum class RegressionKind { kLostRun, kNewFailure, kNewHazard, kScoreDrop, kChanged };
const char* ToString(RegressionKind kind);  // "lost_run", "new_failure", ..., "changed"

struct Regression {
  RegressionKind kind = RegressionKind::kScoreDrop;
  std::string subject;  // run id, or planner label for a score drop
  std::string message;
};

struct Comparison {
  std::string baseline_source, candidate_source;
  CompareOptions options;
  std::vector<RunPair> pairs;            // in the baseline's run order
  std::vector<std::string> lost_runs;    // ids of baseline runs the candidate lacks
  std::vector<std::string> new_runs;     // ids of candidate runs the baseline lacks
  std::vector<PlannerVerdict> planners;  // in order of first appearance in the baseline
  std::vector<Regression> regressions;
  bool Regressed() const { return !regressions.empty(); }
};

// Throws InputError naming the file and run for duplicate run keys or malformed metrics.
Comparison Compare(const SuiteResults& baseline, const SuiteResults& candidate,
                   const CompareOptions& options, const std::string& baseline_source = "baseline",
                   const std::string& candidate_source = "candidate");

// The table of deltas per pair and per planner and the verdict, for the terminal.
std::string ComparisonText(const Comparison& comparison);

// The verdict as JUnit XML (junit-10.xsd): one test case per planner (its score test) and one
// per regression check (lost runs, new failures, new hazard kinds). Defined in junit.cpp.
std::string ComparisonJunitXml(const Comparison& comparison);

}  // namespace marsdrive::scenarios

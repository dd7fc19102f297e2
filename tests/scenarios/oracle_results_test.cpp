// The oracle in results: `privileged` round-trips through run.json and results.json,
// score_vs_oracle is the planner's mean score over the oracle's (scenario, seed) pairs divided by
// the oracle's mean on them, and the "why runs end" breakdown counts each run once.

#include "results_test_util.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/results.h"
#include "scenarios/run_record.h"

namespace marsdrive::scenarios {
namespace {

using testing::RunSpec;

// A run spec (assigned field by field: RunSpec's strings have no default member initializers).
RunSpec Spec(const std::string& scenario, const std::string& planner, std::uint64_t seed,
             double score, bool goal_reached = true, RunStatus status = RunStatus::kOk,
             const std::string& failure = "") {
  RunSpec s;
  s.scenario = scenario;
  s.planner = planner;
  s.seed = seed;
  s.score = score;
  s.goal_reached = goal_reached;
  s.status = status;
  s.failure = failure;
  if (status != RunStatus::kOk) s.reason = "why";
  return s;
}

SuiteResults WithOracle(std::vector<RunSpec> specs) {
  SuiteResults results = testing::MakeResults(specs);
  for (RunEntry& e : results.runs) {
    if (e.record.planner == "oracle") e.record.privileged = true;
  }
  return results;
}

const PlannerAggregate& Find(const std::vector<PlannerAggregate>& all, const std::string& name) {
  for (const PlannerAggregate& a : all) {
    if (a.planner == name) return a;
  }
  throw std::runtime_error("no aggregate " + name);
}

TEST(OracleResults, PrivilegedRoundTripsThroughRunJsonAndResultsJson) {
  const SuiteResults results =
      WithOracle({Spec("ledge", "astar", 1, 0.8), Spec("ledge", "oracle", 1, 0.9)});
  const auto run_json = RunRecordToJson(results.runs[1].record);
  EXPECT_EQ(run_json["privileged"], true);
  EXPECT_FALSE(RunRecordToJson(results.runs[0].record).contains("privileged"));
  EXPECT_TRUE(RunRecordFromJson(run_json, "run.json").privileged);
  EXPECT_FALSE(RunRecordFromJson(RunRecordToJson(results.runs[0].record), "run.json").privileged);

  const auto doc = ResultsToJson(results);
  EXPECT_EQ(doc["runs"][1]["privileged"], true);
  EXPECT_EQ(doc["aggregates"][1]["planner"], "oracle");
  EXPECT_EQ(doc["aggregates"][1]["privileged"], true);
  EXPECT_FALSE(doc["aggregates"][0].contains("privileged"));
  const SuiteResults back = ResultsFromJson(doc, "results.json");
  EXPECT_FALSE(back.runs[0].record.privileged);
  EXPECT_TRUE(back.runs[1].record.privileged);

  auto bad = run_json;
  bad["privileged"] = "yes";
  EXPECT_THROW((void)RunRecordFromJson(bad, "run.json"), InputError);
}

TEST(OracleResults, ScoreVsOracleOnTheSameScenarioAndSeeds) {
  const SuiteResults results = WithOracle({
      // scenario a: oracle 0.8 and 0.6 (mean 0.7); astar 0.7 and 0.35 -> 0.525 / 0.7 = 0.75
      Spec("a", "oracle", 1, 0.8),
      Spec("a", "oracle", 2, 0.6),
      Spec("a", "astar", 1, 0.7),
      Spec("a", "astar", 2, 0.35),
      // astar's seed 3 has no oracle run: left out of the ratio, kept in its mean
      Spec("a", "astar", 3, 0.0),
      // scenario b: oracle 0.5; astar 0.5 -> 1; rrt skipped there
      Spec("b", "oracle", 1, 0.5),
      Spec("b", "astar", 1, 0.5),
      Spec("b", "rrt", 1, 0, false, RunStatus::kSkipped),
      // scenario c: the oracle scored 0: no ratio
      Spec("c", "oracle", 1, 0.0, false),
      Spec("c", "astar", 1, 0.2, false),
  });
  const std::vector<PlannerAggregate> all = Aggregate(results.runs);
  EXPECT_EQ(OracleLabel(all), "oracle");
  const PlannerAggregate& astar = Find(all, "astar");
  ASSERT_EQ(astar.scenarios.size(), 3u);
  EXPECT_EQ(astar.scenarios[0].scenario, "a");
  EXPECT_EQ(astar.scenarios[0].runs, 3);
  EXPECT_NEAR(astar.scenarios[0].score_mean, 1.05 / 3, 1e-12);
  ASSERT_TRUE(astar.scenarios[0].score_vs_oracle);
  EXPECT_NEAR(*astar.scenarios[0].score_vs_oracle, 0.75, 1e-12);
  ASSERT_TRUE(astar.scenarios[1].score_vs_oracle);
  EXPECT_NEAR(*astar.scenarios[1].score_vs_oracle, 1.0, 1e-12);
  EXPECT_FALSE(astar.scenarios[2].score_vs_oracle);
  // Overall: astar over the oracle's 4 pairs (0.7 + 0.35 + 0.5 + 0.2) / oracle (0.8 + 0.6 +
  // 0.5 + 0), both over 4 runs.
  ASSERT_TRUE(astar.score_vs_oracle);
  EXPECT_NEAR(*astar.score_vs_oracle, 1.75 / 1.9, 1e-12);
  const PlannerAggregate& oracle = Find(all, "oracle");
  ASSERT_TRUE(oracle.score_vs_oracle);
  EXPECT_DOUBLE_EQ(*oracle.score_vs_oracle, 1.0);
  const PlannerAggregate& rrt = Find(all, "rrt");
  EXPECT_FALSE(rrt.score_vs_oracle);
  EXPECT_TRUE(rrt.scenarios.empty());

  const auto doc = ResultsToJson(results);
  EXPECT_NEAR(doc["aggregates"][1]["score_vs_oracle"].get<double>(), 1.75 / 1.9, 1e-12);
  EXPECT_EQ(doc["aggregates"][1]["scenarios"][0]["scenario"], "a");
  EXPECT_NEAR(doc["aggregates"][1]["scenarios"][0]["score_vs_oracle"].get<double>(), 0.75, 1e-12);
  EXPECT_TRUE(doc["aggregates"][1]["scenarios"][2]["score_vs_oracle"].is_null());
  EXPECT_TRUE(doc["aggregates"][2]["score_vs_oracle"].is_null());
  EXPECT_THAT(ScorecardText(all), ::testing::HasSubstr("oracle (privileged)"));
  EXPECT_THAT(ScorecardText(all), ::testing::HasSubstr("vs oracle"));
}

TEST(OracleResults, NoOracleNoScoreVsOracle) {
  const SuiteResults results = testing::MakeResults({Spec("ledge", "astar", 1, 0.8)});
  const auto doc = ResultsToJson(results);
  EXPECT_FALSE(doc["aggregates"][0].contains("score_vs_oracle"));
  EXPECT_FALSE(doc["aggregates"][0].contains("scenarios"));
  EXPECT_THAT(ScorecardText(Aggregate(results.runs)),
              ::testing::Not(::testing::HasSubstr("vs oracle")));
}

TEST(OracleResults, WhyRunsEndCountsEachRunOnce) {
  SuiteResults results = testing::MakeResults({
      Spec("s", "astar", 1, 0.8),
      Spec("s", "astar", 2, 0.8),
      Spec("s", "astar", 3, 0.3, false),
      Spec("s", "astar", 4, 0.3, false),
      Spec("s", "astar", 5, 0.3, false),
      Spec("s", "astar", 6, 0, false, RunStatus::kFailed, "plan"),
      Spec("s", "astar", 7, 0, false, RunStatus::kSkipped),
      Spec("s", "astar", 8, 0, false, RunStatus::kFailed, "timeout"),
  });
  results.runs[2].record.metrics["status"] = "slip_limit";
  results.runs[3].record.metrics["status"] = "slip_limit";
  results.runs[4].record.metrics["status"] = "completed";  // the route ended short of the goal
  const std::vector<PlannerAggregate> all = Aggregate(results.runs);
  ASSERT_EQ(all.size(), 1u);
  const std::vector<std::pair<std::string, int>> expected = {{"goal", 2},      {"slip_limit", 2},
                                                             {"route_end", 1}, {"plan_failure", 1},
                                                             {"skipped", 1},   {"timeout", 1}};
  EXPECT_EQ(all[0].end_reasons, expected);
  const auto doc = ResultsToJson(results);
  EXPECT_EQ(doc["aggregates"][0]["end_reasons"]["slip_limit"], 2);
  EXPECT_EQ(doc["aggregates"][0]["end_reasons"]["goal"], 2);
  EXPECT_THAT(ScorecardText(all),
              ::testing::HasSubstr("goal 2, slip_limit 2, route_end 1, plan_failure 1, "
                                   "skipped 1, timeout 1"));
}

}  // namespace
}  // namespace marsdrive::scenarios

// Plan checks in results: a suite's checked runs give their planner's aggregate a calibration
// (a hand-computed Brier score, go failed and no_go succeeded counts), results.json carries it
// and the runs' check fields through a round trip, and the scorecard adds a "digital twin"
// block. Controls: runs without checks give no calibration, no field and no block.

#include "results_test_util.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/results.h"
#include "scenarios/run_record.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunSpec;

RunSpec Spec(const std::string& planner, std::uint64_t seed, bool goal_reached,
             RunStatus status = RunStatus::kOk) {
  RunSpec s;
  s.planner = planner;
  s.seed = seed;
  s.goal_reached = goal_reached;
  s.status = status;
  if (status != RunStatus::kOk) s.failure = "error", s.reason = "why";
  return s;
}

struct Checked {
  RunSpec spec;
  double p_goal;
  const char* verdict;
};

// astar: six checked drives and one checked run that never drove; scripted: two unchecked.
//   p_goal  verdict   reached  (p - reached)^2
//   0.95    go        yes      0.0025
//   0.85    go        no       0.7225
//   0.92    go        yes      0.0064
//   0.50    marginal  yes      0.25
//   0.10    no_go     no       0.01
//   0.05    no_go     yes      0.9025      Brier = 1.8939 / 6 = 0.31565
SuiteResults Suite() {
  const std::vector<Checked> checked = {{Spec("astar", 1, true), 0.95, "go"},
                                        {Spec("astar", 2, false), 0.85, "go"},
                                        {Spec("astar", 3, true), 0.92, "go"},
                                        {Spec("astar", 4, true), 0.50, "marginal"},
                                        {Spec("astar", 5, false), 0.10, "no_go"},
                                        {Spec("astar", 6, true), 0.05, "no_go"},
                                        {Spec("astar", 7, false, RunStatus::kFailed), 0.99, "go"}};
  std::vector<RunSpec> specs;
  for (const Checked& c : checked) specs.push_back(c.spec);
  specs.push_back(Spec("scripted", 1, true));
  specs.push_back(Spec("scripted", 2, false));
  SuiteResults results = testing::MakeResults(specs);
  for (std::size_t i = 0; i < checked.size(); ++i) {
    const int trials = 20;
    results.runs[i].record.check = RunCheck{.trials = trials,
                                            .goal_count = static_cast<int>(checked[i].p_goal * 20),
                                            .p_goal = checked[i].p_goal,
                                            .verdict = checked[i].verdict,
                                            .dir = "check"};
  }
  return results;
}

const PlannerAggregate& Find(const std::vector<PlannerAggregate>& all, const std::string& name) {
  for (const PlannerAggregate& a : all) {
    if (a.planner == name) return a;
  }
  throw std::runtime_error("no aggregate " + name);
}

TEST(CheckResults, AggregateCalibratesTheChecksOfRunsThatDrove) {
  const std::vector<PlannerAggregate> all = Aggregate(Suite().runs);
  const PlannerAggregate& astar = Find(all, "astar");
  ASSERT_TRUE(astar.calibration.has_value());
  const Calibration& c = *astar.calibration;
  EXPECT_EQ(c.count, 6);  // the failed run that never drove is left out
  EXPECT_NEAR(c.brier, 1.8939 / 6, 1e-12);
  EXPECT_EQ(c.go_count, 3);
  EXPECT_EQ(c.go_failed, 1);
  EXPECT_EQ(c.marginal_count, 1);
  EXPECT_EQ(c.no_go_count, 2);
  EXPECT_EQ(c.no_go_succeeded, 1);
  ASSERT_EQ(c.bins.size(), 10u);
  EXPECT_EQ(c.bins[9].count, 2);
  EXPECT_NEAR(c.bins[9].mean_predicted, 0.935, 1e-12);
  EXPECT_DOUBLE_EQ(c.bins[9].observed_rate, 1.0);
  EXPECT_FALSE(Find(all, "scripted").calibration.has_value());  // control: not checked
}

TEST(CheckResults, ResultsJsonCarriesCalibrationOnlyForCheckedPlanners) {
  const auto doc = ResultsToJson(Suite());
  const auto& aggregates = doc["aggregates"];
  ASSERT_EQ(aggregates.size(), 2u);
  ASSERT_TRUE(aggregates[0].contains("calibration"));
  const auto& c = aggregates[0]["calibration"];
  EXPECT_EQ(c["count"], 6);
  EXPECT_NEAR(c["brier"].get<double>(), 0.31565, 1e-12);
  EXPECT_EQ(c["go"]["count"], 3);
  EXPECT_EQ(c["go"]["failed"], 1);
  EXPECT_NEAR(c["go"]["failed_rate"].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_EQ(c["marginal"]["count"], 1);
  EXPECT_EQ(c["no_go"]["succeeded"], 1);
  EXPECT_EQ(c["reliability"].size(), 10u);
  EXPECT_TRUE(c["reliability"][3]["mean_predicted"].is_null());  // empty bin
  EXPECT_FALSE(aggregates[1].contains("calibration"));           // scripted
  EXPECT_EQ(doc["runs"][1]["check"]["verdict"], "go");
  EXPECT_EQ(doc["runs"][1]["check"]["p_goal"], 0.85);
  EXPECT_FALSE(doc["runs"][7].contains("check"));
}

TEST(CheckResults, NoChecksNoCalibrationField) {
  const SuiteResults results = testing::MakeResults({Spec("astar", 1, true)});
  const auto doc = ResultsToJson(results);
  EXPECT_FALSE(doc["aggregates"][0].contains("calibration"));
  EXPECT_FALSE(doc["runs"][0].contains("check"));
}

TEST(CheckResults, ChecksRoundTripThroughResultsJson) {
  const SuiteResults results = Suite();
  const SuiteResults back = ResultsFromJson(ResultsToJson(results), "results.json");
  ASSERT_EQ(back.runs.size(), results.runs.size());
  int checked = 0;
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    SCOPED_TRACE(results.runs[i].record.id);
    EXPECT_EQ(back.runs[i].record.check, results.runs[i].record.check);
    checked += back.runs[i].record.check.has_value() ? 1 : 0;
  }
  EXPECT_EQ(checked, 7);  // precondition: the comparison saw checks, not only absences
  EXPECT_EQ(Aggregate(back.runs)[0].calibration->go_failed, 1);
}

TEST(CheckResults, ScorecardShowsTheDigitalTwinBlock) {
  const std::string text = ScorecardText(Aggregate(Suite().runs));
  EXPECT_THAT(text, HasSubstr("\n\ndigital twin (plan checks before the drive):\n"
                              "  astar    6 checked, Brier 0.316; go 3 (1 failed), marginal 1, "
                              "no_go 2 (1 would have succeeded)\n"
                              "  scripted not checked\n"));
  // After "why runs end".
  EXPECT_LT(text.find("why runs end:"), text.find("digital twin"));
}

TEST(CheckResults, ScorecardWithoutChecksHasNoBlock) {
  SuiteResults results = Suite();
  for (RunEntry& e : results.runs) e.record.check.reset();
  const std::string text = ScorecardText(Aggregate(results.runs));
  EXPECT_THAT(text, Not(HasSubstr("digital twin")));
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.substr(text.size() - 2), "1\n");  // ends with the why-runs-end block
}

}  // namespace
}  // namespace marsdrive::scenarios

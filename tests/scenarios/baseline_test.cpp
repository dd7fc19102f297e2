// The regression baseline (scenarios/baseline.h) and `compare --exact`: what differs between two
// executions of the same code (wall times, paths) is stripped and never a change; any change of
// a deterministic field is one, better or worse, and so is a run the baseline lacks.

#include "scenarios/baseline.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/compare.h"
#include "scenarios/suite.h"
#include "tests/scenarios/results_test_util.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeResults;
using testing::RunSpec;

std::vector<RunSpec> Specs() {
  std::vector<RunSpec> specs;
  for (const char* planner : {"astar", "scripted"}) {
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      RunSpec s;
      s.planner = planner, s.seed = seed, s.score = 0.7;
      specs.push_back(s);
    }
  }
  return specs;
}

// The same results as another execution on another machine would write them.
SuiteResults Rerun(SuiteResults results) {
  results.suite_file = "/elsewhere/suites/test.yaml";
  for (RunEntry& e : results.runs) {
    e.record.wall_time_s += 3.5;
    e.record.scenario_file = "/elsewhere/" + e.record.scenario + ".yaml";
    e.record.terrain_dir = "../../../other-cache/abc";
    e.record.metrics["wall_time_s"] = 12.25;
    e.record.metrics["rtf"] = 99.0;
  }
  return results;
}

TEST(Baseline, StripsWallTimesAndPaths) {
  SuiteResults results = Rerun(MakeResults(Specs()));
  const auto json = BaselineJson(results);
  EXPECT_FALSE(json.contains("suite_file"));
  EXPECT_FALSE(json.contains("tool"));
  EXPECT_EQ(json["suite"], "test-suite");
  ASSERT_EQ(json["runs"].size(), 4u);
  for (const auto& run : json["runs"]) {
    for (const char* key : {"wall_time_s", "scenario_file", "terrain_dir"}) {
      EXPECT_FALSE(run.contains(key)) << key;
    }
    EXPECT_FALSE(run["metrics"].contains("wall_time_s"));
    EXPECT_FALSE(run["metrics"].contains("rtf"));
    EXPECT_TRUE(run["metrics"].contains("distance_m"));  // control: simulated figures stay
    EXPECT_TRUE(run.contains("dir"));
  }
  // Control: the unstripped results hold every field removed above.
  const auto full = ResultsToJson(results);
  EXPECT_TRUE(full.contains("suite_file"));
  EXPECT_TRUE(full["runs"][0].contains("wall_time_s"));
  EXPECT_TRUE(full["runs"][0]["metrics"].contains("rtf"));
}

TEST(Baseline, ReadsBackAsResults) {
  const SuiteResults results = MakeResults(Specs());
  const SuiteResults back = ResultsFromJson(BaselineJson(results), "baseline.json");
  ASSERT_EQ(back.runs.size(), results.runs.size());
  for (std::size_t i = 0; i < back.runs.size(); ++i) {
    EXPECT_EQ(back.runs[i].record.id, results.runs[i].record.id);
    EXPECT_EQ(back.runs[i].dir, results.runs[i].dir);
    EXPECT_TRUE(DeterministicDifferences(results.runs[i].record, back.runs[i].record).empty());
  }
}

TEST(Baseline, DifferencesNameTheFieldAndBothValues) {
  const RunRecord a = MakeResults(Specs()).runs[0].record;
  RunRecord b = a;
  EXPECT_TRUE(DeterministicDifferences(a, b).empty());
  b.metrics["distance_m"] = 55.5;
  b.score = 0.75;
  b.metrics["slip"]["p95"] = 0.125;
  EXPECT_THAT(DeterministicDifferences(a, b),
              ElementsAre("score: 0.7 -> 0.75", "metrics.distance_m: 55.0 -> 55.5",
                          "metrics.slip.p95: 0.1 -> 0.125"));
  RunRecord c = a;
  c.metrics.erase("tilt_max_deg");
  c.metrics["hazards"].push_back({{"kind", "tilt"}});
  EXPECT_THAT(DeterministicDifferences(a, c),
              ElementsAre(HasSubstr("metrics.hazards: a list of 0 -> a list of 1"),
                          HasSubstr("metrics.tilt_max_deg: ")));
  EXPECT_THAT(DeterministicDifferences(a, c)[1], HasSubstr("-> absent"));
}

TEST(CompareExact, SameCodeElsewhereIsNoChange) {
  const SuiteResults base = MakeResults(Specs());
  CompareOptions exact;
  exact.exact = true;
  const Comparison c = Compare(base, Rerun(base), exact);
  EXPECT_FALSE(c.Regressed()) << ComparisonText(c);
  EXPECT_THAT(ComparisonText(c), HasSubstr("exact"));
}

TEST(CompareExact, AnyChangeFailsEvenABetterScore) {
  const SuiteResults base = MakeResults(Specs());
  SuiteResults better = base;
  better.runs[1].record.score = 0.71;  // within the tolerance, and better
  better.runs[1].record.metrics["distance_m"] = 54.0;
  EXPECT_FALSE(Compare(base, better, {}).Regressed());  // control: not a regression by default
  CompareOptions exact;
  exact.exact = true;
  const Comparison c = Compare(base, better, exact);
  ASSERT_EQ(c.regressions.size(), 1u) << ComparisonText(c);
  EXPECT_EQ(c.regressions[0].kind, RegressionKind::kChanged);
  EXPECT_EQ(c.regressions[0].message,
            "changed: ledge/astar/seed-2: score: 0.7 -> 0.71; metrics.distance_m: 55.0 -> 54.0");
  EXPECT_THAT(ComparisonText(c), HasSubstr("CHANGED"));
  EXPECT_THAT(ComparisonJunitXml(c), HasSubstr("changed runs"));
}

TEST(CompareExact, ANewRunIsAChange) {
  std::vector<RunSpec> specs = Specs();
  const SuiteResults base = MakeResults(specs);
  specs.push_back(specs.back());
  specs.back().seed = 3;
  const SuiteResults more = MakeResults(specs);
  EXPECT_FALSE(Compare(base, more, {}).Regressed());  // control: fine by default
  CompareOptions exact;
  exact.exact = true;
  const Comparison c = Compare(base, more, exact);
  ASSERT_EQ(c.regressions.size(), 1u);
  EXPECT_EQ(c.regressions[0].message,
            "changed: ledge/scripted/seed-3: new run (not in the baseline)");
}

// The committed baseline holds exactly the quick suite's runs: a scenario or planner added to
// the suite without a new baseline fails here, before the gate runs the suite.
TEST(CommittedBaseline, HoldsEveryRunOfTheQuickSuite) {
  const std::string source = MARSDRIVE_SOURCE_DIR;
  const SuiteResults baseline = LoadResults(source + "/scenarios/baselines/jezero-rim-quick.json");
  const Suite suite = LoadSuite(source + "/scenarios/suites/jezero-rim-quick.yaml");
  std::vector<std::string> expected, found;
  for (const PlannedRun& r : ExpandRuns(suite)) expected.push_back(r.id);
  for (const RunEntry& e : baseline.runs) found.push_back(e.record.id);
  EXPECT_EQ(found, expected);
  int driven = 0;
  for (const RunEntry& e : baseline.runs) {
    EXPECT_EQ(e.record.wall_time_s, 0) << e.record.id << ": wall time not stripped";
    if (e.record.metrics.is_object()) ++driven;
  }
  EXPECT_GE(driven, 6);  // the baseline compares real drives
}

}  // namespace
}  // namespace marsdrive::scenarios

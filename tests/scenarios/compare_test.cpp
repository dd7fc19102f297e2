// Regression comparison: identical and noise-sized candidates pass; a score drop across seeds,
// a new hazard kind, a new failure and a lost run fail, each named. (The t distribution itself
// is tested in tests/base/statistics_test.cpp.)

#include "scenarios/compare.h"

#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/scenarios/results_test_util.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;
using testing::MakeResults;
using testing::RunSpec;

// 2 planners x 2 scenarios x 5 seeds, scores spread like a real suite's.
std::vector<RunSpec> BaselineSpecs() {
  std::vector<RunSpec> specs;
  for (const char* planner : {"astar", "rrtstar"}) {
    for (const char* scenario : {"ledge", "boulders"}) {
      for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        RunSpec s;
        s.planner = planner, s.scenario = scenario, s.seed = seed;
        s.score = 0.55 + 0.07 * static_cast<double>((seed * 3 + std::string(scenario).size()) % 5);
        s.hazards[1] = static_cast<int>(seed % 2);  // wheel_on_rock in some runs
        specs.push_back(s);
      }
    }
  }
  return specs;
}

// Adds `delta(i)` to the score of every run of `planner` (i counts its runs).
template <typename F>
std::vector<RunSpec> Shifted(std::vector<RunSpec> specs, const std::string& planner, F delta) {
  int i = 0;
  for (RunSpec& s : specs) {
    if (s.planner == planner) s.score += delta(i++);
  }
  return specs;
}

std::vector<RegressionKind> Kinds(const Comparison& c) {
  std::vector<RegressionKind> kinds;
  for (const Regression& r : c.regressions) kinds.push_back(r.kind);
  return kinds;
}

RunSpec Spec(const std::string& scenario, const std::string& planner, std::uint64_t seed,
             double score) {
  RunSpec s;
  s.scenario = scenario, s.planner = planner, s.seed = seed, s.score = score;
  return s;
}

const PlannerVerdict& VerdictOf(const Comparison& c, const std::string& planner) {
  for (const PlannerVerdict& v : c.planners) {
    if (v.planner == planner) return v;
  }
  throw std::runtime_error("no verdict for " + planner);
}

TEST(Compare, IdenticalCandidateHasNoRegressions) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  const Comparison c = Compare(base, base, {});
  EXPECT_FALSE(c.Regressed());
  EXPECT_EQ(c.pairs.size(), 20u);
  // Pooled per planner, then per planner on each scenario.
  ASSERT_EQ(c.planners.size(), 6u);
  EXPECT_EQ(c.planners[0].pairs, 10);
  EXPECT_EQ(VerdictOf(c, "astar @ ledge").pairs, 5);
  EXPECT_EQ(c.planners[0].mean_delta, 0.0);
  EXPECT_THAT(ComparisonText(c), HasSubstr("no regressions"));
}

TEST(Compare, NoiseWithinToleranceAcrossSeedsPasses) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  // Deterministic "noise": +-0.015 around a mean drop of 0.004.
  const auto noise = [](int i) { return 0.015 * std::sin(1.7 * i + 0.3) - 0.004; };
  const Comparison c = Compare(base, MakeResults(Shifted(BaselineSpecs(), "astar", noise)), {});
  EXPECT_FALSE(c.Regressed()) << ComparisonText(c);
  EXPECT_LT(VerdictOf(c, "astar").mean_delta, 0.0);  // it did drop, a little
  // Control: the same noise on a drop of 0.05 is caught.
  const auto drop = [&](int i) { return noise(i) - 0.05; };
  const Comparison worse = Compare(base, MakeResults(Shifted(BaselineSpecs(), "astar", drop)), {});
  EXPECT_THAT(Kinds(worse), ::testing::Each(RegressionKind::kScoreDrop));
  EXPECT_EQ(worse.regressions[0].subject, "astar");
}

TEST(Compare, SignificantButSmallDropIsWithinTolerance) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  const auto small = [](int i) { return -0.01 + 0.001 * (i % 2); };
  const Comparison c = Compare(base, MakeResults(Shifted(BaselineSpecs(), "astar", small)), {});
  const PlannerVerdict& v = VerdictOf(c, "astar");
  ASSERT_TRUE(v.p_value.has_value());
  EXPECT_LT(*v.p_value, 0.05);  // the drop is real...
  EXPECT_FALSE(c.Regressed());  // ...but smaller than the tolerance
  // Control: a tolerance below the drop makes it a regression.
  EXPECT_TRUE(Compare(base, MakeResults(Shifted(BaselineSpecs(), "astar", small)),
                      {.tolerance = 0.005, .alpha = 0.05})
                  .Regressed());
}

TEST(Compare, LargeButInconsistentDropIsNotSignificant) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  // Mean -0.03 (beyond the tolerance) but +-0.2 from run to run: the t test cannot tell.
  const auto wild = [](int i) { return (i % 2 == 0 ? 0.17 : -0.23); };
  const Comparison c = Compare(base, MakeResults(Shifted(BaselineSpecs(), "astar", wild)), {});
  const PlannerVerdict& v = VerdictOf(c, "astar");
  EXPECT_NEAR(v.mean_delta, -0.03, 1e-12);
  ASSERT_TRUE(v.p_value.has_value());
  EXPECT_GT(*v.p_value, 0.05);
  EXPECT_FALSE(c.Regressed());
}

TEST(Compare, ScoreDropOfOneScenarioAcrossSeedsIsARegression) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  std::vector<RunSpec> doctored = BaselineSpecs();
  for (RunSpec& s : doctored) {
    if (s.planner == "astar" && s.scenario == "ledge") s.score -= 0.15;
  }
  const Comparison c = Compare(base, MakeResults(doctored), {});
  ASSERT_THAT(Kinds(c),
              ::testing::ElementsAre(RegressionKind::kScoreDrop, RegressionKind::kScoreDrop))
      << ComparisonText(c);
  EXPECT_EQ(c.regressions[0].subject, "astar");
  EXPECT_THAT(c.regressions[0].message, HasSubstr("paired t (n=10)"));
  EXPECT_EQ(c.regressions[1].subject, "astar @ ledge");
  EXPECT_THAT(c.regressions[1].message, HasSubstr("paired t (n=5)"));
  EXPECT_FALSE(VerdictOf(c, "astar @ boulders").regressed);
  EXPECT_FALSE(VerdictOf(c, "rrtstar").regressed);
  EXPECT_THAT(ComparisonText(c), HasSubstr("REGRESSED"));
}

TEST(Compare, OneScenarioCollapsingIsNotDilutedByTheOthers) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  std::vector<RunSpec> doctored = BaselineSpecs();
  int i = 0;
  for (RunSpec& s : doctored) {
    if (s.planner != "astar") continue;
    // ledge: a consistent drop of 0.1; boulders: seed noise of +-0.2 around no change.
    s.score += s.scenario == "ledge" ? -0.1 : ((i++ % 2 == 0) ? 0.2 : -0.2);
  }
  const Comparison c = Compare(base, MakeResults(doctored), {});
  EXPECT_FALSE(VerdictOf(c, "astar").regressed) << ComparisonText(c);  // pooled: noise wins
  EXPECT_TRUE(VerdictOf(c, "astar @ ledge").regressed);
  EXPECT_FALSE(VerdictOf(c, "astar @ boulders").regressed);
  ASSERT_EQ(c.regressions.size(), 1u);
  EXPECT_EQ(c.regressions[0].subject, "astar @ ledge");
}

TEST(Compare, SinglePairDecidesByTheTolerance) {
  const SuiteResults base = MakeResults({Spec("ledge", "astar", 1, 0.8)});
  EXPECT_TRUE(Compare(base, MakeResults({Spec("ledge", "astar", 1, 0.77)}), {}).Regressed());
  const Comparison small = Compare(base, MakeResults({Spec("ledge", "astar", 1, 0.79)}), {});
  EXPECT_FALSE(small.Regressed());
  EXPECT_EQ(small.planners[0].test, "single pair");
}

TEST(Compare, NewHazardKindIsARegression) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  std::vector<RunSpec> doctored = BaselineSpecs();
  doctored[2].hazards[2] = 1;  // tilt, never seen in the baseline
  const Comparison c = Compare(base, MakeResults(doctored), {});
  ASSERT_THAT(Kinds(c), ::testing::ElementsAre(RegressionKind::kNewHazard));
  EXPECT_EQ(c.regressions[0].subject, "ledge/astar/seed-3");
  EXPECT_THAT(c.regressions[0].message, HasSubstr("tilt"));
  // Control: more events of a kind the baseline run already had is not a new kind.
  std::vector<RunSpec> more = BaselineSpecs();
  more[0].hazards[1] = 4;  // seed 1 already had wheel_on_rock
  EXPECT_FALSE(Compare(base, MakeResults(more), {}).Regressed());
}

TEST(Compare, NewFailureIsARegression) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  std::vector<RunSpec> doctored = BaselineSpecs();
  doctored[13].status = RunStatus::kFailed;  // rrtstar/ledge/seed-4
  doctored[13].failure = "plan";
  doctored[13].reason = "no route";
  doctored[13].score = 0;
  const Comparison c = Compare(base, MakeResults(doctored), {});
  ASSERT_FALSE(Kinds(c).empty());
  EXPECT_EQ(Kinds(c)[0], RegressionKind::kNewFailure);
  EXPECT_EQ(c.regressions[0].subject, "ledge/rrtstar/seed-4");
  EXPECT_THAT(c.regressions[0].message, HasSubstr("no route"));
  EXPECT_TRUE(c.pairs[13].new_failure);
}

TEST(Compare, LostRunsFailAndNewRunsAreListed) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  std::vector<RunSpec> specs = BaselineSpecs();
  specs.erase(specs.begin() + 7);  // astar/boulders/seed-3
  specs.push_back(Spec("dune", "astar", 1, 0.7));
  const Comparison c = Compare(base, MakeResults(specs), {});
  ASSERT_THAT(Kinds(c), ::testing::ElementsAre(RegressionKind::kLostRun));
  EXPECT_EQ(c.regressions[0].subject, "boulders/astar/seed-3");
  EXPECT_THAT(c.new_runs, ::testing::ElementsAre("dune/astar/seed-1"));
  // Control: new runs alone are fine.
  std::vector<RunSpec> only_new = BaselineSpecs();
  only_new.push_back(Spec("dune", "astar", 1, 0.7));
  EXPECT_FALSE(Compare(base, MakeResults(only_new), {}).Regressed());
}

TEST(Compare, BadInputNamesTheFileAndField) {
  const SuiteResults base = MakeResults(BaselineSpecs());
  SuiteResults twice = base;
  twice.runs.push_back(twice.runs[4]);
  try {
    (void)Compare(base, twice, {}, "base.json", "cand.json");
    FAIL() << "no error for a repeated run";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cand.json: runs[20]"));
    EXPECT_THAT(e.what(), HasSubstr("runs[4]"));
  }
  SuiteResults bad = base;
  bad.runs[3].record.metrics["hazard_counts"]["tilt"] = "many";
  try {
    (void)Compare(base, bad, {}, "base.json", "cand.json");
    FAIL() << "no error for a malformed hazard count";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cand.json: runs[3].metrics.hazard_counts.tilt"));
  }
  // Counts whose total overflows an int (found by fuzzing: undefined behaviour before).
  SuiteResults huge = base;
  huge.runs[2].record.metrics["hazard_counts"]["tilt"] = 2147483647;
  huge.runs[2].record.metrics["hazard_counts"]["stuck"] = 2147483647;
  try {
    (void)Compare(base, huge, {}, "base.json", "cand.json");
    FAIL() << "no error for hazard counts beyond an int";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cand.json: runs[2].metrics.hazard_counts."));
    EXPECT_THAT(e.what(), HasSubstr("at most 2147483647"));
  }
  EXPECT_THROW((void)Compare(base, base, {.tolerance = -1, .alpha = 0.05}), InputError);
  EXPECT_THROW((void)Compare(base, base, {.tolerance = 0.02, .alpha = 1.5}), InputError);
}

}  // namespace
}  // namespace marsdrive::scenarios

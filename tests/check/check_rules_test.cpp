// Flight rules and the verdict (scenarios/check/check_rules.h): the bundled file equals the
// defaults; every bad rules file fails naming the file, the key path and the expectation; each
// rule flips the verdict one trial past its threshold and not at it; the reasons say what was
// measured, against which threshold, and why (zones, hazards, slip limit, how trials ended).

#include "scenarios/check/check_rules.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/util/command.h"
#include "tests/util/input_error.h"

namespace marsdrive::check {
namespace {

using ::testing::ElementsAre;
using testing::ErrorOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

std::filesystem::path Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

void ExpectSameThresholds(const FlightRules& a, const FlightRules& b) {
  EXPECT_EQ(a.go_p_goal_min, b.go_p_goal_min);
  EXPECT_EQ(a.go_p_severe_max, b.go_p_severe_max);
  EXPECT_EQ(a.go_slip_ok_min, b.go_slip_ok_min);
  EXPECT_EQ(a.no_go_p_goal_below, b.no_go_p_goal_below);
  EXPECT_EQ(a.no_go_p_severe_above, b.no_go_p_severe_above);
  EXPECT_EQ(a.no_go_slip_ok_below, b.no_go_slip_ok_below);
}

// ---- reading ---------------------------------------------------------------------------------

TEST(FlightRules, BundledFileEqualsTheDefaults) {
  const FlightRules bundled = LoadFlightRules(BundledFlightRulesPath());
  ExpectSameThresholds(bundled, DefaultFlightRules());
  EXPECT_EQ(bundled.source, BundledFlightRulesPath().string());
  EXPECT_EQ(DefaultFlightRules().go_p_goal_min, 0.90);  // the documented numbers
  EXPECT_EQ(DefaultFlightRules().go_p_severe_max, 0.02);
  EXPECT_EQ(DefaultFlightRules().go_slip_ok_min, 0.95);
  EXPECT_EQ(DefaultFlightRules().no_go_p_goal_below, 0.60);
  EXPECT_EQ(DefaultFlightRules().no_go_p_severe_above, 0.10);
  EXPECT_EQ(DefaultFlightRules().no_go_slip_ok_below, 0.75);
}

TEST(FlightRules, EveryKeyIsReadAndMissingKeysKeepTheDefaults) {
  const TempDir dir("flight-rules");
  const FlightRules all = LoadFlightRules(
      Write(dir, "all.yaml",
            "go: {p_goal_min: 0.8, p_severe_max: 0.01, slip_ok_min: 0.9}\n"
            "no_go: {p_goal_below: 0.5, p_severe_above: 0.2, slip_ok_below: 0.7}\n"));
  EXPECT_EQ(all.go_p_goal_min, 0.8);
  EXPECT_EQ(all.go_p_severe_max, 0.01);
  EXPECT_EQ(all.go_slip_ok_min, 0.9);
  EXPECT_EQ(all.no_go_p_goal_below, 0.5);
  EXPECT_EQ(all.no_go_p_severe_above, 0.2);
  EXPECT_EQ(all.no_go_slip_ok_below, 0.7);

  const FlightRules one = LoadFlightRules(Write(dir, "one.yaml", "go: {p_goal_min: 0.8}\n"));
  FlightRules expected = DefaultFlightRules();
  expected.go_p_goal_min = 0.8;
  ExpectSameThresholds(one, expected);
}

TEST(FlightRules, EqualNoGoAndGoThresholdsAreConsistent) {
  // Control for the order check below: no marginal band at all is allowed.
  const TempDir dir("flight-rules-equal");
  const auto path = Write(dir, "equal.yaml",
                          "go: {p_goal_min: 0.7, p_severe_max: 0.05, slip_ok_min: 0.8}\n"
                          "no_go: {p_goal_below: 0.7, p_severe_above: 0.05, slip_ok_below: 0.8}\n");
  EXPECT_EQ(ErrorOf([&] { (void)LoadFlightRules(path); }), "(no error)");
}

struct BadCase {
  const char* label;
  const char* text;
  const char* expected;  // in the message, after the file name
};

TEST(FlightRules, EveryBadFileNamesFileKeyAndExpectation) {
  const BadCase cases[] = {
      {"text", "go: {p_goal_min: high}\n",
       ": go.p_goal_min: expected a probability in [0, 1], got 'high'"},
      {"quoted", "go: {p_goal_min: '0.9'}\n",
       ": go.p_goal_min: expected a probability in [0, 1], got '0.9'"},
      {"list", "go: {slip_ok_min: [1]}\n",
       ": go.slip_ok_min: expected a probability in [0, 1], got a list"},
      {"above 1", "go: {p_goal_min: 1.5}\n",
       ": go.p_goal_min: expected a probability in [0, 1], got '1.5'"},
      {"below 0", "no_go: {p_severe_above: -0.1}\n",
       ": no_go.p_severe_above: expected a probability in [0, 1], got '-0.1'"},
      {"nan", "no_go: {slip_ok_below: .nan}\n",
       ": no_go.slip_ok_below: expected a probability in [0, 1], got '.nan'"},
      {"unknown top key", "maybe: {p_goal_min: 0.7}\n", ": unknown key 'maybe'"},
      {"unknown nested key", "go: {p_goal: 0.9}\n", ": go: unknown key 'p_goal'"},
      {"section not a map", "no_go: 0.5\n", ": no_go: expected a map, got '0.5'"},
      {"not a map", "- go\n- no_go\n", ": expected a map, got a list"},
      {"empty", "", ": expected a map, got null"},
      {"goal order", "no_go: {p_goal_below: 0.95}\n",
       ": no_go.p_goal_below: expected <= go.p_goal_min (0.9), got 0.95"},
      {"severe order", "go: {p_severe_max: 0.2}\n",
       ": no_go.p_severe_above: expected >= go.p_severe_max (0.2), got 0.1"},
      {"slip order", "go: {slip_ok_min: 0.7}\n",
       ": no_go.slip_ok_below: expected <= go.slip_ok_min (0.7), got 0.75"},
      {"malformed", "go: {p_goal_min: [\n", ": line "},
  };
  const TempDir dir("flight-rules-bad");
  int index = 0;
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.label);
    const auto path = Write(dir, "bad-" + std::to_string(index++) + ".yaml", c.text);
    const std::string message = ErrorOf([&] { (void)LoadFlightRules(path); });
    EXPECT_THAT(message, HasSubstr(path.string() + c.expected));
    EXPECT_THAT(message, Not(HasSubstr("\n")));  // one line
  }
}

TEST(FlightRules, MissingFileNamesTheFile) {
  const TempDir dir("flight-rules-missing");
  const std::string message = ErrorOf([&] { (void)LoadFlightRules(dir / "none.yaml"); });
  EXPECT_THAT(message, HasSubstr((dir / "none.yaml").string() + ": cannot open flight rules"));
  EXPECT_THAT(ErrorOf([&] { (void)LoadFlightRules(dir.path()); }),  // a directory
              HasSubstr(dir.path().string() + ": cannot open flight rules"));
}

// ---- deciding --------------------------------------------------------------------------------

CheckSummary Summary(int trials, int goal, int severe, int slip_over) {
  CheckSummary s;
  s.trials = trials;
  s.goal = {goal, trials};
  s.severe = {severe, trials};
  s.slip_over_limit = {slip_over, trials};
  return s;
}

std::string VerdictOf(const CheckSummary& s) { return Decide(s, DefaultFlightRules()).verdict; }

TEST(Decide, GoExactlyAtEveryGoThreshold) {
  const Verdict v = Decide(Summary(100, 90, 2, 5), DefaultFlightRules());
  EXPECT_EQ(v.verdict, "go");
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0],
            "all flight rules held: p_goal 0.90 (90 of 100 trials, 95 % CI 0.83-0.94) >= 0.90 "
            "(go.p_goal_min), p_severe 0.02 (2 of 100 trials, 95 % CI 0.01-0.07) <= 0.02 "
            "(go.p_severe_max), slip_ok 0.95 (95 of 100 trials, 95 % CI 0.89-0.98) >= 0.95 "
            "(go.slip_ok_min)");
}

TEST(Decide, OneTrialPastAnyGoThresholdIsMarginal) {
  EXPECT_EQ(VerdictOf(Summary(100, 89, 2, 5)), "marginal");
  EXPECT_EQ(VerdictOf(Summary(100, 90, 3, 5)), "marginal");
  EXPECT_EQ(VerdictOf(Summary(100, 90, 2, 6)), "marginal");
  const Verdict v = Decide(Summary(100, 89, 3, 6), DefaultFlightRules());
  ASSERT_EQ(v.reasons.size(), 3u);  // one per rule not met
  EXPECT_THAT(v.reasons[0], HasSubstr("below 0.90 (go.p_goal_min)"));
  EXPECT_THAT(v.reasons[1], HasSubstr("above 0.02 (go.p_severe_max)"));
  EXPECT_THAT(v.reasons[2], HasSubstr("below 0.95 (go.slip_ok_min)"));
}

TEST(Decide, NoGoOneTrialPastEachNoGoThresholdAndMarginalAtIt) {
  // Base: marginal on every rule, at every no_go threshold.
  EXPECT_EQ(VerdictOf(Summary(100, 60, 10, 25)), "marginal");
  EXPECT_EQ(VerdictOf(Summary(100, 59, 10, 25)), "no_go");
  EXPECT_EQ(VerdictOf(Summary(100, 60, 11, 25)), "no_go");
  EXPECT_EQ(VerdictOf(Summary(100, 60, 10, 26)), "no_go");
  const Verdict v = Decide(Summary(100, 59, 10, 25), DefaultFlightRules());
  ASSERT_EQ(v.reasons.size(), 3u);  // the no_go rule that broke, the go rules still not met
  EXPECT_THAT(v.reasons[0], HasSubstr("below 0.60 (no_go.p_goal_below)"));
  EXPECT_THAT(v.reasons[1], HasSubstr("above 0.02 (go.p_severe_max)"));
  EXPECT_THAT(v.reasons[2], HasSubstr("below 0.95 (go.slip_ok_min)"));
}

TEST(Decide, UsesTheRulesItIsGiven) {
  FlightRules lax = DefaultFlightRules();
  lax.go_p_goal_min = 0.5;
  lax.no_go_p_goal_below = 0.4;
  const CheckSummary s = Summary(20, 11, 0, 0);  // p_goal 0.55
  EXPECT_EQ(Decide(s, DefaultFlightRules()).verdict, "no_go");
  EXPECT_EQ(Decide(s, lax).verdict, "go");
}

TEST(Decide, GoalReasonGivesValueIntervalThresholdAndHowTrialsEnded) {
  CheckSummary s = Summary(100, 41, 0, 0);
  s.statuses = {{"completed", 41}, {"no_safe_path", 9}, {"slip_limit", 50}};
  const Verdict v = Decide(s, DefaultFlightRules());
  EXPECT_EQ(v.verdict, "no_go");
  EXPECT_THAT(v.reasons,
              ElementsAre("p_goal 0.41 (41 of 100 trials, 95 % CI 0.32-0.51) below 0.60 "
                          "(no_go.p_goal_below): trials ended: 50 slip_limit, 9 no_safe_path"));
}

TEST(Decide, SevereReasonNamesZonesMostEnteredFirstHazardsAndFaults) {
  CheckSummary s = Summary(100, 95, 5, 0);
  s.keep_out_zones = {{"crater-rim", 1}, {"dune-field", 3}};
  s.hazards = {{"keep_out", {4, 100}}, {"rollover", {1, 100}}, {"tilt", {7, 100}}};
  s.statuses = {{"completed", 94}, {"rollover", 1}, {"stuck", 5}};
  const Verdict v = Decide(s, DefaultFlightRules());
  EXPECT_EQ(v.verdict, "marginal");
  EXPECT_THAT(v.reasons,
              ElementsAre("p_severe 0.05 (5 of 100 trials, 95 % CI 0.02-0.11) above 0.02 "
                          "(go.p_severe_max): entered keep-out zones: 'dune-field' (3 trials), "
                          "'crater-rim' (1); hazards: keep_out (4 trials), rollover (1); drive "
                          "faults: rollover (1 trial)"));
}

TEST(Decide, SlipReasonSaysSlipAndTheLimitInPercent) {
  CheckSummary s = Summary(100, 100, 0, 30);
  s.slip_limit = 0.35;
  const Verdict v = Decide(s, DefaultFlightRules());
  EXPECT_EQ(v.verdict, "no_go");
  EXPECT_THAT(v.reasons, ElementsAre("slip_ok 0.70 (70 of 100 trials, 95 % CI 0.60-0.78) below "
                                     "0.75 (no_go.slip_ok_below): 30 of 100 trials had a slip p95 "
                                     "above the rover's 35 % slip limit"));
}

TEST(Decide, ThresholdsKeepDigitsTwoDecimalsWouldHide) {
  FlightRules rules = DefaultFlightRules();
  rules.go_p_severe_max = 0.025;
  const Verdict v = Decide(Summary(40, 40, 2, 0), rules);
  ASSERT_EQ(v.verdict, "marginal");
  EXPECT_THAT(v.reasons[0], HasSubstr("above 0.025 (go.p_severe_max)"));
}

TEST(Decide, NoTrialsIsAnInputError) {
  EXPECT_THAT(ErrorOf([] { (void)Decide(CheckSummary{}, DefaultFlightRules()); }),
              HasSubstr("a check needs at least one trial"));
  EXPECT_EQ(ErrorOf([] { (void)Decide(Summary(1, 1, 0, 0), DefaultFlightRules()); }),
            "(no error)");  // control
}

}  // namespace
}  // namespace marsdrive::check

// Calibration of plan checks against outcomes (scenarios/calibration.h): Brier scores
// computed by hand, perfectly calibrated and all-wrong tables, the bin edges, the go-failed and
// no-go-succeeded counts, the JSON's nulls, and bad samples rejected by index.

#include "scenarios/calibration.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/util/input_error.h"

namespace marsdrive::scenarios {
namespace {

using testing::ErrorOf;
using ::testing::HasSubstr;

// `n` samples at `p`, `reached` of them reaching the goal.
void Add(std::vector<CalibrationSample>& table, int n, double p, int reached,
         const std::string& verdict = "marginal") {
  for (int i = 0; i < n; ++i) table.push_back({p, verdict, i < reached});
}

TEST(Calibration, BrierMatchesAHandComputedTable) {
  // (0.9-1)^2 + (0.9-0)^2 + (0.2-0)^2 + (0.5-1)^2 = 0.01 + 0.81 + 0.04 + 0.25 = 1.11; / 4.
  const std::vector<CalibrationSample> table = {
      {0.9, "go", true}, {0.9, "go", false}, {0.2, "no_go", false}, {0.5, "marginal", true}};
  const Calibration c = ComputeCalibration(table);
  EXPECT_EQ(c.count, 4);
  EXPECT_NEAR(c.brier, 1.11 / 4, 1e-15);
}

TEST(Calibration, PerfectlyCalibratedTableHasObservedEqualPredicted) {
  std::vector<CalibrationSample> table;
  Add(table, 10, 0.05, 0);  // 0/10 would be seen at p 0.05: nearest it can get in 10
  Add(table, 10, 0.3, 3);
  Add(table, 4, 0.75, 3);
  Add(table, 20, 0.95, 19);
  const Calibration c = ComputeCalibration(table);
  ASSERT_EQ(c.bins.size(), 10u);
  for (const int i : {3, 7, 9}) {
    SCOPED_TRACE(i);
    EXPECT_NEAR(c.bins[i].observed_rate, c.bins[i].mean_predicted, 1e-12);
  }
  EXPECT_EQ(c.bins[3].count, 10);
  EXPECT_EQ(c.bins[7].count, 4);
  EXPECT_EQ(c.bins[9].count, 20);
  // Brier of a calibrated bin at p is p (1 - p): 10 * 0.0025 + 10 * 0.21 + 4 * 0.1875 + 20 *
  // 0.0475, over 44.
  EXPECT_NEAR(c.brier, (0.025 + 2.1 + 0.75 + 0.95) / 44, 1e-12);
}

TEST(Calibration, AllWrongTableHasBrierOneAndPerfectOneZero) {
  const std::vector<CalibrationSample> wrong = {
      {1.0, "go", false}, {0.0, "no_go", true}, {1.0, "go", false}};
  EXPECT_EQ(ComputeCalibration(wrong).brier, 1.0);
  const std::vector<CalibrationSample> right = {{1.0, "go", true}, {0.0, "no_go", false}};
  EXPECT_EQ(ComputeCalibration(right).brier, 0.0);
}

TEST(Calibration, BinEdgesGoUpAndOneGoesInTheLastBin) {
  std::vector<CalibrationSample> table;
  for (const double p : {0.0, 0.0999, 0.1, 0.3, 0.7, 0.9, 0.95, 1.0})
    table.push_back({p, "go", true});
  const Calibration c = ComputeCalibration(table);
  ASSERT_EQ(c.bins.size(), 10u);
  std::vector<int> counts;
  for (const ReliabilityBin& bin : c.bins) counts.push_back(bin.count);
  EXPECT_THAT(counts, ::testing::ElementsAre(2, 1, 0, 1, 0, 0, 0, 1, 0, 3));
  EXPECT_EQ(c.bins[1].lo, 0.1);
  EXPECT_EQ(c.bins[1].hi, 0.2);
  EXPECT_EQ(c.bins[9].hi, 1.0);
  EXPECT_EQ(c.bins[2].mean_predicted, 0.0);  // empty, kept
  EXPECT_NEAR(c.bins[9].mean_predicted, (0.9 + 0.95 + 1.0) / 3, 1e-15);
}

TEST(Calibration, CountsGoThatFailedAndNoGoThatSucceeded) {
  std::vector<CalibrationSample> table;
  Add(table, 5, 0.95, 4, "go");  // 1 go failed
  Add(table, 3, 0.7, 2, "marginal");
  Add(table, 4, 0.3, 1, "no_go");  // 1 no_go succeeded
  const Calibration c = ComputeCalibration(table);
  EXPECT_EQ(c.go_count, 5);
  EXPECT_EQ(c.go_failed, 1);
  EXPECT_EQ(c.marginal_count, 3);
  EXPECT_EQ(c.no_go_count, 4);
  EXPECT_EQ(c.no_go_succeeded, 1);

  const nlohmann::ordered_json j = CalibrationToJson(c);
  EXPECT_EQ(j["go"]["count"], 5);
  EXPECT_EQ(j["go"]["failed"], 1);
  EXPECT_DOUBLE_EQ(j["go"]["failed_rate"].get<double>(), 0.2);
  EXPECT_EQ(j["marginal"]["count"], 3);
  EXPECT_DOUBLE_EQ(j["no_go"]["succeeded_rate"].get<double>(), 0.25);
  EXPECT_EQ(j["count"], 12);
  EXPECT_DOUBLE_EQ(j["brier"].get<double>(), c.brier);
  ASSERT_EQ(j["reliability"].size(), 10u);
  EXPECT_EQ(j["reliability"][9]["count"], 5);
  EXPECT_DOUBLE_EQ(j["reliability"][9]["observed_rate"].get<double>(), 0.8);
  EXPECT_TRUE(j["reliability"][0]["mean_predicted"].is_null());  // empty bin
  EXPECT_TRUE(j["reliability"][0]["observed_rate"].is_null());
}

TEST(Calibration, JsonFieldsInOrderAndNullsWhenNothingToDivide) {
  const nlohmann::ordered_json j = CalibrationToJson(ComputeCalibration({}));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_THAT(keys,
              ::testing::ElementsAre("count", "brier", "reliability", "go", "marginal", "no_go"));
  EXPECT_EQ(j["count"], 0);
  EXPECT_TRUE(j["brier"].is_null());
  EXPECT_TRUE(j["go"]["failed_rate"].is_null());
  EXPECT_TRUE(j["no_go"]["succeeded_rate"].is_null());
  EXPECT_EQ(j["reliability"].size(), 10u);
  // Control: with one go sample the rate and Brier are numbers.
  const nlohmann::ordered_json one =
      CalibrationToJson(ComputeCalibration(std::vector<CalibrationSample>{{0.5, "go", true}}));
  EXPECT_EQ(one["go"]["failed_rate"], 0.0);
  EXPECT_EQ(one["brier"], 0.25);
  EXPECT_TRUE(one["no_go"]["succeeded_rate"].is_null());
}

TEST(Calibration, RejectsBadProbabilitiesAndVerdictsNamingTheSample) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const double p : {-0.01, 1.01, nan}) {
    SCOPED_TRACE(p);
    const std::vector<CalibrationSample> table = {{0.5, "go", true}, {p, "go", true}};
    EXPECT_THAT(ErrorOf([&] { (void)ComputeCalibration(table); }),
                HasSubstr("sample 1: p_goal: expected a probability in [0, 1]"));
  }
  const std::vector<CalibrationSample> bad_verdict = {{0.5, "maybe", true}};
  EXPECT_THAT(ErrorOf([&] { (void)ComputeCalibration(bad_verdict); }),
              HasSubstr("sample 0: verdict: expected go, marginal or no_go, got 'maybe'"));
  const std::vector<CalibrationSample> good = {{0.0, "no_go", false}, {1.0, "go", true}};
  EXPECT_EQ(ErrorOf([&] { (void)ComputeCalibration(good); }), "(no error)");  // control
}

}  // namespace
}  // namespace marsdrive::scenarios

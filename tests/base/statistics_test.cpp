// base::StudentTCdf and base::StudentT95: published quantiles, the closed forms at 1 and 2
// degrees of freedom, CDF and quantile as inverses, and the series above 1000 dof agreeing with
// the bisection below it. base::WilsonInterval95: Newcombe's published examples and hand-computed
// closed forms at 0, n/2 and n successes.

#include "base/statistics.h"

#include <cmath>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

TEST(StudentT95, MatchesPublishedThreeDecimalTable) {
  struct Row {
    int dof;
    double t;
  };
  for (const Row& row : {Row{1, 12.706}, Row{2, 4.303}, Row{3, 3.182}, Row{5, 2.571},
                         Row{10, 2.228}, Row{20, 2.086}, Row{30, 2.042}, Row{31, 2.040},
                         Row{40, 2.021}, Row{60, 2.000}, Row{120, 1.980}, Row{1000, 1.962}}) {
    SCOPED_TRACE(row.dof);
    EXPECT_NEAR(StudentT95(row.dof), row.t, 5e-4);
  }
}

TEST(StudentT95, FixesTheOldStepBetween31And60) {
  // The old table returned 2.000 for every dof in 31..60: the quantile must keep falling.
  EXPECT_GT(StudentT95(31), StudentT95(45));
  EXPECT_GT(StudentT95(45), StudentT95(60));
  EXPECT_NEAR(StudentT95(31), 2.0395134464, 1e-9);
}

TEST(StudentT95, MatchesClosedFormsAtOneAndTwoDof) {
  // 1 dof (Cauchy): tan(pi (p - 1/2)); 2 dof: (2p - 1) / sqrt(2 p (1 - p)).
  EXPECT_NEAR(StudentT95(1), std::tan(std::numbers::pi * 0.475), 1e-12);
  EXPECT_NEAR(StudentT95(2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-12);
}

TEST(StudentT95, DecreasesTowardTheNormalQuantile) {
  constexpr double kNormal = 1.959963984540054;
  double previous = StudentT95(1);
  for (int dof = 2; dof <= 3000; dof += (dof < 100 ? 1 : 37)) {
    SCOPED_TRACE(dof);
    const double t = StudentT95(dof);
    EXPECT_LT(t, previous);
    EXPECT_GT(t, kNormal);
    previous = t;
  }
  // The leading correction is z (z^2 + 1) / 4 / dof.
  const double g1 = kNormal * (kNormal * kNormal + 1) / 4;
  EXPECT_NEAR(StudentT95(1000000), kNormal + g1 / 1e6, 1e-11);
  EXPECT_NEAR(StudentT95(1000000000), kNormal, 1e-8);
}

TEST(StudentT95, SeriesAgreesWithBisectionAcrossTheSwitch) {
  // Bisection up to 1000 dof, the series above: the series' value at 1001 must continue the
  // bisection's 999 and 1000 linearly (the curvature term there is ~5e-9).
  const double at_999 = StudentT95(999);
  const double at_1000 = StudentT95(1000);
  const double at_1001 = StudentT95(1001);
  EXPECT_GT(at_1000 - at_1001, 2e-6);  // control: neighbours differ by far more than the bound
  EXPECT_NEAR(at_1001, 2 * at_1000 - at_999, 1e-8);
}

TEST(StudentT95, IsTheInverseOfTheCdf) {
  for (int dof : {1, 2, 3, 7, 30, 31, 59, 60, 61, 119, 120, 500, 1000}) {
    SCOPED_TRACE(dof);
    EXPECT_NEAR(StudentTCdf(StudentT95(dof), dof), 0.975, 1e-13);
    EXPECT_NEAR(StudentTCdf(-StudentT95(dof), dof), 0.025, 1e-13);
  }
}

TEST(StudentTCdf, KnownValues) {
  EXPECT_DOUBLE_EQ(StudentTCdf(0, 4), 0.5);
  EXPECT_NEAR(StudentTCdf(1.0, 1), 0.75, 1e-12);    // Cauchy: 1/2 + atan(1)/pi
  EXPECT_NEAR(StudentTCdf(-1.833, 9), 0.05, 5e-4);  // one-sided 5 % point, 9 dof
  EXPECT_EQ(StudentTCdf(INFINITY, 3), 1.0);
  EXPECT_EQ(StudentTCdf(-INFINITY, 3), 0.0);
  EXPECT_TRUE(std::isnan(StudentTCdf(NAN, 3)));
}

// ---- Wilson interval ---------------------------------------------------------------------------

TEST(WilsonInterval95, MatchesNewcombesPublishedExamples) {
  // Newcombe (1998) Stat Med 17:857, table II, method 3 (score, no continuity correction).
  struct Row {
    int x, n;
    double lo, hi;
  };
  for (const Row& row : {Row{81, 263, 0.2553, 0.3662}, Row{15, 148, 0.0624, 0.1605},
                         Row{0, 20, 0.0, 0.1611}, Row{1, 29, 0.0061, 0.1718}}) {
    SCOPED_TRACE(std::to_string(row.x) + "/" + std::to_string(row.n));
    const ProportionInterval ci = WilsonInterval95(row.x, row.n);
    EXPECT_NEAR(ci.lo, row.lo, 5e-5);
    EXPECT_NEAR(ci.hi, row.hi, 5e-5);
  }
}

TEST(WilsonInterval95, MatchesClosedFormsAtNoneHalfAndAll) {
  constexpr double z2 = 1.959963984540054 * 1.959963984540054;
  // 0 of n: [0, z^2 / (n + z^2)]; n of n: its mirror.
  const ProportionInterval none = WilsonInterval95(0, 10);
  EXPECT_EQ(none.lo, 0.0);  // exact, not -3e-17
  EXPECT_NEAR(none.hi, z2 / (10 + z2), 1e-15);
  EXPECT_NEAR(none.hi, 0.2775, 5e-5);
  const ProportionInterval all = WilsonInterval95(10, 10);
  EXPECT_NEAR(all.lo, 10 / (10 + z2), 1e-15);
  EXPECT_NEAR(all.lo, 0.7225, 5e-5);
  EXPECT_EQ(all.hi, 1.0);
  // 5 of 10: symmetric about 1/2, half-width z sqrt(n/4 + z^2/4) / (n + z^2).
  const ProportionInterval half = WilsonInterval95(5, 10);
  const double width = std::sqrt(z2) * std::sqrt(2.5 + z2 / 4) / (10 + z2);
  EXPECT_NEAR(half.lo, 0.5 - width, 1e-15);
  EXPECT_NEAR(half.hi, 0.5 + width, 1e-15);
  EXPECT_NEAR(half.lo, 0.2366, 5e-5);
  EXPECT_NEAR(half.hi, 0.7634, 5e-5);
}

TEST(WilsonInterval95, NoTrialsSaysNothing) {
  const ProportionInterval ci = WilsonInterval95(0, 0);
  EXPECT_EQ(ci.lo, 0.0);
  EXPECT_EQ(ci.hi, 1.0);
}

TEST(WilsonInterval95, ContainsTheEstimateAndNarrowsWithTrials) {
  double previous_width = 1.0;
  for (int n : {2, 3, 5, 10, 100, 1000, 100000}) {
    SCOPED_TRACE(n);
    for (int x : {0, n / 3, n / 2, n}) {
      const ProportionInterval ci = WilsonInterval95(x, n);
      EXPECT_GE(ci.lo, 0.0);
      EXPECT_LE(ci.hi, 1.0);
      EXPECT_LE(ci.lo, static_cast<double>(x) / n);
      EXPECT_GE(ci.hi, static_cast<double>(x) / n);
    }
    const ProportionInterval mid = WilsonInterval95(n / 2, n);
    EXPECT_LT(mid.hi - mid.lo, previous_width);  // control: the width does change
    previous_width = mid.hi - mid.lo;
  }
  EXPECT_LT(previous_width, 0.01);
}

}  // namespace
}  // namespace marsdrive::base

// base::StudentTCdf and base::StudentT95: published quantiles, the closed forms at 1 and 2
// degrees of freedom, CDF and quantile as inverses, and the series above 1000 dof agreeing with
// the bisection below it.

#include "base/statistics.h"

#include <cmath>
#include <numbers>

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

}  // namespace
}  // namespace marsdrive::base

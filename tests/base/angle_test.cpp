// base::WrapPi: the result lies in (-pi, pi], differs from the input by a multiple of 2 pi, and
// the boundaries and large multiples land where the convention says.

#include "base/angle.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

constexpr double kPi = std::numbers::pi;

TEST(WrapPi, LeavesAnglesInsideTheRangeUnchanged) {
  for (double a : {0.0, 1.0, -1.0, 3.0, -3.0, 1e-300, -1e-300}) {
    SCOPED_TRACE(a);
    EXPECT_EQ(WrapPi(a), a);
  }
}

TEST(WrapPi, MapsBothEndsOfTheCircleToPlusPi) {
  EXPECT_EQ(WrapPi(kPi), kPi);
  EXPECT_EQ(WrapPi(-kPi), kPi);  // (-pi, pi]: -pi is excluded
  EXPECT_EQ(WrapPi(3 * kPi), kPi);
  EXPECT_EQ(WrapPi(-3 * kPi), kPi);
  // Control: just inside the lower end stays negative.
  EXPECT_LT(WrapPi(std::nextafter(-kPi, 0.0)), 0.0);
}

TEST(WrapPi, JustAbovePiWrapsToJustAboveMinusPi) {
  const double a = WrapPi(kPi + 1e-9);
  EXPECT_GT(a, -kPi);
  EXPECT_NEAR(a, -kPi + 1e-9, 1e-15);
}

TEST(WrapPi, RemovesLargeMultiplesExactly) {
  for (int k : {1, -1, 7, -7, 1000, -1000, 1000000}) {
    SCOPED_TRACE(k);
    const double turns = 2 * kPi * k;
    EXPECT_NEAR(WrapPi(turns + 0.5), 0.5, 1e-15 * std::abs(turns) + 1e-15);
    EXPECT_NEAR(WrapPi(turns - 2.0), -2.0, 1e-15 * std::abs(turns) + 1e-15);
    EXPECT_NEAR(WrapPi(turns), 0.0, 1e-15 * std::abs(turns));
  }
  // A huge input still lands in range.
  const double huge = WrapPi(1e300);
  EXPECT_GT(huge, -kPi);
  EXPECT_LE(huge, kPi);
}

TEST(WrapPi, KeepsTheAngleOnTheCircle) {
  for (double a = -50.0; a <= 50.0; a += 0.37) {
    SCOPED_TRACE(a);
    const double w = WrapPi(a);
    EXPECT_GT(w, -kPi);
    EXPECT_LE(w, kPi);
    EXPECT_NEAR(std::cos(w), std::cos(a), 1e-12);
    EXPECT_NEAR(std::sin(w), std::sin(a), 1e-12);
  }
}

}  // namespace
}  // namespace marsdrive::base

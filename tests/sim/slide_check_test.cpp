// The slide check on synthetic tracks: sideways motion beyond the limit within the window is a
// slide; driving along the heading (straight or on an arc) and a slow crab are not.
#include "sim/slide_check.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace marsdrive::sim {
namespace {

constexpr double kDt = 1.0 / 60.0;

TEST(SlideCheck, SlidingSidewaysIsASlideToThatSide) {
  SlideCheck check;
  std::optional<double> slid;
  double t = 0;
  for (; t < 20 && !slid; t += kDt) slid = check.Add(t, 0, -0.05 * t, 0);  // 5 cm/s to the right
  ASSERT_TRUE(slid);
  EXPECT_LT(*slid, -kSlideLimitM);
  EXPECT_NEAR(t, kSlideLimitM / 0.05, 0.1);
}

TEST(SlideCheck, ASlowCrabIsNotASlide) {  // control: 1 cm/s sideways is 0.1 m per 10 s
  SlideCheck check;
  for (double t = 0; t < 100; t += kDt) ASSERT_FALSE(check.Add(t, 0.04 * t, 0.01 * t, 0));
}

TEST(SlideCheck, DrivingAlongAnArcIsNotASlide) {
  SlideCheck check;
  const double radius = 2, speed = 0.5;  // fast, to cover the window many times
  for (double t = 0; t < 60; t += kDt) {
    const double a = speed * t / radius;
    ASSERT_FALSE(check.Add(t, radius * std::sin(a), radius * (1 - std::cos(a)), a)) << t;
  }
}

}  // namespace
}  // namespace marsdrive::sim

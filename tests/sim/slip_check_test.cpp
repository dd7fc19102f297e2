// The online slip check (sim/slip_check.h) on synthetic steps whose slip is known.

#include "sim/slip_check.h"

#include <gtest/gtest.h>

namespace marsdrive::testing {
namespace {

// Drives `metres` of odometry in 1 cm steps, advancing `(1 - slip)` of each along the way.
std::optional<double> Drive(sim::SlipCheck& check, double metres, double slip) {
  std::optional<double> fault;
  for (int k = 0; k < static_cast<int>(metres * 100 + 0.5) && !fault; ++k) {
    fault = check.Add(0.01, 0.01 * (1 - slip));
  }
  return fault;
}

TEST(SlipCheck, NoSlipNeverFaultsAndCountsItsIntervals) {
  sim::SlipCheck check(5.0, 0.4);
  EXPECT_FALSE(Drive(check, 20.0, 0.0));
  EXPECT_EQ(check.checks(), 4);
  EXPECT_NEAR(check.worst_slip(), 0.0, 1e-9);
}

TEST(SlipCheck, FaultsAtTheEndOfTheFirstIntervalAboveTheLimit) {
  sim::SlipCheck check(5.0, 0.4);
  EXPECT_FALSE(Drive(check, 5.0, 0.3));  // control: below the limit
  int steps = 0;
  std::optional<double> fault;
  while (!fault && steps < 1000) {
    fault = check.Add(0.01, 0.01 * (1 - 0.5));
    ++steps;
  }
  ASSERT_TRUE(fault);
  EXPECT_NEAR(*fault, 0.5, 1e-9);
  EXPECT_NEAR(steps * 0.01, 5.0, 0.011);  // at the end of the interval, not before
  EXPECT_EQ(check.checks(), 2);
}

TEST(SlipCheck, SlidingBackReadsMoreThanFullSlip) {
  sim::SlipCheck check(1.0, 0.4);
  const auto fault = Drive(check, 1.0, 1.5);  // wheels turn forward, the rover slides back
  ASSERT_TRUE(fault);
  EXPECT_NEAR(*fault, 1.5, 1e-9);
}

TEST(SlipCheck, SlipAveragesOverTheInterval) {
  // Half the interval in sand at 70 % slip, half on bedrock at 0 %: 35 %, under 40 %.
  sim::SlipCheck check(5.0, 0.4);
  EXPECT_FALSE(Drive(check, 2.5, 0.7));
  EXPECT_FALSE(Drive(check, 2.5, 0.0));
  EXPECT_EQ(check.checks(), 1);
  EXPECT_NEAR(check.worst_slip(), 0.35, 1e-6);
}

}  // namespace
}  // namespace marsdrive::testing

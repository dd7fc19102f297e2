// The score of one run (docs/scoring.md): completion x hazard factor x slip factor, and 0 for a
// drive that ended in a fault.
#include "scenarios/score.h"

#include <gtest/gtest.h>

namespace marsdrive::scenarios {
namespace {

sim::Metrics ReachedGoal(const char* status) {
  sim::Metrics m;
  m.goal_reached = true;
  m.status = status;
  return m;
}

TEST(Score, ADriveThatEndedInAFaultScoresZero) {
  EXPECT_DOUBLE_EQ(ScoreRun(ReachedGoal("completed"), 10).score, 1.0);  // control
  for (const char* fault : {"off_map", "rollover", "sim_fault"}) {
    SCOPED_TRACE(fault);
    EXPECT_DOUBLE_EQ(ScoreRun(ReachedGoal(fault), 10).score, 0.0);
  }
}

TEST(Score, ARolloverEventZeroesTheHazardFactor) {
  sim::Metrics m = ReachedGoal("completed");
  m.hazard_counts[static_cast<std::size_t>(sim::HazardKind::kTilt)] = 1;
  EXPECT_DOUBLE_EQ(ScoreRun(m, 10).hazard_factor, 0.7);  // control: one tilt event
  m.hazard_counts[static_cast<std::size_t>(sim::HazardKind::kRollover)] = 1;
  EXPECT_DOUBLE_EQ(ScoreRun(m, 10).hazard_factor, 0.0);
}

}  // namespace
}  // namespace marsdrive::scenarios

#pragma once
// The score of one run (docs/scoring.md): route completion scaled down by a penalty factor per
// hazard event and per metre driven above the slip limit, in the spirit of driving leaderboards
// (CARLA's driving score = route completion x infraction penalty). In [0, 1]; higher is better.
// A drive that ended in a fault (off_map, rollover, sim_fault: sim::IsFault) scores 0. The raw
// metrics are always kept beside it.

#include <array>

#include "sim/metrics.h"

namespace marsdrive::scenarios {

struct ScoreWeights {
  // Factor per event, indexed by sim::HazardKind: body_contact, wheel_on_rock, tilt,
  // suspension, keep_out, stuck, rollover (0: a rolled-over rover is lost, the run scores 0).
  std::array<double, sim::kHazardKindCount> per_event = {0.60, 0.90, 0.70, 0.80, 0.50, 0.70, 0.0};
  double per_metre_over_slip_limit = 0.97;
};

struct ScoreBreakdown {
  double completion = 0;  // 1 when the goal was reached, else progress / start-goal distance
  double hazard_factor = 1;
  double slip_factor = 1;
  double score = 0;  // completion x hazard_factor x slip_factor
};

// `start_goal_m`: horizontal start-to-goal distance (the denominator of partial completion).
ScoreBreakdown ScoreRun(const sim::Metrics& metrics, double start_goal_m,
                        const ScoreWeights& weights = {});

}  // namespace marsdrive::scenarios

#include "scenarios/score.h"

#include <algorithm>
#include <cmath>

#include "sim/drive_run.h"

namespace marsdrive::scenarios {

ScoreBreakdown ScoreRun(const sim::Metrics& metrics, double start_goal_m,
                        const ScoreWeights& weights) {
  ScoreBreakdown b;
  if (metrics.goal_reached.value_or(false)) {
    b.completion = 1.0;
  } else if (start_goal_m > 0) {
    b.completion = std::clamp(metrics.progress_m / start_goal_m, 0.0, 1.0);
  }
  for (int k = 0; k < sim::kHazardKindCount; ++k) {
    const auto i = static_cast<std::size_t>(k);
    b.hazard_factor *= std::pow(weights.per_event[i], metrics.hazard_counts[i]);
  }
  b.slip_factor = std::pow(weights.per_metre_over_slip_limit, metrics.slip_distance_over_limit_m);
  b.score = sim::IsFault(metrics.status) ? 0.0 : b.completion * b.hazard_factor * b.slip_factor;
  return b;
}

}  // namespace marsdrive::scenarios

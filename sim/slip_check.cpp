#include "sim/slip_check.h"

#include <algorithm>

#include "base/check.h"

namespace marsdrive::sim {

namespace {
// Summed steps fall short of a round interval by rounding (500 x 0.01 m < 5 m).
constexpr double kRoundingM = 1e-9;
}  // namespace

SlipCheck::SlipCheck(double interval_m, double limit) : interval_m_(interval_m), limit_(limit) {
  MD_DEMAND(interval_m_ > 0);
}

std::optional<double> SlipCheck::Add(double odometry_m, double along_m) {
  odometry_m_ += odometry_m;
  along_m_ += along_m;
  if (odometry_m_ < interval_m_ - kRoundingM) return std::nullopt;
  const double slip = 1.0 - along_m_ / odometry_m_;
  worst_slip_ = checks_ == 0 ? slip : std::max(worst_slip_, slip);
  ++checks_;
  odometry_m_ = 0;
  along_m_ = 0;
  if (slip > limit_) return slip;
  return std::nullopt;
}

}  // namespace marsdrive::sim

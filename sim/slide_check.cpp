#include "sim/slide_check.h"

#include <cmath>

#include "base/check.h"

namespace marsdrive::sim {

SlideCheck::SlideCheck(double window_s, double limit_m) : window_s_(window_s), limit_m_(limit_m) {
  MD_DEMAND(window_s > 0 && limit_m > 0);
}

std::optional<double> SlideCheck::Add(double time_s, double x_m, double y_m, double yaw_rad) {
  if (started_) {
    sideways_m_ += -(x_m - x_m_) * std::sin(yaw_rad) + (y_m - y_m_) * std::cos(yaw_rad);
  }
  started_ = true;
  x_m_ = x_m;
  y_m_ = y_m;
  while (!history_.empty() && history_.front().first < time_s - window_s_) history_.pop_front();
  history_.emplace_back(time_s, sideways_m_);
  const double slid_m = sideways_m_ - history_.front().second;
  if (std::fabs(slid_m) > limit_m_) return slid_m;
  return std::nullopt;
}

}  // namespace marsdrive::sim

#pragma once
// The slide check of a drive (docs/vehicle-physics.md §10): a rover that slides sideways (down a
// cross-slope, pushed off a rock) is not doing what it was commanded, whatever its odometry
// says. The check sums the chassis's horizontal displacement across its heading, step by step
// (so arcs and turns in place, which move along the heading, add nothing), and reports a slide
// when that sum changed by more than limit_m within the last window_s. Physics, not a fault: the
// drive ends as `slide` (DriveStatus::kSlide), a run that stopped short.

#include <deque>
#include <optional>
#include <utility>

namespace marsdrive::sim {

// 0.25 m in 10 s is 2.5 cm/s sideways, 60 % of the top speed; the crab of an ordinary
// cross-slope drive is a few per cent of the distance (< 2 cm in 10 s).
inline constexpr double kSlideWindowS = 10.0;
inline constexpr double kSlideLimitM = 0.25;

class SlideCheck {
 public:
  SlideCheck(double window_s = kSlideWindowS, double limit_m = kSlideLimitM);
  // Feed every step in time order: the chassis reference point and its heading. Returns the
  // sideways displacement (m, signed: + = to the left) over the window when its magnitude
  // exceeds the limit.
  std::optional<double> Add(double time_s, double x_m, double y_m, double yaw_rad);

 private:
  double window_s_, limit_m_;
  bool started_ = false;
  double x_m_ = 0, y_m_ = 0;
  double sideways_m_ = 0;                          // accumulated since the first step
  std::deque<std::pair<double, double>> history_;  // (time, sideways_m_) within the window
};

}  // namespace marsdrive::sim

#pragma once
// The onboard slip check of a waypoint drive (fault protection, like the tilt limit): rover
// teams compare visual-odometry progress with wheel odometry every few metres and stop the
// drive when slip exceeds a limit (reference/rover.md §5: MER checked every 5 m against 40 %
// and halted at a measured 44.5 %; MSL drives halt on excessive slip; M2020's values are not
// public, so the rover's limits.slip_limit is used).
//
// Over each interval_m of wheel odometry driven on translating commands (turns in place do not
// count), slip = 1 - (true progress along the direction of travel) / (odometry), the online
// counterpart of the metrics' windowed slip (sim/metrics.h), but spanning commands: a
// waypoint drive changes command every 0.75 m. Bullet-free.

#include <optional>

namespace marsdrive::sim {

class SlipCheck {
 public:
  // interval_m > 0; limit: the fail-stop slip (a fraction).
  SlipCheck(double interval_m, double limit);

  // One physics step of a translating command: odometry_m, the wheel-odometry distance of the
  // step (>= 0, horizontal); along_m, the true horizontal displacement projected on the
  // direction the odometry moved (negative when sliding back). Returns the slip of an interval
  // completed by this step when it is above the limit.
  std::optional<double> Add(double odometry_m, double along_m);

  double interval_m() const { return interval_m_; }
  double limit() const { return limit_; }
  int checks() const { return checks_; }             // intervals completed
  double worst_slip() const { return worst_slip_; }  // over completed intervals; 0 if none

 private:
  double interval_m_, limit_;
  double odometry_m_ = 0, along_m_ = 0;  // the interval so far
  int checks_ = 0;
  double worst_slip_ = 0;
};

}  // namespace marsdrive::sim

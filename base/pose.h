#pragma once
// Points and poses in the map plane (ENU, metres; yaw from +x, counter-clockwise), one type each
// for every module: planners' waypoints and starts, the vehicle's drive commands, the sim.

namespace marsdrive::base {

struct Point2 {
  double x_m = 0;
  double y_m = 0;
  bool operator==(const Point2&) const = default;
};

struct Pose2 {
  double x_m = 0, y_m = 0;
  double yaw_rad = 0;  // heading from +x (east), counter-clockwise
  bool operator==(const Pose2&) const = default;
};

}  // namespace marsdrive::base

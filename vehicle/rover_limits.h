#pragma once
// Operating limits of a rover: part of its specification (vehicle/rover_spec.h), read by the
// metrics (hazard thresholds), AutoNav and planners. Defaults are Perseverance's; sources in
// docs/references/rover.md (section numbers below).

#include <numbers>

namespace marsdrive::vehicle {

struct RoverLimits {
  double max_tilt_rad = 30.0 * std::numbers::pi / 180;  // drivers avoid > 30 deg (§4)
  double slip_limit = 0.40;          // MER slip-check fail-stop (§5; M2020 value not public)
  double max_rock_height_m = 0.40;   // "knee-high" rocks climbed routinely (§4)
  double ground_clearance_m = 0.56;  // EST from the JPL chassis mesh (§3)
  double rocker_min_rad = -25.0 * std::numbers::pi / 180;  // EST (§6 ACE: keep within 20-30 deg)
  double rocker_max_rad = 25.0 * std::numbers::pi / 180;
  double bogie_min_rad = -30.0 * std::numbers::pi / 180;
  double bogie_max_rad = 30.0 * std::numbers::pi / 180;
  double max_steer_rad = 85.0 * std::numbers::pi / 180;  // Chrono soft limit (§2)
  double default_speed_mps = 0.042;  // top speed on flat hard ground, 4.2 cm/s (§4)
  double max_speed_mps = 0.045;      // "0.1 mph" (§4)
};

}  // namespace marsdrive::vehicle

// sim::RunDrive: one rover, one Bullet world, one command list, fixed time step — a
// DriveSession (sim/drive_session.h) run to its end; and the request's validation.

#include "sim/drive_run.h"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "base/check.h"
#include "base/format.h"
#include "sim/drive_session.h"

namespace marsdrive::sim {

const char* ToString(DriveStatus status) {
  switch (status) {
    case DriveStatus::kCompleted:
      return "completed";
    case DriveStatus::kStuck:
      return "stuck";
    case DriveStatus::kTimeLimit:
      return "time_limit";
    case DriveStatus::kNumericalFailure:
      return "numerical_failure";
    case DriveStatus::kNoSafePath:
      return "no_safe_path";
    case DriveStatus::kTiltLimit:
      return "tilt_limit";
    case DriveStatus::kSlipLimit:
      return "slip_limit";
    case DriveStatus::kSlide:
      return "slide";
    case DriveStatus::kOffMap:
      return "off_map";
    case DriveStatus::kRollover:
      return "rollover";
    case DriveStatus::kSimFault:
      return "sim_fault";
    case DriveStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

bool IsFault(DriveStatus status) {
  return status == DriveStatus::kOffMap || status == DriveStatus::kRollover ||
         status == DriveStatus::kSimFault;
}

bool IsFault(std::string_view status) {
  return status == ToString(DriveStatus::kOffMap) || status == ToString(DriveStatus::kRollover) ||
         status == ToString(DriveStatus::kSimFault);
}

using base::FormatNumber;

void CheckDriveRequest(const DriveRequest& r) {
  MD_THROW_UNLESS(r.terrain != nullptr, "drive: no terrain");
  const auto finite_positive = [](double v) { return std::isfinite(v) && v > 0; };
  MD_THROW_UNLESS(finite_positive(r.dt_s) && r.dt_s <= 0.1,
                  "drive: dt: expected a time step in (0, 0.1] s, got " + FormatNumber(r.dt_s));
  MD_THROW_UNLESS(
      finite_positive(r.time_limit_s),
      "drive: time limit: expected a finite number > 0, got " + FormatNumber(r.time_limit_s));
  MD_THROW_UNLESS(std::isfinite(r.slip_check_interval_m) && r.slip_check_interval_m >= 0,
                  "drive: slip check interval: expected a finite number >= 0, got " +
                      FormatNumber(r.slip_check_interval_m));
  MD_THROW_UNLESS(
      finite_positive(r.stuck_time_s),
      "drive: stuck time: expected a finite number > 0, got " + FormatNumber(r.stuck_time_s));
  MD_THROW_UNLESS(finite_positive(r.telemetry_period_s),
                  "drive: telemetry period: expected a finite number > 0, got " +
                      FormatNumber(r.telemetry_period_s));
  MD_THROW_UNLESS(r.solver_iterations >= 1 && r.solver_iterations <= 1000,
                  "drive: solver iterations: expected an integer in [1, 1000], got " +
                      std::to_string(r.solver_iterations));
  if (r.friction_override) {
    MD_THROW_UNLESS(finite_positive(*r.friction_override),
                    "drive: mu: expected a finite friction coefficient > 0, got " +
                        FormatNumber(*r.friction_override));
  }
  MD_THROW_UNLESS(std::fabs(r.odometry_scale_error) < 0.5,  // also false for NaN
                  "drive: odometry scale error: expected a ratio in (-0.5, 0.5), got " +
                      FormatNumber(r.odometry_scale_error));
  MD_THROW_UNLESS(
      std::fabs(r.imu_yaw_drift_radps) < 0.01,  // ~2000 deg/h: no real IMU
      "drive: IMU yaw drift: expected |rad/s| < 0.01, got " + FormatNumber(r.imu_yaw_drift_radps));
  MD_THROW_UNLESS(
      std::isfinite(r.start.x_m) && std::isfinite(r.start.y_m) && std::isfinite(r.start.yaw_rad),
      "drive: start: expected finite x, y and yaw");
  MD_THROW_UNLESS(r.terrain->dem.spec().Contains(r.start.x_m, r.start.y_m),
                  "drive: start (" + FormatNumber(r.start.x_m) + ", " + FormatNumber(r.start.y_m) +
                      ") is off the map");
  for (std::size_t i = 0; i < r.commands.size(); ++i) {
    const vehicle::DriveCommand& c = r.commands[i];
    const std::string where = "drive: command " + std::to_string(i + 1) + ": ";
    MD_THROW_UNLESS(std::isfinite(c.distance_m) && std::isfinite(c.radius_m) &&
                        std::isfinite(c.angle_rad) && std::isfinite(c.speed_mps) &&
                        std::isfinite(c.duration_s),
                    where + "expected finite values");
    MD_THROW_UNLESS(c.speed_mps >= 0,
                    where + "expected a speed >= 0, got " + FormatNumber(c.speed_mps));
    MD_THROW_UNLESS(c.duration_s >= 0,
                    where + "expected a duration >= 0, got " + FormatNumber(c.duration_s));
    if (c.kind == vehicle::DriveCommandKind::kArc) {
      MD_THROW_UNLESS(c.radius_m > 0,
                      where + "expected an arc radius > 0, got " + FormatNumber(c.radius_m));
    }
  }
  vehicle::ValidateRoverSpec(r.rover, "drive: rover " + r.rover.name);
  if (r.waypoints.empty()) return;
  MD_THROW_UNLESS(r.commands.empty(), "drive: expected either commands or waypoints, got " +
                                          std::to_string(r.commands.size()) + " commands and " +
                                          std::to_string(r.waypoints.size()) + " waypoints");
  for (std::size_t i = 0; i < r.waypoints.size(); ++i) {
    MD_THROW_UNLESS(std::isfinite(r.waypoints[i].x_m) && std::isfinite(r.waypoints[i].y_m),
                    "drive: waypoint " + std::to_string(i + 1) + ": expected finite x and y");
  }
  const vehicle::WaypointDriveParams& p = r.waypoint_params;
  MD_THROW_UNLESS(finite_positive(p.waypoint_tolerance_m),
                  "drive: waypoint tolerance: expected a finite number > 0, got " +
                      FormatNumber(p.waypoint_tolerance_m));
  MD_THROW_UNLESS(finite_positive(p.goal_tolerance_m),
                  "drive: goal tolerance: expected a finite number > 0, got " +
                      FormatNumber(p.goal_tolerance_m));
  MD_THROW_UNLESS(std::isfinite(p.speed_mps) && p.speed_mps >= 0,
                  "drive: waypoint speed: expected a speed >= 0, got " + FormatNumber(p.speed_mps));
  const vehicle::AutoNavParams& a = p.autonav_params;
  MD_THROW_UNLESS(finite_positive(a.decision_interval_m) && finite_positive(a.cell_m) &&
                      finite_positive(a.map_size_m) && finite_positive(a.arc_length_m) &&
                      finite_positive(a.pose_spacing_m) && finite_positive(a.min_radius_m) &&
                      finite_positive(a.turn_step_rad) && finite_positive(a.turn_sample_rad) &&
                      a.arc_count >= 1 && finite_positive(a.sensor.range_m) &&
                      a.map_size_m >= 2 * (a.sensor.range_m + 1.5),
                  "drive: autonav: expected positive intervals, lengths and resolution, at "
                  "least one arc, and a map of at least 2 (sensor range + 1.5) m");
  for (const vehicle::KeepOutZone& zone : p.keep_outs) {
    MD_THROW_UNLESS(zone.polygon_map_m.size() >= 3,
                    "drive: keep-out " + zone.name + ": expected at least 3 vertices");
  }
}

std::optional<double> FrictionOverride(const terrain::TerrainTruth& truth,
                                       const std::string& terrain_dir) {
  const auto it = truth.params.find("mu");
  if (it == truth.params.end()) return std::nullopt;
  const std::string& text = it->second;
  double mu = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mu);
  MD_THROW_UNLESS(!text.empty() && ec == std::errc() && end == text.data() + text.size() &&
                      std::isfinite(mu) && mu > 0,
                  terrain_dir +
                      "/terrain.json: params.mu: expected a friction coefficient > 0, "
                      "got '" +
                      text + "'");
  return mu;
}

DriveResult RunDrive(const DriveRequest& request) {
  DriveSession session(request);
  while (session.Step()) {
  }
  return session.Finish();
}

}  // namespace marsdrive::sim

#pragma once
// The single list of telemetry columns: every scalar field of a TelemetrySample with its CSV
// name (unit suffix) and the decimals the CSV writes it with. Shared by the CSV writer/reader
// (sim/telemetry_csv.h) and the determinism hash (sim/telemetry_hash.h), so a field added here
// is written, read and hashed. Internal to sim/ and its tests.

#include <cstddef>
#include <string>

#include "sim/telemetry.h"

namespace marsdrive::sim {

// Decimals per kind of quantity.
inline constexpr int kTimeDecimals = 6;    // microseconds
inline constexpr int kLengthDecimals = 6;  // micrometres
inline constexpr int kAngleDecimals = 6;   // microradians
inline constexpr int kSpeedDecimals = 6;
inline constexpr int kTorqueDecimals = 4;
inline constexpr int kForceDecimals = 3;
inline constexpr int kRatioDecimals = 6;
inline constexpr int kEnergyDecimals = 3;

// Calls v(name, decimals, field) for every scalar column of sample s (TelemetrySample, const or
// not), in CSV file order; field is a double, bool, int or CommandKind. The two body-contact
// columns (body_contact_count, body_contact_parts) are not scalars: callers handle them.
template <typename Sample, typename Visitor>
void VisitTelemetryColumns(Sample& s, Visitor&& v) {
  v("time_s", kTimeDecimals, s.time_s);
  v("x_m", kLengthDecimals, s.position_map_m[0]);
  v("y_m", kLengthDecimals, s.position_map_m[1]);
  v("z_m", kLengthDecimals, s.position_map_m[2]);
  v("roll_rad", kAngleDecimals, s.roll_rad);
  v("pitch_rad", kAngleDecimals, s.pitch_rad);
  v("yaw_rad", kAngleDecimals, s.yaw_rad);
  v("tilt_rad", kAngleDecimals, s.tilt_rad);
  v("vx_mps", kSpeedDecimals, s.velocity_map_mps[0]);
  v("vy_mps", kSpeedDecimals, s.velocity_map_mps[1]);
  v("vz_mps", kSpeedDecimals, s.velocity_map_mps[2]);
  v("odom_x_m", kLengthDecimals, s.odometry_position_map_m[0]);
  v("odom_y_m", kLengthDecimals, s.odometry_position_map_m[1]);
  v("odometry_distance_m", kLengthDecimals, s.odometry_distance_m);
  v("truth_distance_m", kLengthDecimals, s.truth_distance_m);
  for (std::size_t w = 0; w < kWheelCount; ++w) {
    const std::string p = std::string(kWheelNames[w]) + "_";
    auto& wheel = s.wheels[w];
    v(p + "angle_rad", kAngleDecimals, wheel.angle_rad);
    v(p + "speed_radps", kSpeedDecimals, wheel.speed_radps);
    v(p + "torque_Nm", kTorqueDecimals, wheel.torque_Nm);
    v(p + "steer_rad", kAngleDecimals, wheel.steer_rad);
    v(p + "normal_force_N", kForceDecimals, wheel.normal_force_N);
    v(p + "sinkage_m", kLengthDecimals, wheel.sinkage_m);
    v(p + "slip_ratio", kRatioDecimals, wheel.slip_ratio);
    v(p + "in_contact", 0, wheel.in_contact);
    v(p + "on_rock", 0, wheel.on_rock);
    v(p + "rock_height_m", kLengthDecimals, wheel.rock_height_m);
  }
  v("rocker_left_rad", kAngleDecimals, s.rocker_left_rad);
  v("rocker_right_rad", kAngleDecimals, s.rocker_right_rad);
  v("bogie_left_rad", kAngleDecimals, s.bogie_left_rad);
  v("bogie_right_rad", kAngleDecimals, s.bogie_right_rad);
  v("differential_rad", kAngleDecimals, s.differential_rad);
  v("energy_J", kEnergyDecimals, s.energy_J);
  v("command", 0, s.command);
  v("command_index", 0, s.command_index);
}

}  // namespace marsdrive::sim

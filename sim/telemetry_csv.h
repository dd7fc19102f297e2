#pragma once
// Telemetry as CSV: one header line naming every column with its unit, then one row per sample,
// '\n' line ends, ',' separators, '.' decimal point whatever the locale. Numbers are written
// with std::to_chars at a fixed number of decimals per column (TelemetryCsvColumns), so the same
// telemetry always gives the same bytes; non-finite values are written as nan, inf, -inf.
//
// Columns, in order (wheels in kWheelNames order: lf, lm, lr, rf, rm, rr):
//   time_s, x_m, y_m, z_m, roll_rad, pitch_rad, yaw_rad, tilt_rad, vx_mps, vy_mps, vz_mps,
//   odom_x_m, odom_y_m, odometry_distance_m, truth_distance_m,
//   per wheel W: W_angle_rad, W_speed_radps, W_torque_Nm, W_steer_rad, W_normal_force_N,
//                W_sinkage_m, W_slip_ratio, W_in_contact (0/1), W_on_rock (0/1), W_rock_height_m,
//   rocker_left_rad, rocker_right_rad, bogie_left_rad, bogie_right_rad, differential_rad,
//   energy_J, command (none|straight|arc|turn|stop), command_index,
//   body_contact_count, body_contact_parts
// body_contact_parts lists one entry per body contact, separated by '|': the BodyPart name,
// with "@rock" appended for a contact with a rock ("chassis@rock|bogie_left"); empty when none.
// Contact points and forces are NOT stored: the reader puts each contact at the sample's
// position with a zero force.

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "sim/telemetry.h"

namespace marsdrive::sim {

struct TelemetryCsvColumn {
  std::string name;  // with its unit suffix
  int decimals = 0;  // digits after the decimal point (0 for integers, flags and text)
};
// Every column in file order.
const std::vector<TelemetryCsvColumn>& TelemetryCsvColumns();

void WriteTelemetryCsv(std::ostream& out, const Telemetry& telemetry);
// Throws InputError when the file cannot be written.
void WriteTelemetryCsv(const std::filesystem::path& path, const Telemetry& telemetry);

// Parses what WriteTelemetryCsv wrote. Throws InputError naming `source`, the line and the
// column for anything else: an empty or missing file, a header of other columns, a row with
// too few or too many fields or an unterminated last line (a truncated file), a malformed
// number, time going backwards, or no samples at all.
Telemetry ParseTelemetryCsv(std::string_view text, const std::string& source);
Telemetry ReadTelemetryCsv(const std::filesystem::path& path);

}  // namespace marsdrive::sim

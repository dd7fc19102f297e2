#pragma once
// JSON form of a waypoint drive's AutoNav decisions (the drive's autonav.json; the viewer draws
// the path options). Angles in degrees, map frame metres.
//
//   schema "marsdrive/autonav/1", autonav (bool), seed,
//   params {decision_interval_m, cell_m, sensor_range_m, fov_deg, arc_count, min_radius_m,
//           arc_length_m, clearance_margin_m, max_step_m, max_tilt_deg, max_unknown_fraction,
//           keep_out_margin_m, waypoint_tolerance_m, goal_tolerance_m,
//           skip_unreachable_waypoints, ...},
//   waypoints [{x, y}], waypoints_reached, skipped_waypoints [{index, time_s, reason}], status,
//   reason,
//   decisions [{time_s, pose {x, y, z, roll_deg, pitch_deg, yaw_deg}, waypoint_index,
//               target {x, y}, chosen (index | -1), note,
//               options [{kind: "arc" | "turn", curvature_1pm, length_m, turn_deg, safe,
//                         reason (OptionCheck name, "none" when safe), failed_pose, score,
//                         progress_m, min_clearance_m (null if none evaluated), max_tilt_deg,
//                         max_rocker_deg, max_bogie_deg, max_step_m, unknown_fraction,
//                         roughness_m, points [[x, y, yaw_deg], ...]}]}]

#include <nlohmann/json.hpp>

#include "sim/drive_run.h"

namespace marsdrive::scenarios {

inline constexpr const char* kAutoNavSchema = "marsdrive/autonav/1";

nlohmann::ordered_json AutoNavToJson(const sim::DriveRequest& request,
                                     const sim::DriveResult& result);

}  // namespace marsdrive::scenarios

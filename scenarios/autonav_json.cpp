#include "scenarios/autonav_json.h"

#include <cmath>
#include <numbers>

namespace marsdrive::scenarios {

using namespace sim;  // NOLINT(google-build-using-namespace): the drive types, field by field

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

nlohmann::ordered_json Number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json OptionJson(const vehicle::PathOption& o) {
  nlohmann::ordered_json j;
  j["kind"] = vehicle::ToString(o.kind);
  j["curvature_1pm"] = o.curvature_1pm;
  j["length_m"] = o.length_m;
  j["turn_deg"] = o.turn_rad * kRadToDeg;
  j["safe"] = o.safe;
  j["reason"] = vehicle::ToString(o.failure);
  j["failed_pose"] = o.failed_pose;
  j["score"] = Number(o.score);
  j["progress_m"] = Number(o.progress_m);
  j["cost_to_go_m"] = Number(o.cost_to_go_m);
  j["min_clearance_m"] = Number(o.min_clearance_m);
  j["max_tilt_deg"] = o.max_tilt_rad * kRadToDeg;
  j["max_rocker_deg"] = o.max_rocker_rad * kRadToDeg;
  j["max_bogie_deg"] = o.max_bogie_rad * kRadToDeg;
  j["max_step_m"] = o.max_step_m;
  j["unknown_fraction"] = o.unknown_fraction;
  j["roughness_m"] = o.roughness_m;
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const vehicle::Pose2& p : o.poses) {
    points.push_back({p.x_m, p.y_m, p.yaw_rad * kRadToDeg});
  }
  j["points"] = std::move(points);
  return j;
}

}  // namespace

nlohmann::ordered_json AutoNavToJson(const DriveRequest& request, const DriveResult& result) {
  const vehicle::WaypointDriveParams& wp = request.waypoint_params;
  const vehicle::AutoNavParams& a = wp.autonav_params;
  nlohmann::ordered_json j;
  j["schema"] = kAutoNavSchema;
  j["autonav"] = wp.autonav;
  j["seed"] = request.seed;
  j["params"] = {{"decision_interval_m", a.decision_interval_m},
                 {"cell_m", a.cell_m},
                 {"sensor_range_m", a.sensor.range_m},
                 {"fov_deg", a.sensor.fov_rad * kRadToDeg},
                 {"arc_count", a.arc_count},
                 {"min_radius_m", a.min_radius_m},
                 {"arc_length_m", a.arc_length_m},
                 {"clearance_margin_m", a.clearance_margin_m},
                 {"max_step_m", a.max_step_m},
                 {"max_tilt_deg", request.rover.limits.max_tilt_rad * kRadToDeg},
                 {"max_unknown_fraction", a.max_unknown_fraction},
                 {"keep_out_margin_m", a.keep_out_margin_m},
                 {"waypoint_tolerance_m", wp.waypoint_tolerance_m},
                 {"goal_tolerance_m", wp.goal_tolerance_m},
                 {"skip_unreachable_waypoints", wp.skip_unreachable_waypoints},
                 {"map_size_m", a.map_size_m},
                 {"cost_to_go", a.use_cost_to_go},
                 {"cost_to_go_cell_m", a.cost_to_go.cell_m},
                 {"unknown_cost", a.cost_to_go.unknown_cost},
                 {"inflation_radius_m", a.cost_to_go.inflation_radius_m},
                 {"inflation_cost", a.cost_to_go.inflation_cost},
                 {"max_drive_without_progress_m", a.max_drive_without_progress_m}};
  nlohmann::ordered_json waypoints = nlohmann::ordered_json::array();
  for (const vehicle::Waypoint& w : request.waypoints)
    waypoints.push_back({{"x", w.x_m}, {"y", w.y_m}});
  j["waypoints"] = std::move(waypoints);
  j["waypoints_reached"] = result.waypoints_reached;
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const vehicle::SkippedWaypoint& s : result.skipped_waypoints) {
    skipped.push_back({{"index", s.index}, {"time_s", s.time_s}, {"reason", s.reason}});
  }
  j["skipped_waypoints"] = std::move(skipped);
  j["status"] = ToString(result.status);
  j["reason"] = result.reason;
  nlohmann::ordered_json decisions = nlohmann::ordered_json::array();
  for (const vehicle::AutoNavDecision& d : result.autonav_decisions) {
    nlohmann::ordered_json dj;
    dj["time_s"] = d.time_s;
    dj["pose"] = {{"x", d.pose.x_m},
                  {"y", d.pose.y_m},
                  {"z", d.pose.z_m},
                  {"roll_deg", d.pose.roll_rad * kRadToDeg},
                  {"pitch_deg", d.pose.pitch_rad * kRadToDeg},
                  {"yaw_deg", d.pose.yaw_rad * kRadToDeg}};
    dj["waypoint_index"] = d.waypoint_index;
    dj["target"] = {{"x", d.target_x_m}, {"y", d.target_y_m}};
    dj["chosen"] = d.chosen;
    dj["note"] = d.note;
    dj["cost_to_go_m"] = Number(d.cost_to_go_m);
    dj["driven_without_progress_m"] = d.driven_without_progress_m;
    nlohmann::ordered_json route = nlohmann::ordered_json::array();
    for (const auto& p : d.route) route.push_back({p[0], p[1]});
    dj["route"] = std::move(route);
    nlohmann::ordered_json options = nlohmann::ordered_json::array();
    for (const vehicle::PathOption& o : d.options) options.push_back(OptionJson(o));
    dj["options"] = std::move(options);
    decisions.push_back(std::move(dj));
  }
  j["decisions"] = std::move(decisions);
  return j;
}

}  // namespace marsdrive::scenarios

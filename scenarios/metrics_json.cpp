#include "scenarios/metrics_json.h"

#include <numbers>

#include "base/content_hash.h"

namespace marsdrive::scenarios {

using namespace sim;  // NOLINT(google-build-using-namespace): the metrics types, field by field

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

nlohmann::ordered_json PoseJson(const vehicle::Pose2& p) {
  return {{"x", p.x_m}, {"y", p.y_m}, {"yaw_deg", p.yaw_rad * kRadToDeg}};
}

nlohmann::ordered_json StatsJson(const SlipStats& s) {
  return {{"mean", s.mean}, {"p95", s.p95}, {"max", s.max}};
}

}  // namespace

nlohmann::ordered_json MetricsToJson(const Metrics& m) {
  nlohmann::ordered_json j;
  j["schema"] = kMetricsSchema;
  j["status"] = m.status;
  j["reason"] = m.reason;
  j["distance_m"] = m.distance_m;
  j["odometry_m"] = m.odometry_m;
  j["progress_m"] = m.progress_m;
  if (m.has_end_ref) {
    j["end_ref"] = {{"source", m.end_ref_is_goal ? "goal" : "ideal"},
                    {"x", m.end_ref_x_m},
                    {"y", m.end_ref_y_m}};
  } else {
    j["end_ref"] = nullptr;
  }
  j["end_error_m"] = m.end_error_m;
  if (m.goal_reached) {
    j["goal_reached"] = *m.goal_reached;
  } else {
    j["goal_reached"] = nullptr;
  }
  if (m.waypoints_reached) {
    j["waypoints_reached"] = *m.waypoints_reached;
    j["waypoints_skipped"] = m.waypoints_skipped;
    j["waypoint_count"] = m.waypoint_count;
    j["autonav_decisions"] = m.autonav_decisions;
  }
  j["start"] = PoseJson(m.start_pose);
  j["end"] = PoseJson(m.end_pose);

  nlohmann::ordered_json slip = StatsJson(m.slip);
  slip["distance_over_limit_m"] = m.slip_distance_over_limit_m;
  slip["limit"] = m.slip_limit;
  slip["windows"] = m.slip.count;
  slip["windows_skipped"] = m.slip_windows_skipped;
  j["slip"] = slip;
  nlohmann::ordered_json wheels = nlohmann::ordered_json::object();
  for (std::size_t w = 0; w < kWheelCount; ++w) {
    nlohmann::ordered_json stats = StatsJson(m.wheel_slip[w]);
    stats["samples"] = m.wheel_slip[w].count;
    wheels[kWheelNames[w]] = stats;
  }
  j["wheel_slip"] = wheels;

  nlohmann::ordered_json hazards = nlohmann::ordered_json::array();
  for (const HazardEvent& e : m.hazards) {
    hazards.push_back({{"kind", ToString(e.kind)},
                       {"part", e.part},
                       {"start_s", e.start_s},
                       {"duration_s", e.duration_s},
                       {"x", e.x_m},
                       {"y", e.y_m}});
  }
  j["hazards"] = hazards;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (int k = 0; k < kHazardKindCount; ++k) {
    counts[ToString(static_cast<HazardKind>(k))] = m.hazard_counts[static_cast<std::size_t>(k)];
  }
  j["hazard_counts"] = counts;
  j["stuck"] = m.stuck;
  j["tilt_max_deg"] = m.tilt_max_rad * kRadToDeg;
  j["sim_time_s"] = m.sim_time_s;
  j["wall_time_s"] = m.wall_time_s;
  j["rtf"] = m.rtf;
  j["energy_j"] = m.energy_J;
  j["samples"] = m.sample_count;
  return j;
}

std::uint64_t CalcMetricsJsonHash(const sim::Metrics& metrics) {
  sim::Metrics m = metrics;
  m.wall_time_s = 0;
  m.rtf = 0;
  return Fnv1a64().Update(MetricsToJson(m).dump(2) + "\n").Value();
}

}  // namespace marsdrive::scenarios

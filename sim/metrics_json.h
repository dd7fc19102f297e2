#pragma once
// JSON form of Metrics (the drive's metrics.json, and each run of a suite result). Kept apart
// from metrics.h so that only JSON writers include nlohmann-json. Field names are a contract:
// baselines in other people's CI read them (ARCHITECTURE "Results").

#include <nlohmann/json.hpp>

#include "sim/metrics.h"

namespace marsdrive::sim {

inline constexpr const char* kMetricsSchema = "marsdrive/metrics/1";

// Fields, in this order (angles in degrees here, as at every user interface):
//   schema, status, reason,
//   distance_m, odometry_m, progress_m,
//   end_ref {source: "goal" | "ideal", x, y} or null, end_error_m, goal_reached (bool | null),
//   [waypoint drives only: waypoints_reached, waypoints_skipped, waypoint_count,
//   autonav_decisions],
//   start {x, y, yaw_deg}, end {x, y, yaw_deg},
//   slip {mean, p95, max, distance_over_limit_m, limit, windows, windows_skipped},
//   wheel_slip {lf: {mean, p95, max, samples}, lm, lr, rf, rm, rr},
//   hazards [{kind, part, start_s, duration_s, x, y}], hazard_counts {every kind: n},
//   stuck, tilt_max_deg, sim_time_s, wall_time_s, rtf, energy_j, samples
// Non-finite numbers (a numerical failure) are written as null.
nlohmann::ordered_json MetricsToJson(const Metrics& metrics);

}  // namespace marsdrive::sim

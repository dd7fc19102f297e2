#pragma once
// JSON form of Metrics (the drive's metrics.json, and each run of a suite result). Kept apart
// from metrics.h so that only JSON writers include nlohmann-json. Field names are a contract:
// baselines in other people's CI read them (ARCHITECTURE "Results").

#include <cstdint>

#include <nlohmann/json.hpp>

#include "sim/metrics.h"

namespace marsdrive::scenarios {

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
nlohmann::ordered_json MetricsToJson(const sim::Metrics& metrics);

// FNV-1a 64 of the metrics.json text (MetricsToJson(m).dump(2) + "\n", exactly as `marsdrive
// drive` writes it) with the wall-clock fields wall_time_s and rtf set to 0: the determinism
// pins (tests/sim/determinism_pin_test.cpp).
std::uint64_t CalcMetricsJsonHash(const sim::Metrics& metrics);

}  // namespace marsdrive::scenarios

#pragma once
// Metrics of a finished drive: ComputeMetrics of its telemetry (sim/metrics.h) plus what the
// run itself reports (status, reason, simulated and wall time). Header-only so that the
// metrics library does not depend on the drive loop.

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "planners/plan_types.h"
#include "sim/drive_run.h"
#include "sim/metrics.h"

namespace marsdrive::sim {

inline Metrics ComputeDriveMetrics(const DriveResult& result, const MetricsConfig& config) {
  Metrics m = ComputeMetrics(result.telemetry, config);
  m.status = ToString(result.status);
  m.reason = result.reason;
  m.sim_time_s = result.sim_time_s;
  m.wall_time_s = result.wall_time_s;
  m.rtf = result.wall_time_s > 0 ? result.sim_time_s / result.wall_time_s : 0.0;
  // The drive loop checks for stuck at every physics step, the metrics only at the stored
  // samples, so the loop may end a drive as stuck a fraction of a sample period before the
  // telemetry shows it. Then the event the loop saw is recorded here: from stuck_time_s before
  // the end (at the position of the last sample by then) to the end.
  auto& stuck_count = m.hazard_counts[static_cast<std::size_t>(HazardKind::kStuck)];
  if (result.status == DriveStatus::kStuck && stuck_count == 0 && !result.telemetry.empty()) {
    const Telemetry& t = result.telemetry;
    const double start_s = std::max(t.front().time_s, t.back().time_s - config.stuck_time_s);
    std::size_t at = 0;
    while (at + 1 < t.size() && t[at + 1].time_s <= start_s) ++at;
    m.hazards.push_back({HazardKind::kStuck, "", start_s, t.back().time_s - start_s,
                         t[at].position_map_m[0], t[at].position_map_m[1]});
    ++stuck_count;
  }
  m.stuck = m.stuck || result.status == DriveStatus::kStuck;
  // The loop tests rollover on the chassis attitude at every step, the metrics on the stored
  // roll and pitch: should rounding hide it there, the last sample's event is recorded here.
  auto& rollover_count = m.hazard_counts[static_cast<std::size_t>(HazardKind::kRollover)];
  if (result.status == DriveStatus::kRollover && rollover_count == 0 && !result.telemetry.empty()) {
    const TelemetrySample& last = result.telemetry.back();
    m.hazards.push_back({HazardKind::kRollover, "", last.time_s, 0.0, last.position_map_m[0],
                         last.position_map_m[1]});
    ++rollover_count;
  }
  if (result.waypoint_count > 0) {
    m.waypoints_reached = result.waypoints_reached;
    m.waypoints_skipped = static_cast<int>(result.skipped_waypoints.size());
    m.waypoint_count = result.waypoint_count;
    m.autonav_decisions = static_cast<int>(result.autonav_decisions.size());
  }
  return m;
}

// A waypoint drive ends at the goal itself: a last waypoint already within the goal's
// tolerance is moved onto the goal (reaching "the last waypoint within tolerance" must mean
// reaching the goal), otherwise the goal is appended; its tolerance becomes the executive's.
inline void AppendGoal(DriveRequest& request, const Goal& goal) {
  const bool near_last = !request.waypoints.empty() &&
                         std::hypot(request.waypoints.back().x_m - goal.x_m,
                                    request.waypoints.back().y_m - goal.y_m) <= goal.tolerance_m;
  if (near_last) request.waypoints.pop_back();
  request.waypoints.push_back({goal.x_m, goal.y_m});
  request.waypoint_params.goal_tolerance_m = goal.tolerance_m;
}

// Operators' keep-out polygons (planners' type) as the zones the waypoint executive avoids.
inline void AddKeepOuts(DriveRequest& request, const std::vector<planners::KeepOut>& keep_outs) {
  for (const planners::KeepOut& k : keep_outs) {
    vehicle::KeepOutZone zone;
    zone.name = k.name;
    for (const planners::Point2& p : k.polygon) zone.polygon_map_m.push_back({p.x_m, p.y_m});
    request.waypoint_params.keep_outs.push_back(std::move(zone));
  }
}

// The metrics config of a drive request: its rover's limits, commands, start and stuck time;
// for waypoints, the last one as the goal (within the goal tolerance) and the keep-outs.
inline MetricsConfig MakeDriveMetricsConfig(const DriveRequest& request) {
  MetricsConfig config;
  config.limits = request.rover.limits;
  config.support = vehicle::MakeSupportGeometry(request.rover);
  config.commands = request.commands;
  config.start = request.start;
  config.stuck_time_s = request.stuck_time_s;
  if (!request.waypoints.empty()) {  // the goal is the last waypoint
    config.goal = Goal{request.waypoints.back().x_m, request.waypoints.back().y_m,
                       request.waypoint_params.goal_tolerance_m};
    config.keep_outs = request.waypoint_params.keep_outs;
  }
  return config;
}

}  // namespace marsdrive::sim

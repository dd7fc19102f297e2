#include "vehicle/waypoint_executive.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

#include "base/angle.h"
#include "base/check.h"

namespace marsdrive::vehicle {

namespace {

// Curvatures below this drive straight (1/m).
constexpr double kStraightCurvature = 1e-4;

DriveCommand ArcCommand(double curvature_1pm, double length_m, double speed_mps) {
  DriveCommand c;
  c.speed_mps = speed_mps;
  if (std::fabs(curvature_1pm) < kStraightCurvature) {
    c.kind = DriveCommandKind::kStraight;
    c.distance_m = length_m;
  } else {
    c.kind = DriveCommandKind::kArc;
    c.radius_m = 1.0 / std::fabs(curvature_1pm);
    c.angle_rad = curvature_1pm * length_m;
  }
  return c;
}

DriveCommand TurnCommand(double turn_rad) {
  DriveCommand c;
  c.kind = DriveCommandKind::kTurnInPlace;
  c.angle_rad = turn_rad;
  return c;
}

std::string NoSafePathReason(const AutoNavDecision& d) {
  std::array<int, 8> counts{};
  for (const PathOption& o : d.options) ++counts[static_cast<std::size_t>(o.failure)];
  std::string by;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] == 0) continue;
    by += (by.empty() ? "" : ", ") + std::to_string(counts[k]) + " " +
          ToString(static_cast<OptionCheck>(k));
  }
  char text[200];
  std::snprintf(text, sizeof text,
                "no safe path at (%.2f, %.2f) toward waypoint %d (%.2f, %.2f) at t = %.1f s: ",
                d.pose.x_m, d.pose.y_m, d.waypoint_index, d.target_x_m, d.target_y_m, d.time_s);
  std::string reason = text;
  if (d.options.empty()) {  // decided before any option: the cost to go's verdict
    reason += d.note;
    if (d.note == "no progress toward the waypoint") {
      char driven[80];
      std::snprintf(driven, sizeof driven, " (%.1f m driven since a place as close)",
                    d.driven_without_progress_m);
      reason += driven;
    }
    return reason;
  }
  reason += std::to_string(d.options.size());
  reason += " options rejected (";
  reason += by;
  reason += ")";
  return reason;
}

}  // namespace

WaypointExecutive::WaypointExecutive(const RoverSpec& spec, std::vector<Waypoint> waypoints,
                                     WaypointDriveParams params, const terrain::TerrainTruth* truth,
                                     std::uint64_t seed)
    : spec_(spec), waypoints_(std::move(waypoints)), params_(std::move(params)) {
  MD_DEMAND(params_.waypoint_tolerance_m > 0 && params_.goal_tolerance_m > 0);
  MD_DEMAND(params_.autonav_params.decision_interval_m > 0);
  if (params_.autonav) {
    MD_DEMAND(truth != nullptr);
    autonav_ =
        std::make_unique<AutoNav>(*truth, spec_, params_.autonav_params, params_.keep_outs, seed);
  }
}

std::optional<DriveCommandKind> WaypointExecutive::CurrentKind() const {
  if (!segment_) return std::nullopt;
  return segment_->CurrentKind();
}

bool WaypointExecutive::NextSegment(const ExecutiveObservation& obs) {
  const RoverPose3& pose = obs.pose;
  const int n = static_cast<int>(waypoints_.size());
  const auto distance_to = [&](int i) {
    const Waypoint& w = waypoints_[static_cast<std::size_t>(i)];
    return std::hypot(w.x_m - pose.x_m, w.y_m - pose.y_m);
  };
  const auto tolerance_of = [&](int i) {
    return i == n - 1 ? params_.goal_tolerance_m : params_.waypoint_tolerance_m;
  };
  if (autonav_) autonav_->Sense(pose);
  std::optional<DriveCommand> command;
  while (!command) {
    while (next_ < n && distance_to(next_) <= tolerance_of(next_)) {
      ++next_;
      ++reached_;
    }
    if (next_ >= n) {
      status_ = ExecutiveStatus::kCompleted;
      return false;
    }
    command = autonav_ ? DecideWithAutoNav(obs, tolerance_of(next_)) : BlindCommand(pose);
    if (Done()) return false;  // no safe path; else a skipped waypoint: on to the next
  }
  turned_rad_ = command->kind == DriveCommandKind::kTurnInPlace
                    ? turned_rad_ + std::fabs(command->angle_rad)
                    : 0.0;
  segment_.emplace(spec_, std::vector<DriveCommand>{*command});
  command_ = command;
  ++segment_index_;
  return true;
}

DriveCommand WaypointExecutive::BlindCommand(const RoverPose3& pose) const {
  const Waypoint& w = waypoints_[static_cast<std::size_t>(next_)];
  const double error = base::WrapPi(std::atan2(w.y_m - pose.y_m, w.x_m - pose.x_m) - pose.yaw_rad);
  const AutoNavParams& ap = params_.autonav_params;
  if (std::fabs(error) > ap.turn_threshold_rad) return TurnCommand(error);
  const double dist = std::hypot(w.x_m - pose.x_m, w.y_m - pose.y_m);
  const double k_max = 1.0 / ap.min_radius_m;
  return ArcCommand(std::clamp(2 * std::sin(error) / dist, -k_max, k_max),
                    std::min(ap.decision_interval_m, dist), params_.speed_mps);
}

std::optional<DriveCommand> WaypointExecutive::DecideWithAutoNav(const ExecutiveObservation& obs,
                                                                 double tolerance_m) {
  const RoverPose3& pose = obs.pose;
  const Waypoint& target = waypoints_[static_cast<std::size_t>(next_)];
  AutoNavDecision d =
      autonav_->Decide(obs.time_s, pose, next_, target.x_m, target.y_m, turned_rad_, tolerance_m);
  if (d.chosen >= 0) {
    const PathOption& o = d.options[static_cast<std::size_t>(d.chosen)];
    const double drive_m = std::min(params_.autonav_params.decision_interval_m,
                                    std::hypot(target.x_m - pose.x_m, target.y_m - pose.y_m));
    const DriveCommand command =
        o.kind == OptionKind::kTurnInPlace
            ? TurnCommand(o.turn_rad)
            : ArcCommand(o.curvature_1pm, std::min(drive_m, o.length_m), params_.speed_mps);
    decisions_.push_back(std::move(d));
    return command;
  }
  // Skippable: an intermediate waypoint the cost to go gave up on before any option was weighed
  // (unreachable, no progress), not a rover boxed in by hazards wherever it is bound.
  const bool last = next_ + 1 == static_cast<int>(waypoints_.size());
  const bool skippable = !last && d.options.empty() && params_.skip_unreachable_waypoints;
  std::string reason = NoSafePathReason(d);
  decisions_.push_back(std::move(d));
  if (!skippable) {
    status_ = ExecutiveStatus::kNoSafePath;
    reason_ = std::move(reason);
  } else {
    skipped_.push_back({next_, obs.time_s, std::move(reason)});
    ++next_;
  }
  return std::nullopt;
}

ActuatorCommand WaypointExecutive::Update(const ExecutiveObservation& observation, double dt_s) {
  ActuatorCommand hold;  // wheels stopped, steering held where it is
  hold.steer_rad = observation.drive.steer_rad;
  if (Done()) return hold;
  if (!segment_ || segment_->Done()) {
    if (!NextSegment(observation)) {
      segment_.reset();
      return hold;
    }
  }
  return segment_->Update(observation.drive, dt_s);
}

}  // namespace marsdrive::vehicle

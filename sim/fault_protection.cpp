#include "sim/fault_protection.h"

#include <cmath>
#include <numbers>

#include "base/format.h"
#include "sim/bullet_world.h"
#include "sim/drive_run.h"
#include "vehicle/tip_over.h"

namespace marsdrive::sim {
namespace {

using base::FormatNumber;
constexpr double kPi = std::numbers::pi;

DriveStatus ToDriveStatus(FaultKind kind) {
  switch (kind) {
    case FaultKind::kOffMap:
      return DriveStatus::kOffMap;
    case FaultKind::kRollover:
      return DriveStatus::kRollover;
    case FaultKind::kSimFault:
      return DriveStatus::kSimFault;
  }
  return DriveStatus::kSimFault;
}

// "(x, y)". Appended piecewise: GCC 12 warns (-Wrestrict, a false positive) on "(" + s + ...
std::string At(const terrain::Vec3& p) {
  std::string text = "(";
  text += FormatNumber(p.x);
  text += ", ";
  text += FormatNumber(p.y);
  text += ")";
  return text;
}

}  // namespace

FaultProtection::FaultProtection(const DriveRequest& request, double rover_mass_kg,
                                 bool waypoint_rules)
    : request_(request),
      faults_(request.terrain->dem, vehicle::MakeSupportGeometry(request.rover), rover_mass_kg,
              kMarsGravityMps2, request.dt_s),
      stuck_(request.stuck_time_s, MetricsConfig{}.stuck_min_progress_m,
             MetricsConfig{}.stuck_min_turn_rad),
      tilt_limited_(waypoint_rules) {
  if (waypoint_rules && request.slip_check_interval_m > 0) {
    slip_check_.emplace(request.slip_check_interval_m, request.rover.limits.slip_limit);
  }
}

std::optional<DriveEnd> FaultProtection::Check(const StepFacts& s) {
  if (const auto fault = faults_.Check(s.fault)) {
    return DriveEnd{ToDriveStatus(fault->kind), fault->reason};
  }
  if (const auto slid_m = slide_.Add(s.time_s, s.position.x, s.position.y, s.yaw_rad)) {
    return DriveEnd{DriveStatus::kSlide,
                    "slid " + FormatNumber(std::fabs(*slid_m)) + " m sideways (to the " +
                        (*slid_m > 0 ? "left" : "right") + ") within " +
                        FormatNumber(kSlideWindowS) + " s, at " + At(s.position)};
  }
  if (auto end = CheckSlip(s)) return end;
  // Stuck: commanded motion without progress (truth).
  if (stuck_.Update(s.time_s, s.position.x, s.position.y, s.yaw_rad,
                    s.motion ? s.motion->kind : CommandKind::kNone,
                    s.motion ? s.motion->sign : 0)) {
    return DriveEnd{DriveStatus::kStuck, "no progress for " + FormatNumber(request_.stuck_time_s) +
                                             " s of commanded motion at " + At(s.position)};
  }
  return CheckTilt(s);
}

// The slip check (waypoint drives): odometry against true progress along the way it points.
std::optional<DriveEnd> FaultProtection::CheckSlip(const StepFacts& s) {
  if (!slip_check_) return std::nullopt;
  if (s.slip_checked_kind != vehicle::DriveCommandKind::kStraight &&
      s.slip_checked_kind != vehicle::DriveCommandKind::kArc) {
    return std::nullopt;
  }
  const double ds = s.odometry_step_m;
  const double sign = ds < 0 ? -1.0 : 1.0;
  const double along = sign * ((s.position.x - s.previous.x) * s.cos_yaw +
                               (s.position.y - s.previous.y) * s.sin_yaw);
  const auto slip = slip_check_->Add(std::fabs(ds) * s.cos_pitch, along);
  if (!slip) return std::nullopt;
  return DriveEnd{DriveStatus::kSlipLimit,
                  "slip " + FormatNumber(*slip * 100) + " % over the last " +
                      FormatNumber(slip_check_->interval_m()) +
                      " m of driving, above the limit of " +
                      FormatNumber(slip_check_->limit() * 100) + " %, at " + At(s.position)};
}

// Tilt fault protection (waypoint drives).
std::optional<DriveEnd> FaultProtection::CheckTilt(const StepFacts& s) const {
  const double limit = request_.rover.limits.max_tilt_rad;
  if (!tilt_limited_ || !(s.tilt_rad > limit)) return std::nullopt;
  return DriveEnd{DriveStatus::kTiltLimit,
                  "tilt " + FormatNumber(s.tilt_rad * 180 / kPi) + " deg above the limit of " +
                      FormatNumber(limit * 180 / kPi) + " deg at " + At(s.position)};
}

}  // namespace marsdrive::sim

#pragma once
// The rover's fault protection during a drive (sim/drive_session.h), checked after every physics
// step in this order: faults of the drive or the simulation (off the map, rolled over, broken
// physics: sim/fault_detect.h), a sideways slide (sim/slide_check.h), then on waypoint drives
// the onboard slip check (sim/slip_check.h), the stuck rule (sim/metrics.h) and the tilt limit.
// The first that trips ends the drive with its status and a reason naming what and where.

#include <optional>
#include <string>

#include "sim/drive_source.h"
#include "sim/fault_detect.h"
#include "sim/metrics.h"
#include "sim/slide_check.h"
#include "sim/slip_check.h"

namespace marsdrive::sim {

struct DriveRequest;
enum class DriveStatus;

struct DriveEnd {
  DriveStatus status;
  std::string reason;
};

// What fault protection sees of one physics step.
struct StepFacts {
  double time_s = 0;
  terrain::Vec3 position, previous;  // chassis reference point, map frame, after / before
  double yaw_rad = 0, cos_yaw = 1, sin_yaw = 0, cos_pitch = 1;
  double tilt_rad = 0;
  double odometry_step_m = 0;  // signed wheel-odometry distance of the step
  FaultSample fault;
  std::optional<vehicle::DriveCommandKind> slip_checked_kind;  // DriveSource::SlipCheckedKind
  std::optional<CommandedMotion> motion;                       // DriveSource::Motion
};

class FaultProtection {
 public:
  // `request` (its terrain) must outlive this; `waypoint_rules`: slip check and tilt limit.
  FaultProtection(const DriveRequest& request, double rover_mass_kg, bool waypoint_rules);
  std::optional<DriveEnd> Check(const StepFacts& step);

 private:
  std::optional<DriveEnd> CheckSlip(const StepFacts& step);
  std::optional<DriveEnd> CheckTilt(const StepFacts& step) const;

  const DriveRequest& request_;
  FaultDetector faults_;
  SlideCheck slide_;
  std::optional<SlipCheck> slip_check_;
  StuckDetector stuck_;
  bool tilt_limited_;
};

}  // namespace marsdrive::sim

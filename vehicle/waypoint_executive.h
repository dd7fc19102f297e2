#pragma once
// The onboard drive executive for waypoints: follows a list of map-frame waypoints with the drive
// primitives (vehicle/drive_controller.h), deciding at each decision point (after each segment):
//   * waypoints within tolerance count as reached (the last one within the goal tolerance);
//   * an intermediate waypoint AutoNav's cost to go gives up on (unreachable, no progress) is
//     skipped (recorded with the reason) when skip_unreachable_waypoints, and the drive goes on;
//   * with AutoNav (vehicle/autonav.h): sense, then turn toward the waypoint (or along the route
//     of the cost to go) when the heading error is large, else the safe arc with the best score,
//     else a turn in place to look elsewhere; none, the waypoint unreachable in the known map,
//     or no progress in cost to go for too long: stop, "no safe path";
//   * blind (AutoNav off): turn in place when the heading error exceeds turn_threshold_rad, else
//     the arc through the waypoint (straight when aligned).
// A chosen arc is driven for decision_interval_m (at most to the waypoint), a turn completely;
// each is one DriveController segment (steer, then drive), numbered for the telemetry.
// The executive navigates with the rover's pose as visual odometry would give it (the caller's
// truth pose); faults that need the truth (stuck, tilt, time limit) are the simulation's.
// Bullet-free.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vehicle/actuator_command.h"
#include "vehicle/autonav.h"
#include "vehicle/drive_command.h"
#include "vehicle/drive_controller.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::vehicle {

struct Waypoint {
  double x_m = 0, y_m = 0;  // map frame
  bool operator==(const Waypoint&) const = default;
};

struct WaypointDriveParams {
  double waypoint_tolerance_m = 0.75;  // intermediate waypoints
  double goal_tolerance_m = 1.0;       // the last waypoint
  double speed_mps = 0;                // 0: the rover's default drive speed
  bool autonav = true;                 // false: blind drive
  AutoNavParams autonav_params;        // also used blind: decision interval, turn threshold
  std::vector<KeepOutZone> keep_outs;  // hard constraints of AutoNav
  // An intermediate waypoint that AutoNav's cost to go gives up on (unreachable in the known
  // map: hazards all around it; no progress toward it for too long) is skipped rather than
  // ending the drive: orbital planners place waypoints on 1 m maps that cannot show the ground
  // within a metre of them, and the drive's purpose is the goal. Not when the rover itself is
  // boxed in (every option unsafe), and never the last waypoint (the goal).
  bool skip_unreachable_waypoints = true;
};

// An intermediate waypoint given up on, and why (AutoNav's no-safe-path reason).
struct SkippedWaypoint {
  int index = 0;
  double time_s = 0;
  std::string reason;
};

enum class ExecutiveStatus { kRunning, kCompleted, kNoSafePath };

// What the executive senses each step.
struct ExecutiveObservation {
  double time_s = 0;
  DriveObservation drive;  // wheel odometry, IMU heading, steering encoders
  RoverPose3 pose;         // visual-odometry pose (truth in the simulation)
};

class WaypointExecutive {
 public:
  // `truth` is the world AutoNav's cameras see (may be null when autonav is off); it must
  // outlive the executive. seed: the run's seed (sensor noise).
  WaypointExecutive(const RoverSpec& spec, std::vector<Waypoint> waypoints,
                    WaypointDriveParams params, const terrain::TerrainTruth* truth,
                    std::uint64_t seed);

  ActuatorCommand Update(const ExecutiveObservation& observation, double dt_s);

  ExecutiveStatus status() const { return status_; }
  bool Done() const { return status_ != ExecutiveStatus::kRunning; }
  const std::string& reason() const { return reason_; }
  int waypoints_reached() const { return reached_; }
  int waypoint_count() const { return static_cast<int>(waypoints_.size()); }
  const std::vector<SkippedWaypoint>& skipped() const { return skipped_; }
  // The segment being executed: its primitive and its number (from 0), -1 / nullopt if none.
  std::optional<DriveCommandKind> CurrentKind() const;
  int SegmentIndex() const { return segment_ ? segment_index_ : -1; }
  const std::optional<DriveCommand>& current_command() const { return command_; }
  bool CommandingMotion() const { return segment_ && segment_->CommandingMotion(); }
  const std::vector<AutoNavDecision>& decisions() const { return decisions_; }
  std::vector<AutoNavDecision> TakeDecisions() { return std::move(decisions_); }
  const AutoNav* autonav() const { return autonav_.get(); }

 private:
  // Chooses the next segment; false when the drive is over (status set).
  bool NextSegment(const ExecutiveObservation& observation);
  // AutoNav's choice toward the current waypoint; nullopt when there is no safe path to it:
  // then the waypoint is skipped (an intermediate one, when allowed) or the drive is over.
  std::optional<DriveCommand> DecideWithAutoNav(const ExecutiveObservation& observation,
                                                double tolerance_m);
  // Blind: turn toward the current waypoint, or the arc through it.
  DriveCommand BlindCommand(const RoverPose3& pose) const;

  RoverSpec spec_;
  std::vector<Waypoint> waypoints_;
  WaypointDriveParams params_;
  std::unique_ptr<AutoNav> autonav_;
  ExecutiveStatus status_ = ExecutiveStatus::kRunning;
  std::string reason_;
  int next_ = 0;     // index of the waypoint being driven to
  int reached_ = 0;  // waypoints reached
  std::vector<SkippedWaypoint> skipped_;
  double turned_rad_ = 0;  // turning in place since the last translation
  std::optional<DriveController> segment_;
  std::optional<DriveCommand> command_;
  int segment_index_ = -1;
  std::vector<AutoNavDecision> decisions_;
};

}  // namespace marsdrive::vehicle

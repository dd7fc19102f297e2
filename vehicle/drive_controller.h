#pragma once
// The onboard drive executive: runs a list of drive primitives (vehicle/drive_command.h) as the
// flight rover does. Each command first steers the corner wheels with the drive wheels held
// (steering in place), then drives:
//   straight  all wheels at v / r, steering 0; ends when wheel odometry has covered |distance|
//   arc       corner wheels at the Ackermann angles about the turn centre (on the middle-axle
//             line, `radius` to the left or right of the reference point), every wheel at the
//             speed of its own radius; ends on wheel odometry (arc length radius x |angle|)
//   turn      corner wheels tangent to circles about the reference point; ends on IMU heading
//   stop      wheels held for `duration_s`
// Speeds ramp up and down at kDriveAccelMps2 (so that a command stops where odometry says).
// The executive sees only what the rover senses (wheel odometry, IMU heading, steering
// encoders); the simulation decides stuck / time limit from the truth (sim/drive_run.cpp).

#include <array>
#include <optional>
#include <vector>

#include "vehicle/actuator_command.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::vehicle {

// EST: reaches 4.2 cm/s in under a second (flight ramps are not public).
inline constexpr double kDriveAccelMps2 = 0.05;
// Steering counts as done within this angle (rad) of every target.
inline constexpr double kSteerToleranceRad = 0.5 * std::numbers::pi / 180.0;
// Steering that has not converged after this long proceeds anyway (s).
inline constexpr double kSteerTimeoutS = 30.0;

// Steering angles and signed wheel speed ratios of a primitive, in the sim/telemetry.h wheel
// order. For an arc, ratio = wheel speed / reference-point speed; for a turn in place, wheel
// speed / yaw rate (m per rad).
struct WheelKinematics {
  std::array<double, kWheels> steer_rad{};
  std::array<double, kWheels> speed_ratio{};
};
// Wheel centres (x, y) of the spec in the nav frame, telemetry order.
std::array<std::array<double, 2>, kWheels> WheelPositionsXY(const RoverSpec& spec);
// Ackermann arc with the turn centre `radius_m` to the left (turn_sign +1) or right (-1).
WheelKinematics CalcArcKinematics(const RoverSpec& spec, double radius_m, int turn_sign);
// Turn in place counter-clockwise (turn_sign +1) or clockwise (-1).
WheelKinematics CalcTurnInPlaceKinematics(const RoverSpec& spec, int turn_sign);

enum class DrivePhase { kSteering, kDriving, kHolding, kDone };

// What the executive senses each step.
struct DriveObservation {
  double odometry_m = 0;                    // accumulated wheel-odometry path length (>= 0)
  double heading_rad = 0;                   // IMU yaw, unwrapped (continuous across +-pi)
  std::array<double, kWheels> steer_rad{};  // steering encoders
};

class DriveController {
 public:
  DriveController(const RoverSpec& spec, std::vector<DriveCommand> commands);

  // One step: advances the command list and returns the actuator targets.
  ActuatorCommand Update(const DriveObservation& observation, double dt_s);

  bool Done() const { return index_ >= commands_.size(); }
  // Index of the command being executed, -1 once done.
  int CommandIndex() const { return Done() ? -1 : static_cast<int>(index_); }
  std::optional<DriveCommandKind> CurrentKind() const;
  DrivePhase Phase() const { return Done() ? DrivePhase::kDone : phase_; }
  // True while the wheels are commanded to move the rover (driving phase of straight/arc/turn).
  bool CommandingMotion() const;

 private:
  void Begin(const DriveObservation& observation);

  RoverSpec spec_;
  std::vector<DriveCommand> commands_;
  std::size_t index_ = 0;
  bool started_ = false;
  DrivePhase phase_ = DrivePhase::kSteering;
  double phase_time_s_ = 0;
  WheelKinematics kinematics_{};
  double goal_ = 0;       // odometry metres (straight, arc) or radians (turn) to cover
  double rate_ = 0;       // commanded reference speed (m/s) or yaw rate (rad/s), > 0
  double accel_ = 0;      // ramp (m/s^2 or rad/s^2)
  double direction_ = 1;  // +1 / -1: straight backwards, turn clockwise
  double start_odometry_m_ = 0;
  double start_heading_rad_ = 0;
  double current_rate_ = 0;
};

}  // namespace marsdrive::vehicle

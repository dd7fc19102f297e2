#pragma once
// Telemetry: what the simulated rover reports each step (decimated for storage), and the
// only input of the metrics (sim/metrics.h). Map frame ENU (x east, y north, z up), body frame
// FLU (x forward, y left, z up), SI units; angles in radians inside the code.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace marsdrive::sim {

// Wheel order everywhere (arrays, CSV columns): left front, left middle, left rear,
// right front, right middle, right rear.
inline constexpr int kWheelCount = 6;
enum class WheelIndex : std::uint8_t { kLF = 0, kLM, kLR, kRF, kRM, kRR };
inline constexpr std::array<const char*, kWheelCount> kWheelNames = {"lf", "lm", "lr",
                                                                     "rf", "rm", "rr"};

// What the drive executive is commanding when the sample is taken. Slip windows use only
// translating commands (straight, arc); a turn in place moves the wheels but not the rover.
enum class CommandKind : std::uint8_t { kNone = 0, kStraight, kArc, kTurnInPlace, kStop };
// "none", "straight", "arc", "turn", "stop" (telemetry CSV, JSON).
const char* ToString(CommandKind command);

struct WheelSample {
  double angle_rad = 0;       // drive-axle rotation angle (accumulated)
  double speed_radps = 0;     // drive-axle angular speed
  double torque_Nm = 0;       // drive motor torque applied
  double steer_rad = 0;       // steering angle (0 for the middle wheels)
  double normal_force_N = 0;  // terrain/rock normal force on the wheel
  double sinkage_m = 0;       // wheel-soil sinkage (0 on bedrock and rock)
  double slip_ratio = 0;      // longitudinal slip: 1 - v_ground / (omega r); 0 when not driven
  bool in_contact = false;
  bool on_rock = false;      // touching a rock body
  double rock_height_m = 0;  // height of that rock above the local ground (0 if none)
};

// A part of the rover other than a wheel touching terrain or a rock (a hazard contact).
enum class BodyPart : std::uint8_t {
  kChassis = 0,  // belly, body box
  kRockerLeft,
  kRockerRight,
  kBogieLeft,
  kBogieRight,
  kMast,
  kOther,
};
const char* ToString(BodyPart part);

struct BodyContact {
  BodyPart part = BodyPart::kChassis;
  bool with_rock = false;               // against a rock body (else the terrain)
  std::array<double, 3> point_map_m{};  // contact point
  double normal_force_N = 0;
};

struct TelemetrySample {
  double time_s = 0;
  // Truth pose of the chassis reference point (middle-axle midpoint at ground level), map frame.
  std::array<double, 3> position_map_m{};
  double roll_rad = 0, pitch_rad = 0, yaw_rad = 0;  // ZYX Euler of the chassis (IMU attitude)
  double tilt_rad = 0;                              // angle between body z and map z
  std::array<double, 3> velocity_map_mps{};
  // Dead-reckoned position from wheel odometry and IMU heading (what the rover believes).
  std::array<double, 2> odometry_position_map_m{};
  double odometry_distance_m = 0;  // accumulated wheel-odometry path length (>= 0)
  double truth_distance_m = 0;     // accumulated true path length (>= 0)
  std::array<WheelSample, kWheelCount> wheels{};
  double rocker_left_rad = 0, rocker_right_rad = 0;  // relative to the chassis, + = front up
  double bogie_left_rad = 0, bogie_right_rad = 0;    // relative to the rocker, + = front up
  double differential_rad = 0;                       // differential bar angle about body z
  std::vector<BodyContact> body_contacts;            // every non-wheel contact this sample
  double energy_J = 0;                               // accumulated motor energy drawn
  CommandKind command = CommandKind::kNone;
  int command_index = -1;  // index in the command list, -1 if none
};

using Telemetry = std::vector<TelemetrySample>;

}  // namespace marsdrive::sim

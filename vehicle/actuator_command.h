#pragma once
// What the drive executive (vehicle/drive_controller.h) asks of the rover's actuators for one
// step, consumed by the Bullet rover (vehicle/rover_model.h). Bullet-free.

#include <array>

namespace marsdrive::vehicle {

inline constexpr int kWheels = 6;  // lf, lm, lr, rf, rm, rr (sim/telemetry.h order)
inline constexpr int kLeft = 0, kRight = 1;

struct ActuatorCommand {
  std::array<double, kWheels> wheel_speed_radps{};  // drive motor velocity targets, + = forward
  std::array<double, kWheels> steer_rad{};          // steering targets, + = left (middle: unused)
};

}  // namespace marsdrive::vehicle

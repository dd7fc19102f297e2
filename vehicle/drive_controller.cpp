#include "vehicle/drive_controller.h"

#include <algorithm>
#include <cmath>

#include "base/check.h"

namespace marsdrive::vehicle {
namespace {

constexpr double kPi = std::numbers::pi;

// Heading and signed speed ratio of a wheel whose velocity direction is (vx, vy): steering stays
// within +-90 deg, a wheel that would point backwards drives backwards instead.
void SteerToward(double vx, double vy, double magnitude, double& steer, double& ratio) {
  if (magnitude < 1e-12) {
    steer = 0;
    ratio = 0;
    return;
  }
  double angle = std::atan2(vy, vx);
  ratio = magnitude;
  if (angle > kPi / 2) {
    angle -= kPi;
    ratio = -ratio;
  } else if (angle < -kPi / 2) {
    angle += kPi;
    ratio = -ratio;
  }
  steer = angle;
}

}  // namespace

std::array<std::array<double, 2>, kWheels> WheelPositionsXY(const RoverSpec& s) {
  return {{{s.front_wheel_m.x, s.front_wheel_m.y},
           {s.middle_wheel_m.x, s.middle_wheel_m.y},
           {s.rear_wheel_m.x, s.rear_wheel_m.y},
           {s.front_wheel_m.x, -s.front_wheel_m.y},
           {s.middle_wheel_m.x, -s.middle_wheel_m.y},
           {s.rear_wheel_m.x, -s.rear_wheel_m.y}}};
}

WheelKinematics CalcArcKinematics(const RoverSpec& spec, double radius_m, int turn_sign) {
  MD_DEMAND(radius_m > 0 && (turn_sign == 1 || turn_sign == -1));
  WheelKinematics k;
  const double yc = turn_sign * radius_m;  // turn centre (0, yc) on the middle-axle line
  const auto pos = WheelPositionsXY(spec);
  for (std::size_t i = 0; i < pos.size(); ++i) {
    const double x = pos[i][0], y = pos[i][1];
    // Velocity direction of a point rotating about the centre in the turn's sense.
    const double vx = turn_sign * (yc - y), vy = turn_sign * x;
    SteerToward(vx, vy, std::hypot(x, y - yc) / radius_m, k.steer_rad[i], k.speed_ratio[i]);
  }
  // Middle wheels are not steerable: their velocity is along x by construction.
  k.steer_rad[1] = k.steer_rad[4] = 0;
  return k;
}

WheelKinematics CalcTurnInPlaceKinematics(const RoverSpec& spec, int turn_sign) {
  MD_DEMAND(turn_sign == 1 || turn_sign == -1);
  WheelKinematics k;
  const auto pos = WheelPositionsXY(spec);
  for (std::size_t i = 0; i < pos.size(); ++i) {
    const double x = pos[i][0], y = pos[i][1];
    SteerToward(-turn_sign * y, turn_sign * x, std::hypot(x, y), k.steer_rad[i], k.speed_ratio[i]);
  }
  k.steer_rad[1] = k.steer_rad[4] = 0;
  return k;
}

DriveController::DriveController(const RoverSpec& spec, std::vector<DriveCommand> commands)
    : spec_(spec), commands_(std::move(commands)) {}

std::optional<DriveCommandKind> DriveController::CurrentKind() const {
  if (Done()) return std::nullopt;
  return commands_[index_].kind;
}

bool DriveController::CommandingMotion() const {
  return !Done() && phase_ == DrivePhase::kDriving &&
         commands_[index_].kind != DriveCommandKind::kStop;
}

void DriveController::Begin(const DriveObservation& obs) {
  const DriveCommand& c = commands_[index_];
  const double max_wheel_mps = spec_.max_wheel_speed_radps * spec_.wheel_radius_m;
  const double speed = c.speed_mps > 0 ? c.speed_mps : spec_.limits.default_speed_mps;
  kinematics_ = WheelKinematics{};
  phase_time_s_ = 0;
  current_rate_ = 0;
  start_odometry_m_ = obs.odometry_m;
  start_heading_rad_ = obs.heading_rad;
  direction_ = 1;
  switch (c.kind) {
    case DriveCommandKind::kStraight:
      kinematics_.speed_ratio.fill(1.0);
      direction_ = c.distance_m < 0 ? -1.0 : 1.0;
      goal_ = std::fabs(c.distance_m);
      rate_ = std::min(speed, max_wheel_mps);
      accel_ = kDriveAccelMps2;
      break;
    case DriveCommandKind::kArc: {
      kinematics_ = CalcArcKinematics(spec_, c.radius_m, c.angle_rad >= 0 ? 1 : -1);
      double max_ratio = 0;
      for (double r : kinematics_.speed_ratio) max_ratio = std::max(max_ratio, std::fabs(r));
      goal_ = c.radius_m * std::fabs(c.angle_rad);
      rate_ = std::min(speed, max_wheel_mps / max_ratio);
      accel_ = kDriveAccelMps2;
      break;
    }
    case DriveCommandKind::kTurnInPlace: {
      direction_ = c.angle_rad < 0 ? -1.0 : 1.0;
      kinematics_ = CalcTurnInPlaceKinematics(spec_, c.angle_rad < 0 ? -1 : 1);
      double max_ratio = 0;
      for (double r : kinematics_.speed_ratio) max_ratio = std::max(max_ratio, std::fabs(r));
      goal_ = std::fabs(c.angle_rad);
      rate_ = std::min(spec_.limits.default_speed_mps, max_wheel_mps) / max_ratio;  // rad/s
      accel_ = kDriveAccelMps2 / max_ratio;
      break;
    }
    case DriveCommandKind::kStop:
      goal_ = c.duration_s;
      rate_ = 0;
      accel_ = 0;
      break;
  }
  if (c.kind == DriveCommandKind::kStop) {
    phase_ = DrivePhase::kHolding;
    return;
  }
  phase_ = DrivePhase::kSteering;
}

ActuatorCommand DriveController::Update(const DriveObservation& obs, double dt_s) {
  ActuatorCommand out;
  // Hold steering wherever it is when idle.
  out.steer_rad = obs.steer_rad;
  for (int guard = 0; guard < 1000 && !Done(); ++guard) {
    if (!started_) {
      Begin(obs);
      started_ = true;
    }
    const DriveCommand& c = commands_[index_];
    if (phase_ == DrivePhase::kHolding) {
      out.steer_rad = obs.steer_rad;
      if (phase_time_s_ + 0.5 * dt_s < goal_) {
        phase_time_s_ += dt_s;
        return out;
      }
    } else if (phase_ == DrivePhase::kSteering) {
      out.steer_rad = kinematics_.steer_rad;
      bool steered = true;
      for (int w = 0; w < kWheels; ++w) {
        if (w == 1 || w == 4) continue;
        steered = steered && std::fabs(obs.steer_rad[static_cast<std::size_t>(w)] -
                                       kinematics_.steer_rad[static_cast<std::size_t>(w)]) <=
                                 kSteerToleranceRad;
      }
      if (!steered && phase_time_s_ < kSteerTimeoutS) {
        phase_time_s_ += dt_s;
        return out;
      }
      phase_ = DrivePhase::kDriving;
      phase_time_s_ = 0;
      start_odometry_m_ = obs.odometry_m;
      start_heading_rad_ = obs.heading_rad;
      continue;
    } else {  // driving
      const double done = c.kind == DriveCommandKind::kTurnInPlace
                              ? direction_ * (obs.heading_rad - start_heading_rad_)
                              : obs.odometry_m - start_odometry_m_;
      const double remaining = goal_ - done;
      if (remaining > 0) {
        // Ramp up, cruise, ramp down so that the rate reaches ~0 at the goal; never below 10 %
        // of the cruise rate, so the goal is reached.
        const double ramp_up = current_rate_ + accel_ * dt_s;
        const double ramp_down = std::sqrt(2 * accel_ * remaining);
        current_rate_ = std::max(0.1 * rate_, std::min({rate_, ramp_up, ramp_down}));
        out.steer_rad = kinematics_.steer_rad;
        // The turn's sense is already in its kinematics; a straight line's is not.
        const double sign = c.kind == DriveCommandKind::kStraight ? direction_ : 1.0;
        for (std::size_t w = 0; w < out.wheel_speed_radps.size(); ++w) {
          out.wheel_speed_radps[w] =
              sign * current_rate_ * kinematics_.speed_ratio[w] / spec_.wheel_radius_m;
        }
        phase_time_s_ += dt_s;
        return out;
      }
    }
    // This command is complete: next one (same step, so a stop or zero-length command costs
    // no time).
    ++index_;
    started_ = false;
    out = ActuatorCommand{};
    out.steer_rad = obs.steer_rad;
  }
  return out;
}

}  // namespace marsdrive::vehicle

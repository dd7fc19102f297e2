#include "viewer/rover_pose.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace marsdrive::viewer {

namespace {

Vec3f ToF(const vehicle::Vec3& v, int side) {
  return {static_cast<float>(v.x), static_cast<float>(side == 0 ? v.y : -v.y),
          static_cast<float>(v.z)};
}

double Lerp(double a, double b, double f) { return a + (b - a) * f; }

// Interpolates an angle the short way round.
double LerpAngle(double a, double b, double f) {
  double d = std::remainder(b - a, 2 * std::numbers::pi);
  return a + d * f;
}

}  // namespace

Mat4 CalcBodyTransform(const sim::TelemetrySample& s) {
  const Vec3f p{static_cast<float>(s.position_map_m[0]), static_cast<float>(s.position_map_m[1]),
                static_cast<float>(s.position_map_m[2])};
  return Translation(p) * RotationZ(static_cast<float>(s.yaw_rad)) *
         RotationY(static_cast<float>(s.pitch_rad)) * RotationX(static_cast<float>(s.roll_rad));
}

RoverPose CalcRoverPose(const vehicle::RoverSpec& spec, const sim::TelemetrySample& s) {
  RoverPose pose;
  pose.X_MapBody = CalcBodyTransform(s);
  for (int side = 0; side < 2; ++side) {
    const Vec3f rocker_pivot = ToF(spec.rocker_pivot_m, side);
    const Vec3f bogie_pivot = ToF(spec.bogie_pivot_m, side);
    const double rocker = side == 0 ? s.rocker_left_rad : s.rocker_right_rad;
    const double bogie = side == 0 ? s.bogie_left_rad : s.bogie_right_rad;
    const Mat4 X_MapRocker =
        pose.X_MapBody * Translation(rocker_pivot) * RotationY(-static_cast<float>(rocker));
    const Mat4 X_MapBogie = X_MapRocker * Translation(bogie_pivot - rocker_pivot) *
                            RotationY(-static_cast<float>(bogie));
    pose.X_MapRocker[static_cast<std::size_t>(side)] = X_MapRocker;
    pose.X_MapBogie[static_cast<std::size_t>(side)] = X_MapBogie;
    // Wheels of this side: front on the rocker, middle and rear on the bogie.
    const int base = side == 0 ? 0 : 3;
    const std::array<Mat4, 3> X_MapHub = {
        X_MapRocker * Translation(ToF(spec.front_wheel_m, side) - rocker_pivot),
        X_MapBogie * Translation(ToF(spec.middle_wheel_m, side) - bogie_pivot),
        X_MapBogie * Translation(ToF(spec.rear_wheel_m, side) - bogie_pivot)};
    for (int k = 0; k < 3; ++k) {
      const auto w = static_cast<std::size_t>(base + k);
      const sim::WheelSample& ws = s.wheels[w];
      pose.X_MapSteer[w] =
          X_MapHub[static_cast<std::size_t>(k)] * RotationZ(static_cast<float>(ws.steer_rad));
      pose.X_MapWheel[w] = pose.X_MapSteer[w] * RotationY(static_cast<float>(ws.angle_rad));
      pose.wheel_centre_map[w] = TransformPoint(pose.X_MapSteer[w], {0, 0, 0});
    }
  }
  return pose;
}

sim::TelemetrySample SampleAt(const sim::Telemetry& telemetry, double t_s) {
  if (t_s <= telemetry.front().time_s) return telemetry.front();
  if (t_s >= telemetry.back().time_s) return telemetry.back();
  const auto it = std::upper_bound(
      telemetry.begin(), telemetry.end(), t_s,
      [](double t, const sim::TelemetrySample& sample) { return t < sample.time_s; });
  const sim::TelemetrySample& b = *it;
  const sim::TelemetrySample& a = *(it - 1);
  const double span = b.time_s - a.time_s;
  const double f = span > 0 ? (t_s - a.time_s) / span : 0.0;
  sim::TelemetrySample s = f < 0.5 ? a : b;  // flags, command, contacts: the nearer sample
  s.time_s = t_s;
  for (int i = 0; i < 3; ++i) {
    s.position_map_m[static_cast<std::size_t>(i)] =
        Lerp(a.position_map_m[static_cast<std::size_t>(i)],
             b.position_map_m[static_cast<std::size_t>(i)], f);
  }
  s.roll_rad = LerpAngle(a.roll_rad, b.roll_rad, f);
  s.pitch_rad = LerpAngle(a.pitch_rad, b.pitch_rad, f);
  s.yaw_rad = LerpAngle(a.yaw_rad, b.yaw_rad, f);
  s.tilt_rad = Lerp(a.tilt_rad, b.tilt_rad, f);
  s.rocker_left_rad = Lerp(a.rocker_left_rad, b.rocker_left_rad, f);
  s.rocker_right_rad = Lerp(a.rocker_right_rad, b.rocker_right_rad, f);
  s.bogie_left_rad = Lerp(a.bogie_left_rad, b.bogie_left_rad, f);
  s.bogie_right_rad = Lerp(a.bogie_right_rad, b.bogie_right_rad, f);
  for (std::size_t w = 0; w < s.wheels.size(); ++w) {
    s.wheels[w].angle_rad = Lerp(a.wheels[w].angle_rad, b.wheels[w].angle_rad, f);
    s.wheels[w].steer_rad = Lerp(a.wheels[w].steer_rad, b.wheels[w].steer_rad, f);
  }
  return s;
}

}  // namespace marsdrive::viewer

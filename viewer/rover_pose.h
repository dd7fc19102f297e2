#pragma once
// Rover forward kinematics for drawing: from the rover specification and one telemetry sample
// (chassis pose, rocker / bogie angles, steering and wheel rotation), the map-frame transform of
// every part. Conventions as vehicle/rover_model.cpp: rocker and bogie turn about -y (+ = front
// up), steering about body z (+ = left), wheels spin about their axle (y).

#include <array>

#include "sim/telemetry.h"
#include "vehicle/rover_spec.h"
#include "viewer/math3d.h"

namespace marsdrive::viewer {

struct RoverPose {
  Mat4 X_MapBody;                   // chassis (nav frame origin: middle-axle ground point)
  std::array<Mat4, 2> X_MapRocker;  // [left, right]; origin at the rocker pivot
  std::array<Mat4, 2> X_MapBogie;   // origin at the bogie pivot
  std::array<Mat4, 6> X_MapSteer;   // wheel centre, steered, not spinning (kWheelNames order)
  std::array<Mat4, 6> X_MapWheel;   // wheel centre, steered and spinning; axle along y
  std::array<Vec3f, 6> wheel_centre_map;
};

// The chassis pose of a sample alone: T(position) Rz(yaw) Ry(pitch) Rx(roll).
Mat4 CalcBodyTransform(const sim::TelemetrySample& sample);
RoverPose CalcRoverPose(const vehicle::RoverSpec& spec, const sim::TelemetrySample& sample);

// The sample at time t, interpolated between the two stored samples around it (pose, angles,
// wheels); clamped to the first / last sample. `telemetry` must not be empty.
sim::TelemetrySample SampleAt(const sim::Telemetry& telemetry, double t_s);

}  // namespace marsdrive::viewer

#pragma once
// Wheel tracks: where each wheel touched the ground, from telemetry (in_contact) and the rover's
// kinematics. One track per contiguous run of contact samples of one wheel.

#include <functional>
#include <vector>

#include "sim/telemetry.h"
#include "vehicle/rover_spec.h"
#include "viewer/scene_types.h"

namespace marsdrive::viewer {

// Height of the drawn ground at a map point (the terrain mesh's surface).
using HeightFn = std::function<double(double x_m, double y_m)>;

struct WheelTrack {
  int wheel = 0;               // kWheelNames index
  std::vector<Vec3f> points;   // contact points (below the wheel centre), map frame
  std::vector<float> times_s;  // when the wheel was there
};

// Points closer than min_spacing_m to the previous one of a track are skipped.
std::vector<WheelTrack> ExtractWheelTracks(const vehicle::RoverSpec& spec,
                                           const sim::Telemetry& telemetry,
                                           double min_spacing_m = 0.03);

// Ground ribbons (a wheel's width) laid on the drawn surface `ground`, raised by lift_m.
std::vector<Ribbon> MakeTrackRibbons(const std::vector<WheelTrack>& tracks, double width_m,
                                     const HeightFn& ground, double lift_m, Rgba color,
                                     Layer layer);

}  // namespace marsdrive::viewer

#include "viewer/tracks.h"

#include <cmath>

#include "viewer/rover_pose.h"

namespace marsdrive::viewer {

std::vector<WheelTrack> ExtractWheelTracks(const vehicle::RoverSpec& spec,
                                           const sim::Telemetry& telemetry, double min_spacing_m) {
  std::vector<WheelTrack> done;
  std::array<WheelTrack, sim::kWheelCount> open;
  std::array<bool, sim::kWheelCount> active{};
  const float radius = static_cast<float>(spec.wheel_radius_m);
  auto close = [&](std::size_t w) {
    if (active[w] && open[w].points.size() >= 2) done.push_back(std::move(open[w]));
    open[w] = WheelTrack{};
    active[w] = false;
  };
  for (const sim::TelemetrySample& s : telemetry) {
    const RoverPose pose = CalcRoverPose(spec, s);
    for (std::size_t w = 0; w < sim::kWheelCount; ++w) {
      if (!s.wheels[w].in_contact) {
        close(w);
        continue;
      }
      const Vec3f p = pose.wheel_centre_map[w] - Vec3f{0, 0, radius};
      WheelTrack& t = open[w];
      if (!active[w]) {
        t.wheel = static_cast<int>(w);
        active[w] = true;
      }
      if (!t.points.empty() && Length(p - t.points.back()) < min_spacing_m) continue;
      t.points.push_back(p);
      t.times_s.push_back(static_cast<float>(s.time_s));
    }
  }
  for (std::size_t w = 0; w < sim::kWheelCount; ++w) close(w);
  return done;
}

std::vector<Ribbon> MakeTrackRibbons(const std::vector<WheelTrack>& tracks, double width_m,
                                     const HeightFn& ground, double lift_m, Rgba color,
                                     Layer layer) {
  std::vector<Ribbon> ribbons;
  for (const WheelTrack& t : tracks) {
    Ribbon r;
    r.width_m = static_cast<float>(width_m);
    r.color = color;
    r.layer = layer;
    r.times_s = t.times_s;
    for (const Vec3f& p : t.points) {
      r.points.push_back({p.x, p.y, static_cast<float>(ground(p.x, p.y) + lift_m)});
    }
    ribbons.push_back(std::move(r));
  }
  return ribbons;
}

}  // namespace marsdrive::viewer

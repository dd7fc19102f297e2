#include "sim/fault_detect.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "base/check.h"

namespace marsdrive::sim {

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

std::string Printf(const char* format, auto... values) {
  char text[256];
  std::snprintf(text, sizeof text, format, values...);
  return text;
}

double Norm(const std::array<double, 3>& v) { return std::hypot(v[0], v[1], v[2]); }

}  // namespace

const char* ToString(FaultKind kind) {
  switch (kind) {
    case FaultKind::kOffMap:
      return "off_map";
    case FaultKind::kRollover:
      return "rollover";
    case FaultKind::kSimFault:
      return "sim_fault";
  }
  return "sim_fault";
}

FaultDetector::FaultDetector(const terrain::HeightMap& dem, vehicle::SupportGeometry support,
                             double mass_kg, double gravity_mps2, double dt_s)
    : dem_(dem),
      support_(std::move(support)),
      mass_kg_(mass_kg),
      gravity_mps2_(gravity_mps2),
      dt_s_(dt_s) {
  MD_DEMAND(mass_kg > 0 && gravity_mps2 > 0 && dt_s > 0);
}

std::optional<Fault> FaultDetector::Check(const FaultSample& s) {
  if (auto f = CheckOffMap(s)) return f;
  if (auto f = CheckRollover(s)) return f;
  if (auto f = CheckBelowSurface(s)) return f;
  return CheckSpeedAndEnergy(s);
}

std::optional<Fault> FaultDetector::CheckOffMap(const FaultSample& s) const {
  const terrain::GridSpec& spec = dem_.spec();
  for (std::size_t w = 0; w < s.wheel_centres_map_m.size(); ++w) {
    const double x = s.wheel_centres_map_m[w][0], y = s.wheel_centres_map_m[w][1];
    const bool on_grid = spec.Contains(x, y);
    if (on_grid && std::isfinite(dem_.HeightAt(x, y))) continue;
    return Fault{FaultKind::kOffMap,
                 Printf("wheel %s left the terrain at (%.2f, %.2f) at t = %.2f s: %s",
                        kWheelNames[w], x, y, s.time_s,
                        on_grid ? "the height there is nodata"
                                : Printf("the map covers x %.2f..%.2f m, y %.2f..%.2f m",
                                         spec.origin_x_m, spec.MaxX(), spec.origin_y_m, spec.MaxY())
                                      .c_str())};
  }
  return std::nullopt;
}

std::optional<Fault> FaultDetector::CheckRollover(const FaultSample& s) const {
  if (vehicle::IsStaticallyStable(support_, s.up_body)) return std::nullopt;
  const double tilt_deg = std::acos(std::clamp(s.up_body[2], -1.0, 1.0)) * kRadToDeg;
  return Fault{FaultKind::kRollover,
               Printf("rolled over at (%.2f, %.2f) at t = %.2f s: tilt %.1f deg%s", s.com_map_m[0],
                      s.com_map_m[1], s.time_s, tilt_deg,
                      s.up_body[2] <= 0
                          ? ", upside down"
                          : Printf(", beyond static tip-over (%.1f deg in the worst direction)",
                                   vehicle::StaticTipOverAngleRad(support_) * kRadToDeg)
                                .c_str())};
}

std::optional<Fault> FaultDetector::CheckBelowSurface(const FaultSample& s) const {
  const double ground = dem_.HeightAt(s.com_map_m[0], s.com_map_m[1]);
  if (!(s.com_map_m[2] < ground - kBelowSurfaceM)) return std::nullopt;  // NaN: not known
  return Fault{FaultKind::kSimFault,
               Printf("the centre of mass is %.2f m below the ground surface at (%.2f, %.2f) at "
                      "t = %.2f s",
                      ground - s.com_map_m[2], s.com_map_m[0], s.com_map_m[1], s.time_s)};
}

std::optional<Fault> FaultDetector::CheckSpeedAndEnergy(const FaultSample& s) {
  const double z = s.com_map_m[2];
  if (!previous_) {  // no speed yet
    previous_ = s;
    return std::nullopt;
  }
  std::array<double, 3> v{};
  for (std::size_t i = 0; i < 3; ++i) v[i] = (s.com_map_m[i] - previous_->com_map_m[i]) / dt_s_;
  previous_ = s;
  const double speed = Norm(v);
  const double v_free = s.commanded_speed_mps + kOverspeedMarginMps;
  const double energy_J = mass_kg_ * (0.5 * speed * speed + gravity_mps2_ * z);
  if (!primed_) {  // the first speed: whatever motion the drive starts with is given
    primed_ = true;
    anchor_z_m_ = z + std::max(0.0, speed * speed - v_free * v_free) / (2 * gravity_mps2_);
    min_energy_minus_work_J_ = energy_J - s.actuator_work_J;
    return std::nullopt;
  }
  if (speed <= v_free) anchor_z_m_ = z;
  const double drop_m = std::max(0.0, anchor_z_m_ - z);
  const double limit = std::sqrt(v_free * v_free + 2 * gravity_mps2_ * drop_m);
  if (speed > limit) {
    return Fault{FaultKind::kSimFault,
                 Printf("the rover moves at %.2f m/s at (%.2f, %.2f) at t = %.2f s, faster than "
                        "%.2f m/s (commanded %.3f m/s + %.1f m/s, and a fall of %.2f m)",
                        speed, s.com_map_m[0], s.com_map_m[1], s.time_s, limit,
                        s.commanded_speed_mps, kOverspeedMarginMps, drop_m)};
  }
  const double excess_J = energy_J - s.actuator_work_J;
  const double margin_J = kEnergyGainMarginM * mass_kg_ * gravity_mps2_;
  if (excess_J - min_energy_minus_work_J_ > margin_J) {
    return Fault{FaultKind::kSimFault,
                 Printf("the rover gained %.0f J of mechanical energy beyond the actuator work "
                        "(margin %.0f J) at (%.2f, %.2f) at t = %.2f s",
                        excess_J - min_energy_minus_work_J_, margin_J, s.com_map_m[0],
                        s.com_map_m[1], s.time_s)};
  }
  min_energy_minus_work_J_ = std::min(min_energy_minus_work_J_, excess_J);
  return std::nullopt;
}

}  // namespace marsdrive::sim

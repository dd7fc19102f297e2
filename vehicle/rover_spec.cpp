#include "vehicle/rover_spec.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/check.h"
#include "base/format.h"
#include "io/yaml_reader.h"

#ifndef MARSDRIVE_VEHICLE_DATA_DIR
#define MARSDRIVE_VEHICLE_DATA_DIR "vehicle/data"
#endif

namespace marsdrive::vehicle {
namespace {

using MapReader = YamlMapReader;

// A 3-vector of finite numbers (> 0 when `positive`).
void Vector(MapReader& m, const std::string& key, Vec3& out, bool positive) {
  m.Numbers(key, 3, positive, [&out](const std::vector<double>& v) { out = {v[0], v[1], v[2]}; });
}

void Require(bool condition, const std::string& source, const std::string& message) {
  MD_THROW_UNLESS(condition, source + ": " + message);
}

}  // namespace

RoverSpec DefaultRoverSpec() { return RoverSpec{}; }

std::filesystem::path BundledRoverSpecPath() {
  return std::filesystem::path(MARSDRIVE_VEHICLE_DATA_DIR) / "perseverance.yaml";
}

double TotalMassKg(const RoverSpec& s) {
  return s.chassis_mass_kg + 2 * s.rocker_mass_kg + 2 * s.bogie_mass_kg + 4 * s.steer_mass_kg +
         6 * s.wheel_mass_kg;
}

namespace {
// Length-weighted centroid of a two-segment beam from `pivot` to `a` and to `b`.
Vec3 BeamCentroid(const Vec3& pivot, const Vec3& a, const Vec3& b) {
  const auto len = [](const Vec3& p, const Vec3& q) {
    return std::sqrt((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y) +
                     (p.z - q.z) * (p.z - q.z));
  };
  const double la = len(pivot, a), lb = len(pivot, b);
  const double w = la + lb;
  return {((pivot.x + a.x) * la + (pivot.x + b.x) * lb) / (2 * w),
          ((pivot.y + a.y) * la + (pivot.y + b.y) * lb) / (2 * w),
          ((pivot.z + a.z) * la + (pivot.z + b.z) * lb) / (2 * w)};
}
}  // namespace

Vec3 RockerComM(const RoverSpec& s) {
  return BeamCentroid(s.rocker_pivot_m, s.front_wheel_m, s.bogie_pivot_m);
}
Vec3 BogieComM(const RoverSpec& s) {
  return BeamCentroid(s.bogie_pivot_m, s.middle_wheel_m, s.rear_wheel_m);
}

Vec3 ChassisComM(const RoverSpec& s) {
  // Left and right sides mirror each other, so every part's y cancels; only x and z matter.
  const Vec3 rocker = RockerComM(s);
  const Vec3 bogie = BogieComM(s);
  const double m_parts_x =
      2 * (s.rocker_mass_kg * rocker.x + s.bogie_mass_kg * bogie.x +
           s.steer_mass_kg * (s.front_wheel_m.x + s.rear_wheel_m.x) +
           s.wheel_mass_kg * (s.front_wheel_m.x + s.middle_wheel_m.x + s.rear_wheel_m.x));
  const double m_parts_z =
      2 * (s.rocker_mass_kg * rocker.z + s.bogie_mass_kg * bogie.z +
           s.steer_mass_kg * (s.front_wheel_m.z + s.rear_wheel_m.z) +
           s.wheel_mass_kg * (s.front_wheel_m.z + s.middle_wheel_m.z + s.rear_wheel_m.z));
  const double total = TotalMassKg(s);
  return {(total * s.com_m.x - m_parts_x) / s.chassis_mass_kg, 0.0,
          (total * s.com_m.z - m_parts_z) / s.chassis_mass_kg};
}

void ValidateRoverSpec(const RoverSpec& s, const std::string& source) {
  const auto positive3 = [](const Vec3& v) { return v.x > 0 && v.y > 0 && v.z > 0; };
  Require(positive3(s.wheel_inertia_kgm2) && positive3(s.chassis_inertia_kgm2) &&
              positive3(s.rocker_inertia_kgm2) && positive3(s.bogie_inertia_kgm2) &&
              positive3(s.steer_inertia_kgm2),
          source, "inertias: expected every component > 0");
  Require(s.chassis_min_x_m < s.chassis_max_x_m, source,
          "chassis: expected min_x_m < max_x_m, got " + base::FormatExact(s.chassis_min_x_m) +
              " and " + base::FormatExact(s.chassis_max_x_m));
  Require(s.chassis_top_m > s.limits.ground_clearance_m, source,
          "chassis.top_m: expected > limits.ground_clearance_m (" +
              base::FormatExact(s.limits.ground_clearance_m) + "), got " +
              base::FormatExact(s.chassis_top_m));
  Require(s.limits.ground_clearance_m > s.wheel_radius_m, source,
          "limits.ground_clearance_m: expected > wheel.radius_m (" +
              base::FormatExact(s.wheel_radius_m) + "), got " +
              base::FormatExact(s.limits.ground_clearance_m));
  for (const auto* wheel : {&s.front_wheel_m, &s.middle_wheel_m, &s.rear_wheel_m}) {
    Require(wheel->y > s.chassis_half_width_m + 0.5 * s.wheel_width_m, source,
            "geometry: every wheel must lie outside the chassis (|y| > chassis.half_width_m + "
            "wheel.width_m / 2)");
  }
  Require(s.front_wheel_m.x > s.middle_wheel_m.x && s.middle_wheel_m.x > s.rear_wheel_m.x, source,
          "geometry: expected front_wheel_m.x > middle_wheel_m.x > rear_wheel_m.x");
  Require(s.bogie_pivot_m.x > s.rear_wheel_m.x && s.bogie_pivot_m.x < s.middle_wheel_m.x, source,
          "geometry.bogie_pivot_m: expected x between rear_wheel_m.x and middle_wheel_m.x");
  Require(s.com_m.z > 0, source, "geometry.com_m: expected a height (z) > 0");
  const Vec3 chassis_com = ChassisComM(s);
  Require(chassis_com.z > s.limits.ground_clearance_m && chassis_com.z < s.chassis_top_m + 1.0,
          source,
          "geometry.com_m: the chassis centre of mass it implies (z = " +
              base::FormatExact(chassis_com.z) + " m) must lie above the belly");
  Require(s.rocker_stop_min_rad < 0 && s.rocker_stop_max_rad > 0 && s.bogie_stop_min_rad < 0 &&
              s.bogie_stop_max_rad > 0,
          source, "joints: expected stops [min < 0, max > 0]");
  Require(s.limits.max_steer_rad <= s.steer_stop_rad, source,
          "limits.max_steer_deg: expected <= joints.steer_stop_deg");
  Require(s.limits.default_speed_mps <= s.limits.max_speed_mps, source,
          "limits.default_speed_mps: expected <= limits.max_speed_mps");
  Require(s.limits.max_speed_mps <= s.max_wheel_speed_radps * s.wheel_radius_m * (1 + 1e-9), source,
          "limits.max_speed_mps: expected <= actuators.max_wheel_speed_radps x wheel.radius_m");
  Require(s.limits.slip_limit > 0 && s.limits.slip_limit <= 1, source,
          "limits.slip_limit: expected a ratio in (0, 1]");
}

RoverSpec LoadRoverSpec(const std::filesystem::path& path) {
  const std::string file = path.string();
  const YAML::Node root = LoadYamlFile(path, "rover specification");
  RoverSpec s = DefaultRoverSpec();
  MapReader top(root, file, "");
  top.String("name", s.name);
  top.Map("wheel", [&](MapReader& m) {
    m.Number("radius_m", s.wheel_radius_m, true);
    m.Number("width_m", s.wheel_width_m, true);
    m.NonNegative("grouser_height_m", s.wheel_grouser_m);
    m.Number("mass_kg", s.wheel_mass_kg, true);
    Vector(m, "inertia_kgm2", s.wheel_inertia_kgm2, true);
  });
  top.Map("chassis", [&](MapReader& m) {
    m.Number("mass_kg", s.chassis_mass_kg, true);
    Vector(m, "inertia_kgm2", s.chassis_inertia_kgm2, true);
    m.Number("min_x_m", s.chassis_min_x_m, false);
    m.Number("max_x_m", s.chassis_max_x_m, false);
    m.Number("half_width_m", s.chassis_half_width_m, true);
    m.Number("top_m", s.chassis_top_m, true);
  });
  top.Map("rocker", [&](MapReader& m) {
    m.Number("mass_kg", s.rocker_mass_kg, true);
    Vector(m, "inertia_kgm2", s.rocker_inertia_kgm2, true);
  });
  top.Map("bogie", [&](MapReader& m) {
    m.Number("mass_kg", s.bogie_mass_kg, true);
    Vector(m, "inertia_kgm2", s.bogie_inertia_kgm2, true);
  });
  top.Map("steering", [&](MapReader& m) {
    m.Number("mass_kg", s.steer_mass_kg, true);
    Vector(m, "inertia_kgm2", s.steer_inertia_kgm2, true);
  });
  top.Number("beam_thickness_m", s.beam_thickness_m, true);
  top.Map("geometry", [&](MapReader& m) {
    Vector(m, "front_wheel_m", s.front_wheel_m, false);
    Vector(m, "middle_wheel_m", s.middle_wheel_m, false);
    Vector(m, "rear_wheel_m", s.rear_wheel_m, false);
    Vector(m, "rocker_pivot_m", s.rocker_pivot_m, false);
    Vector(m, "bogie_pivot_m", s.bogie_pivot_m, false);
    Vector(m, "differential_pivot_m", s.differential_pivot_m, false);
    Vector(m, "com_m", s.com_m, false);
  });
  top.Map("joints", [&](MapReader& m) {
    m.DegreeRange("rocker_stop_deg", s.rocker_stop_min_rad, s.rocker_stop_max_rad);
    m.DegreeRange("bogie_stop_deg", s.bogie_stop_min_rad, s.bogie_stop_max_rad);
    m.Degrees("steer_stop_deg", s.steer_stop_rad, true);
  });
  top.Map("actuators", [&](MapReader& m) {
    m.Number("max_wheel_speed_radps", s.max_wheel_speed_radps, true);
    m.Number("drive_torque_limit_Nm", s.drive_torque_limit_Nm, true);
    m.Degrees("steer_rate_deg_s", s.steer_rate_radps, true);
    m.Number("steer_torque_limit_Nm", s.steer_torque_limit_Nm, true);
  });
  top.Map("limits", [&](MapReader& m) {
    RoverLimits& l = s.limits;
    m.Degrees("max_tilt_deg", l.max_tilt_rad, true);
    m.Number("slip_limit", l.slip_limit, true);
    m.Number("max_rock_height_m", l.max_rock_height_m, true);
    m.Number("ground_clearance_m", l.ground_clearance_m, true);
    m.DegreeRange("rocker_deg", l.rocker_min_rad, l.rocker_max_rad);
    m.DegreeRange("bogie_deg", l.bogie_min_rad, l.bogie_max_rad);
    m.Degrees("max_steer_deg", l.max_steer_rad, true);
    m.Number("default_speed_mps", l.default_speed_mps, true);
    m.Number("max_speed_mps", l.max_speed_mps, true);
  });
  top.Run();
  ValidateRoverSpec(s, file);
  return s;
}

}  // namespace marsdrive::vehicle

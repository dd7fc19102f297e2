#include "vehicle/terramechanics.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "vehicle/soil_params.h"

namespace marsdrive::vehicle {

double StaticSinkageM(const SoilParams& soil, double load_N, double width_m, double radius_m) {
  if (!soil.Deformable() || !(load_N > 0)) return 0;
  const double n = soil.bekker_n;
  const double k = soil.bekker_kc / width_m + soil.bekker_kphi;
  const double base = 3 * load_N / ((3 - n) * k * width_m * std::sqrt(2 * radius_m));
  return std::pow(base, 2 / (2 * n + 1));
}

double SlipSinkageFactor(const SoilParams& soil, double slip) {
  if (!soil.slip_sinkage) return 1;
  const double s = std::clamp(slip, 0.0, 0.95);
  return (1 + s) / (1 - 0.5 * s);
}

ContactArc MakeContactArc(const SoilParams& soil, double sinkage_m, double grouser_m,
                          double radius_m, double slip) {
  const auto angle_at = [&](double depth) {
    return std::acos(1 - std::clamp(depth, 1e-4, radius_m) / radius_m);
  };
  const double z = std::max(sinkage_m, 0.0);
  const double entry = angle_at(z + grouser_m);
  if (!soil.Deformable()) {
    return {.entry_rad = entry, .rim_entry_rad = entry, .exit_rad = -entry, .max_stress_rad = 0};
  }
  const double rim = angle_at(z);
  const double s = std::clamp(slip, 0.0, 1.0);
  const double ratio = std::clamp(soil.wong_c1 + soil.wong_c2 * s, 0.05, 0.95);
  return {.entry_rad = entry, .rim_entry_rad = rim, .exit_rad = 0, .max_stress_rad = ratio * rim};
}

double NormalStressShape(const SoilParams& soil, const ContactArc& arc, double theta_rad) {
  if (!soil.Deformable()) return 1;
  const double f = arc.rim_entry_rad, r = arc.exit_rad, m = arc.max_stress_rad;
  if (theta_rad >= f || theta_rad <= r) return 0;
  // Behind theta_m the front profile is mapped onto [theta_r, theta_m] (Wong & Reece 1967).
  const double equivalent = theta_rad >= m ? theta_rad : f - (theta_rad - r) / (m - r) * (f - m);
  const double dz = std::cos(equivalent) - std::cos(f);
  return dz > 0 ? std::pow(dz, soil.bekker_n) : 0;
}

double BulldozingPerMetre(const SoilParams& soil, double depth_m, double gravity_mps2) {
  if (!soil.Deformable() || !(depth_m > 0)) return 0;
  const double phi = soil.friction_angle_rad;
  const double xc = std::numbers::pi / 4 - phi / 2;
  const double cot_xc = 1 / std::tan(xc);
  const double d1 = cot_xc + std::tan(xc + phi);
  const double d2 = cot_xc + cot_xc * cot_xc * std::tan(phi);
  const double gamma = soil.density_kgpm3 * gravity_mps2;
  return d1 * (soil.cohesion_Pa * depth_m + 0.5 * d2 * gamma * depth_m * depth_m);
}

}  // namespace marsdrive::vehicle

#include "vehicle/shear_patch.h"

#include <algorithm>
#include <cmath>

namespace marsdrive::vehicle {
namespace {

// Beyond this normalised displacement the soil flows plastically (Janosi: 99.8 % of tau_max);
// the field is capped there so that a reversal unloads within a few K.
constexpr double kJanosiFlow = 6.0;
// Floor of the rows' stiffness (N per m/s): an unloaded patch (a wheel just touching) still
// gives the solver a finite compliance.
constexpr double kMinSlopeNspm = 1.0;

// Mobilised fraction g(m) of the strength at normalised displacement m.
double Mobilised(ShearLaw law, double m) {
  return law == ShearLaw::kRigid ? std::min(m, 1.0) : 1 - std::exp(-m);
}

double FlowLimit(ShearLaw law) { return law == ShearLaw::kRigid ? 1.0 : kJanosiFlow; }

// Stress along one axis for normalised displacement (a, b), a along that axis: the strength
// mobilised by |(a, b)|, in the direction of the displacement vector.
double StressAlong(ShearLaw law, double a, double b, double tau_max) {
  const double m = std::hypot(a, b);
  return m < 1e-12 ? 0.0 : tau_max * Mobilised(law, m) * a / m;
}

}  // namespace

void ShearPatch::Prepare(const SoilParams& soil, const PatchInput& in) {
  law_ = soil.shear_law;
  k_long_m_ = soil.shear_modulus_m;
  k_lat_m_ = soil.lateral_shear_modulus_m;
  radius_m_ = in.radius_m;
  arc_ = MakeContactArc(soil, in.sinkage_m, in.grouser_m, in.radius_m, in.slip);
  const double dtheta = (arc_.entry_rad - arc_.exit_rad) / kCells;
  cell_area_m2_ = in.radius_m * in.width_m * dtheta;
  double vertical = 0;  // sum of shape x area x cos: scales the shape to the load
  for (int k = 0; k < kCells; ++k) {
    const auto i = static_cast<std::size_t>(k);
    // On rigid ground the grousers' footprint is a flat patch: no rim angle, no compaction.
    theta_[i] = soil.Deformable() ? arc_.entry_rad - (k + 0.5) * dtheta : 0.0;
    sigma_[i] = NormalStressShape(soil, arc_, theta_[i]);
    vertical += sigma_[i] * cell_area_m2_ * std::cos(theta_[i]);
  }
  const double scale = vertical > 0 ? std::max(in.load_N, 0.0) / vertical : 0.0;
  // Sidewall bulldozing at the rim's sinkage, spread over the cells' lateral strength.
  const double arc_length = in.radius_m * (arc_.entry_rad - arc_.exit_rad);
  const double bulldozing_N =
      BulldozingPerMetre(soil, std::max(in.sinkage_m, 0.0), in.gravity_mps2) * arc_length;
  const double tan_phi = soil.FrictionCoefficient();
  for (std::size_t i = 0; i < kCells; ++i) {
    sigma_[i] *= scale;
    strength_[i] = soil.cohesion_Pa + sigma_[i] * tan_phi;
    lat_strength_[i] = strength_[i] + bulldozing_N / (kCells * cell_area_m2_);
  }
}

PatchForces ShearPatch::Linearize(double surface_speed_mps, double v_long_mps, double v_lat_mps,
                                  double dt_s) const {
  // The slope is the soil's elastic (unloading / reloading) stiffness tau_max / K, not the
  // tangent of the loading curve: a patch sheared to its limit unloads elastically when the
  // force drops (a parked wheel, a slope eased), and the friction cone of the solver caps a
  // force pushed past the strength. In steady motion v = v* and the force is the field's own.
  PatchForces f;
  for (std::size_t i = 0; i < kCells; ++i) {
    const double c = std::cos(theta_[i]);
    const double jl = j_long_[i] + (surface_speed_mps - v_long_mps * c) * dt_s;
    const double jt = j_lat_[i] - v_lat_mps * dt_s;
    const double a = jl / k_long_m_, b = jt / k_lat_m_;
    f.long_N += cell_area_m2_ * StressAlong(law_, a, b, strength_[i]) * c;
    f.long_slope_Nspm += cell_area_m2_ * strength_[i] / k_long_m_ * c * c * dt_s;
    f.long_cap_N += cell_area_m2_ * strength_[i] * c;
    f.lat_N += cell_area_m2_ * StressAlong(law_, b, a, lat_strength_[i]);
    f.lat_slope_Nspm += cell_area_m2_ * lat_strength_[i] / k_lat_m_ * dt_s;
    f.lat_cap_N += cell_area_m2_ * lat_strength_[i];
    f.resistance_N += cell_area_m2_ * sigma_[i] * std::sin(theta_[i]);
  }
  f.long_slope_Nspm = std::max(f.long_slope_Nspm, kMinSlopeNspm);
  f.lat_slope_Nspm = std::max(f.lat_slope_Nspm, kMinSlopeNspm);
  f.resistance_N = std::max(f.resistance_N, 0.0);
  return f;
}

void ShearPatch::Commit(double surface_speed_mps, double v_long_mps, double v_lat_mps,
                        double dt_s) {
  SetTravel(surface_speed_mps);
  const double limit = FlowLimit(law_);
  for (std::size_t i = 0; i < kCells; ++i) {
    double jl = j_long_[i] + (surface_speed_mps - v_long_mps * std::cos(theta_[i])) * dt_s;
    double jt = j_lat_[i] - v_lat_mps * dt_s;
    // Plastic flow: displacement beyond the limit is slip of the soil, not stored shear.
    const double m = std::hypot(jl / k_long_m_, jt / k_lat_m_);
    if (m > limit) {
      jl *= limit / m;
      jt *= limit / m;
    }
    j_long_[i] = jl;
    j_lat_[i] = jt;
  }
  const double span = arc_.entry_rad - arc_.exit_rad;
  if (span > 0 && radius_m_ > 0) Advect(std::fabs(surface_speed_mps) / radius_m_ * dt_s / span);
}

void ShearPatch::Release() {
  j_long_.fill(0);
  j_lat_.fill(0);
}

double ShearPatch::ShearOf(int cell) const {
  const auto i = static_cast<std::size_t>(cell);
  return std::hypot(j_long_[i] / k_long_m_, j_lat_[i] / k_lat_m_);
}

void ShearPatch::SetTravel(double surface_speed_mps) {
  const int travel = surface_speed_mps > 0 ? 1 : (surface_speed_mps < 0 ? -1 : travel_);
  if (travel == travel_) return;
  // The arc's leading edge changes sides: the cells keep their soil, in reverse order.
  std::reverse(j_long_.begin(), j_long_.end());
  std::reverse(j_lat_.begin(), j_lat_.end());
  travel_ = travel;
}

void ShearPatch::Advect(double fraction) {
  if (!(fraction > 0)) return;
  // Semi-Lagrangian: cell k (centre at (k + 0.5) / N of the arc) takes the soil that was
  // `fraction` of the arc upstream; fresh soil (j = 0) enters at the leading edge.
  const auto upstream = [&](const std::array<double, kCells>& j, double x) {
    const double pos = x * kCells - 0.5;  // in cell-centre units
    if (pos <= -0.5) return 0.0;
    if (pos < 0) return j[0] * (pos + 0.5) / 0.5;  // between the edge (0) and cell 0
    const int k = static_cast<int>(pos);
    if (k >= kCells - 1) return j[kCells - 1];
    const double t = pos - k;
    return j[static_cast<std::size_t>(k)] * (1 - t) + j[static_cast<std::size_t>(k + 1)] * t;
  };
  std::array<double, kCells> jl{}, jt{};
  for (int k = 0; k < kCells; ++k) {
    const double x = (k + 0.5) / kCells - fraction;
    jl[static_cast<std::size_t>(k)] = upstream(j_long_, x);
    jt[static_cast<std::size_t>(k)] = upstream(j_lat_, x);
  }
  j_long_ = jl;
  j_lat_ = jt;
}

}  // namespace marsdrive::vehicle

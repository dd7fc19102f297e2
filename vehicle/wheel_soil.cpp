#include "vehicle/wheel_soil.h"

#include <algorithm>
#include <cmath>

#include "vehicle/terramechanics.h"

namespace marsdrive::vehicle {
namespace {

// Time constant of the sinkage (s): long against the solver's step-to-step load jitter, short
// against driving onto or off sand (8 cm at 4 cm/s).
constexpr double kSinkageTimeS = 2.0;
// Time constant of the slip estimate that shapes the stress distribution (s).
constexpr double kSlipTimeS = 0.5;
// Hub speed (m/s) over which the compaction resistance builds up from zero (a standing wheel's
// stress distribution is symmetric: no net horizontal resistance).
constexpr double kResistanceSpeedMps = 0.005;
// Floor of the wheel load the Coulomb coefficients are expressed against (N).
constexpr double kMinLoadN = 100.0;
// Rigid contact points (risers, lips, rock sides): tread stiffness F / N per unit slip and the
// speed floor of the slip ratio (as the previous tread model; stiffer treads fight in
// Gauss-Seidel when the six wheels disagree slightly).
constexpr double kRigidThrustStiffness = 20.0;
constexpr double kMinRollingSpeedMps = 0.001;

double Dot(const Vec3d& a, const Vec3d& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3d Cross(const Vec3d& a, const Vec3d& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
bool Normalize(Vec3d& v) {
  const double n = std::sqrt(Dot(v, v));
  if (n < 1e-6) return false;
  for (double& x : v) x /= n;
  return true;
}

// Longitudinal slip of a wheel rolling at surface speed u with ground speed v, in [0, 1].
double SlipOf(double u, double v) {
  const double ref = std::max({std::fabs(u), std::fabs(v), kMinRollingSpeedMps});
  return std::clamp((u - v) / ref * (u < 0 ? -1.0 : 1.0), 0.0, 1.0);
}

// A row v = target - compliance F for the linearised soil force F(v) = F* - G (v - v*) plus a
// damper -D v on the contact's sliding (D = 0 while the wheel rolls).
struct Row {
  double target_mps = 0, compliance_mpsN = 0;
};
Row MakeRow(double force_N, double slope_Nspm, double v_mps, double damping_Nspm) {
  const double stiffness = slope_Nspm + damping_Nspm;
  return {(force_N + slope_Nspm * v_mps) / stiffness, 1 / stiffness};
}

// A braked wheel's soil contact is dissipative: without it the rover would ring on the soil's
// elastic shear stiffness (a ~2 Hz oscillation of a parked rover, decaying only through the
// solver's numerical damping). Critical damping of the wheel's share of the rover's mass on
// that stiffness, EST; only while the motor is stopped, so it never biases rolling slip.
double ParkedDamping(const PatchForces& f, double load_N, const WheelSoilInput& in) {
  const double stiffness_Npm = f.long_slope_Nspm / in.dt_s;
  const double mass_kg = load_N / std::max(in.gravity_mps2, 0.1);
  return 2 * std::sqrt(stiffness_Npm * mass_kg);
}

}  // namespace

WheelRows StepWheelSoil(WheelSoilState& state, const SoilParams& soil, const WheelSoilInput& in) {
  // 1. The last step sheared the soil with the velocity the solver produced.
  if (state.active) {
    const double v_long = Dot(in.point_velocity_mps, state.long_dir);
    const double v_lat = Dot(in.point_velocity_mps, state.lat_dir);
    state.patch.Commit(state.surface_speed_mps, v_long, v_lat, in.dt_s);
    state.slip += (SlipOf(state.surface_speed_mps, v_long) - state.slip) *
                  std::min(1.0, in.dt_s / kSlipTimeS);
  }
  // 2. Sinkage under this load and slip, approached with a time constant (a wheel rolling from
  // sand onto firmer ground climbs out of its rut instead of being lifted by a step).
  const double target = StaticSinkageM(soil, in.load_N, in.width_m, in.radius_m) *
                        SlipSinkageFactor(soil, state.slip);
  state.sinkage_m += (target - state.sinkage_m) * std::min(1.0, in.dt_s / kSinkageTimeS);
  // 3. This step's patch and its forces, linearised at the present velocity.
  state.patch.Prepare(soil, {.load_N = in.load_N,
                             .radius_m = in.radius_m,
                             .width_m = in.width_m,
                             .grouser_m = in.grouser_m,
                             .sinkage_m = state.sinkage_m,
                             .slip = state.slip,
                             .gravity_mps2 = in.gravity_mps2});
  Vec3d long_dir = Cross(in.axle, in.normal);
  if (!Normalize(long_dir)) long_dir = state.long_dir;
  const Vec3d lat_dir = Cross(in.normal, long_dir);
  const double v_long = Dot(in.point_velocity_mps, long_dir);
  const double v_lat = Dot(in.point_velocity_mps, lat_dir);
  const PatchForces f = state.patch.Linearize(in.surface_speed_mps, v_long, v_lat, in.dt_s);
  state.active = true;
  state.surface_speed_mps = in.surface_speed_mps;
  state.long_dir = long_dir;
  state.lat_dir = lat_dir;
  // Compaction resistance opposes the hub's motion through the soil (not the wheel's spin: a
  // wheel spinning while the rover slides back is pushed forward by the soil it bulldozes),
  // fading in over kResistanceSpeedMps; in the same implicit row as the thrust.
  const double fade = std::clamp(v_long / kResistanceSpeedMps, -1.0, 1.0);
  const double resistance_N = f.resistance_N * fade;
  const double resistance_slope =
      std::fabs(v_long) < kResistanceSpeedMps ? f.resistance_N / kResistanceSpeedMps : 0.0;
  state.resistance_N = resistance_N;
  const double load = std::max(in.load_N, kMinLoadN);
  const double damping = in.surface_speed_mps == 0 ? ParkedDamping(f, load, in) : 0.0;
  const Row along =
      MakeRow(f.long_N - resistance_N, f.long_slope_Nspm + resistance_slope, v_long, damping);
  const Row across = MakeRow(f.lat_N, f.lat_slope_Nspm, v_lat, damping);
  return {.long_target_mps = along.target_mps,
          .long_compliance_mpsN = along.compliance_mpsN,
          .long_mu = f.long_cap_N / load,
          .lat_target_mps = across.target_mps,
          .lat_compliance_mpsN = across.compliance_mpsN,
          .lat_mu = f.lat_cap_N / load,
          // The motor turns the gross thrust, the row carries thrust minus resistance.
          .motor_cap_N = std::max(in.motor_cap_N - std::fabs(resistance_N), 0.0)};
}

WheelRows RigidPointRows(double friction, double load_N, double surface_speed_mps,
                         double motor_cap_N) {
  const double v_ref = std::max(std::fabs(surface_speed_mps), kMinRollingSpeedMps);
  return {.long_target_mps = surface_speed_mps,
          .long_compliance_mpsN = v_ref / (kRigidThrustStiffness * std::max(load_N, kMinLoadN)),
          .long_mu = friction,
          .lat_target_mps = 0,
          .lat_compliance_mpsN = 0,
          .lat_mu = friction,
          .motor_cap_N = motor_cap_N};
}

void ReleaseWheelSoil(WheelSoilState& state) {
  state.patch.Release();
  state.active = false;
  state.resistance_N = 0;
}

}  // namespace marsdrive::vehicle

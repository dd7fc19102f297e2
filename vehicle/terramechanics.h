#pragma once
// Closed-form terramechanics of a rigid wheel in soil (docs/vehicle-physics.md §5), pure
// functions of vehicle/soil_params.h; the per-wheel shear state lives in vehicle/shear_patch.h.
//
// Angles on the wheel are measured from the vertical below the hub, positive toward the
// direction of travel: the soil is met at the entry angle theta_f and left at theta_r.

namespace marsdrive::vehicle {

struct SoilParams;

// Static sinkage (m) of a rigid wheel of radius r and width b carrying `load_N` (Bekker with the
// rigid-wheel approximation): z = [3 W / ((3 - n) (k_c / b + k_phi) b sqrt(2 r))]^(2 / (2n + 1)).
// 0 on rigid ground or without load.
double StaticSinkageM(const SoilParams& soil, double load_N, double width_m, double radius_m);

// Lyasko's slip-sinkage factor (1 + s) / (1 - 0.5 s) for slip s clamped to [0, 0.95]; 1 when
// the soil has no slip sinkage.
double SlipSinkageFactor(const SoilParams& soil, double slip);

// The contact arc of a wheel in soil.
struct ContactArc {
  double entry_rad = 0;       // where the grouser tips meet the soil (the shear arc's front)
  double rim_entry_rad = 0;   // theta_f: where the rim meets it (the normal stress's front)
  double exit_rad = 0;        // theta_r: where both leave it (0 in soil; symmetric on rigid ground)
  double max_stress_rad = 0;  // theta_m: peak normal stress (Wong-Reece)
};

// The arc for a rim sinkage `sinkage_m` with grousers of height `grouser_m`: the rim carries the
// normal stress from theta_f = acos(1 - z / r); the grouser tips shear the soil from
// acos(1 - (z + h_g) / r) (soil ahead of the rim only by its cohesion). theta_m = (c1 + c2 s)
// theta_f (Wong & Reece). On rigid ground the grousers' arc is symmetric about the bottom.
ContactArc MakeContactArc(const SoilParams& soil, double sinkage_m, double grouser_m,
                          double radius_m, double slip);

// Relative normal stress at angle theta (Wong-Reece: Bekker's (cos theta - cos theta_f)^n ahead
// of theta_m, mirrored behind it); uniform on rigid ground. Scaled by the caller to the load.
double NormalStressShape(const SoilParams& soil, const ContactArc& arc, double theta_rad);

// Lateral bulldozing resistance per metre of sidewall sunk to depth h (N/m), Hegedus' form as
// used by Ishigami et al. (J. Field Robotics 24(3), 2007):
//   R_b = D1 (c h + D2 gamma h^2 / 2),  X_c = 45 deg - phi / 2,
//   D1 = cot X_c + tan(X_c + phi),  D2 = cot X_c + cot^2 X_c / cot phi,  gamma = rho g.
double BulldozingPerMetre(const SoilParams& soil, double depth_m, double gravity_mps2);

}  // namespace marsdrive::vehicle

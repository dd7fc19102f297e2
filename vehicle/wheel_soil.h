#pragma once
// A simple, documented wheel-soil model per soil class (docs/vehicle-physics.md §"Wheel-soil").
//
// Per contact the physics applies:
//   * a Coulomb limit  |F_t| <= mu_max N                      (the soil's shear strength, tan phi)
//   * a slip-dependent thrust  F_x = k_s N s_eff, s = v_slip / |omega r|  (soft, solved implicitly
//     by the constraint solver; k_s = 0 means rigid ground: no slip below the Coulomb limit)
//   * on slopes the thrust stiffness drops: k_s_eff = k_s (1 - sin(slope))   (deformable soils)
//   * Bekker pressure-sinkage for a rigid wheel of width b and diameter D under load W:
//         z = [ 3 W / ((3 - n) (k_c / b + k_phi) b sqrt(D)) ]^(2 / (2n + 1))
//     the wheel rides z lower, and the compaction resistance
//         R = b (k_c / b + k_phi) z^(n + 1) / (n + 1)
//     acts at the hub against the direction of rolling.
// Sources: ../shared/reference/terrain.md §5 (soil mechanics) and §6 (Coulomb friction); the
// numbers are EST and tuned as terrain.md §6 asks (sand > 40 % slip on ~15° slopes, bedrock < 10
// %). A friction override (validation presets' `mu=`) replaces all of this by one Coulomb mu.

#include "terrain/soil.h"

namespace marsdrive::vehicle {

struct SoilParams {
  double friction_max = 0.7;    // Coulomb limit mu_max = tan(phi)
  double thrust_stiffness = 0;  // k_s (F_x / N per unit slip ratio); 0 = rigid ground
  bool deformable = false;      // sinkage, compaction resistance, slope thrust loss
  double bekker_kc = 0;         // cohesive modulus k_c, N / m^(n+1)
  double bekker_kphi = 0;       // frictional modulus k_phi, N / m^(n+2)
  double bekker_n = 1;          // sinkage exponent n
};

// The EST parameters of each soil class (kNodata behaves as regolith).
SoilParams DefaultSoilParams(terrain::SoilClass soil);

// Coulomb friction of wheels and body parts against rock bodies (EST: as bedrock, terrain.md §6).
inline constexpr double kRockFriction = 0.7;

// Static Bekker sinkage (m) of a rigid wheel carrying `load_N`; 0 for non-deformable soil.
double CalcSinkageM(const SoilParams& soil, double load_N, double wheel_width_m,
                    double wheel_diameter_m);
// Bekker compaction resistance (N) at sinkage `sinkage_m`; 0 for non-deformable soil.
double CalcCompactionResistanceN(const SoilParams& soil, double sinkage_m, double wheel_width_m);

}  // namespace marsdrive::vehicle

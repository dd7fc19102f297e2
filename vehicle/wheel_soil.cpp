#include "vehicle/wheel_soil.h"

#include <cmath>

namespace marsdrive::vehicle {

SoilParams DefaultSoilParams(terrain::SoilClass soil) {
  // Chrono's Curiosity SCM "Mars soil" (terrain.md §5): k_phi 0.82e6, k_c 0.14e4, n 1.0.
  constexpr double kChronoKc = 0.14e4;
  constexpr double kChronoKphi = 0.82e6;
  switch (soil) {
    case terrain::SoilClass::kBedrock:
      // terrain.md §6 EST bedrock mu 0.6-0.8 (grousers on rock): the middle; rigid.
      return {.friction_max = 0.7,
              .thrust_stiffness = 0,
              .deformable = false,
              .bekker_kc = 0,
              .bekker_kphi = 0,
              .bekker_n = 1};
    case terrain::SoilClass::kSand:
      // terrain.md §5: sand phi 30-33° -> mu_max = tan 30° = 0.577; Chrono Mars soil moduli
      // (sinkage ~2.6 cm, R/N ~0.17 for a Perseverance wheel); k_s = 1.0 EST, tuned so that a
      // 15° sand slope gives ~60 % slip (terrain.md §6: > 40 %).
      return {.friction_max = 0.577,
              .thrust_stiffness = 1.0,
              .deformable = true,
              .bekker_kc = kChronoKc,
              .bekker_kphi = kChronoKphi,
              .bekker_n = 1};
    case terrain::SoilClass::kRegolith:
    case terrain::SoilClass::kNodata:
      break;
  }
  // Regolith (compact soil / rubble): terrain.md §5 phi 35-40° -> mu_max = tan 35° = 0.70;
  // moduli 20x Chrono's Mars soil (compact: sinkage ~3.6 mm, R/N ~0.06), k_s = 8 EST (about 1 %
  // slip on flat ground, ~6 % on 15°).
  return {.friction_max = 0.70,
          .thrust_stiffness = 8.0,
          .deformable = true,
          .bekker_kc = 20 * kChronoKc,
          .bekker_kphi = 20 * kChronoKphi,
          .bekker_n = 1};
}

double CalcSinkageM(const SoilParams& soil, double load_N, double wheel_width_m,
                    double wheel_diameter_m) {
  if (!soil.deformable || load_N <= 0) return 0;
  const double n = soil.bekker_n;
  const double k = soil.bekker_kc / wheel_width_m + soil.bekker_kphi;
  const double base = 3 * load_N / ((3 - n) * k * wheel_width_m * std::sqrt(wheel_diameter_m));
  return std::pow(base, 2 / (2 * n + 1));
}

double CalcCompactionResistanceN(const SoilParams& soil, double sinkage_m, double wheel_width_m) {
  if (!soil.deformable || sinkage_m <= 0) return 0;
  const double n = soil.bekker_n;
  const double k = soil.bekker_kc / wheel_width_m + soil.bekker_kphi;
  return wheel_width_m * k * std::pow(sinkage_m, n + 1) / (n + 1);
}

}  // namespace marsdrive::vehicle

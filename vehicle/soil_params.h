#pragma once
// Terramechanics parameters of each soil class (docs/vehicle-physics.md §5). The numbers and
// their sources are in vehicle/data/soils.yaml; DefaultSoilParams() holds the same values
// (a test keeps the two equal), and LoadSoilTable() reads an edited copy.

#include <array>
#include <filesystem>
#include <string>

#include "terrain/soil.h"

namespace marsdrive::vehicle {

// How a soil's shear stress grows with shear displacement j.
enum class ShearLaw {
  kJanosi,  // tau = tau_max (1 - exp(-j / K))    (Janosi & Hanamoto 1961; deformable soil)
  kRigid,   // tau = tau_max min(j / K, 1)         (elastic-plastic Coulomb: bedrock, rock)
};

struct SoilParams {
  ShearLaw shear_law = ShearLaw::kJanosi;
  // Bekker pressure-sinkage p = (k_c / b + k_phi) z^n; zero moduli = no sinkage (rigid ground).
  double bekker_n = 1.0;
  double bekker_kc = 0;    // cohesive modulus, N / m^(n+1)
  double bekker_kphi = 0;  // frictional modulus, N / m^(n+2)
  // Mohr-Coulomb shear strength tau_max = c + sigma tan(phi).
  double cohesion_Pa = 0;
  double friction_angle_rad = 0;
  // Shear deformation moduli K (m) along the wheel (longitudinal) and across it (lateral).
  double shear_modulus_m = 0.01;
  double lateral_shear_modulus_m = 0.01;
  // Wong-Reece: angle of the maximum normal stress theta_m = (c1 + c2 s) theta_f.
  double wong_c1 = 0.43;
  double wong_c2 = 0.32;
  double density_kgpm3 = 0;   // bulk density, for the lateral bulldozing resistance
  bool slip_sinkage = false;  // Lyasko's slip-sinkage factor (1 + s) / (1 - 0.5 s)

  bool Deformable() const { return bekker_kc > 0 || bekker_kphi > 0; }
  // Coulomb coefficient of the soil's frictional strength, tan(phi).
  double FrictionCoefficient() const;
};

// Soil parameters by SoilClass value (regolith, bedrock, sand).
using SoilTable = std::array<SoilParams, 3>;

// The bundled parameters of one class (kNodata behaves as regolith).
SoilParams DefaultSoilParams(terrain::SoilClass soil);
SoilTable DefaultSoilTable();

// Path of the bundled soils.yaml in the source tree.
std::filesystem::path BundledSoilTablePath();

// Reads a soil table (YAML: one map per class name, every key of SoilParams). Throws InputError
// naming the file, the key path and the expectation for a missing class, an unknown key, a
// wrong type or an out-of-range value.
SoilTable LoadSoilTable(const std::filesystem::path& path);

// Rigid Coulomb ground for a friction override ("mu=" validation presets): every contact.
SoilParams RigidSoil(double friction);

// Coulomb friction of wheels and body parts against rock bodies (EST: as bedrock, terrain.md §6).
inline constexpr double kRockFriction = 0.7;

}  // namespace marsdrive::vehicle

#include "vehicle/soil_params.h"

#include <cmath>
#include <string>

#include "base/check.h"
#include "io/yaml_reader.h"
#include "vehicle/rover_spec.h"

#ifndef MARSDRIVE_VEHICLE_DATA_DIR
#define MARSDRIVE_VEHICLE_DATA_DIR "vehicle/data"
#endif

namespace marsdrive::vehicle {
namespace {

// The sources of every number are in vehicle/data/soils.yaml (kept equal by a test).
SoilParams Regolith() {
  return {.shear_law = ShearLaw::kJanosi,
          .bekker_n = 1.0,
          .bekker_kc = 2.8e4,
          .bekker_kphi = 1.64e7,
          .cohesion_Pa = 238,
          .friction_angle_rad = DegToRad(36.6),
          .shear_modulus_m = 0.006,
          .lateral_shear_modulus_m = 0.002,
          .wong_c1 = 0.43,
          .wong_c2 = 0.32,
          .density_kgpm3 = 1500,
          .slip_sinkage = true};
}

SoilParams Bedrock() {
  return {.shear_law = ShearLaw::kRigid,
          .bekker_n = 1.0,
          .bekker_kc = 0,
          .bekker_kphi = 0,
          .cohesion_Pa = 0,
          .friction_angle_rad = DegToRad(34.99),
          .shear_modulus_m = 0.001,
          .lateral_shear_modulus_m = 0.001,
          .wong_c1 = 0.43,
          .wong_c2 = 0.32,
          .density_kgpm3 = 0,
          .slip_sinkage = false};
}

SoilParams Sand() {
  return {.shear_law = ShearLaw::kJanosi,
          .bekker_n = 1.1,
          .bekker_kc = 2970,
          .bekker_kphi = 4.58529e6,
          .cohesion_Pa = 1040,
          .friction_angle_rad = DegToRad(28),
          .shear_modulus_m = 0.015,
          .lateral_shear_modulus_m = 0.0025,
          .wong_c1 = 0.43,
          .wong_c2 = 0.32,
          .density_kgpm3 = 1500,
          .slip_sinkage = true};
}

void ReadSoil(YamlMapReader& m, SoilParams& s) {
  m.On("shear_law", [&](const YAML::Node& n) {
    const std::string law = n.IsScalar() ? n.Scalar() : std::string();
    MD_THROW_UNLESS(law == "janosi" || law == "rigid",
                    m.Where("shear_law") + "expected 'janosi' or 'rigid', got " + DescribeYaml(n));
    s.shear_law = law == "janosi" ? ShearLaw::kJanosi : ShearLaw::kRigid;
  });
  m.Number("bekker_n", s.bekker_n, true);
  m.NonNegative("bekker_kc", s.bekker_kc);
  m.NonNegative("bekker_kphi", s.bekker_kphi);
  m.NonNegative("cohesion_Pa", s.cohesion_Pa);
  m.Degrees("friction_angle_deg", s.friction_angle_rad, true);
  m.Number("shear_modulus_m", s.shear_modulus_m, true);
  m.Number("lateral_shear_modulus_m", s.lateral_shear_modulus_m, true);
  m.NonNegative("wong_c1", s.wong_c1);
  m.NonNegative("wong_c2", s.wong_c2);
  m.NonNegative("density_kgpm3", s.density_kgpm3);
  m.Bool("slip_sinkage", s.slip_sinkage);
  for (const char* key : {"shear_law", "bekker_n", "bekker_kc", "bekker_kphi", "cohesion_Pa",
                          "friction_angle_deg", "shear_modulus_m", "lateral_shear_modulus_m",
                          "wong_c1", "wong_c2", "density_kgpm3", "slip_sinkage"}) {
    m.Require(key);
  }
  m.Run();
  MD_THROW_UNLESS(s.bekker_n < 3, m.Where("bekker_n") + "expected an exponent in (0, 3)");
  MD_THROW_UNLESS(s.friction_angle_rad < DegToRad(80),
                  m.Where("friction_angle_deg") + "expected an angle in (0, 80) deg");
  MD_THROW_UNLESS(s.wong_c1 + s.wong_c2 <= 1,
                  m.Where("wong_c2") + "expected wong_c1 + wong_c2 <= 1 (theta_m <= theta_f)");
}

}  // namespace

double SoilParams::FrictionCoefficient() const { return std::tan(friction_angle_rad); }

SoilParams DefaultSoilParams(terrain::SoilClass soil) {
  switch (soil) {
    case terrain::SoilClass::kBedrock:
      return Bedrock();
    case terrain::SoilClass::kSand:
      return Sand();
    case terrain::SoilClass::kRegolith:
    case terrain::SoilClass::kNodata:
      break;
  }
  return Regolith();
}

SoilTable DefaultSoilTable() {
  SoilTable table;
  for (terrain::SoilClass soil : terrain::kSoilClasses) {
    table[static_cast<std::size_t>(soil)] = DefaultSoilParams(soil);
  }
  return table;
}

std::filesystem::path BundledSoilTablePath() {
  return std::filesystem::path(MARSDRIVE_VEHICLE_DATA_DIR) / "soils.yaml";
}

SoilTable LoadSoilTable(const std::filesystem::path& path) {
  const std::string file = path.string();
  const YAML::Node root = LoadYamlFile(path, "soil table");
  SoilTable table = DefaultSoilTable();
  YamlMapReader top(root, file, "");
  for (terrain::SoilClass soil : terrain::kSoilClasses) {
    const std::string name(terrain::ToString(soil));
    // The handler runs in top.Run(), after this iteration: capture the class by value.
    SoilParams& params = table[static_cast<std::size_t>(soil)];
    top.Section(name, [&params](YamlMapReader& m) { ReadSoil(m, params); });
    top.Require(name);
  }
  top.Run();
  return table;
}

SoilParams RigidSoil(double friction) {
  SoilParams s = Bedrock();
  s.friction_angle_rad = std::atan(friction);
  return s;
}

}  // namespace marsdrive::vehicle

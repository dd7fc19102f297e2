// The wheel-soil model's pieces against their closed forms: Bekker sinkage, Lyasko's slip
// sinkage, the Wong-Reece stress distribution, the shear patch (steady rolling = the Wong-Reece /
// Janosi integral; a braked wheel = Janosi's static law; one displacement vector for combined
// slip) and the soil table file.

#include "vehicle/terramechanics.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "base/check.h"
#include "vehicle/shear_patch.h"
#include "vehicle/soil_params.h"

namespace marsdrive::vehicle {
namespace {

constexpr double kR = 0.2625, kB = 0.38, kW = 636.0, kDt = 1.0 / 60;

SoilParams Sand() { return DefaultSoilParams(terrain::SoilClass::kSand); }

TEST(Sinkage, BekkerRigidWheelClosedForm) {
  SoilParams soil = Sand();
  soil.bekker_n = 1.0;
  const double k = soil.bekker_kc / kB + soil.bekker_kphi;
  const double expected = std::pow(3 * kW / (2 * k * kB * std::sqrt(2 * kR)), 2.0 / 3.0);
  EXPECT_NEAR(StaticSinkageM(soil, kW, kB, kR), expected, 1e-12);
  EXPECT_GT(StaticSinkageM(soil, 2 * kW, kB, kR), expected);  // more load, deeper
  EXPECT_EQ(StaticSinkageM(DefaultSoilParams(terrain::SoilClass::kBedrock), kW, kB, kR), 0.0);
  EXPECT_LT(StaticSinkageM(DefaultSoilParams(terrain::SoilClass::kRegolith), kW, kB, kR),
            StaticSinkageM(Sand(), kW, kB, kR));
}

TEST(Sinkage, LyaskoSlipSinkage) {
  const SoilParams sand = Sand();
  EXPECT_DOUBLE_EQ(SlipSinkageFactor(sand, 0), 1.0);
  EXPECT_DOUBLE_EQ(SlipSinkageFactor(sand, 0.5), 1.5 / 0.75);
  EXPECT_DOUBLE_EQ(SlipSinkageFactor(sand, -0.3), 1.0);  // skidding: no extra sinkage
  SoilParams off = sand;
  off.slip_sinkage = false;
  EXPECT_DOUBLE_EQ(SlipSinkageFactor(off, 0.5), 1.0);  // control
}

TEST(StressDistribution, WongReeceShape) {
  const SoilParams sand = Sand();
  const ContactArc arc = MakeContactArc(sand, 0.02, 0.008, kR, 0.2);
  EXPECT_NEAR(arc.rim_entry_rad, std::acos(1 - 0.02 / kR), 1e-12);
  EXPECT_NEAR(arc.entry_rad, std::acos(1 - 0.028 / kR), 1e-12);
  EXPECT_NEAR(arc.max_stress_rad, (0.43 + 0.32 * 0.2) * arc.rim_entry_rad, 1e-12);
  EXPECT_EQ(NormalStressShape(sand, arc, arc.rim_entry_rad), 0.0);
  EXPECT_EQ(NormalStressShape(sand, arc, arc.exit_rad), 0.0);
  const double peak = NormalStressShape(sand, arc, arc.max_stress_rad);
  for (double t = arc.exit_rad + 0.01; t < arc.rim_entry_rad; t += 0.01) {
    EXPECT_LE(NormalStressShape(sand, arc, t), peak + 1e-12) << t;
  }
  // Continuous through theta_m.
  EXPECT_NEAR(NormalStressShape(sand, arc, arc.max_stress_rad - 1e-6), peak, 1e-4 * peak);
}

// Rolls a patch at constant slip until steady; returns its linearised forces.
PatchForces SteadyRolling(const SoilParams& soil, double slip, double v_lat = 0,
                          ShearPatch* out = nullptr) {
  ShearPatch patch;
  const double u = 0.042;
  PatchForces f;
  for (int i = 0; i < 3000; ++i) {
    patch.Prepare(soil, {kW, kR, kB, 0.008, 0.01, slip, 3.721});
    f = patch.Linearize(u, u * (1 - slip), v_lat, kDt);
    patch.Commit(u, u * (1 - slip), v_lat, kDt);
  }
  if (out != nullptr) *out = patch;
  return f;
}

// The Wong-Reece / Janosi thrust by quadrature of the closed-form shear displacement
// j(theta) = r [(theta_f - theta) - (1 - s)(sin theta_f - sin theta)], with the same normal
// stress (the patch's cells, scaled to the load) — an independent integration.
double WongReeceThrust(const SoilParams& soil, double slip) {
  const ContactArc arc = MakeContactArc(soil, 0.01, 0.008, kR, slip);
  const int n = 4000;
  const double d = (arc.entry_rad - arc.exit_rad) / n;
  double vertical = 0;
  for (int i = 0; i < n; ++i) {
    const double t = arc.exit_rad + (i + 0.5) * d;
    vertical += NormalStressShape(soil, arc, t) * std::cos(t) * kR * kB * d;
  }
  double thrust = 0;
  for (int i = 0; i < n; ++i) {
    const double t = arc.exit_rad + (i + 0.5) * d;
    const double sigma = NormalStressShape(soil, arc, t) * kW / vertical;
    const double j =
        kR * ((arc.entry_rad - t) - (1 - slip) * (std::sin(arc.entry_rad) - std::sin(t)));
    const double tau = (soil.cohesion_Pa + sigma * std::tan(soil.friction_angle_rad)) *
                       (1 - std::exp(-j / soil.shear_modulus_m));
    thrust += tau * std::cos(t) * kR * kB * d;
  }
  return thrust;
}

TEST(ShearPatch, SteadyRollingIsTheWongReeceJanosiIntegral) {
  const SoilParams sand = Sand();
  for (double slip : {0.05, 0.2, 0.5}) {
    SCOPED_TRACE(slip);
    const double expected = WongReeceThrust(sand, slip);
    // Eight cells against 4000 quadrature points: within a few per cent.
    EXPECT_NEAR(SteadyRolling(sand, slip).long_N, expected, 0.05 * expected);
  }
  EXPECT_LT(SteadyRolling(sand, 0.05).long_N, SteadyRolling(sand, 0.2).long_N);  // rises with slip
}

TEST(ShearPatch, BrakedWheelFollowsJanosisStaticLaw) {
  const SoilParams sand = Sand();
  ShearPatch patch;
  const PatchInput in{kW, kR, kB, 0.008, 0.01, 0, 3.721};
  patch.Prepare(sand, in);
  const double cap = patch.Linearize(0, 0, 0, kDt).long_cap_N;
  // Slide the braked wheel back by 1 cm in small steps: every cell shears by the same amount.
  const double slide_mps = -0.01 / (100 * kDt);
  for (int i = 0; i < 100; ++i) {
    patch.Prepare(sand, in);
    patch.Commit(0, slide_mps, 0, kDt);
  }
  patch.Prepare(sand, in);
  // Cells sit at angle theta: displacement 1 cm x cos(theta), close to uniform.
  const double force = patch.Linearize(0, 0, 0, kDt).long_N;
  const double janosi = cap * (1 - std::exp(-0.01 / sand.shear_modulus_m));
  EXPECT_NEAR(force, janosi, 0.03 * janosi);
  EXPECT_NEAR(patch.ShearOf(0), patch.ShearOf(ShearPatch::kCells - 1), 0.05);
  // It holds: no further motion, no further change (no creep).
  patch.Commit(0, 0, 0, kDt);
  patch.Prepare(sand, in);
  EXPECT_DOUBLE_EQ(patch.Linearize(0, 0, 0, kDt).long_N, force);
}

TEST(ShearPatch, CombinedSlipSharesOneDisplacementVector) {
  const SoilParams sand = Sand();
  const double alone = SteadyRolling(sand, 0.2).long_N;
  const PatchForces combined = SteadyRolling(sand, 0.2, -0.01);  // sliding sideways too
  EXPECT_GT(combined.lat_N, 0);                                  // resists the sideways slide
  EXPECT_LT(combined.long_N, alone);  // and the thrust drops: the soil's strength is shared
  const double total = std::hypot(combined.long_N, combined.lat_N);
  EXPECT_LE(total, combined.lat_cap_N);
}

TEST(ShearPatch, SlopeIsTheElasticStiffness) {
  const SoilParams sand = Sand();
  ShearPatch patch;
  SteadyRolling(sand, 0.2, 0, &patch);
  const double u = 0.042, v = u * 0.8, dv = 1e-5;
  const PatchForces f = patch.Linearize(u, v, 0, kDt);
  const double tangent =
      -(patch.Linearize(u, v + dv, 0, kDt).long_N - patch.Linearize(u, v - dv, 0, kDt).long_N) /
      (2 * dv);
  // Sheared patch: the loading tangent is softer than the elastic (unloading) slope.
  EXPECT_GT(tangent, 0);
  EXPECT_GT(f.long_slope_Nspm, tangent);
  // A fresh patch: the two agree (the initial slope of Janosi's law is tau_max / K).
  ShearPatch fresh;
  fresh.Prepare(sand, {kW, kR, kB, 0.008, 0.01, 0, 3.721});
  const double initial =
      -(fresh.Linearize(0, dv, 0, kDt).long_N - fresh.Linearize(0, -dv, 0, kDt).long_N) / (2 * dv);
  EXPECT_NEAR(fresh.Linearize(0, 0, 0, kDt).long_slope_Nspm, initial, 1e-3 * initial);
}

TEST(ShearPatch, RigidGroundSaturatesAtCoulomb) {
  const SoilParams rock = RigidSoil(0.7);
  const PatchForces f = SteadyRolling(rock, 0.9);
  EXPECT_NEAR(f.long_cap_N, 0.7 * kW, 0.01 * kW);
  EXPECT_NEAR(f.long_N, f.long_cap_N, 0.01 * kW);
  EXPECT_EQ(f.resistance_N, 0.0);                                // no compaction on rigid ground
  EXPECT_LT(SteadyRolling(rock, 0.002).long_N, 0.5 * f.long_N);  // control: low slip, less
}

// ---- the soil table file -------------------------------------------------------------------

TEST(SoilTable, BundledFileEqualsTheCompiledDefaults) {
  const SoilTable file = LoadSoilTable(BundledSoilTablePath());
  const SoilTable code = DefaultSoilTable();
  for (std::size_t i = 0; i < file.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(file[i].shear_law, code[i].shear_law);
    EXPECT_DOUBLE_EQ(file[i].bekker_n, code[i].bekker_n);
    EXPECT_DOUBLE_EQ(file[i].bekker_kc, code[i].bekker_kc);
    EXPECT_DOUBLE_EQ(file[i].bekker_kphi, code[i].bekker_kphi);
    EXPECT_DOUBLE_EQ(file[i].cohesion_Pa, code[i].cohesion_Pa);
    EXPECT_NEAR(file[i].friction_angle_rad, code[i].friction_angle_rad, 1e-12);
    EXPECT_DOUBLE_EQ(file[i].shear_modulus_m, code[i].shear_modulus_m);
    EXPECT_DOUBLE_EQ(file[i].lateral_shear_modulus_m, code[i].lateral_shear_modulus_m);
    EXPECT_DOUBLE_EQ(file[i].wong_c1, code[i].wong_c1);
    EXPECT_DOUBLE_EQ(file[i].wong_c2, code[i].wong_c2);
    EXPECT_DOUBLE_EQ(file[i].density_kgpm3, code[i].density_kgpm3);
    EXPECT_EQ(file[i].slip_sinkage, code[i].slip_sinkage);
  }
}

// Writes the bundled table with one line replaced and returns the loader's message.
std::string LoadError(const std::string& from, const std::string& to) {
  std::ifstream in(BundledSoilTablePath());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  const auto path = std::filesystem::temp_directory_path() /
                    ("marsdrive-soils-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  try {
    LoadSoilTable(path);
  } catch (const InputError& e) {
    std::filesystem::remove(path);
    return e.what();
  }
  std::filesystem::remove(path);
  return "";
}

TEST(SoilTable, BrokenFieldsAreNamed) {
  EXPECT_EQ(LoadError("friction_angle_deg: 28 ", "friction_angle_deg: 28 "), "");  // control
  const std::string negative = LoadError("cohesion_Pa: 1040", "cohesion_Pa: -5");
  EXPECT_NE(negative.find("sand.cohesion_Pa"), std::string::npos) << negative;
  const std::string law = LoadError("shear_law: rigid", "shear_law: sticky");
  EXPECT_NE(law.find("bedrock.shear_law"), std::string::npos) << law;
  const std::string text = LoadError("shear_modulus_m: 0.015", "shear_modulus_m: soft");
  EXPECT_NE(text.find("sand.shear_modulus_m"), std::string::npos) << text;
  EXPECT_NE(text.find("soils-"), std::string::npos) << text;  // names the file
}

}  // namespace
}  // namespace marsdrive::vehicle

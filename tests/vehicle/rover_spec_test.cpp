// The rover specification: the bundled YAML equals DefaultRoverSpec(), the numbers hang
// together, and bad files fail naming the file, the key path and the expectation.

#include "vehicle/rover_spec.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/check.h"

namespace marsdrive::vehicle {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

void ExpectVecEq(const Vec3& a, const Vec3& b, const char* what) {
  EXPECT_EQ(a.x, b.x) << what;
  EXPECT_EQ(a.y, b.y) << what;
  EXPECT_EQ(a.z, b.z) << what;
}

TEST(RoverSpec, BundledYamlEqualsTheDefault) {
  const RoverSpec d = DefaultRoverSpec();
  const RoverSpec y = LoadRoverSpec(BundledRoverSpecPath());
  EXPECT_EQ(y.name, d.name);
  EXPECT_EQ(y.wheel_radius_m, d.wheel_radius_m);
  EXPECT_EQ(y.wheel_width_m, d.wheel_width_m);
  EXPECT_EQ(y.wheel_mass_kg, d.wheel_mass_kg);
  ExpectVecEq(y.wheel_inertia_kgm2, d.wheel_inertia_kgm2, "wheel inertia");
  EXPECT_EQ(y.chassis_mass_kg, d.chassis_mass_kg);
  ExpectVecEq(y.chassis_inertia_kgm2, d.chassis_inertia_kgm2, "chassis inertia");
  EXPECT_EQ(y.chassis_min_x_m, d.chassis_min_x_m);
  EXPECT_EQ(y.chassis_max_x_m, d.chassis_max_x_m);
  EXPECT_EQ(y.chassis_half_width_m, d.chassis_half_width_m);
  EXPECT_EQ(y.chassis_top_m, d.chassis_top_m);
  EXPECT_EQ(y.rocker_mass_kg, d.rocker_mass_kg);
  ExpectVecEq(y.rocker_inertia_kgm2, d.rocker_inertia_kgm2, "rocker inertia");
  EXPECT_EQ(y.bogie_mass_kg, d.bogie_mass_kg);
  ExpectVecEq(y.bogie_inertia_kgm2, d.bogie_inertia_kgm2, "bogie inertia");
  EXPECT_EQ(y.steer_mass_kg, d.steer_mass_kg);
  ExpectVecEq(y.steer_inertia_kgm2, d.steer_inertia_kgm2, "steering inertia");
  EXPECT_EQ(y.beam_thickness_m, d.beam_thickness_m);
  ExpectVecEq(y.front_wheel_m, d.front_wheel_m, "front wheel");
  ExpectVecEq(y.middle_wheel_m, d.middle_wheel_m, "middle wheel");
  ExpectVecEq(y.rear_wheel_m, d.rear_wheel_m, "rear wheel");
  ExpectVecEq(y.rocker_pivot_m, d.rocker_pivot_m, "rocker pivot");
  ExpectVecEq(y.bogie_pivot_m, d.bogie_pivot_m, "bogie pivot");
  ExpectVecEq(y.differential_pivot_m, d.differential_pivot_m, "differential");
  ExpectVecEq(y.com_m, d.com_m, "centre of mass");
  EXPECT_EQ(y.rocker_stop_min_rad, d.rocker_stop_min_rad);
  EXPECT_EQ(y.rocker_stop_max_rad, d.rocker_stop_max_rad);
  EXPECT_EQ(y.bogie_stop_min_rad, d.bogie_stop_min_rad);
  EXPECT_EQ(y.bogie_stop_max_rad, d.bogie_stop_max_rad);
  EXPECT_EQ(y.steer_stop_rad, d.steer_stop_rad);
  EXPECT_EQ(y.max_wheel_speed_radps, d.max_wheel_speed_radps);
  EXPECT_EQ(y.drive_torque_limit_Nm, d.drive_torque_limit_Nm);
  EXPECT_EQ(y.steer_rate_radps, d.steer_rate_radps);
  EXPECT_EQ(y.steer_torque_limit_Nm, d.steer_torque_limit_Nm);
  const RoverLimits& a = y.limits;
  const RoverLimits& b = d.limits;
  EXPECT_EQ(a.max_tilt_rad, b.max_tilt_rad);
  EXPECT_EQ(a.slip_limit, b.slip_limit);
  EXPECT_EQ(a.max_rock_height_m, b.max_rock_height_m);
  EXPECT_EQ(a.ground_clearance_m, b.ground_clearance_m);
  EXPECT_EQ(a.rocker_min_rad, b.rocker_min_rad);
  EXPECT_EQ(a.rocker_max_rad, b.rocker_max_rad);
  EXPECT_EQ(a.bogie_min_rad, b.bogie_min_rad);
  EXPECT_EQ(a.bogie_max_rad, b.bogie_max_rad);
  EXPECT_EQ(a.max_steer_rad, b.max_steer_rad);
  EXPECT_EQ(a.default_speed_mps, b.default_speed_mps);
  EXPECT_EQ(a.max_speed_mps, b.max_speed_mps);
}

TEST(RoverSpec, EveryYamlNumberCitesItsSource) {
  std::ifstream in(BundledRoverSpecPath());
  std::string line;
  int numbers = 0;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || line.find_first_not_of(' ') == line.find('#')) continue;
    const std::string value = line.substr(colon + 1, line.find('#') - colon - 1);
    if (value.find_first_of("0123456789") == std::string::npos) continue;
    ++numbers;
    EXPECT_TRUE(line.find("rover.md") != std::string::npos || line.find("EST") != std::string::npos)
        << "no source in: " << line;
  }
  EXPECT_GT(numbers, 30);
}

TEST(RoverSpec, TotalMassIsPerseverances) {  // rover.md §1: 1025 kg
  EXPECT_DOUBLE_EQ(TotalMassKg(DefaultRoverSpec()), 1025.0);
}

TEST(RoverSpec, DerivedChassisCentreOfMassReproducesTheRovers) {
  const RoverSpec s = DefaultRoverSpec();
  const Vec3 c = ChassisComM(s);
  const Vec3 r = RockerComM(s), b = BogieComM(s);
  const double m = TotalMassKg(s);
  const double z =
      (s.chassis_mass_kg * c.z +
       2 * (s.rocker_mass_kg * r.z + s.bogie_mass_kg * b.z +
            s.steer_mass_kg * (s.front_wheel_m.z + s.rear_wheel_m.z) +
            s.wheel_mass_kg * (s.front_wheel_m.z + s.middle_wheel_m.z + s.rear_wheel_m.z))) /
      m;
  EXPECT_NEAR(z, s.com_m.z, 1e-12);
  EXPECT_GT(c.z, s.limits.ground_clearance_m);  // above the belly
  EXPECT_LT(c.z, s.chassis_top_m + 0.5);
}

class SpecFile {
 public:
  explicit SpecFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("marsdrive-rover-spec-test-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter_++) + ".yaml")) {
    std::ofstream(path_) << text;
  }
  SpecFile(const SpecFile&) = delete;
  SpecFile& operator=(const SpecFile&) = delete;
  SpecFile(SpecFile&&) = delete;
  SpecFile& operator=(SpecFile&&) = delete;
  ~SpecFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string ErrorOf(const std::string& yaml) {
  const SpecFile file(yaml);
  try {
    (void)LoadRoverSpec(file.path());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RoverSpec, PartialFileKeepsDefaults) {
  const SpecFile file("wheel:\n  width_m: 0.40\n");
  const RoverSpec s = LoadRoverSpec(file.path());
  EXPECT_EQ(s.wheel_width_m, 0.40);
  EXPECT_EQ(s.chassis_mass_kg, DefaultRoverSpec().chassis_mass_kg);
}

TEST(RoverSpec, DegreesAreConvertedOnLoad) {
  const SpecFile file("limits:\n  max_tilt_deg: 20\n");
  EXPECT_NEAR(LoadRoverSpec(file.path()).limits.max_tilt_rad, 20 * std::acos(-1.0) / 180, 1e-15);
}

TEST(RoverSpec, BadFilesNameFileKeyAndExpectation) {
  EXPECT_THAT(ErrorOf("wheel:\n  radius_mm: 0.25\n"),
              AllOf(HasSubstr(".yaml"), HasSubstr("wheel"), HasSubstr("unknown key 'radius_mm'"),
                    HasSubstr("radius_m")));
  EXPECT_THAT(ErrorOf("chassis:\n  mass_kg: -5\n"),
              AllOf(HasSubstr("chassis.mass_kg"), HasSubstr("> 0"), HasSubstr("-5")));
  EXPECT_THAT(ErrorOf("wheel:\n  mass_kg: 0\n"), HasSubstr("wheel.mass_kg: expected"));
  EXPECT_THAT(ErrorOf("wheel:\n  width_m: wide\n"),
              AllOf(HasSubstr("wheel.width_m"), HasSubstr("'wide'")));
  EXPECT_THAT(ErrorOf("geometry:\n  front_wheel_m: [1, 2]\n"),
              AllOf(HasSubstr("geometry.front_wheel_m"), HasSubstr("list of 3")));
  EXPECT_THAT(ErrorOf("rocker:\n  inertia_kgm2: [1, 0, 1]\n"),
              AllOf(HasSubstr("rocker.inertia_kgm2[1]"), HasSubstr("> 0")));
  EXPECT_THAT(ErrorOf("joints:\n  bogie_stop_deg: [10, -10]\n"),
              AllOf(HasSubstr("joints.bogie_stop_deg"), HasSubstr("min < max")));
  EXPECT_THAT(ErrorOf("wheel: 3\n"), AllOf(HasSubstr("wheel"), HasSubstr("expected a map")));
  EXPECT_THAT(ErrorOf("name: [a\n"), HasSubstr("malformed YAML"));
  EXPECT_THAT(ErrorOf("limits:\n  ground_clearance_m: 0.1\n"),
              HasSubstr("limits.ground_clearance_m"));
  EXPECT_THAT(ErrorOf("geometry:\n  com_m: [0, 0, nan]\n"), HasSubstr("geometry.com_m[2]"));
  try {
    (void)LoadRoverSpec("/nonexistent/rover.yaml");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("/nonexistent/rover.yaml"), HasSubstr("cannot open")));
  }
}

}  // namespace
}  // namespace marsdrive::vehicle

// The fault detector on synthetic step sequences whose answer is known by construction: off the
// grid or onto nodata, beyond tip-over, under the surface, faster than energy allows, energy
// from nowhere. Each fault is paired with a control just inside its threshold.
#include "sim/fault_detect.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace marsdrive::sim {
namespace {

constexpr double kG = 3.721;
constexpr double kMassKg = 1000;
constexpr double kDt = 1.0 / 60.0;
constexpr double kDeg = std::numbers::pi / 180.0;

// A flat 10 m x 10 m map at height 0 (0.5 m cells).
terrain::HeightMap FlatMap() { return terrain::HeightMap(terrain::GridSpec{20, 20, 0.5, 0, 0}); }

vehicle::SupportGeometry Support() {
  return vehicle::MakeSupportGeometry(vehicle::DefaultRoverSpec());
}

// The rover level at (x, y), heading +x, its centre of mass `com_z_m` up.
FaultSample At(double x, double y, double time_s = 0, double com_z_m = 0.95) {
  FaultSample s;
  s.time_s = time_s;
  const double dx[3] = {1.2, 0, -1.1};
  for (std::size_t w = 0; w < kWheelCount; ++w) {
    const double side = w < 3 ? 1.0 : -1.0;
    s.wheel_centres_map_m[w] = {x + dx[w % 3], y + side * 1.1, 0.26};
  }
  s.com_map_m = {x, y, com_z_m};
  s.up_body = {0, 0, 1};
  s.commanded_speed_mps = 0.042;
  return s;
}

class FaultDetectTest : public ::testing::Test {
 protected:
  terrain::HeightMap map_ = FlatMap();
  FaultDetector detector_{map_, Support(), kMassKg, kG, kDt};
};

TEST_F(FaultDetectTest, AWheelPastTheMapEdgeIsOffMapNamingTheWheel) {
  ASSERT_FALSE(detector_.Check(At(8.7, 5)));            // control: front wheels at x 9.9
  const auto fault = detector_.Check(At(8.9, 5, kDt));  // front wheels at x 10.1
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kOffMap);
  EXPECT_NE(fault->reason.find("wheel lf"), std::string::npos) << fault->reason;
  EXPECT_NE(fault->reason.find("10.10"), std::string::npos) << fault->reason;
}

TEST_F(FaultDetectTest, AWheelOnNodataIsOffMap) {
  map_.valid = terrain::Grid<std::uint8_t>(map_.spec(), 1);
  map_.valid(2, 10) = 0;                                   // the cell around (1.25, 5.25)
  ASSERT_FALSE(detector_.Check(At(5, 5)));                 // control: far from the hole
  const auto fault = detector_.Check(At(2.35, 4.1, kDt));  // rear left wheel at (1.25, 5.2)
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kOffMap);
  EXPECT_NE(fault->reason.find("nodata"), std::string::npos) << fault->reason;
}

TEST_F(FaultDetectTest, TiltBeyondTipOverOrUpsideDownIsARollover) {
  const double lateral_deg = 50;  // sideways: Perseverance tips at ~50.7 deg (nominal geometry)
  FaultSample s = At(5, 5);
  s.up_body = vehicle::UpInBody(lateral_deg * kDeg, 0);
  EXPECT_FALSE(detector_.Check(s));  // control
  s.up_body = vehicle::UpInBody(52 * kDeg, 0);
  const auto fault = detector_.Check(s);
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kRollover);
  s.up_body = {0, 0, -1};
  const auto upside_down = detector_.Check(s);
  ASSERT_TRUE(upside_down);
  EXPECT_NE(upside_down->reason.find("upside down"), std::string::npos) << upside_down->reason;
}

TEST_F(FaultDetectTest, CentreOfMassUnderTheSurfaceIsASimFault) {
  EXPECT_FALSE(detector_.Check(At(5, 5, 0, -0.05)));  // control: within the 0.1 m margin
  const auto fault = detector_.Check(At(5, 5, kDt, -0.3));
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kSimFault);
  EXPECT_NE(fault->reason.find("below the ground surface"), std::string::npos) << fault->reason;
}

TEST_F(FaultDetectTest, SpeedWithoutAFallIsASimFault) {
  ASSERT_FALSE(detector_.Check(At(3, 5, 0)));
  // 0.5 m/s on level ground: above the 0.042 m/s commanded, within the 1 m/s margin (control).
  ASSERT_FALSE(detector_.Check(At(3 + 0.5 * kDt, 5, kDt)));
  const auto fault = detector_.Check(At(3 + 0.5 * kDt + 2.0 * kDt, 5, 2 * kDt));  // 2 m/s
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kSimFault);
  EXPECT_NE(fault->reason.find("2.00 m/s"), std::string::npos) << fault->reason;
}

TEST_F(FaultDetectTest, FallingFreelyIsNotASimFault) {
  // Free fall from 3 m: v = g t, z = 3 - g t^2 / 2, sampled every step for 1.2 s.
  for (int k = 0; k <= 72; ++k) {
    const double t = k * kDt;
    const auto fault = detector_.Check(At(5, 5, t, 3.95 - 0.5 * kG * t * t));
    ASSERT_FALSE(fault) << "t = " << t << ": " << fault->reason;
  }
}

TEST_F(FaultDetectTest, RisingWithoutWorkIsAnEnergyGainButNotWithTheWorkPaid) {
  const auto rise = [&](FaultDetector& d, bool pay) -> std::optional<Fault> {
    // Up 1 m at 0.03 m/s (slow: never an overspeed).
    for (int k = 0; k <= 2000; ++k) {
      const double z = 0.95 + 0.03 * k * kDt;
      FaultSample s = At(5, 5, k * kDt, z);
      s.actuator_work_J = pay ? kMassKg * kG * (z - 0.95) : 0.0;
      if (auto f = d.Check(s)) return f;
    }
    return std::nullopt;
  };
  FaultDetector paid(map_, Support(), kMassKg, kG, kDt);
  EXPECT_FALSE(rise(paid, true));  // control: the actuators did the work
  const auto fault = rise(detector_, false);
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kSimFault);
  EXPECT_NE(fault->reason.find("gained"), std::string::npos) << fault->reason;
}

TEST_F(FaultDetectTest, EnergyLostEarlierDoesNotHideALaterGain) {
  // Down 2 m slowly (energy dissipated), then back up 1 m with no work: a gain from the minimum.
  std::optional<Fault> fault;
  int k = 0;
  for (; k <= 4000 && !fault; ++k) fault = detector_.Check(At(5, 5, k * kDt, 3.0 - 0.03 * k * kDt));
  ASSERT_FALSE(fault);
  const double bottom = 3.0 - 0.03 * (k - 1) * kDt;
  for (int j = 1; j <= 2000 && !fault; ++j) {
    fault = detector_.Check(At(5, 5, (k + j) * kDt, bottom + 0.03 * j * kDt));
  }
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->kind, FaultKind::kSimFault);
}

TEST(FaultKinds, NamesAreTheDriveStatusNames) {
  EXPECT_STREQ(ToString(FaultKind::kOffMap), "off_map");
  EXPECT_STREQ(ToString(FaultKind::kRollover), "rollover");
  EXPECT_STREQ(ToString(FaultKind::kSimFault), "sim_fault");
}

}  // namespace
}  // namespace marsdrive::sim

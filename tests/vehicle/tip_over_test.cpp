// Static tip-over from the rover's geometry: the angle of a symmetric rover is the textbook
// atan(half-track / CoM height), the nearest edge sets it, and the stability test agrees with
// the angle direction by direction.
#include "vehicle/tip_over.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "base/check.h"

namespace marsdrive::vehicle {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// Six wheels on a rectangle: front / middle / rear at x = +-half_length, 0; y = +-half_track.
SupportGeometry Box(double half_length_m, double half_track_m, double com_height_m,
                    std::array<double, 2> com_xy_m = {0, 0}) {
  std::vector<std::array<double, 2>> contacts;
  for (double x : {half_length_m, 0.0, -half_length_m}) {
    for (double y : {half_track_m, -half_track_m}) contacts.push_back({x, y});
  }
  return MakeSupportGeometry(contacts, com_xy_m, com_height_m);
}

TEST(TipOver, SymmetricRoverTipsAtAtanOfHalfTrackOverComHeight) {
  EXPECT_NEAR(StaticTipOverAngleRad(Box(1.0, 1.0, 1.0)), std::atan(1.0), 1e-12);  // 45 deg
  EXPECT_NEAR(StaticTipOverAngleRad(Box(2.0, 0.5, 1.0)), std::atan(0.5), 1e-12);
  // Control: a lower centre of mass is more stable.
  EXPECT_GT(StaticTipOverAngleRad(Box(2.0, 0.5, 0.5)), StaticTipOverAngleRad(Box(2.0, 0.5, 1.0)));
}

TEST(TipOver, TheNearestEdgeSetsTheAngle) {
  // Centre of mass 0.25 m ahead of the middle: 0.75 m to the front edge, 1.25 m to the rear.
  EXPECT_NEAR(StaticTipOverAngleRad(Box(1.0, 2.0, 1.0, {0.25, 0})), std::atan(0.75), 1e-12);
}

TEST(TipOver, PerseveranceFromItsSpec) {
  const RoverSpec spec = DefaultRoverSpec();
  // The front axle is the nearest edge (x 1.185 vs the centre of mass at x 0.21, 0.95 m up).
  const double expected = std::atan((spec.front_wheel_m.x - spec.com_m.x) / spec.com_m.z);
  EXPECT_NEAR(StaticTipOverAngleRad(spec), expected, 1e-12);
  EXPECT_NEAR(StaticTipOverAngleRad(spec) / kDeg, 45.7, 0.1);
}

TEST(TipOver, StabilityAgreesWithTheAngleInEachDirection) {
  const SupportGeometry box = Box(2.0, 1.0, 1.0);  // 45 deg sideways, 63.4 deg fore and aft
  for (double sign : {1.0, -1.0}) {
    SCOPED_TRACE(sign);
    EXPECT_TRUE(IsStaticallyStable(box, UpInBody(sign * 44 * kDeg, 0)));
    EXPECT_FALSE(IsStaticallyStable(box, UpInBody(sign * 46 * kDeg, 0)));
    EXPECT_TRUE(IsStaticallyStable(box, UpInBody(0, sign * 60 * kDeg)));
    EXPECT_FALSE(IsStaticallyStable(box, UpInBody(0, sign * 65 * kDeg)));
  }
  EXPECT_FALSE(IsStaticallyStable(box, UpInBody(std::numbers::pi, 0)));  // upside down
  EXPECT_TRUE(IsStaticallyStable(box, UpInBody(0, 0)));
}

TEST(TipOver, UpInBodyIsTheMapZAxisOfTheAttitude) {
  const auto up = UpInBody(30 * kDeg, 0);  // rolled right side down: map up leans to body +y
  EXPECT_NEAR(up[1], 0.5, 1e-12);
  EXPECT_NEAR(up[2], std::cos(30 * kDeg), 1e-12);
  const auto nose_down = UpInBody(0, 30 * kDeg);  // + pitch: nose down, up leans to body -x
  EXPECT_NEAR(nose_down[0], -0.5, 1e-12);
}

TEST(TipOver, BadGeometryIsAnInputError) {
  EXPECT_THROW(MakeSupportGeometry({{0, 0}, {1, 0}, {2, 0}}, {1, 0}, 1), InputError);  // a line
  EXPECT_THROW(MakeSupportGeometry({{0, 0}, {1, 0}, {0, 1}}, {5, 5}, 1), InputError);  // outside
  EXPECT_THROW(MakeSupportGeometry({{0, 0}, {1, 0}, {0, 1}}, {0.2, 0.2}, 0), InputError);
  EXPECT_NO_THROW(MakeSupportGeometry({{0, 0}, {1, 0}, {0, 1}}, {0.2, 0.2}, 1));  // control
}

}  // namespace
}  // namespace marsdrive::vehicle

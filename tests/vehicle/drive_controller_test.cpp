// Drive primitives: Ackermann and turn-in-place geometry, and the executive's command sequence.

#include "vehicle/drive_controller.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace marsdrive::vehicle {
namespace {

constexpr double kPi = std::numbers::pi;

// Every wheel's rolling direction must be perpendicular to the line from the turn centre to the
// wheel, and its speed proportional to that distance.
void ExpectRollsAbout(const WheelKinematics& k, const RoverSpec& spec, double cx, double cy,
                      double ratio_scale) {
  const auto pos = WheelPositionsXY(spec);
  for (std::size_t i = 0; i < pos.size(); ++i) {
    SCOPED_TRACE(i);
    const double rx = pos[i][0] - cx, ry = pos[i][1] - cy;
    const double hx = std::cos(k.steer_rad[i]), hy = std::sin(k.steer_rad[i]);
    EXPECT_NEAR(hx * rx + hy * ry, 0.0, 1e-12 * std::hypot(rx, ry));
    EXPECT_NEAR(std::fabs(k.speed_ratio[i]), std::hypot(rx, ry) / ratio_scale, 1e-12);
    EXPECT_LE(std::fabs(k.steer_rad[i]), kPi / 2);
  }
}

TEST(Kinematics, AckermannArcSteersAboutTheTurnCentre) {
  const RoverSpec spec = DefaultRoverSpec();
  for (int sign : {1, -1}) {
    SCOPED_TRACE(sign);
    const WheelKinematics k = CalcArcKinematics(spec, 5.0, sign);
    ExpectRollsAbout(k, spec, 0, sign * 5.0, 5.0);
    EXPECT_EQ(k.steer_rad[1], 0.0);  // middle wheels are not steered
    EXPECT_EQ(k.steer_rad[4], 0.0);
    // Front wheels steer into the turn, rear wheels the other way; all drive forward.
    EXPECT_GT(sign * k.steer_rad[0], 0);
    EXPECT_LT(sign * k.steer_rad[2], 0);
    for (double r : k.speed_ratio) EXPECT_GT(r, 0);
  }
  // Mirror symmetry: a right turn is the mirror image of a left turn.
  const WheelKinematics l = CalcArcKinematics(spec, 3.0, 1), r = CalcArcKinematics(spec, 3.0, -1);
  for (int w = 0; w < 3; ++w) {
    EXPECT_NEAR(l.steer_rad[w], -r.steer_rad[w + 3], 1e-15);
    EXPECT_NEAR(l.speed_ratio[w], r.speed_ratio[w + 3], 1e-15);
  }
}

TEST(Kinematics, TightArcReversesTheInnerMiddleWheel) {
  const RoverSpec spec = DefaultRoverSpec();
  const WheelKinematics k = CalcArcKinematics(spec, 0.5, 1);  // centre inside the left track
  EXPECT_LT(k.speed_ratio[1], 0);
  EXPECT_GT(k.speed_ratio[4], 0);
}

TEST(Kinematics, TurnInPlaceWheelsAreTangentToCircles) {
  const RoverSpec spec = DefaultRoverSpec();
  for (int sign : {1, -1}) {
    SCOPED_TRACE(sign);
    const WheelKinematics k = CalcTurnInPlaceKinematics(spec, sign);
    ExpectRollsAbout(k, spec, 0, 0, 1.0);
    // Counter-clockwise: the right side drives forward, the left side backwards.
    EXPECT_LT(sign * k.speed_ratio[1], 0);
    EXPECT_GT(sign * k.speed_ratio[4], 0);
  }
}

DriveCommand Straight(double d) {
  DriveCommand c;
  c.kind = DriveCommandKind::kStraight;
  c.distance_m = d;
  return c;
}

TEST(DriveController, SteersFirstThenDrivesUntilOdometrySaysDone) {
  const RoverSpec spec = DefaultRoverSpec();
  DriveCommand arc;
  arc.kind = DriveCommandKind::kArc;
  arc.radius_m = 4;
  arc.angle_rad = 0.5;
  DriveController controller(spec, {arc, Straight(-0.5)});
  DriveObservation obs;
  const double dt = 0.1;
  // Steering phase: the wheels hold while the corner wheels turn.
  ActuatorCommand cmd = controller.Update(obs, dt);
  EXPECT_EQ(controller.Phase(), DrivePhase::kSteering);
  EXPECT_FALSE(controller.CommandingMotion());
  for (double w : cmd.wheel_speed_radps) EXPECT_EQ(w, 0.0);
  EXPECT_GT(cmd.steer_rad[0], 0.1);
  // Report the steering as done: driving starts, ramps up, never exceeds the top wheel speed.
  obs.steer_rad = cmd.steer_rad;
  double odometry = 0;
  int steps = 0;
  while (controller.CommandIndex() == 0 && steps < 100000) {
    obs.odometry_m = odometry;
    cmd = controller.Update(obs, dt);
    for (double w : cmd.wheel_speed_radps) {
      EXPECT_LE(std::fabs(w), spec.max_wheel_speed_radps + 1e-12);
    }
    double v = 0;
    for (std::size_t i = 0; i < cmd.wheel_speed_radps.size(); ++i) {
      v += cmd.wheel_speed_radps[i] * spec.wheel_radius_m * std::cos(cmd.steer_rad[i]);
    }
    odometry += std::fabs(v / 6) * dt;
    ++steps;
  }
  EXPECT_EQ(controller.CommandIndex(), 1);
  EXPECT_NEAR(odometry, 4 * 0.5, 0.01);
  // The straight command steers back to zero, then drives backwards.
  obs.steer_rad = {};
  obs.odometry_m = odometry;
  cmd = controller.Update(obs, dt);
  cmd = controller.Update(obs, dt);
  EXPECT_EQ(controller.CurrentKind(), DriveCommandKind::kStraight);
  EXPECT_TRUE(controller.CommandingMotion());
  for (double w : cmd.wheel_speed_radps) EXPECT_LT(w, 0.0);
}

TEST(DriveController, StopHoldsForItsDurationAndEmptyListIsDone) {
  const RoverSpec spec = DefaultRoverSpec();
  DriveCommand stop;
  stop.kind = DriveCommandKind::kStop;
  stop.duration_s = 1.0;
  DriveController controller(spec, {stop});
  DriveObservation obs;
  int steps = 0;
  while (!controller.Done() && steps < 1000) {
    const ActuatorCommand cmd = controller.Update(obs, 0.1);
    for (double w : cmd.wheel_speed_radps) EXPECT_EQ(w, 0.0);
    ++steps;
  }
  EXPECT_EQ(steps, 11);  // 10 steps of holding, then done
  EXPECT_TRUE(DriveController(spec, {}).Done());
}

TEST(DriveController, TurnInPlaceEndsOnHeading) {
  const RoverSpec spec = DefaultRoverSpec();
  DriveCommand turn;
  turn.kind = DriveCommandKind::kTurnInPlace;
  turn.angle_rad = -0.3;
  DriveController controller(spec, {turn});
  DriveObservation obs;
  ActuatorCommand cmd = controller.Update(obs, 0.1);
  obs.steer_rad = cmd.steer_rad;
  double heading = 0;
  int steps = 0;
  while (!controller.Done() && steps < 100000) {
    obs.heading_rad = heading;
    cmd = controller.Update(obs, 0.1);
    // Yaw rate of the commanded wheel speeds: right-middle speed / its distance from the centre.
    heading += cmd.wheel_speed_radps[4] * spec.wheel_radius_m / spec.middle_wheel_m.y * 0.1;
    ++steps;
  }
  EXPECT_NEAR(heading, -0.3, 0.002);
}

}  // namespace
}  // namespace marsdrive::vehicle

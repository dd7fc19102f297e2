// Drive-command text ("straight 10; arc 5 90; turn 45; stop") and the ideal end pose of a
// command list, checked against hand-worked geometry.
#include "vehicle/drive_command.h"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"

namespace marsdrive::vehicle {
namespace {

using ::testing::HasSubstr;

constexpr double kDegToRad = std::numbers::pi / 180.0;

std::string ParseError(const std::string& text, const std::string& source = "--commands") {
  try {
    ParseDriveCommands(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ParseDriveCommands, ParsesTheIssueExample) {
  const auto c = ParseDriveCommands("straight 10; arc 5 90; turn 45; stop", "--commands");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].kind, DriveCommandKind::kStraight);
  EXPECT_DOUBLE_EQ(c[0].distance_m, 10.0);
  EXPECT_EQ(c[0].speed_mps, 0.0);  // the rover's default speed
  EXPECT_EQ(c[1].kind, DriveCommandKind::kArc);
  EXPECT_DOUBLE_EQ(c[1].radius_m, 5.0);
  EXPECT_DOUBLE_EQ(c[1].angle_rad, std::numbers::pi / 2);
  EXPECT_EQ(c[2].kind, DriveCommandKind::kTurnInPlace);
  EXPECT_DOUBLE_EQ(c[2].angle_rad, std::numbers::pi / 4);
  EXPECT_EQ(c[3].kind, DriveCommandKind::kStop);
  EXPECT_EQ(c[3].duration_s, 0.0);
}

TEST(ParseDriveCommands, OptionalSpeedsSignsAndStopDuration) {
  const auto c = ParseDriveCommands("straight -3 0.03; arc 2 -45 0.02; turn -90; stop 5.5", "x");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_DOUBLE_EQ(c[0].distance_m, -3.0);
  EXPECT_DOUBLE_EQ(c[0].speed_mps, 0.03);
  EXPECT_DOUBLE_EQ(c[1].angle_rad, -45 * kDegToRad);
  EXPECT_DOUBLE_EQ(c[1].speed_mps, 0.02);
  EXPECT_DOUBLE_EQ(c[2].angle_rad, -std::numbers::pi / 2);
  EXPECT_DOUBLE_EQ(c[3].duration_s, 5.5);
}

TEST(ParseDriveCommands, NewlinesCommentsBlankPiecesAndCaseAreAllowed) {
  const std::string text =
      "# approach the outcrop\n"
      "STRAIGHT 1.5   # metres\n"
      "\n"
      " ;; turn +30 ; arc 1e1 10\r\n"
      "straight 2 # ; turn 90   <- commented out, not a command\n"
      "stop";
  const auto c = ParseDriveCommands(text, "drive.txt");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_DOUBLE_EQ(c[0].distance_m, 1.5);
  EXPECT_DOUBLE_EQ(c[1].angle_rad, 30 * kDegToRad);
  EXPECT_DOUBLE_EQ(c[2].radius_m, 10.0);
  EXPECT_EQ(c[3].kind, DriveCommandKind::kStraight);
  EXPECT_DOUBLE_EQ(c[3].distance_m, 2.0);
  EXPECT_EQ(c[4].kind, DriveCommandKind::kStop);
}

TEST(ParseDriveCommands, ErrorsNameTheSourceCommandAndExpectation) {
  struct Case {
    std::string text;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"straight 10; jump 3", {"--commands: command 2 'jump 3': unknown command 'jump'", "turn"}},
      {"straight", {"command 1", "expected 1 to 2 arguments", "got 0"}},
      {"straight 1 2 3", {"expected 1 to 2 arguments", "got 3"}},
      {"turn 45 10", {"expected 1 argument (turn ANGLE_DEG), got 2"}},
      {"arc 5", {"arc RADIUS_M ANGLE_DEG [SPEED_MPS]", "got 1"}},
      {"stop 1 2", {"stop [SECONDS]"}},
      {"straight nan", {"DISTANCE_M: expected a finite number, got 'nan'"}},
      {"straight inf", {"expected a finite number, got 'inf'"}},
      {"straight 1e999", {"expected a finite number, got '1e999'"}},
      {"straight 10x", {"expected a finite number, got '10x'"}},
      {"straight 1,5", {"expected a finite number, got '1,5'"}},
      {"straight 0", {"non-zero distance"}},
      {"arc 0 90", {"RADIUS_M: expected a radius > 0", "got 0"}},
      {"arc -5 90", {"RADIUS_M: expected a radius > 0", "got -5"}},
      {"arc 5 0", {"ANGLE_DEG: expected a non-zero heading change"}},
      {"arc 5 90 nan", {"SPEED_MPS: expected a finite number"}},
      {"turn 0", {"non-zero heading change"}},
      {"straight 10 -1", {"SPEED_MPS: expected a speed > 0", "got -1"}},
      {"straight 10 0", {"SPEED_MPS: expected a speed > 0"}},
      {"stop -1", {"SECONDS: expected a duration >= 0"}},
      {"", {"--commands: no drive commands"}},
      {" ; # nothing but a comment", {"no drive commands"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string message = ParseError(c.text);
    for (const std::string& part : c.expected) EXPECT_THAT(message, HasSubstr(part));
  }
}

TEST(ParseDriveCommands, MultiLineErrorsGiveTheLine) {
  EXPECT_THAT(ParseError("straight 1\n# comment\nturn 10 20\n", "drive.txt"),
              HasSubstr("drive.txt: command 2 (line 3) 'turn 10 20': expected 1 argument"));
}

Pose2 End(const Pose2& start, const std::string& text) {
  return IdealEndPose(start, ParseDriveCommands(text, "test"));
}

void ExpectPose(const Pose2& got, double x, double y, double yaw_deg) {
  EXPECT_NEAR(got.x_m, x, 1e-9);
  EXPECT_NEAR(got.y_m, y, 1e-9);
  EXPECT_NEAR(got.yaw_rad, yaw_deg * kDegToRad, 1e-12);
}

TEST(IdealEndPose, StraightFollowsTheHeading) {
  ExpectPose(End({1, 2, 90 * kDegToRad}, "straight 10"), 1, 12, 90);
  ExpectPose(End({1, 2, 0}, "straight -4"), -3, 2, 0);
  ExpectPose(End({0, 0, 30 * kDegToRad}, "straight 2"), std::sqrt(3.0), 1, 30);
}

TEST(IdealEndPose, ArcsTurnAboutACentreOnTheirSide) {
  ExpectPose(End({0, 0, 0}, "arc 5 90"), 5, 5, 90);     // left: centre (0, 5)
  ExpectPose(End({0, 0, 0}, "arc 5 -90"), 5, -5, -90);  // right: centre (0, -5)
  ExpectPose(End({0, 0, 0}, "arc 2 180"), 0, 4, 180);
  ExpectPose(End({3, 4, 90 * kDegToRad}, "arc 1 90"), 2, 5, 180);
  ExpectPose(End({1, 1, 0}, "arc 3 360"), 1, 1, 0);  // full circle: back at the start
}

TEST(IdealEndPose, AVeryWideArcIsAlmostAStraight) {
  const double radius_m = 1e5, length_m = 7;
  DriveCommand arc;
  arc.kind = DriveCommandKind::kArc;
  arc.radius_m = radius_m;
  arc.angle_rad = length_m / radius_m;
  const Pose2 p = IdealEndPose({0, 0, 0}, {arc});
  EXPECT_NEAR(p.x_m, length_m, 1e-6);
  EXPECT_NEAR(p.y_m, 0, 1e-3);
  EXPECT_GT(p.y_m, 0);  // but bends left
}

TEST(IdealEndPose, TurnsAndStopsDoNotMove) {
  ExpectPose(End({2, 3, 0}, "turn 45; stop 10; stop"), 2, 3, 45);
  ExpectPose(End({0, 0, 0}, "turn 270"), 0, 0, -90);  // wrapped into (-180, 180]
  ExpectPose(End({0, 0, 0}, "turn 180"), 0, 0, 180);
}

TEST(IdealEndPose, IssueExample) {
  // straight to (10, 0); left quarter circle of radius 5 to (15, 5) heading north; turn to 135.
  ExpectPose(End({0, 0, 0}, "straight 10; arc 5 90; turn 45; stop"), 15, 5, 135);
}

TEST(IdealEndPose, ComposesCommandByCommand) {
  const Pose2 start{-4, 7, 0.3};
  const std::string a = "straight 3; arc 4 -70; turn 20", b = "arc 2.5 130; straight -1.5";
  const Pose2 in_two = End(End(start, a), b);
  const Pose2 in_one = End(start, a + ";" + b);
  ExpectPose(in_one, in_two.x_m, in_two.y_m, in_two.yaw_rad / kDegToRad);
}

}  // namespace
}  // namespace marsdrive::vehicle

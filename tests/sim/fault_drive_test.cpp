// Fault detection and per-wheel slip in the physics (issue 12 items 3 and 4): driving off the
// map ends the drive as off_map in both drive modes; a rover past its tip-over angle ends as
// rollover with a rollover hazard; sliding down a cross-slope ends as a slide, not completed;
// per-wheel slip is measured along the surface. Each paired with a control.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "tests/sim/drive_test_util.h"
#include "vehicle/tip_over.h"

namespace marsdrive::testing {
namespace {

using sim::DriveResult;
using sim::DriveStatus;
using sim::HazardKind;

void Report(const char* what, double measured, const char* expected) {
  std::printf("[measured] %-52s %10.4f   (%s)\n", what, measured, expected);
}

int Count(const sim::Metrics& m, HazardKind kind) {
  return m.hazard_counts[static_cast<std::size_t>(kind)];
}

// ---- off the map -------------------------------------------------------------------------------

// A 12 m x 8 m flat map; the rover starts at x = 4 heading +x (front wheels at x 5.2).
std::shared_ptr<const terrain::TerrainTruth> SmallFlat() {
  return PresetTerrain("flat", {{"soil", "bedrock"}}, 12, 8, 0.1);
}

TEST(OffMap, DrivingPastTheEdgeEndsTheCommandDrive) {
  const DriveResult r = sim::RunDrive(MakeRequest(SmallFlat(), {4, 4, 0}, {Straight(10)}));
  ASSERT_EQ(r.status, DriveStatus::kOffMap) << r.reason;
  EXPECT_NE(r.reason.find("wheel lf"), std::string::npos) << r.reason;  // a front wheel first
  const double front_x = r.telemetry.back().position_map_m[0] + 1.185;
  Report("off map: front axle x at the end (m)", front_x, "12 (the edge) + < 5 cm");
  EXPECT_NEAR(front_x, 12.0, 0.05);
}

TEST(OffMap, StoppingShortOfTheEdgeCompletes) {  // control
  const DriveResult r = sim::RunDrive(MakeRequest(SmallFlat(), {4, 4, 0}, {Straight(5)}));
  EXPECT_EQ(r.status, DriveStatus::kCompleted) << r.reason;
}

sim::DriveRequest BlindWaypointDrive(double goal_x_m) {
  sim::DriveRequest r = MakeRequest(SmallFlat(), {4, 4, 0}, {});
  r.waypoints = {{goal_x_m, 4}};
  r.waypoint_params.autonav = false;
  return r;
}

TEST(OffMap, DrivingPastTheEdgeEndsTheWaypointDrive) {
  const DriveResult r = sim::RunDrive(BlindWaypointDrive(14));
  EXPECT_EQ(r.status, DriveStatus::kOffMap) << r.reason;
}

TEST(OffMap, AWaypointOnTheMapIsReached) {  // control
  const DriveResult r = sim::RunDrive(BlindWaypointDrive(8));
  EXPECT_EQ(r.status, DriveStatus::kCompleted) << r.reason;
}

// ---- rollover ----------------------------------------------------------------------------------

// Parked across a slope rising toward +y (the rover's right side downhill), high friction so
// that it tips before it slides (mu 3: atan 3 = 71.6 deg).
sim::DriveRequest ParkedAcross(double slope_deg) {
  const auto terrain = PresetTerrain(
      "slope", {{"angle_deg", std::to_string(slope_deg)}, {"azimuth_deg", "90"}}, 40, 20);
  return MakeRequest(terrain, {20, 10, 0}, {Stop(12)}, 3.0);
}

TEST(Rollover, PastTheTipOverAngleEndsTheDriveWithARolloverHazard) {
  const sim::DriveRequest request = ParkedAcross(58);
  const DriveResult r = sim::RunDrive(request);
  ASSERT_EQ(r.status, DriveStatus::kRollover) << r.reason;
  const sim::Metrics m = sim::ComputeDriveMetrics(r, sim::MakeDriveMetricsConfig(request));
  EXPECT_EQ(m.status, "rollover");
  EXPECT_EQ(Count(m, HazardKind::kRollover), 1);
  // The telemetry alone shows it too (not only the event the drive's status adds).
  const sim::Metrics from_telemetry =
      sim::ComputeMetrics(r.telemetry, sim::MakeDriveMetricsConfig(request));
  EXPECT_EQ(Count(from_telemetry, HazardKind::kRollover), 1);
}

TEST(Rollover, BelowTheTipOverAngleTheParkedRoverStays) {  // control
  const double tip_deg =
      vehicle::StaticTipOverAngleRad(vehicle::DefaultRoverSpec()) * 180 / 3.14159265358979323846;
  const sim::DriveRequest request = ParkedAcross(40);
  ASSERT_LT(40, tip_deg);
  const DriveResult r = sim::RunDrive(request);
  EXPECT_EQ(r.status, DriveStatus::kCompleted) << r.reason;
  const sim::Metrics m = sim::ComputeDriveMetrics(r, sim::MakeDriveMetricsConfig(request));
  EXPECT_EQ(Count(m, HazardKind::kRollover), 0);
}

// ---- sliding down a cross-slope ----------------------------------------------------------------

// Across a 25 deg slope rising toward +y (the rover heading +x), one Coulomb mu for every contact.
sim::DriveRequest AcrossSlope(double mu, vehicle::DriveCommand command) {
  const auto terrain = PresetTerrain("slope", {{"angle_deg", "25"}, {"azimuth_deg", "90"}}, 40, 30);
  auto request = MakeRequest(terrain, {15, 15, 0}, {command}, mu);
  request.stuck_time_s = 600;
  return request;
}

TEST(Slide, DrivingAcrossASlipperySlopeEndsAsASlideNotCompleted) {
  const DriveResult r = sim::RunDrive(AcrossSlope(0.3, Straight(4)));  // atan 0.3 = 16.7 deg
  ASSERT_EQ(r.status, DriveStatus::kSlide) << r.reason;
  EXPECT_NE(r.reason.find("to the right"), std::string::npos) << r.reason;  // downhill
}

TEST(Slide, ParkedOnASlipperySlopeSlides) {
  const DriveResult r = sim::RunDrive(AcrossSlope(0.3, Stop(30)));
  EXPECT_EQ(r.status, DriveStatus::kSlide) << r.reason;
}

TEST(Slide, WithGripTheCrossSlopeDriveCompletes) {  // control
  const DriveResult r = sim::RunDrive(AcrossSlope(0.8, Straight(4)));
  EXPECT_EQ(r.status, DriveStatus::kCompleted) << r.reason;
}

// ---- per-wheel slip on a slope -----------------------------------------------------------------

struct SlopeSlip {
  double chassis = 0;    // 1 - along-slope displacement / odometry
  double wheel_max = 0;  // the largest of the six wheels' mean slip
  double wheel_min = 0;
};

SlopeSlip UphillOnBedrock(double slope_deg) {
  const auto terrain = PresetTerrain(
      "slope", {{"angle_deg", std::to_string(slope_deg)}, {"soil", "bedrock"}}, 30, 14);
  const sim::DriveRequest request = MakeRequest(terrain, {12, 7, 0}, {Straight(2)});
  const DriveResult r = sim::RunDrive(request);
  EXPECT_EQ(r.status, DriveStatus::kCompleted) << r.reason;
  const sim::Metrics m = sim::ComputeDriveMetrics(r, sim::MakeDriveMetricsConfig(request));
  SlopeSlip s;
  const double along = DisplacementAlong(r.telemetry, 0) / std::cos(slope_deg * kDeg);
  s.chassis = 1 - along / r.telemetry.back().odometry_distance_m;
  s.wheel_min = 1e9;
  s.wheel_max = -1e9;
  for (const sim::SlipStats& w : m.wheel_slip) {
    EXPECT_GT(w.count, 10);
    s.wheel_min = std::min(s.wheel_min, w.mean);
    s.wheel_max = std::max(s.wheel_max, w.mean);
  }
  return s;
}

TEST(WheelSlip, MeasuredAlongTheSurfaceOnTwentyFiveDegreeBedrock) {
  const SlopeSlip s = UphillOnBedrock(25);
  Report("bedrock 25 deg: chassis slip", s.chassis, "a few %");
  Report("bedrock 25 deg: per-wheel mean slip, min", s.wheel_min, "near the chassis slip");
  Report("bedrock 25 deg: per-wheel mean slip, max", s.wheel_max, "near the chassis slip");
  // The horizontal definition would read 1 - cos 25 (1 - s) ~ 0.094 + s more.
  EXPECT_LT(s.wheel_max, s.chassis + 0.03);
  EXPECT_GT(s.wheel_min, s.chassis - 0.03);
  EXPECT_LT(s.wheel_max, 0.08);
}

TEST(WheelSlip, MatchesTheChassisOnFlatGroundToo) {  // control: both definitions agree here
  const SlopeSlip s = UphillOnBedrock(0);
  EXPECT_NEAR(s.wheel_max, s.chassis, 0.03);
  EXPECT_NEAR(s.wheel_min, s.chassis, 0.03);
}

}  // namespace
}  // namespace marsdrive::testing

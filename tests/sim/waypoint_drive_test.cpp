// Waypoint drives in the physics: the executive reaches waypoints within tolerance; AutoNav
// detours around a rock that is invisible from orbit while the blind drive hits it; boxed in,
// AutoNav stops with "no safe path"; decisions and telemetry are deterministic.

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/autonav_json.h"
#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "tests/sim/drive_test_util.h"

namespace marsdrive::testing {
namespace {

using sim::DriveStatus;
using sim::HazardKind;

constexpr double kStep = 1.0 / 30.0;  // the rover is slow; 1/30 s is stable (docs §2)

std::shared_ptr<terrain::TerrainTruth> Flat() {
  return std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 30, 16, 0.05));
}

sim::DriveRequest WaypointRequest(std::shared_ptr<const terrain::TerrainTruth> terrain,
                                  vehicle::Pose2 start, std::vector<vehicle::Waypoint> waypoints,
                                  bool autonav) {
  sim::DriveRequest r = MakeRequest(std::move(terrain), start, {});
  r.waypoints = std::move(waypoints);
  r.waypoint_params.autonav = autonav;
  r.dt_s = kStep;
  r.stuck_time_s = 30;
  r.time_limit_s = 1200;
  return r;
}

// Closest horizontal approach of the telemetry track to (x, y).
double ClosestApproach(const sim::Telemetry& t, double x, double y) {
  double best = 1e9;
  for (const auto& s : t) {
    best = std::min(best, std::hypot(s.position_map_m[0] - x, s.position_map_m[1] - y));
  }
  return best;
}

int Count(const sim::Metrics& m, HazardKind kind) {
  return m.hazard_counts[static_cast<std::size_t>(kind)];
}

sim::Metrics MetricsOf(const sim::DriveRequest& request, const sim::DriveResult& result) {
  return sim::ComputeDriveMetrics(result, sim::MakeDriveMetricsConfig(request));
}

TEST(WaypointDrive, StatusNames) {
  EXPECT_STREQ(sim::ToString(DriveStatus::kNoSafePath), "no_safe_path");
  EXPECT_STREQ(sim::ToString(DriveStatus::kTiltLimit), "tilt_limit");
  EXPECT_STREQ(sim::ToString(DriveStatus::kSlipLimit), "slip_limit");
}

TEST(WaypointDrive, CommandsAndWaypointsAreAlternatives) {
  sim::DriveRequest r = WaypointRequest(Flat(), {2, 8, 0}, {{4, 8}}, false);
  r.commands = {Straight(1)};
  EXPECT_THROW((void)sim::RunDrive(r), InputError);
}

TEST(WaypointDrive, FlatGroundReachesEveryWaypointWithinTolerance) {
  const std::vector<vehicle::Waypoint> waypoints = {{6, 8}, {9, 10}, {12, 8}};
  for (bool autonav : {true, false}) {
    SCOPED_TRACE(autonav ? "autonav" : "blind");
    const sim::DriveRequest request = WaypointRequest(Flat(), {2, 8, 0}, waypoints, autonav);
    const sim::DriveResult result = sim::RunDrive(request);
    EXPECT_EQ(result.status, DriveStatus::kCompleted) << result.reason;
    EXPECT_EQ(result.waypoints_reached, 3);
    for (std::size_t i = 0; i < waypoints.size(); ++i) {
      const double tol = i + 1 == waypoints.size() ? request.waypoint_params.goal_tolerance_m
                                                   : request.waypoint_params.waypoint_tolerance_m;
      const double d = ClosestApproach(result.telemetry, waypoints[i].x_m, waypoints[i].y_m);
      std::printf("[ measured ] %s waypoint %zu: closest %.3f m (tolerance %.2f)\n",
                  autonav ? "autonav" : "blind", i, d, tol);
      EXPECT_LE(d, tol);
    }
    const sim::Metrics m = MetricsOf(request, result);
    EXPECT_EQ(m.goal_reached, true);
    EXPECT_EQ(m.hazards.size(), 0u);
    EXPECT_EQ(result.autonav_decisions.empty(), !autonav);
    if (autonav) {  // flat: every decision found a safe arc or turn
      for (const auto& d : result.autonav_decisions) EXPECT_GE(d.chosen, 0);
    }
  }
}

// A 0.6 m rock, 1.2 m across (below HiRISE's ~1.5 m detection: invisible from orbit), on the
// straight line from the start to the goal.
sim::DriveRequest RockRequest(bool autonav) {
  auto truth = Flat();
  truth->rocks.push_back({8.0, 8.0, 1.2, 0.6, 5});
  return WaypointRequest(truth, {2, 8, 0}, {{2, 8}, {14, 8}}, autonav);
}

TEST(WaypointDrive, AutoNavDetoursAroundARockTheBlindDriveHits) {
  const sim::DriveRequest on = RockRequest(true);
  const sim::DriveResult with = sim::RunDrive(on);
  const sim::Metrics m_on = MetricsOf(on, with);
  std::printf(
      "[ measured ] autonav: %s, %.2f m driven in %.0f s, closest to the rock centre %.2f m, "
      "%zu decisions, hazards %zu\n",
      sim::ToString(with.status), m_on.distance_m, with.sim_time_s,
      ClosestApproach(with.telemetry, 8, 8), with.autonav_decisions.size(), m_on.hazards.size());
  EXPECT_EQ(with.status, DriveStatus::kCompleted) << with.reason;
  EXPECT_EQ(m_on.goal_reached, true);
  EXPECT_EQ(Count(m_on, HazardKind::kBodyContact), 0);
  EXPECT_EQ(Count(m_on, HazardKind::kWheelOnRock), 0);
  EXPECT_EQ(Count(m_on, HazardKind::kStuck), 0);
  EXPECT_GT(ClosestApproach(with.telemetry, 8, 8), 1.0);  // it went around
  // AutoNav saw the rock: some decision rejected the straight option for step or clearance.
  int straight_rejected = 0;
  for (const auto& d : with.autonav_decisions) {
    for (const auto& o : d.options) {
      if (o.kind == vehicle::OptionKind::kArc && std::fabs(o.curvature_1pm) < 1e-9 &&
          (o.failure == vehicle::OptionCheck::kStep ||
           o.failure == vehicle::OptionCheck::kClearance)) {
        ++straight_rejected;
      }
    }
  }
  EXPECT_GT(straight_rejected, 0);

  // Control: blind, the same drive records a hazard.
  const sim::DriveRequest off = RockRequest(false);
  const sim::DriveResult blind = sim::RunDrive(off);
  const sim::Metrics m_off = MetricsOf(off, blind);
  std::printf("[ measured ] blind: %s (%s), body contacts %d, wheel on rock %d, stuck %d\n",
              sim::ToString(blind.status), blind.reason.c_str(),
              Count(m_off, HazardKind::kBodyContact), Count(m_off, HazardKind::kWheelOnRock),
              Count(m_off, HazardKind::kStuck));
  EXPECT_GT(Count(m_off, HazardKind::kBodyContact) + Count(m_off, HazardKind::kWheelOnRock) +
                Count(m_off, HazardKind::kStuck),
            0);
  EXPECT_TRUE(blind.autonav_decisions.empty());
}

TEST(WaypointDrive, BoxedInByRocksStopsWithNoSafePath) {
  auto truth = Flat();
  const int n = 26;  // 0.8 m rocks every ~0.7 m on a 2.9 m circle: no gap the rover fits
  for (int k = 0; k < n; ++k) {
    const double a = 2 * std::numbers::pi * k / n;
    truth->rocks.push_back({8 + 2.9 * std::cos(a), 8 + 2.9 * std::sin(a), 0.8, 0.8,
                            static_cast<std::uint32_t>(100 + k)});
  }
  const sim::DriveRequest request = WaypointRequest(truth, {8, 8, 0}, {{14, 8}}, true);
  const sim::DriveResult result = sim::RunDrive(request);
  const sim::Metrics m = MetricsOf(request, result);
  std::printf("[ measured ] boxed in: %s after %.0f s, %zu decisions, %.2f m from the start\n",
              sim::ToString(result.status), result.sim_time_s, result.autonav_decisions.size(),
              std::hypot(m.end_pose.x_m - 8, m.end_pose.y_m - 8));
  EXPECT_EQ(result.status, DriveStatus::kNoSafePath);
  EXPECT_NE(result.reason.find("no safe path"), std::string::npos) << result.reason;
  EXPECT_EQ(Count(m, HazardKind::kBodyContact), 0);
  EXPECT_EQ(Count(m, HazardKind::kWheelOnRock), 0);
  EXPECT_LT(std::hypot(m.end_pose.x_m - 8, m.end_pose.y_m - 8), 0.3);
  ASSERT_FALSE(result.autonav_decisions.empty());
  EXPECT_EQ(result.autonav_decisions.back().chosen, -1);
}

// An intermediate waypoint inside a closed ring of boulders (a planner's waypoint on ground a
// 1 m orbital map cannot resolve): AutoNav finds no safe path to it, the executive skips it and
// the rover drives on around the ring to the goal. Control: without skipping the drive ends
// there with "no safe path".
TEST(WaypointDrive, AnUnreachableIntermediateWaypointIsSkippedAndTheGoalReached) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 30, 24, 0.05));
  const int n = 26;  // 0.8 m rocks every ~0.7 m on a 2.9 m circle: no gap the rover fits
  for (int k = 0; k < n; ++k) {
    const double a = 2 * std::numbers::pi * k / n;
    truth->rocks.push_back({15 + 2.9 * std::cos(a), 12 + 2.9 * std::sin(a), 0.8, 0.8,
                            static_cast<std::uint32_t>(100 + k)});
  }
  sim::DriveRequest request = WaypointRequest(truth, {3, 12, 0}, {{15, 12}, {27, 12}}, true);
  request.time_limit_s = 2400;
  const sim::DriveResult result = sim::RunDrive(request);
  const sim::Metrics m = MetricsOf(request, result);
  std::printf("[ measured ] skip: %s after %.0f s, %.1f m; skipped %zu (%s)\n",
              sim::ToString(result.status), result.sim_time_s, m.distance_m,
              result.skipped_waypoints.size(),
              result.skipped_waypoints.empty() ? "" : result.skipped_waypoints[0].reason.c_str());
  EXPECT_EQ(result.status, DriveStatus::kCompleted) << result.reason;
  ASSERT_EQ(result.skipped_waypoints.size(), 1u);
  EXPECT_EQ(result.skipped_waypoints[0].index, 0);
  EXPECT_NE(result.skipped_waypoints[0].reason.find("no safe path"), std::string::npos);
  EXPECT_EQ(result.waypoints_reached, 1);  // the goal
  EXPECT_EQ(m.waypoints_skipped, 1);
  EXPECT_LT(std::hypot(m.end_pose.x_m - 27, m.end_pose.y_m - 12),
            request.waypoint_params.goal_tolerance_m);
  EXPECT_EQ(Count(m, HazardKind::kBodyContact), 0);
  const nlohmann::ordered_json json = scenarios::AutoNavToJson(request, result);
  ASSERT_EQ(json["skipped_waypoints"].size(), 1u);
  EXPECT_EQ(json["skipped_waypoints"][0]["index"], 0);

  request.waypoint_params.skip_unreachable_waypoints = false;
  const sim::DriveResult control = sim::RunDrive(request);
  EXPECT_EQ(control.status, DriveStatus::kNoSafePath);
  EXPECT_TRUE(control.skipped_waypoints.empty());
  EXPECT_EQ(control.waypoints_reached, 0);
}

// Fault protection: a waypoint drive stops when the tilt exceeds the 30 deg limit.
// Regression: on ordinary Jezero-rim ground (10 deg regional slope, fBm roughness, ripples,
// craters, k = 0.10 rocks, range-dependent stereo noise) the step check measured the height
// range under each grown wheel patch, so noise, dips and the local slope's deviation from the
// wheel plane rejected every option ("no safe path ... (step)" after ~7 m on this map). The step
// is now what a wheel must climb above its resting contact.
TEST(WaypointDrive, AutoNavCrossesOrdinaryJezeroRimGround) {
  terrain::GenerateRequest g;
  g.preset = "jezero-rim";
  g.seed = 7;
  g.size_x_m = 24;
  g.size_y_m = 16;
  g.resolution_m = 0.05;
  const auto truth = std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(g));
  sim::DriveRequest request = WaypointRequest(truth, {2, 8, 0}, {{8, 8}, {15, 8}}, true);
  request.stuck_time_s = 60;  // the CLI default: slip on the slope, not a fault
  const sim::DriveResult result = sim::RunDrive(request);
  const sim::Metrics m = MetricsOf(request, result);
  std::printf("[ measured ] %s (%s): %.2f m driven, %d of 2 waypoints, %zu decisions\n",
              sim::ToString(result.status), result.reason.c_str(), m.distance_m,
              result.waypoints_reached, result.autonav_decisions.size());
  EXPECT_NE(result.status, DriveStatus::kNoSafePath) << result.reason;
  EXPECT_GE(result.waypoints_reached, 1);
  EXPECT_LT(ClosestApproach(result.telemetry, 8, 8), request.waypoint_params.waypoint_tolerance_m);
}

TEST(WaypointDrive, TiltAboveTheLimitStopsTheDrive) {
  const auto slope = [](double deg) {
    return PresetTerrain("slope", {{"angle_deg", std::to_string(deg)}}, 30, 16);
  };
  // Across a 33 deg slope (mu 1.2 so that it does not slide): tilt fault at once.
  sim::DriveRequest steep = WaypointRequest(slope(33), {15, 4, 1.5708}, {{15, 10}}, false);
  steep.friction_override = 1.2;
  const sim::DriveResult r = sim::RunDrive(steep);
  EXPECT_EQ(r.status, DriveStatus::kTiltLimit) << r.reason;
  EXPECT_NE(r.reason.find("tilt"), std::string::npos);
  // Control: across 20 deg the same drive completes.
  sim::DriveRequest gentle = WaypointRequest(slope(20), {15, 6, 1.5708}, {{15, 8}}, false);
  gentle.friction_override = 1.2;
  const sim::DriveResult g = sim::RunDrive(gentle);
  EXPECT_EQ(g.status, DriveStatus::kCompleted) << g.reason;
}

// Fault protection: the slip check stops a waypoint drive up a 17 deg sand slope (slip > 40 %,
// tests/sim/drive_physics_test.cpp Soil) after one 5 m interval of odometry. Controls: the same
// drive on bedrock completes, and on sand without the check it goes on past the fault point.
TEST(WaypointDrive, SlipAboveTheLimitStopsTheDrive) {
  const auto slope = [](const char* soil) {
    return PresetTerrain("slope", {{"angle_deg", "17"}, {"soil", soil}}, 30, 14);
  };
  sim::DriveRequest sand = WaypointRequest(slope("sand"), {6, 7, 0}, {{16, 7}}, false);
  sand.time_limit_s = 900;
  const sim::DriveResult r = sim::RunDrive(sand);
  const sim::Metrics m = MetricsOf(sand, r);
  std::printf("[ measured ] slip check on 17 deg sand: %s (%s) after %.1f m of odometry\n",
              sim::ToString(r.status), r.reason.c_str(), r.telemetry.back().odometry_distance_m);
  EXPECT_EQ(r.status, DriveStatus::kSlipLimit) << r.reason;
  EXPECT_NE(r.reason.find("above the limit of 40 %"), std::string::npos) << r.reason;
  EXPECT_NEAR(r.telemetry.back().odometry_distance_m, sand.slip_check_interval_m, 0.3);
  EXPECT_EQ(m.status, "slip_limit");

  sim::DriveRequest bedrock = WaypointRequest(slope("bedrock"), {6, 7, 0}, {{16, 7}}, false);
  bedrock.time_limit_s = 900;
  const sim::DriveResult b = sim::RunDrive(bedrock);
  EXPECT_EQ(b.status, DriveStatus::kCompleted) << b.reason;

  sand.slip_check_interval_m = 0;
  const sim::DriveResult off = sim::RunDrive(sand);
  EXPECT_NE(off.status, DriveStatus::kSlipLimit);
  EXPECT_GT(off.telemetry.back().odometry_distance_m, 2 * bedrock.slip_check_interval_m);
}

// Raises the DEM to height_m over [x0, x1] x [y0, y1]: a wall too tall to climb (> 0.35 m).
void AddWall(terrain::TerrainTruth& truth, double x0, double y0, double x1, double y1,
             double height_m) {
  const terrain::GridSpec& g = truth.dem.spec();
  for (int row = 0; row < g.height_px; ++row) {
    for (int col = 0; col < g.width_px; ++col) {
      const double x = g.CellCenterX(col), y = g.CellCenterY(row);
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
        truth.dem.heights_m(col, row) = static_cast<float>(height_m);
      }
    }
  }
}

// A 0.8 m wall across the whole map on the straight line to the waypoint, with a 4.5 m gap
// 4-8.5 m to one side. Without memory AutoNav turns back and forth in front of the wall and
// stops; with the cost to go it follows the wall to the gap.
sim::DriveRequest WallRequest(bool cost_to_go) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 40, 30, 0.05));
  AddWall(*truth, 14, 0, 14.5, 16, 0.8);
  AddWall(*truth, 14, 20.5, 14.5, 30, 0.8);
  sim::DriveRequest r = WaypointRequest(truth, {5, 12, 0}, {{24, 12}}, true);
  r.waypoint_params.autonav_params.use_cost_to_go = cost_to_go;
  r.time_limit_s = 3000;
  return r;
}

TEST(WaypointDrive, AutoNavFollowsAWallToItsGap) {
  const sim::DriveRequest request = WallRequest(true);
  const sim::DriveResult result = sim::RunDrive(request);
  const sim::Metrics m = MetricsOf(request, result);
  std::printf(
      "[ measured ] wall with a gap: %s (%s), %.1f m driven in %.0f s, %zu decisions, "
      "closest to the gap centre %.2f m, hazards %zu\n",
      sim::ToString(result.status), result.reason.c_str(), m.distance_m, result.sim_time_s,
      result.autonav_decisions.size(), ClosestApproach(result.telemetry, 14.25, 18.25),
      m.hazards.size());
  EXPECT_EQ(result.status, DriveStatus::kCompleted) << result.reason;
  EXPECT_EQ(m.goal_reached, true);
  EXPECT_EQ(Count(m, HazardKind::kBodyContact), 0);
  EXPECT_EQ(Count(m, HazardKind::kWheelOnRock), 0);
  EXPECT_LT(ClosestApproach(result.telemetry, 14.25, 18.25), 1.5);  // through the gap
  // Control: without the cost to go (straight-line progress, no memory of the wall's extent)
  // the same drive ends in front of the wall.
  const sim::DriveRequest off = WallRequest(false);
  const sim::DriveResult blind = sim::RunDrive(off);
  std::printf("[ measured ] same without cost to go: %s after %.1f m\n",
              sim::ToString(blind.status), MetricsOf(off, blind).distance_m);
  EXPECT_EQ(blind.status, DriveStatus::kNoSafePath) << blind.reason;
}

// A U of 0.8 m walls whose arms run to the map's edge, the waypoint behind its bottom: no way
// round within the map. AutoNav explores, then stops with no safe path, in bounded time.
TEST(WaypointDrive, ADeadEndStopsWithNoSafePathInBoundedTime) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 30, 30, 0.05));
  AddWall(*truth, 14, 9.5, 14.5, 21, 0.8);  // bottom
  AddWall(*truth, 0, 9.5, 14.5, 10, 0.8);   // arms to the map's west edge
  AddWall(*truth, 0, 20.5, 14.5, 21, 0.8);
  sim::DriveRequest request = WaypointRequest(truth, {5, 15.25, 0}, {{22, 15.25}}, true);
  request.time_limit_s = 5000;
  const sim::DriveResult result = sim::RunDrive(request);
  const sim::Metrics m = MetricsOf(request, result);
  std::printf("[ measured ] dead end: %s (%s), %.1f m driven in %.0f s, %zu decisions\n",
              sim::ToString(result.status), result.reason.c_str(), m.distance_m, result.sim_time_s,
              result.autonav_decisions.size());
  EXPECT_EQ(result.status, DriveStatus::kNoSafePath) << result.reason;
  EXPECT_NE(result.reason.find("no safe path"), std::string::npos);
  EXPECT_LT(result.sim_time_s, 3000);  // not an endless wander
  EXPECT_EQ(Count(m, HazardKind::kBodyContact), 0);
  EXPECT_EQ(Count(m, HazardKind::kWheelOnRock), 0);
  for (const auto& s : result.telemetry) {  // it stayed inside the U
    ASSERT_LT(s.position_map_m[0], 14.0);
    ASSERT_GT(s.position_map_m[1], 10.0);
    ASSERT_LT(s.position_map_m[1], 20.5);
  }
}

TEST(WaypointDrive, SameDriveTwiceGivesIdenticalTelemetryAndDecisions) {
  const sim::DriveRequest request = RockRequest(true);
  const sim::DriveResult a = sim::RunDrive(request);
  const sim::DriveResult b = sim::RunDrive(request);
  ASSERT_EQ(a.telemetry.size(), b.telemetry.size());
  bool same = true;
  for (std::size_t i = 0; i < a.telemetry.size(); ++i) {
    same = same && a.telemetry[i].position_map_m == b.telemetry[i].position_map_m &&
           a.telemetry[i].yaw_rad == b.telemetry[i].yaw_rad &&
           a.telemetry[i].wheels[0].angle_rad == b.telemetry[i].wheels[0].angle_rad;
  }
  EXPECT_TRUE(same);
  EXPECT_EQ(scenarios::AutoNavToJson(request, a).dump(),
            scenarios::AutoNavToJson(request, b).dump());
  // Control: another seed gives other sensor noise, so other decisions.
  sim::DriveRequest other = request;
  other.seed = 2;
  other.time_limit_s = 60;  // the first decisions are enough
  sim::DriveRequest first = request;
  first.time_limit_s = 60;
  EXPECT_NE(scenarios::AutoNavToJson(other, sim::RunDrive(other)).dump(),
            scenarios::AutoNavToJson(first, sim::RunDrive(first)).dump());
}

}  // namespace
}  // namespace marsdrive::testing

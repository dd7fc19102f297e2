// sim::RunDrive's contract: input errors are InputErrors naming the problem; outcomes are
// statuses; same inputs give the same telemetry, also in parallel threads.

#include "sim/drive_run.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stop_token>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "sim/telemetry_hash.h"
#include "tests/sim/drive_test_util.h"

namespace marsdrive::testing {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const sim::DriveRequest& request) {
  try {
    (void)sim::RunDrive(request);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DriveRun, BadInputIsAnInputErrorNamingTheProblem) {
  const auto terrain = PresetTerrain("flat", {}, 10, 10);
  sim::DriveRequest off_map = MakeRequest(terrain, {50, 5, 0}, {Straight(1)});
  EXPECT_THAT(ErrorOf(off_map), HasSubstr("off the map"));
  sim::DriveRequest near_edge = MakeRequest(terrain, {0.5, 5, 0}, {Straight(1)});
  EXPECT_THAT(ErrorOf(near_edge), HasSubstr("off the map"));
  sim::DriveRequest nan_start =
      MakeRequest(terrain, {std::numeric_limits<double>::quiet_NaN(), 5, 0}, {Straight(1)});
  EXPECT_THAT(ErrorOf(nan_start), HasSubstr("start"));
  sim::DriveRequest bad_dt = MakeRequest(terrain, {5, 5, 0}, {Straight(1)});
  bad_dt.dt_s = 0;
  EXPECT_THAT(ErrorOf(bad_dt), HasSubstr("dt"));
  sim::DriveRequest bad_arc = MakeRequest(terrain, {5, 5, 0}, {Arc(-2, 30)});
  EXPECT_THAT(ErrorOf(bad_arc), HasSubstr("command 1"));
  sim::DriveRequest bad_mu = MakeRequest(terrain, {5, 5, 0}, {Straight(1)}, -0.1);
  EXPECT_THAT(ErrorOf(bad_mu), HasSubstr("mu"));
  sim::DriveRequest no_terrain = MakeRequest(nullptr, {5, 5, 0}, {Straight(1)});
  EXPECT_THAT(ErrorOf(no_terrain), HasSubstr("terrain"));
  sim::DriveRequest bad_odometry = MakeRequest(terrain, {5, 5, 0}, {Straight(1)});
  bad_odometry.odometry_scale_error = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(ErrorOf(bad_odometry), HasSubstr("odometry scale error"));
  sim::DriveRequest bad_drift = MakeRequest(terrain, {5, 5, 0}, {Straight(1)});
  bad_drift.imu_yaw_drift_radps = 1;
  EXPECT_THAT(ErrorOf(bad_drift), HasSubstr("IMU yaw drift"));
}

// Proprioceptive errors reach what the rover believes: a straight of 8 m measured by wheels
// that over-read by 5 % ends after 8 / 1.05 m of ground, and a drifting IMU bends the
// dead-reckoned track while the true one stays straight.
TEST(DriveRun, OdometryScaleAndYawDriftBendWhatTheRoverBelieves) {
  const auto terrain = PresetTerrain("flat", {{"soil", "bedrock"}}, 20, 10);
  const sim::DriveRequest exact = MakeRequest(terrain, {3, 5, 0}, {Straight(8)});
  sim::DriveRequest noisy = exact;
  noisy.odometry_scale_error = 0.05;
  noisy.imu_yaw_drift_radps = 1e-4;
  const sim::DriveResult a = sim::RunDrive(exact), b = sim::RunDrive(noisy);
  const sim::TelemetrySample &ea = a.telemetry.back(), &eb = b.telemetry.back();
  const double ground_a = ea.position_map_m[0] - 3, ground_b = eb.position_map_m[0] - 3;
  EXPECT_NEAR(ground_b, ground_a / 1.05, 0.05);
  EXPECT_NEAR(eb.odometry_distance_m, ea.odometry_distance_m, 0.05);
  EXPECT_NEAR(eb.position_map_m[1], ea.position_map_m[1], 0.01);  // the truth goes straight
  const double drift_y = eb.odometry_position_map_m[1] - ea.odometry_position_map_m[1];
  EXPECT_GT(drift_y, 0.01);  // left (+y): a positive yaw drift
  EXPECT_LT(drift_y, 0.2);
}

TEST(DriveRun, StartInsideATallRockIsRejected) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 10, 10));
  truth->rocks.push_back({5.0, 5.0, 1.5, 0.9, 7});
  EXPECT_THAT(ErrorOf(MakeRequest(truth, {5, 5, 0}, {Straight(1)})), HasSubstr("inside rock"));
  // Control: the same start without the rock is fine.
  truth->rocks.clear();
  EXPECT_EQ(ErrorOf(MakeRequest(truth, {5, 5, 0}, {Stop(0.1)})), "(no error)");
}

TEST(DriveRun, StatusNames) {
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kCompleted), "completed");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kStuck), "stuck");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kTimeLimit), "time_limit");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kNumericalFailure), "numerical_failure");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kOffMap), "off_map");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kRollover), "rollover");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kSimFault), "sim_fault");
  EXPECT_STREQ(sim::ToString(sim::DriveStatus::kCancelled), "cancelled");
  for (auto fault :
       {sim::DriveStatus::kOffMap, sim::DriveStatus::kRollover, sim::DriveStatus::kSimFault}) {
    EXPECT_TRUE(sim::IsFault(fault));
    EXPECT_TRUE(sim::IsFault(sim::ToString(fault)));
  }
  EXPECT_FALSE(sim::IsFault(sim::DriveStatus::kStuck));  // control: stopping short is no fault
  EXPECT_FALSE(sim::IsFault("completed"));
}

TEST(DriveRun, TimeLimitEndsTheDrive) {
  const auto terrain = PresetTerrain("flat", {}, 12, 10);
  sim::DriveRequest request = MakeRequest(terrain, {4, 5, 0}, {Straight(5)});
  request.time_limit_s = 3;
  const sim::DriveResult r = sim::RunDrive(request);
  EXPECT_EQ(r.status, sim::DriveStatus::kTimeLimit);
  EXPECT_NEAR(r.sim_time_s, 3.0, request.dt_s);
  EXPECT_NEAR(r.telemetry.back().time_s, 3.0, request.dt_s);
}

// A stop request (the live viewer closing) ends the drive as cancelled, not as a time limit, in
// both drive modes, with the telemetry so far.
TEST(DriveRun, AStopRequestEndsTheDriveAsCancelled) {
  const auto terrain = PresetTerrain("flat", {}, 12, 10);
  std::stop_source stop;
  sim::DriveRequest request = MakeRequest(terrain, {4, 5, 0}, {Straight(5)});
  request.stop = stop.get_token();
  request.on_sample = [&](const sim::TelemetrySample& s) {
    if (s.time_s >= 1.0) stop.request_stop();
  };
  const sim::DriveResult r = sim::RunDrive(request);
  EXPECT_EQ(r.status, sim::DriveStatus::kCancelled);
  EXPECT_THAT(r.reason, HasSubstr("stopped on request"));
  EXPECT_NEAR(r.sim_time_s, 1.0, 2 * request.dt_s);
  // Control: without the request the same drive completes.
  request.on_sample = nullptr;
  request.stop = {};
  EXPECT_EQ(sim::RunDrive(request).status, sim::DriveStatus::kCompleted);
}

TEST(DriveRun, TelemetryIsDecimatedAndLabelled) {
  const auto terrain = PresetTerrain("flat", {}, 12, 10);
  sim::DriveRequest request = MakeRequest(terrain, {4, 5, 0}, {Stop(1), Straight(0.2)});
  request.telemetry_period_s = 0.5;
  const sim::DriveResult r = sim::RunDrive(request);
  ASSERT_EQ(r.status, sim::DriveStatus::kCompleted) << r.reason;
  ASSERT_GE(r.telemetry.size(), 3u);
  EXPECT_EQ(r.telemetry.front().time_s, 0.0);
  EXPECT_NEAR(r.telemetry[1].time_s, 0.5, 1e-9);
  EXPECT_EQ(r.telemetry[1].command, sim::CommandKind::kStop);
  EXPECT_EQ(r.telemetry[1].command_index, 0);
  bool saw_straight = false;
  for (const auto& s : r.telemetry) {
    if (s.command == sim::CommandKind::kStraight) {
      saw_straight = true;
      EXPECT_EQ(s.command_index, 1);
    }
  }
  EXPECT_TRUE(saw_straight);
  EXPECT_EQ(r.telemetry.back().command, sim::CommandKind::kNone);
  EXPECT_GT(r.telemetry.back().energy_J, 0.0);
  EXPECT_NEAR(r.telemetry.back().odometry_distance_m, 0.2, 0.01);
}

// ---- determinism --------------------------------------------------------------------------------

// Every field of every sample, bit for bit (sim/telemetry_hash.h; the pinned hashes are in
// determinism_pin_test.cpp).
std::uint64_t Hash(const sim::Telemetry& t) { return sim::CalcTelemetryHash(t).value; }

// Jezero-rim terrain with rocks, 17 m at top speed: crosses a floating-origin shift and streams
// rocks in and out.
sim::DriveRequest RockyRequest() {
  static const auto terrain = [] {
    terrain::GenerateRequest g;
    g.preset = "jezero-rim";
    g.seed = 3;
    g.size_x_m = 40;
    g.size_y_m = 20;
    return std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(g));
  }();
  sim::DriveRequest request = MakeRequest(terrain, {6, 10, 0}, {Straight(17, 0.045)});
  request.stuck_time_s = 1e9;
  request.time_limit_s = 420;
  return request;
}

TEST(Determinism, SameRunTwiceGivesIdenticalTelemetry) {
  const sim::DriveRequest request = RockyRequest();
  ASSERT_FALSE(request.terrain->rocks.empty());
  const sim::DriveResult a = sim::RunDrive(request);
  const sim::DriveResult b = sim::RunDrive(request);
  EXPECT_GT(a.telemetry.back().truth_distance_m, 5.0);  // it went somewhere
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.step_count, b.step_count);
  EXPECT_EQ(Hash(a.telemetry), Hash(b.telemetry));
  // Control: a different run differs.
  sim::DriveRequest other = request;
  other.start.y_m += 0.01;
  EXPECT_NE(Hash(sim::RunDrive(other).telemetry), Hash(a.telemetry));
}

TEST(Determinism, ParallelRunsGiveIdenticalTelemetry) {
  const sim::DriveRequest request = RockyRequest();
  const std::uint64_t reference = Hash(sim::RunDrive(request).telemetry);
  std::vector<std::uint64_t> results(2);
  std::vector<std::thread> threads;
  for (auto& out : results) {
    threads.emplace_back([&out, &request] { out = Hash(sim::RunDrive(request).telemetry); });
  }
  for (auto& t : threads) t.join();
  for (const std::uint64_t out : results) EXPECT_EQ(out, reference);
}

}  // namespace
}  // namespace marsdrive::testing

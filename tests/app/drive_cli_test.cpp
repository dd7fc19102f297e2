// End-to-end tests of `marsdrive drive`: the command line, the files it writes, their fields
// and the exit codes written in issue #4 are contracts.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/metrics.h"
#include "sim/telemetry_csv.h"
#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

using testing::Marsdrive;

// Flat 20 m x 20 m terrains shared by every test of this file: one bare, one with a single
// rock at (15, 15), 3 m wide and 1.5 m tall: taller than the rover's belly clearance.
class DriveCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir("drive-cli");
    terrain_ = (tmp_->path() / "flat").string();
    rocky_terrain_ = (tmp_->path() / "rocky").string();
    const std::string common =
        "terrain generate --preset flat --size 20x20 --resolution 0.1 --seed 1 ";
    auto r = Marsdrive(common + "--out " + terrain_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ofstream(tmp_->path() / "rocks.yaml")
        << "- {x: 15, y: 15, diameter_m: 3.0, height_m: 1.5}\n";
    r = Marsdrive(common + "--param rocks=" + (tmp_->path() / "rocks.yaml").string() + " --out " +
                  rocky_terrain_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static std::string Terrain() { return terrain_; }
  static std::string RockyTerrain() { return rocky_terrain_; }

 private:
  static inline TempDir* tmp_ = nullptr;
  static inline std::string terrain_, rocky_terrain_;
};

// ---------------------------------------------------------------------------- bad input --

struct BadInput {
  std::string name;
  std::string args;     // after "marsdrive drive "; TERRAIN, OUT and TMP are replaced
  std::string message;  // expected in stderr
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

class DriveCliBadInput : public DriveCli, public ::testing::WithParamInterface<BadInput> {};

TEST_P(DriveCliBadInput, ExitsTwoWithOneClearLineAndWritesNothing) {
  TempDir tmp("drive-bad");
  std::ofstream(tmp / "bad_commands.txt") << "# approach\nstraight 2\nstraight ten\n";
  std::string args = GetParam().args;
  const auto substitute = [&args](const std::string& key, const std::string& value) {
    for (std::size_t at; (at = args.find(key)) != std::string::npos;)
      args.replace(at, key.size(), value);
  };
  substitute("TERRAIN", Terrain());
  substitute("OUT", (tmp / "out").string());
  substitute("TMP", tmp.path().string());
  const auto r = Marsdrive("drive " + args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(GetParam().message));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_FALSE(fs::exists(tmp / "out/metrics.json"));
  EXPECT_FALSE(fs::exists(tmp / "out/telemetry.csv"));
}

const std::string kGood = "--terrain TERRAIN --start 10,10,0 --commands 'straight 1' --out OUT";

INSTANTIATE_TEST_SUITE_P(
    Drive, DriveCliBadInput,
    ::testing::Values(
        BadInput{"UnknownCommand",
                 "--terrain TERRAIN --start 10,10,0 --commands 'straight 1; jump 2' --out OUT",
                 "--commands: command 2 'jump 2': unknown command 'jump'"},
        BadInput{"MissingArgument",
                 "--terrain TERRAIN --start 10,10,0 --commands 'arc 5' --out OUT",
                 "--commands: command 1 'arc 5': expected 2 to 3 arguments"},
        BadInput{"ZeroRadius", "--terrain TERRAIN --start 10,10,0 --commands 'arc 0 90' --out OUT",
                 "RADIUS_M: expected a radius > 0"},
        BadInput{"BadCommandsFile",
                 "--terrain TERRAIN --start 10,10,0 --commands TMP/bad_commands.txt --out OUT",
                 "bad_commands.txt: command 2 (line 3) 'straight ten': DISTANCE_M: expected a "
                 "finite number"},
        BadInput{"StartOffTheMapEast",
                 "--terrain TERRAIN --start 25,10,0 --commands 'straight 1' --out OUT",
                 "--start (25, 10) m is off the map: terrain"},
        BadInput{"StartOffTheMapSouth",
                 "--terrain TERRAIN --start=10,-0.5,0 --commands 'straight 1' --out OUT",
                 "is off the map"},
        BadInput{"NaNStart", "--terrain TERRAIN --start nan,10,0 --commands 'straight 1' --out OUT",
                 "--start 'nan,10,0': expected x,y,yaw_deg: three finite numbers"},
        BadInput{"ShortStart", "--terrain TERRAIN --start 10,10 --commands 'straight 1' --out OUT",
                 "--start '10,10': expected x,y,yaw_deg"},
        BadInput{"MissingTerrain",
                 "--terrain TMP/no_terrain --start 10,10,0 --commands 'straight 1' --out OUT",
                 "no_terrain: no such terrain directory"},
        BadInput{"NotATerrain", "--terrain TMP --start 10,10,0 --commands 'straight 1' --out OUT",
                 "terrain.json"},
        BadInput{"ZeroTimeStep", kGood + " --dt 0", "--dt"},
        BadInput{"BadGoal", kGood + " --goal 5", "--goal '5': expected x,y[,tolerance_m]"},
        BadInput{"CommandsAndWaypoints", kGood + " --waypoints TMP/wp.yaml",
                 "expected either --commands or --waypoints"},
        BadInput{"BadAutonav",
                 "--terrain TERRAIN --start 10,10,0 --waypoints TMP/wp.yaml --autonav maybe "
                 "--out OUT",
                 "--autonav 'maybe': expected on or off"},
        BadInput{"BadSkipUnreachable",
                 "--terrain TERRAIN --start 10,10,0 --waypoints TMP/wp.yaml --skip-unreachable 1 "
                 "--out OUT",
                 "--skip-unreachable '1': expected on or off"},
        BadInput{"SkipUnreachableWithCommands", kGood + " --skip-unreachable off",
                 "apply to --waypoints drives only"},
        BadInput{"SlipCheckWithCommands", kGood + " --slip-check 5",
                 "apply to --waypoints drives only"},
        BadInput{"NegativeSlipCheck",
                 "--terrain TERRAIN --start 10,10,0 --waypoints TMP/wp.yaml --slip-check -1 "
                 "--out OUT",
                 "--slip-check: expected metres of odometry >= 0"},
        BadInput{"MissingWaypointFile",
                 "--terrain TERRAIN --start 10,10,0 --waypoints TMP/none.yaml --out OUT",
                 "none.yaml"}),
    [](const auto& info) { return info.param.name; });

TEST_F(DriveCli, AStartInsideARockIsBadInput) {
  TempDir tmp("drive-rock");
  // Control: the rocky terrain itself is fine away from its rock (this one needs the physics).
  const auto away = Marsdrive("drive --terrain " + RockyTerrain() +
                              " --start 5,5,0 --commands 'stop' --out " + (tmp / "a").string());
  ASSERT_EQ(away.exit_code, 0) << away.err;
  const auto r =
      Marsdrive("drive --terrain " + RockyTerrain() +
                " --start 15,15,0 --commands 'straight 1' --out " + (tmp / "b").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("rock"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_FALSE(fs::exists(tmp / "b/metrics.json"));
}

TEST_F(DriveCli, AMalformedFrictionParameterOfTheTerrainIsBadInput) {
  TempDir tmp("drive-mu");
  fs::copy(Terrain(), tmp / "t", fs::copy_options::recursive);
  nlohmann::json meta = nlohmann::json::parse(ReadWholeFile(tmp / "t/terrain.json"));
  // Control: a well-formed coefficient is accepted (RunDrive gets it as friction_override).
  meta["params"]["mu"] = "0.4";
  std::ofstream(tmp / "t/terrain.json") << meta.dump(2);
  const auto ok = Marsdrive("drive --terrain " + (tmp / "t").string() +
                            " --start 10,10,0 --commands 'stop 1' --out " + (tmp / "ok").string());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  meta["params"]["mu"] = "slippery";
  std::ofstream(tmp / "t/terrain.json") << meta.dump(2);
  const auto r =
      Marsdrive("drive --terrain " + (tmp / "t").string() +
                " --start 10,10,0 --commands 'straight 1' --out " + (tmp / "out").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("terrain.json: params.mu: expected a friction coefficient > 0, "
                               "got 'slippery'"));
  EXPECT_FALSE(fs::exists(tmp / "out/metrics.json"));
}

// ------------------------------------------------- drives (need the physics, sim::RunDrive) --

nlohmann::json ReadJson(const fs::path& path) { return nlohmann::json::parse(ReadWholeFile(path)); }

TEST_F(DriveCli, DrivingOffTheMapExitsOneAsOffMap) {
  TempDir tmp("drive-cli-off-map");
  const auto r =
      Marsdrive("drive --terrain " + Terrain() +
                " --start 15,10,0 --commands 'straight 10' --out " + (tmp.path() / "out").string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("drive off_map (wheel"));
  const nlohmann::json m = ReadJson(tmp.path() / "out/metrics.json");
  EXPECT_EQ(m["status"], "off_map");
  // Control: the same drive stopping short of the edge (x 20) completes.
  const auto control =
      Marsdrive("drive --terrain " + Terrain() + " --start 15,10,0 --commands 'straight 2' --out " +
                (tmp.path() / "control").string());
  EXPECT_EQ(control.exit_code, 0) << control.out << control.err;
}

TEST_F(DriveCli, FlatStraightCompletesAndWritesMetricsAndTelemetry) {
  TempDir tmp("drive-flat");
  const auto r = Marsdrive("drive --terrain " + Terrain() +
                           " --start 5,10,0 --commands "
                           "'straight 1; stop' --out " +
                           (tmp / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("drive completed"));
  EXPECT_THAT(r.out, HasSubstr("metrics.json"));
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one paragraph: " << r.out;

  const nlohmann::json m = ReadJson(tmp / "out/metrics.json");
  for (const char* key : {"distance_m", "odometry_m", "progress_m", "slip", "hazards",
                          "hazard_counts", "tilt_max_deg", "sim_time_s", "wall_time_s", "rtf",
                          "energy_j", "stuck", "status", "reason"}) {
    EXPECT_TRUE(m.contains(key)) << key;
  }
  for (const char* key : {"mean", "p95", "max"}) EXPECT_TRUE(m["slip"].contains(key)) << key;
  EXPECT_EQ(m["status"], "completed");
  EXPECT_EQ(m["stuck"], false);
  EXPECT_NEAR(m["distance_m"].get<double>(), 1.0, 0.02);
  EXPECT_NEAR(m["odometry_m"].get<double>(), 1.0, 0.02);
  EXPECT_NEAR(m["progress_m"].get<double>(), 1.0, 0.02);
  EXPECT_LT(m["slip"]["max"].get<double>(), 0.05);
  EXPECT_TRUE(m["hazards"].empty()) << m["hazards"].dump();
  EXPECT_EQ(m["hazard_counts"].size(), static_cast<std::size_t>(sim::kHazardKindCount));
  EXPECT_GT(m["sim_time_s"].get<double>(), 1.0 / 0.045);  // no faster than the top speed
  EXPECT_GT(m["energy_j"].get<double>(), 0.0);

  const sim::Telemetry t = sim::ReadTelemetryCsv(tmp / "out/telemetry.csv");
  ASSERT_GE(t.size(), 2u);
  EXPECT_NEAR(t.front().position_map_m[0], 5.0, 0.05);
  EXPECT_NEAR(t.back().position_map_m[0], 6.0, 0.05);
  EXPECT_NEAR(t.back().position_map_m[1], 10.0, 0.05);
}

TEST_F(DriveCli, CommandsComeFromAFileToo) {
  TempDir tmp("drive-file");
  std::ofstream(tmp / "drive.txt") << "# a short hop north\nturn 90\nstraight 0.5\n";
  const auto r = Marsdrive("drive --terrain " + Terrain() + " --start 10,10,0 --commands " +
                           (tmp / "drive.txt").string() + " --out " + (tmp / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json m = ReadJson(tmp / "out/metrics.json");
  // The turn is about the wheelbase centre, not the reference point: allow for that.
  EXPECT_NEAR(m["end"]["x"].get<double>(), 10.0, 0.15);
  EXPECT_NEAR(m["end"]["y"].get<double>(), 10.5, 0.15);
  EXPECT_NEAR(m["end"]["yaw_deg"].get<double>(), 90, 3);
}

TEST_F(DriveCli, TheSameDriveTwiceGivesIdenticalFiles) {
  TempDir tmp("drive-twice");
  const std::string args = "drive --terrain " + Terrain() +
                           " --start 5,10,30 --commands 'arc 3 20; straight 0.3' --out ";
  ASSERT_EQ(Marsdrive(args + (tmp / "a").string()).exit_code, 0);
  ASSERT_EQ(Marsdrive(args + (tmp / "b").string()).exit_code, 0);
  const std::string telemetry = ReadWholeFile(tmp / "a/telemetry.csv");
  EXPECT_GT(telemetry.size(), 1000u);
  EXPECT_EQ(telemetry, ReadWholeFile(tmp / "b/telemetry.csv"));
  // metrics.json differs only in the measured wall time (and the real-time factor from it).
  nlohmann::json a = ReadJson(tmp / "a/metrics.json"), b = ReadJson(tmp / "b/metrics.json");
  for (nlohmann::json* m : {&a, &b}) {
    m->erase("wall_time_s");
    m->erase("rtf");
  }
  EXPECT_EQ(a.dump(), b.dump());
}

TEST_F(DriveCli, ADriveCutShortExitsOneAndStillWritesItsMetrics) {
  TempDir tmp("drive-limit");
  const auto r = Marsdrive("drive --terrain " + Terrain() +
                           " --start 5,10,0 --commands "
                           "'straight 10' --time-limit 5 --out " +
                           (tmp / "out").string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_TRUE(fs::exists(tmp / "out/metrics.json"));
  ASSERT_TRUE(fs::exists(tmp / "out/telemetry.csv"));
  const nlohmann::json m = ReadJson(tmp / "out/metrics.json");
  EXPECT_NE(m["status"], "completed");
  EXPECT_FALSE(m["reason"].get<std::string>().empty());
  EXPECT_LT(m["progress_m"].get<double>(), 1.0);
  EXPECT_GE(sim::ReadTelemetryCsv(tmp / "out/telemetry.csv").size(), 2u);
}

// --------------------------------------------------------------- waypoints and AutoNav --

TEST_F(DriveCli, WaypointsFromAPlanAreFollowedWithAutoNavWhichWritesItsDecisions) {
  TempDir tmp("drive-waypoints");
  const auto plan = Marsdrive("plan --terrain " + Terrain() +
                              " --planner scripted --start 5,10,0 --goal 8,10,0.5 --out " +
                              (tmp / "plan").string());
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const auto r = Marsdrive("drive --terrain " + Terrain() + " --start 5,10,0 --waypoints " +
                           (tmp / "plan/plan.json").string() + " --goal 8,10,0.5 --dt 0.0333 " +
                           "--out " + (tmp / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("waypoints reached 2 of 2"));
  const nlohmann::json m = ReadJson(tmp / "out/metrics.json");
  EXPECT_EQ(m["status"], "completed");
  EXPECT_EQ(m["goal_reached"], true);
  EXPECT_EQ(m["waypoints_reached"], 2);
  EXPECT_EQ(m["waypoints_skipped"], 0);
  EXPECT_GT(m["autonav_decisions"].get<int>(), 2);
  EXPECT_LT(m["end_error_m"].get<double>(), 0.5);
  const nlohmann::json a = ReadJson(tmp / "out/autonav.json");
  EXPECT_EQ(a["schema"], "marsdrive/autonav/1");
  EXPECT_EQ(a["autonav"], true);
  EXPECT_EQ(a["params"]["skip_unreachable_waypoints"], true);
  EXPECT_TRUE(a["skipped_waypoints"].empty());
  ASSERT_EQ(a["decisions"].size(), m["autonav_decisions"].get<std::size_t>());
  const nlohmann::json& d = a["decisions"][0];
  ASSERT_GE(d["chosen"].get<int>(), 0);
  ASSERT_GT(d["options"].size(), 20u);
  const nlohmann::json& chosen = d["options"][d["chosen"].get<std::size_t>()];
  EXPECT_EQ(chosen["safe"], true);
  EXPECT_EQ(chosen["reason"], "none");
  EXPECT_GE(chosen["points"].size(), 2u);
  EXPECT_EQ(chosen["points"][0].size(), 3u);  // x, y, yaw_deg
}

TEST_F(DriveCli, BlindWaypointDriveIntoARockExitsOneAndRecordsAHazard) {
  TempDir tmp("drive-blind");
  std::ofstream(tmp / "wp.csv") << "x,y\n10,15\n19,15\n";
  const std::string args = "drive --terrain " + RockyTerrain() + " --start 10,15,0 --waypoints " +
                           (tmp / "wp.csv").string() + " --dt 0.0333 --time-limit 200 ";
  const auto blind = Marsdrive(args + "--autonav off --out " + (tmp / "blind").string());
  EXPECT_EQ(blind.exit_code, 1) << blind.err << blind.out;
  const nlohmann::json m = ReadJson(tmp / "blind/metrics.json");
  EXPECT_GT(m["hazard_counts"]["body_contact"].get<int>(), 0) << m.dump();
  EXPECT_EQ(ReadJson(tmp / "blind/autonav.json")["decisions"].size(), 0u);
  // With AutoNav the rover sees the 1.5 m rock and does not touch it.
  const auto seen = Marsdrive(args + "--out " + (tmp / "autonav").string());
  const nlohmann::json n = ReadJson(tmp / "autonav/metrics.json");
  EXPECT_EQ(n["hazard_counts"]["body_contact"].get<int>(), 0) << seen.out;
}

}  // namespace
}  // namespace marsdrive

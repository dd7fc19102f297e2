// End-to-end tests of `marsdrive planners` and `marsdrive plan`: files written, plan.json on
// failure, exit codes 0 / 1 / 2 (issue #5 and #7 contracts).

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

using testing::Marsdrive;

// One small terrain for the whole suite: a 60 m x 40 m flat plain at 0.2 m.
class PlanCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("plan-cli");
    const auto r = Marsdrive("terrain generate --preset flat --size 60x40 --resolution 0.2 --out " +
                             (*dir_ / "t").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Terrain() { return (*dir_ / "t").string(); }
  static fs::path Tmp() { return dir_->path(); }

 private:
  static TempDir* dir_;
};
TempDir* PlanCli::dir_ = nullptr;

nlohmann::json ReadJson(const fs::path& path) { return nlohmann::json::parse(ReadWholeFile(path)); }

TEST_F(PlanCli, ListsPlannersWithTheirParameters) {
  const auto r = Marsdrive("planners");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text :
       {"scripted:", "astar:", "rrtstar:", "connectivity", "default 16", "8|16", "max_spacing_m"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
  const auto json = Marsdrive("planners --json");
  ASSERT_EQ(json.exit_code, 0);
  const auto list = nlohmann::json::parse(json.out);
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list[1]["name"], "astar");
  EXPECT_EQ(list[1]["params"][0]["name"], "connectivity");
  EXPECT_EQ(list[1]["params"][0]["default"], "16");
}

TEST_F(PlanCli, AstarWritesProblemAndPlan) {
  const fs::path out = Tmp() / "astar";
  const auto r =
      Marsdrive("plan --terrain " + Terrain() +
                " --planner astar --param connectivity=8 --start 5,5,90 --goal 55,35,1.5 "
                "--max-spacing 15 --out " +
                out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("plan astar exact"));
  const auto plan = ReadJson(out / "plan.json");
  EXPECT_EQ(plan["schema"], "marsdrive/plan/1");
  EXPECT_EQ(plan["planner"], "astar");
  EXPECT_EQ(plan["status"], "exact");
  EXPECT_EQ(plan["params"]["connectivity"], "8");
  ASSERT_GE(plan["waypoints"].size(), 5u);  // 64 m in <= 15 m legs
  EXPECT_EQ(plan["waypoints"][0]["x"], 5.0);
  EXPECT_EQ(plan["waypoints"][0]["y"], 5.0);
  EXPECT_TRUE(plan.contains("alternatives"));
  EXPECT_TRUE(plan.contains("diagnostics"));
  EXPECT_GT(plan["wall_time_s"].get<double>(), 0.0);
  const auto problem = ReadJson(out / "problem.json");
  EXPECT_EQ(problem["schema"], "marsdrive/plan-problem/1");
  EXPECT_EQ(problem["start"]["yaw_deg"], 90.0);
  EXPECT_EQ(problem["goal"]["tolerance_m"], 1.5);
  EXPECT_EQ(problem["limits"]["max_waypoint_spacing_m"], 15.0);
  EXPECT_TRUE(fs::path(problem["orbital_dir"].get<std::string>()).is_absolute());
}

TEST_F(PlanCli, ReplayingTheSavedProblemGivesTheSamePlan) {
  const fs::path first = Tmp() / "replay-a", second = Tmp() / "replay-b";
  ASSERT_EQ(Marsdrive("plan --terrain " + Terrain() +
                      " --planner astar --start 3,20 --goal 57,21 --out " + first.string())
                .exit_code,
            0);
  const auto r = Marsdrive("plan --problem " + (first / "problem.json").string() +
                           " --planner astar --out " + second.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(first / "plan.json")["waypoints"],
            ReadJson(second / "plan.json")["waypoints"]);
  EXPECT_EQ(ReadWholeFile(first / "problem.json"), ReadWholeFile(second / "problem.json"));
}

// Issue 5: saved plan -> replay gives the identical drive (bit for bit).
TEST_F(PlanCli, AReplayedPlanDrivesIdentically) {
  const fs::path first = Tmp() / "drive-replay-a", second = Tmp() / "drive-replay-b";
  ASSERT_EQ(Marsdrive("plan --terrain " + Terrain() +
                      " --planner astar --start 3,20 --goal 14,23,1 --out " + first.string())
                .exit_code,
            0);
  ASSERT_EQ(Marsdrive("plan --problem " + (first / "problem.json").string() +
                      " --planner astar --out " + second.string())
                .exit_code,
            0);
  for (const fs::path& dir : {first, second}) {
    const auto r = Marsdrive("drive --terrain " + Terrain() + " --start 3,20,0 --waypoints " +
                             (dir / "plan.json").string() + " --goal 14,23,1 --seed 4 --out " +
                             (dir / "drive").string());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  const std::string telemetry = ReadWholeFile(first / "drive" / "telemetry.csv");
  EXPECT_GT(telemetry.size(), 1000u);
  EXPECT_EQ(telemetry, ReadWholeFile(second / "drive" / "telemetry.csv"));
  EXPECT_EQ(ReadWholeFile(first / "drive" / "autonav.json"),
            ReadWholeFile(second / "drive" / "autonav.json"));
}

TEST_F(PlanCli, KeepOutFileIsHonoured) {
  const fs::path keep_out = Tmp() / "zones.geojson";
  std::ofstream(keep_out) << R"({"type": "FeatureCollection", "features": [{"type": "Feature",
      "properties": {"name": "wall"}, "geometry": {"type": "Polygon",
      "coordinates": [[[28, 0], [32, 0], [32, 30], [28, 30], [28, 0]]]}}]})";
  const fs::path out = Tmp() / "keepout";
  const auto r = Marsdrive("plan --terrain " + Terrain() +
                           " --planner astar --start 5,5 --goal 55,5 --keep-out " +
                           keep_out.string() + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  double max_y = 0;
  const auto plan = ReadJson(out / "plan.json");
  for (const auto& w : plan["waypoints"]) max_y = std::max(max_y, w["y"].get<double>());
  EXPECT_GT(max_y, 31.5);  // around the top of the wall, half a footprint clear of it
  EXPECT_EQ(ReadJson(out / "problem.json")["keep_outs"][0]["name"], "wall");
}

TEST_F(PlanCli, AFailedPlanStillWritesPlanJsonAndExitsOne) {
  const fs::path keep_out = Tmp() / "box.geojson";
  std::ofstream(keep_out) << R"({"type": "Polygon",
      "coordinates": [[[28, -5], [32, -5], [32, 45], [28, 45]]]})";
  const fs::path out = Tmp() / "fail";
  const auto r = Marsdrive("plan --terrain " + Terrain() +
                           " --planner astar --start 5,5 --goal 55,5 --keep-out " +
                           keep_out.string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto plan = ReadJson(out / "plan.json");
  EXPECT_EQ(plan["status"], "no_path");
  EXPECT_THAT(plan["reason"].get<std::string>(), HasSubstr("separate the start from the goal"));
  EXPECT_TRUE(plan["waypoints"].empty());
  EXPECT_TRUE(fs::exists(out / "problem.json"));
}

TEST_F(PlanCli, ScriptedCommandsAndFiles) {
  const fs::path route = Tmp() / "route.csv";
  std::ofstream(route) << "x,y\n5,5\n30,20\n55,35\n";
  const fs::path out = Tmp() / "scripted";
  const auto r = Marsdrive("plan --terrain " + Terrain() + " --planner scripted --param file=" +
                           route.string() + " --start 5,5 --goal 55,35 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadJson(out / "plan.json")["status"], "exact");
  const fs::path out2 = Tmp() / "commands";
  const auto c =
      Marsdrive("plan --terrain " + Terrain() +
                " --planner scripted --param \"commands=straight 10; turn 45\" --start 5,5 "
                "--goal 55,35 --out " +
                out2.string());
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(ReadJson(out2 / "plan.json")["commands"], "straight 10; turn 45");
}

TEST_F(PlanCli, BadInputExitsTwoNamingTheProblem) {
  const std::string common =
      "plan --terrain " + Terrain() + " --out " + (Tmp() / "bad").string() + " ";
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"--planner astar --start 500,5 --goal 55,35", "--start (500, 5) is off the map"},
      {"--planner astar --start 5,5 --goal 55,-35", "--goal (55, -35) is off the map"},
      {"--planner dijkstra --start 5,5 --goal 55,35", "unknown planner 'dijkstra'"},
      {"--planner astar --param speed=3 --start 5,5 --goal 55,35", "unknown parameter 'speed'"},
      {"--planner astar --param connectivity=4 --start 5,5 --goal 55,35", "expected one of 8|16"},
      {"--planner astar --start 5,x --goal 55,35", "--start '5,x'"},
      {"--planner astar --start 5,5 --goal 55,35,0", "--goal '55,35,0'"},
      {"--planner astar --start 5,5 --goal 55,35 --keep-out /nonexistent.geojson",
       "/nonexistent.geojson"},
      {"--planner scripted --param file=/nonexistent.csv --start 5,5 --goal 55,35",
       "/nonexistent.csv"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = Marsdrive(common + c.args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  const auto r =
      Marsdrive("plan --terrain " + (Tmp() / "nope").string() +
                " --planner astar --start 1,1 --goal 2,2 --out " + (Tmp() / "x").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no such terrain directory"));
}

}  // namespace
}  // namespace marsdrive

// `marsdrive check` end to end (issue 16 item 6): verdicts on plans whose outcome is known, on
// terrain directories whose ground truth has been removed; determinism across --jobs; bad input.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Terrains shared by the tests, generated once, with their truth files deleted: the check must
// work from the orbital products alone.
class CheckCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("check-cli");
    // A hectare: no rock seen from orbit over it bounds the rock abundance (ground_model.h).
    MakeTerrain("flat", "--preset flat --param soil=bedrock --size 100x100 --resolution 0.1");
    MakeTerrain("sand", "--preset slope --param angle_deg=20 --param soil=sand --size 40x20");
    Write("straight.yaml", "- [45, 50]\n- [55, 50]\n");
    Write("uphill.yaml", "- [5, 10]\n- [25, 10]\n");
  }
  static void TearDownTestSuite() { delete dir_; }

  static void MakeTerrain(const std::string& name, const std::string& args) {
    const fs::path out = *dir_ / name;
    ASSERT_EQ(Marsdrive("terrain generate " + args + " --out " + out.string()).exit_code, 0);
    for (const char* truth : {"truth_dem.tif", "classes.tif", "rocks.json"}) {
      ASSERT_TRUE(fs::remove(out / truth)) << truth;
    }
  }
  static void Write(const std::string& name, const std::string& text) {
    std::ofstream(*dir_ / name) << text;
  }
  static std::string Path(const std::string& name) { return (*dir_ / name).string(); }

  // Runs a check; its check.json (empty when none was written).
  static Json Check(const std::string& args, CommandResult* result = nullptr) {
    const fs::path out = *dir_ / ("out-" + std::to_string(++runs_));
    const CommandResult r = Marsdrive("check " + args + " --out " + out.string());
    if (result) *result = r;
    if (!fs::exists(out / "check.json")) return Json();
    return Json::parse(ReadWholeFile(out / "check.json"));
  }
  static std::string AllReasons(const Json& check) {
    std::string text;
    for (const Json& r : check["reasons"]) text += r.get<std::string>() + "\n";
    return text;
  }

  static inline TempDir* dir_ = nullptr;
  static inline int runs_ = 0;
};

TEST_F(CheckCli, TruthFilesAreReallyGone) {
  // Control for every test here: the truth is needed to drive, and it is not there.
  const CommandResult r =
      Marsdrive("drive --terrain " + Path("flat") +
                " --start 45,50,0 --commands 'straight 1' --out " + Path("drive-out"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST_F(CheckCli, ShortPlanOnFlatBedrockIsGo) {
  CommandResult r;
  const Json c = Check(
      "--terrain " + Path("flat") + " --plan " + Path("straight.yaml") + " --trials 8 --jobs 2",
      &r);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(c["schema"], "marsdrive/check/1");
  EXPECT_EQ(c["verdict"], "go") << AllReasons(c);
  EXPECT_GE(c["p_goal"]["p"].get<double>(), 0.95);
  EXPECT_EQ(c["trials"].size(), 8u);
  EXPECT_EQ(c["legs"].size(), 1u);
  EXPECT_TRUE(c["quantiles"]["slip_p95"]["p95"].is_number());
  EXPECT_EQ(c["p_hazard"]["keep_out"]["ci95"].size(), 2u);
}

TEST_F(CheckCli, PlanThroughAKeepOutIsNoGoNamingIt) {
  Write("across.geojson",
        R"({"type": "Feature", "properties": {"name": "crater"}, "geometry": {"type": "Polygon",
            "coordinates": [[[49, 48], [51, 48], [51, 52], [49, 52], [49, 48]]]}})");
  Write("aside.geojson",
        R"({"type": "Feature", "properties": {"name": "crater"}, "geometry": {"type": "Polygon",
            "coordinates": [[[49, 55], [51, 55], [51, 58], [49, 58], [49, 55]]]}})");
  const std::string plan = " --terrain " + Path("flat") + " --plan " + Path("straight.yaml") +
                           " --trials 2 --jobs 2 --keep-out ";
  CommandResult r;
  const Json across = Check(plan + Path("across.geojson"), &r);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(across["verdict"], "no_go");
  EXPECT_NE(AllReasons(across).find("keep-out 'crater'"), std::string::npos) << AllReasons(across);
  // Control: the same zone beside the plan is not named.
  const Json aside = Check(plan + Path("aside.geojson"), &r);
  EXPECT_EQ(aside["verdict"], "go") << AllReasons(aside);
  EXPECT_EQ(AllReasons(aside).find("keep-out"), std::string::npos);
}

TEST_F(CheckCli, StraightUpSteepSandNamesSlip) {
  CommandResult r;
  const Json c = Check(
      "--terrain " + Path("sand") + " --plan " + Path("uphill.yaml") + " --trials 3 --jobs 2", &r);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(c["verdict"] == "no_go" || c["verdict"] == "marginal") << c["verdict"];
  EXPECT_NE(AllReasons(c).find("slip"), std::string::npos) << AllReasons(c);
}

TEST_F(CheckCli, SameCheckAtOneAndTwoJobs) {
  const std::string args =
      "--terrain " + Path("flat") + " --plan " + Path("straight.yaml") + " --trials 3 --seed 7";
  Json one = Check(args + " --jobs 1");
  Json two = Check(args + " --jobs 2");
  ASSERT_FALSE(one.is_null());
  one.erase("wall_time_s");
  two.erase("wall_time_s");
  EXPECT_EQ(one.dump(), two.dump());
  // Control: another seed draws other grounds.
  Json other = Check("--terrain " + Path("flat") + " --plan " + Path("straight.yaml") +
                     " --trials 3 --seed 8 --jobs 2");
  other.erase("wall_time_s");
  EXPECT_NE(one["trials"].dump(), other["trials"].dump());
}

TEST_F(CheckCli, BadInputIsOneLineExitTwoAndWritesNothing) {
  Write("empty.yaml", "[]\n");
  Write("off.yaml", "- [45, 50]\n- [500, 50]\n");
  Write("rules-bad.yaml", "go:\n  p_goal_min: 1.5\n");
  const std::string flat = "--terrain " + Path("flat") + " --plan ";
  struct Case {
    std::string args, expect;
  };
  const Case cases[] = {
      {flat + Path("empty.yaml") + " --trials 2", "empty.yaml"},
      {flat + Path("off.yaml") + " --trials 2", "waypoint 1 (500, 50) is off the map"},
      {flat + Path("straight.yaml") + " --trials 0", "--trials"},
      {flat + Path("straight.yaml") + " --rules " + Path("rules-bad.yaml"), "go.p_goal_min"},
      {flat + Path("straight.yaml") + " --rules " + Path("no-such-rules.yaml"),
       "no-such-rules.yaml"},
  };
  for (const Case& c : cases) {
    const fs::path out = *dir_ / "bad-out";
    const CommandResult r = Marsdrive("check " + c.args + " --out " + out.string());
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.args;
  }
}

// A scenario run asked to check its plan records the twin's verdict before the drive.
TEST_F(CheckCli, ARunChecksItsPlanBeforeTheDrive) {
  Write("flat-run.yaml",
        "schema: marsdrive/scenario/1\nname: flat-run\nseed: 1\n"
        "terrain: {preset: flat, size_m: [40, 30], resolution_m: 0.1, params: {soil: bedrock}}\n"
        "start: {x: 10, y: 15, yaw_deg: 0}\ngoal: {x: 20, y: 15, tolerance_m: 1.0}\n");
  const fs::path out = *dir_ / "run-checked", plain = *dir_ / "run-plain";
  const std::string run = "run " + Path("flat-run.yaml") + " --planner astar --terrain-cache " +
                          Path("run-cache") + " --out ";
  const CommandResult r = Marsdrive(run + out.string() + " --check-trials 2");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const Json record = Json::parse(ReadWholeFile(out / "run.json"));
  ASSERT_TRUE(record.contains("check")) << record.dump(2);
  EXPECT_EQ(record["check"]["trials"], 2);
  EXPECT_EQ(record["check"]["verdict"], "go");
  EXPECT_EQ(record["check"]["dir"], "check");
  EXPECT_TRUE(fs::exists(out / "check" / "check.json"));
  EXPECT_TRUE(fs::exists(out / "check" / "check.html"));
  EXPECT_TRUE(fs::exists(out / "check" / "trials" / "trial-002" / "metrics.json"));
  // Controls: no check unless asked; --check-trials needs --planner.
  ASSERT_EQ(Marsdrive(run + plain.string()).exit_code, 0);
  EXPECT_FALSE(Json::parse(ReadWholeFile(plain / "run.json")).contains("check"));
  EXPECT_EQ(Marsdrive("run " + Path("flat-run.yaml") + " --check-trials 2 --out " +
                      (*dir_ / "run-bad").string())
                .exit_code,
            2);
}

}  // namespace
}  // namespace marsdrive::testing

// problem.json and plan.json (planners/plan_json.h): round trips, contract fields, errors, and
// replaying a saved problem against the terrain directory it names.

#include "planners/plan_json.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/check.h"
#include "io/text_file.h"
#include "planners/registry.h"
#include "terrain/orbital.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_dir.h"
#include "tests/planners/planner_test_util.h"
#include "tests/util/command.h"
#include "tests/util/input_error.h"

namespace marsdrive::planners {
namespace {

namespace fs = std::filesystem;
using marsdrive::testing::TempDir;
using ::testing::HasSubstr;
using testing::MakeFlatProducts;
using testing::MakeProblem;

using marsdrive::testing::ErrorOf;

PlanResult SampleResult() {
  PlanResult r{.status = PlanStatus::kApproximate,
               .waypoints = {{1.25, -3.5}, {0.1, 0.2}, {1e6 + 0.3, 7.0 / 3}},
               .reason = "stopped \"short\"\nof the goal"};
  r.wall_time_s = 0.125;
  r.commands = "straight 10; turn 45";
  r.alternatives = {{"raw", {{1, 2}, {3, 4}}}, {"empty", {}}};
  r.diagnostics = {{"expansions", std::int64_t{12345}},
                   {"cost", 17.25},
                   {"ok", true},
                   {"source", std::string("file r.csv")}};
  r.log = "info: hello\n";
  r.planner = "astar";
  r.params = {{"connectivity", std::string("16")},
              {"max_spacing_m", 20.0},
              {"smoothing", false},
              {"iterations", std::int64_t{5}}};
  return r;
}

void ExpectSameResult(const PlanResult& a, const PlanResult& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.waypoints, b.waypoints);  // bit for bit
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.wall_time_s, b.wall_time_s);
  EXPECT_EQ(a.commands, b.commands);
  EXPECT_EQ(a.alternatives, b.alternatives);
  EXPECT_EQ(a.diagnostics, b.diagnostics);
  EXPECT_EQ(a.log, b.log);
  EXPECT_EQ(a.planner, b.planner);
  EXPECT_EQ(a.params, b.params);
}

TEST(PlanJson, ResultRoundTripsBitForBit) {
  const PlanResult original = SampleResult();
  const std::string text = PlanResultToJsonText(original);
  ExpectSameResult(ParsePlanResult(text, "plan.json"), original);
  EXPECT_EQ(PlanResultToJsonText(ParsePlanResult(text, "plan.json")), text);
}

TEST(PlanJson, EveryStatusHasAStableName) {
  for (int i = 0; i < kPlanStatusCount; ++i) {
    const auto status = static_cast<PlanStatus>(i);
    EXPECT_EQ(ParsePlanStatus(ToString(status)), status);
  }
  EXPECT_STREQ(ToString(PlanStatus::kNoPath), "no_path");
  EXPECT_STREQ(ToString(PlanStatus::kInvalidStart), "invalid_start");
  EXPECT_FALSE(ParsePlanStatus("done").has_value());
}

TEST(PlanJson, ResultHasTheContractFields) {
  const auto doc = nlohmann::json::parse(PlanResultToJsonText(SampleResult()));
  for (const char* key : {"schema", "planner", "params", "status", "reason", "waypoints",
                          "commands", "alternatives", "diagnostics", "log", "wall_time_s"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["schema"], "marsdrive/plan/1");
  EXPECT_EQ(doc["status"], "approximate");
  EXPECT_EQ(doc["waypoints"][0]["x"], 1.25);
  EXPECT_EQ(doc["params"]["max_spacing_m"], 20.0);
  EXPECT_EQ(doc["diagnostics"]["expansions"], 12345);
}

TEST(PlanJson, NonFiniteDiagnosticsBecomeNull) {
  PlanResult r = SampleResult();
  r.diagnostics = {{"cost", std::numeric_limits<double>::infinity()}};
  const std::string text = PlanResultToJsonText(r);
  EXPECT_THAT(text, HasSubstr("\"cost\": null"));
  const PlanResult back = ParsePlanResult(text, "p");
  EXPECT_TRUE(std::isnan(std::get<double>(back.diagnostics[0].value)));
}

TEST(PlanJson, MalformedResultsNameTheField) {
  EXPECT_THAT(ErrorOf([] { (void)ParsePlanResult("{", "p.json"); }),
              HasSubstr("p.json: not valid JSON"));
  EXPECT_THAT(ErrorOf([] { (void)ParsePlanResult(R"({"schema": "other"})", "p.json"); }),
              HasSubstr("p.json: schema: expected \"marsdrive/plan/1\""));
  EXPECT_THAT(ErrorOf([] {
                (void)ParsePlanResult(
                    R"({"schema": "marsdrive/plan/1", "status": "great", "waypoints": []})",
                    "p.json");
              }),
              HasSubstr("p.json: status: unknown status \"great\""));
  EXPECT_THAT(ErrorOf([] {
                (void)ParsePlanResult(R"({"schema": "marsdrive/plan/1", "status": "exact",
                                    "waypoints": [{"x": 1, "y": 2}, {"x": 1}]})",
                                      "p.json");
              }),
              HasSubstr("p.json: waypoints[1].y: missing"));
}

PlanProblem SampleProblem() {
  PlanProblem p = MakeProblem(MakeFlatProducts(20, 10), {1.5, 2.25}, {18, 9.5}, 0.75);
  p.start.yaw_rad = 0.3;
  p.keep_outs = {{"crater", {{3, 3}, {5, 3}, {4, 6}}}, {"", {{7, 1}, {8, 1}, {8, 2}}}};
  p.limits.footprint_diameter_m = 2.5;
  p.limits.max_slope_rad = 0.4;
  p.limits.max_step_m = 0.3;
  p.limits.max_waypoint_spacing_m = 42;
  p.time_budget_s = 3.5;
  p.seed = 1234567890123ULL;
  return p;
}

TEST(PlanJson, ProblemRoundTripsWithoutTheGrids) {
  const PlanProblem original = SampleProblem();
  const std::string text = PlanProblemToJsonText(original, "/data/terrain");
  const auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["orbital_dir"], "/data/terrain");
  EXPECT_EQ(doc["schema"], "marsdrive/plan-problem/1");
  EXPECT_EQ(doc["orbital"]["width_px"], 20);
  EXPECT_THAT(doc["orbital"]["fingerprint"].get<std::string>(), HasSubstr("fnv1a64:"));
  EXPECT_LT(text.size(), 3000u);  // no grids inside
  const PlanProblem back = ParsePlanProblem(text, "problem.json");
  EXPECT_EQ(back.orbital, nullptr);
  EXPECT_EQ(back.start.x_m, original.start.x_m);
  EXPECT_EQ(back.start.y_m, original.start.y_m);
  EXPECT_NEAR(back.start.yaw_rad, original.start.yaw_rad, 1e-12);  // stored in degrees
  EXPECT_EQ(back.goal, original.goal);
  EXPECT_EQ(back.keep_outs, original.keep_outs);
  EXPECT_EQ(back.limits.footprint_diameter_m, original.limits.footprint_diameter_m);
  EXPECT_NEAR(back.limits.max_slope_rad, original.limits.max_slope_rad, 1e-12);
  EXPECT_EQ(back.limits.max_step_m, original.limits.max_step_m);
  EXPECT_EQ(back.limits.max_waypoint_spacing_m, original.limits.max_waypoint_spacing_m);
  EXPECT_EQ(back.time_budget_s, original.time_budget_s);
  EXPECT_EQ(back.seed, original.seed);
}

TEST(PlanJson, MalformedProblemsNameTheField) {
  auto error = [](const std::string& text) {
    return ErrorOf([&] { ParsePlanProblem(text, "problem.json"); });
  };
  const std::string head = R"({"schema": "marsdrive/plan-problem/1", )";
  EXPECT_THAT(error(head + R"("goal": {"x": 1, "y": 2}})"),
              HasSubstr("problem.json: start: missing"));
  EXPECT_THAT(error(head + R"("start": {"x": 1, "y": "a"}, "goal": {"x": 1, "y": 2}})"),
              HasSubstr("problem.json: start.y: expected a number"));
  EXPECT_THAT(
      error(head + R"("start": {"x": 1, "y": 1}, "goal": {"x": 1, "y": 2, "tolerance_m": 0}})"),
      HasSubstr("goal.tolerance_m: expected a number > 0"));
  EXPECT_THAT(error(head + R"("start": {"x": 1, "y": 1}, "goal": {"x": 1, "y": 2},
                               "keep_outs": [{"name": "a", "polygon": [[0, 0], [1, 1]]}]})"),
              HasSubstr("keep_outs[0].polygon: expected at least 3 vertices"));
}

terrain::TerrainTruth FlatTruth(double tilt) {
  terrain::TerrainTruth truth;
  const terrain::GridSpec spec{120, 80, 0.25, 0, 0};
  truth.dem = terrain::HeightMap(spec);
  for (int r = 0; r < spec.height_px; ++r) {
    for (int c = 0; c < spec.width_px; ++c) {
      truth.dem.heights_m(c, r) = static_cast<float>(tilt * c * 0.25);
    }
  }
  truth.classes = terrain::Grid<terrain::SoilClass>(spec, terrain::SoilClass::kRegolith);
  truth.preset = "test";
  return truth;
}

TEST(PlanJson, SavedProblemReplaysOnItsTerrainAndDetectsAChangedTerrain) {
  TempDir tmp("problem-replay");
  const terrain::TerrainTruth truth = FlatTruth(0.0);
  const auto orbital =
      std::make_shared<terrain::OrbitalProducts>(terrain::MakeOrbitalProducts(truth, {}));
  terrain::WriteTerrainDir(tmp / "t", truth, *orbital);
  PlanProblem problem = MakeProblem(orbital, {2, 2}, {27, 17}, 1.0);
  // orbital_dir "t": relative to the problem file's folder.
  WriteTextFile(tmp / "problem.json", PlanProblemToJsonText(problem, "t"));

  std::string orbital_dir;
  const PlanProblem replay = LoadPlanProblem(tmp / "problem.json", &orbital_dir);
  ASSERT_NE(replay.orbital, nullptr);
  EXPECT_EQ(orbital_dir, (tmp / "t").lexically_normal().string());
  EXPECT_EQ(replay.orbital->spec(), orbital->spec());
  const auto planner = MakePlanner("astar");
  const PlanResult a = RunPlanner(*planner, problem);
  const PlanResult b = RunPlanner(*planner, replay);
  ASSERT_EQ(a.status, PlanStatus::kExact);
  EXPECT_EQ(a.waypoints, b.waypoints);

  // The terrain changes under the saved problem: replay refuses.
  const terrain::TerrainTruth tilted = FlatTruth(0.2);
  terrain::WriteTerrainDir(tmp / "t", tilted, terrain::MakeOrbitalProducts(tilted, {}));
  EXPECT_THAT(ErrorOf([&] { LoadPlanProblem(tmp / "problem.json"); }),
              HasSubstr("changed since the problem was saved"));
  EXPECT_THAT(ErrorOf([&] { LoadPlanProblem(tmp / "nope.json"); }),
              HasSubstr("nope.json: no such file"));
}

}  // namespace
}  // namespace marsdrive::planners

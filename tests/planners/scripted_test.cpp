// `scripted` (planners/scripted_planner.h) and the route files it reads
// (planners/route_files.h): YAML, CSV, GeoJSON, plan.json; raw drive commands; clear errors.

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "planners/cost_map.h"
#include "planners/plan_json.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "planners/route_files.h"
#include "planners/scripted_planner.h"
#include "tests/planners/planner_test_util.h"
#include "tests/util/command.h"
#include "tests/util/input_error.h"

namespace marsdrive::planners {
namespace {

using marsdrive::testing::TempDir;
using ::testing::HasSubstr;
using testing::kLethal;
using testing::MakeFlatProducts;
using testing::MakeProblem;
using testing::MakeProducts;

std::filesystem::path Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

using marsdrive::testing::ErrorOf;

const std::vector<Point2> kRoute = {{2, 3}, {10.5, 3}, {20, 12.25}};

TEST(WaypointFiles, ReadYamlCsvGeoJsonAndPlanJson) {
  TempDir tmp("scripted-files");
  EXPECT_EQ(LoadWaypointFile(Write(tmp, "a.yaml", "- [2, 3]\n- [10.5, 3]\n- [20, 12.25]\n")),
            kRoute);
  EXPECT_EQ(LoadWaypointFile(Write(tmp, "b.yml",
                                   "waypoints:\n  - {x: 2, y: 3}\n  - {x: 10.5, y: 3}\n"
                                   "  - {x: 20, y: 12.25}\n")),
            kRoute);
  EXPECT_EQ(LoadWaypointFile(
                Write(tmp, "c.csv", "# route\nid, Y, X\n0, 3, 2\n1, 3, 10.5\n\n2, 12.25, 20\n")),
            kRoute);
  EXPECT_EQ(LoadWaypointFile(Write(tmp, "d.geojson",
                                   R"({"type": "FeatureCollection", "features": [
                                       {"type": "Feature", "properties": {},
                                        "geometry": {"type": "Point", "coordinates": [0, 0]}},
                                       {"type": "Feature", "properties": {"name": "route"},
                                        "geometry": {"type": "LineString",
                                         "coordinates": [[2, 3], [10.5, 3], [20, 12.25]]}}]})")),
            kRoute);
  EXPECT_EQ(
      LoadWaypointFile(Write(
          tmp, "e.json",
          R"({"type": "LineString", "coordinates": [[2, 3, 0], [10.5, 3, 0], [20, 12.25, 1]]})")),
      kRoute);
  PlanResult plan{.status = PlanStatus::kExact, .waypoints = kRoute, .reason = ""};
  EXPECT_EQ(LoadWaypointFile(Write(tmp, "plan.json", PlanResultToJsonText(plan))), kRoute);
}

TEST(WaypointFiles, MalformedFilesNameTheFileAndItem) {
  TempDir tmp("scripted-bad");
  auto error = [&](const std::string& name, const std::string& text) {
    return ErrorOf([&] { LoadWaypointFile(Write(tmp, name, text)); });
  };
  EXPECT_THAT(error("a.yaml", "- [1, 2]\n- [3]\n"),
              HasSubstr("a.yaml: [1]: expected [x, y], got 1 values"));
  EXPECT_THAT(error("b.yaml", "- [1, 2]\n- {x: 1, z: 2}\n"),
              HasSubstr("b.yaml: [1]: expected {x: .., y: ..}"));
  EXPECT_THAT(error("c.yaml", "- [1, nope]\n"),
              HasSubstr("c.yaml: [0][1]: expected a finite number"));
  EXPECT_THAT(error("d.yaml", "x: [1, 2\n"), HasSubstr("d.yaml: not valid YAML"));
  EXPECT_THAT(error("e.yaml", "a: 1\n"), HasSubstr("e.yaml: expected a list of waypoints"));
  EXPECT_THAT(error("f.csv", "a,b\n1,2\n"),
              HasSubstr("f.csv: line 1: expected a header naming columns x and y"));
  EXPECT_THAT(error("g.csv", "x,y\n1,2\n3\n"),
              HasSubstr("g.csv: line 3: expected 2 comma-separated values, got 1"));
  EXPECT_THAT(error("h.csv", "x,y\n1,inf\n"), HasSubstr("h.csv: line 2: expected finite numbers"));
  EXPECT_THAT(error("i.geojson", "{\"type\": \"Polygon\", \"coordinates\": []}"),
              HasSubstr("i.geojson: expected a GeoJSON LineString"));
  EXPECT_THAT(
      error("j.geojson", "{\"type\": \"LineString\", \"coordinates\": [[1, 2], [\"a\", 2]]}"),
      HasSubstr("j.geojson: coordinates[1]: expected a position [x, y]"));
  EXPECT_THAT(error("k.geojson", "{ nope"), HasSubstr("k.geojson: not valid JSON"));
  EXPECT_THAT(error("l.txt", "1 2"), HasSubstr("l.txt: unknown waypoint file type"));
  EXPECT_THAT(error("m.csv", "x,y\n"), HasSubstr("m.csv: no waypoints"));
  EXPECT_THAT(ErrorOf([&] { LoadWaypointFile(tmp / "missing.yaml"); }),
              HasSubstr("missing.yaml: no such file"));
}

TEST(KeepOutFiles, ReadPolygonsAndMultiPolygonsWithNames) {
  TempDir tmp("keepout-files");
  const auto keep_outs = LoadKeepOutFile(Write(tmp, "k.geojson", R"({
    "type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"name": "crater"},
       "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 0]]]}},
      {"type": "Feature", "properties": {"id": 7},
       "geometry": {"type": "MultiPolygon", "coordinates": [
          [[[10, 10], [12, 10], [12, 12]]], [[[20, 20], [22, 20], [22, 22]]]]}}]})"));
  ASSERT_EQ(keep_outs.size(), 3u);
  EXPECT_EQ(keep_outs[0].name, "crater");
  EXPECT_EQ(keep_outs[0].polygon.size(), 3u);  // closing vertex dropped
  EXPECT_EQ(keep_outs[1].name, "7 #0");
  EXPECT_EQ(keep_outs[2].name, "7 #1");
  EXPECT_THAT(
      ErrorOf([&] {
        LoadKeepOutFile(Write(tmp, "bad.geojson",
                              R"({"type": "Feature", "geometry": {"type": "LineString",
                                          "coordinates": [[0, 0], [1, 1]]}})"));
      }),
      HasSubstr("bad.geojson: geometry: expected a Polygon or MultiPolygon, got 'LineString'"));
}

// ---------------------------------------------------------------------------------------------
// The planner

PlanResult Scripted(const PlanProblem& problem, const std::vector<std::string>& params = {}) {
  const auto planner = MakePlanner("scripted", marsdrive::ParamMap::Parse(params, "--param"));
  return RunPlanner(*planner, problem);
}

TEST(Scripted, StraightLineInSegmentsOfTheSpacing) {
  const PlanProblem problem = MakeProblem(MakeFlatProducts(100, 100), {5, 5}, {95, 5});
  const PlanResult result = Scripted(problem, {"max_spacing_m=10"});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  ASSERT_EQ(result.waypoints.size(), 10u);
  for (std::size_t i = 0; i < result.waypoints.size(); ++i) {
    EXPECT_NEAR(result.waypoints[i].x_m, 5 + 10.0 * static_cast<double>(i), 1e-9);
  }
  EXPECT_EQ(result.waypoints.back(), (Point2{95, 5}));
}

TEST(Scripted, StraightLineThroughALethalCellIsAnInvalidRoute) {
  const auto products =
      MakeProducts(100, 20, 1.0, [](int c, int) { return c == 50 ? kLethal : 1.0f; });
  const PlanProblem problem = MakeProblem(products, {5, 5}, {95, 5});
  const PlanResult result = Scripted(problem);
  EXPECT_EQ(result.status, PlanStatus::kInvalidRoute);
  EXPECT_THAT(result.reason, HasSubstr("crosses a blocked cell at (50.5, 5.5): lethal"));
  EXPECT_FALSE(result.waypoints.empty());  // kept for inspection
  // validate=false carries it as the operator wrote it.
  const PlanResult forced = Scripted(problem, {"validate=false"});
  EXPECT_EQ(forced.status, PlanStatus::kExact);
  EXPECT_THAT(forced.reason, HasSubstr("not checked"));
}

TEST(Scripted, FileRouteStartsAtTheStartAndIsSplitToTheSpacing) {
  TempDir tmp("scripted-plan");
  const auto file = Write(tmp, "r.csv", "x,y\n5.4,5.3\n40,5\n40,45\n");
  const PlanProblem problem = MakeProblem(MakeFlatProducts(60, 60), {5, 5}, {40, 45}, 1.0);
  const PlanResult result = Scripted(problem, {"file=" + file.string()});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(result.waypoints.front(), (Point2{5, 5}));  // the first point snapped to the start
  EXPECT_EQ(result.waypoints.back(), (Point2{40, 45}));
  for (std::size_t i = 1; i < result.waypoints.size(); ++i) {
    EXPECT_LE(std::hypot(result.waypoints[i].x_m - result.waypoints[i - 1].x_m,
                         result.waypoints[i].y_m - result.waypoints[i - 1].y_m),
              20 + 1e-9);
  }
  // A route that stops short is approximate.
  const auto short_file = Write(tmp, "s.yaml", "- [20, 5]\n");
  const PlanResult partial = Scripted(problem, {"file=" + short_file.string()});
  EXPECT_EQ(partial.status, PlanStatus::kApproximate);
  EXPECT_THAT(partial.reason, HasSubstr("from the goal"));
  EXPECT_EQ(partial.waypoints.front(), (Point2{5, 5}));  // start prepended (20 m away)
}

TEST(Scripted, CommandsAreCarriedAsText) {
  const PlanProblem problem = MakeProblem(MakeFlatProducts(30, 30), {5, 5}, {25, 5});
  const PlanResult result = Scripted(problem, {"commands=straight 10; arc 5 90; turn 45"});
  EXPECT_EQ(result.status, PlanStatus::kApproximate);
  EXPECT_EQ(result.commands, "straight 10; arc 5 90; turn 45");
  EXPECT_EQ(result.waypoints, (std::vector<Point2>{{5, 5}}));
  TempDir tmp("scripted-commands");
  const auto file = Write(tmp, "drive.txt", "straight 3\nturn -90\n");
  EXPECT_EQ(Scripted(problem, {"commands=" + file.string()}).commands, "straight 3\nturn -90\n");
}

TEST(Scripted, BadParametersAreInputErrors) {
  TempDir tmp("scripted-params");
  EXPECT_THAT(
      ErrorOf([&] {
        MakePlanner("scripted", marsdrive::ParamMap::Parse({"file=a.csv", "commands=x"}, ""));
      }),
      HasSubstr("not both"));
  EXPECT_THAT(ErrorOf([&] {
                MakePlanner("scripted", marsdrive::ParamMap::Parse(
                                            {"file=" + (tmp / "nope.yaml").string()}, ""));
              }),
              HasSubstr("nope.yaml: no such file"));
  EXPECT_THAT(
      ErrorOf([&] { MakePlanner("scripted", marsdrive::ParamMap::Parse({"validate=maybe"}, "")); }),
      HasSubstr("planner scripted: parameter validate: expected true|false"));
}

}  // namespace
}  // namespace marsdrive::planners

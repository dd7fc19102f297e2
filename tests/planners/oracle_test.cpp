// The privileged oracle (planners/oracle/oracle_planner.h) plans on the ground truth. A wall of
// 1 m rocks, 0.6 m tall (too tall to drive over, too small for orbit to see: HiRISE detects
// ~1.5 m and up), blocks the straight line with one gap: A* on orbital products drives straight
// into it; the oracle goes through the gap. With the gap closed, the oracle reports no route.

#include <cmath>
#include <memory>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "base/check.h"
#include "io/params.h"
#include "planners/oracle/oracle_planner.h"
#include "planners/registry.h"
#include "terrain/orbital.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::planners {
namespace {

// 60 m x 20 m of flat regolith at 0.1 m; a wall of 0.6 m tall rocks across x = 30 from y = 0
// to 13.5 (to 20 without the gap).
std::shared_ptr<terrain::TerrainTruth> TruthWithWall(bool gap) {
  auto truth = std::make_shared<terrain::TerrainTruth>();
  const terrain::GridSpec spec{600, 200, 0.1, 0, 0};
  truth->dem = terrain::HeightMap(spec);
  truth->classes = terrain::Grid<terrain::SoilClass>(spec, terrain::SoilClass::kRegolith);
  const double top = gap ? 13.6 : 20.5;
  std::uint32_t seed = 1;
  for (double y = 0.5; y < top; y += 0.9) truth->rocks.push_back({30.0, y, 1.0, 0.6, seed++});
  truth->preset = "test";
  return truth;
}

PlanProblem Problem(const terrain::TerrainTruth& truth) {
  PlanProblem problem;
  problem.orbital =
      std::make_shared<terrain::OrbitalProducts>(terrain::MakeOrbitalProducts(truth, {}));
  problem.start = {5.0, 10.0, 0.0};
  problem.goal = {55.0, 10.0, 1.0};
  problem.limits = MakeRouteLimits(problem.orbital->params);
  return problem;
}

// y where the route crosses x = 30 (the wall), NaN when it does not.
double CrossingY(const PlanResult& result) {
  for (std::size_t i = 1; i < result.waypoints.size(); ++i) {
    const Point2 a = result.waypoints[i - 1], b = result.waypoints[i];
    if ((a.x_m - 30) * (b.x_m - 30) <= 0 && a.x_m != b.x_m) {
      return a.y_m + (b.y_m - a.y_m) * (30 - a.x_m) / (b.x_m - a.x_m);
    }
  }
  return std::nan("");
}

TEST(Oracle, GoesThroughTheGapOfARockWallOrbitCannotSee) {
  const auto truth = TruthWithWall(true);
  const PlanProblem problem = Problem(*truth);
  EXPECT_TRUE(problem.orbital->visible_rocks.empty());

  const PlanResult astar = RunPlanner(*MakePlanner("astar"), problem);
  ASSERT_EQ(astar.status, PlanStatus::kExact) << astar.reason;
  EXPECT_EQ(CrossingY(astar), 10.0);  // straight into the wall

  const PlanResult oracle = RunPlanner(*MakeOraclePlanner(truth), problem);
  ASSERT_EQ(oracle.status, PlanStatus::kExact) << oracle.reason;
  EXPECT_EQ(oracle.planner, "oracle");
  // Through the gap, its centre at least half the footprint (1.5 m) from the last rock's edge.
  EXPECT_GE(CrossingY(oracle), 13.5 + 0.5 + 1.5 - 0.25);
  EXPECT_EQ(oracle.waypoints.front().x_m, 5.0);
  EXPECT_LE(std::hypot(oracle.waypoints.back().x_m - 55, oracle.waypoints.back().y_m - 10), 1.0);
  // Flight-like spacing: no leg longer than 10 m.
  for (std::size_t i = 1; i < oracle.waypoints.size(); ++i) {
    EXPECT_LE(std::hypot(oracle.waypoints[i].x_m - oracle.waypoints[i - 1].x_m,
                         oracle.waypoints[i].y_m - oracle.waypoints[i - 1].y_m),
              10.0 + 1e-9);
  }
  const Scalar* privileged = FindDiagnostic(oracle, "privileged");
  ASSERT_NE(privileged, nullptr);
  EXPECT_EQ(std::get<bool>(*privileged), true);
}

TEST(Oracle, ReportsAClosedWallAsNoRouteWithAReason) {
  const auto truth = TruthWithWall(false);
  const PlanResult oracle = RunPlanner(*MakeOraclePlanner(truth), Problem(*truth));
  EXPECT_EQ(oracle.status, PlanStatus::kNoPath);
  EXPECT_NE(oracle.reason.find("on the ground truth: no route"), std::string::npos)
      << oracle.reason;
}

TEST(Oracle, IsNotInTheRegistryAndChecksItsParameters) {
  EXPECT_THROW((void)MakePlanner("oracle"), InputError);
  EXPECT_TRUE(IsOraclePlanner("oracle"));
  EXPECT_FALSE(IsOraclePlanner("astar"));
  const auto truth = TruthWithWall(true);
  EXPECT_THROW((void)MakeOraclePlanner(truth, ParamMap::Parse({"resolution_m=0"}, "--param")),
               InputError);
  EXPECT_THROW((void)MakeOraclePlanner(truth, ParamMap::Parse({"colour=red"}, "--param")),
               InputError);
  EXPECT_NO_THROW((void)MakeOraclePlanner(truth, ParamMap::Parse({"resolution_m=0.5"}, "--param")));
}

TEST(Oracle, ProductParamsSeeEveryRockAtTheRequestedGrid) {
  const auto truth = TruthWithWall(true);
  const terrain::OrbitalParams p = OracleProductParams(*truth, RouteLimits{}, 0.05);
  EXPECT_EQ(p.resolution_m, 0.1);  // never finer than the truth
  EXPECT_LE(p.rock_detect_diameter_m, 1.0);
  EXPECT_EQ(p.max_step_m, RouteLimits{}.max_step_m);
}

}  // namespace
}  // namespace marsdrive::planners

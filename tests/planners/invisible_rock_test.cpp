// Planners see orbital products only: a 0.6 m rock, below HiRISE's ~1.5 m detection limit, is
// invisible to them, so the plan goes straight through it (AutoNav must deal with it on the
// ground). A 2 m, 1 m tall rock is visible and lethal, and the plan goes around (control).
// The truth is built here (the test may see it; the planners library may not).

#include <cmath>
#include <cstring>
#include <memory>

#include <gtest/gtest.h>

#include "planners/registry.h"
#include "terrain/orbital.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::planners {
namespace {

// 60 m x 20 m of flat regolith at 0.1 m, with one rock at (30, 10).
terrain::TerrainTruth TruthWithRock(double diameter_m, double height_m) {
  terrain::TerrainTruth truth;
  const terrain::GridSpec spec{600, 200, 0.1, 0, 0};
  truth.dem = terrain::HeightMap(spec);
  truth.classes = terrain::Grid<terrain::SoilClass>(spec, terrain::SoilClass::kRegolith);
  if (diameter_m > 0) truth.rocks.push_back({30.0, 10.0, diameter_m, height_m, 7});
  truth.preset = "test";
  return truth;
}

PlanResult PlanAcross(const terrain::TerrainTruth& truth) {
  PlanProblem problem;
  problem.orbital =
      std::make_shared<terrain::OrbitalProducts>(terrain::MakeOrbitalProducts(truth, {}));
  problem.start = {5.0, 10.0, 0.0};
  problem.goal = {55.0, 10.0, 1.0};
  return RunPlanner(*MakePlanner("astar"), problem);
}

double MaxLateralOffset(const PlanResult& result) {
  double offset = 0;
  for (const Point2& p : result.waypoints) offset = std::max(offset, std::abs(p.y_m - 10.0));
  return offset;
}

TEST(InvisibleRock, SmallRockLeavesTheOrbitalProductsUntouched) {
  const terrain::OrbitalProducts with = terrain::MakeOrbitalProducts(TruthWithRock(0.6, 0.3), {});
  const terrain::OrbitalProducts without = terrain::MakeOrbitalProducts(TruthWithRock(0, 0), {});
  EXPECT_TRUE(with.visible_rocks.empty());
  ASSERT_EQ(with.cost.Values().size(), without.cost.Values().size());
  EXPECT_EQ(std::memcmp(with.cost.Values().data(), without.cost.Values().data(),
                        with.cost.Values().size_bytes()),
            0);
}

TEST(InvisibleRock, PlanGoesStraightThroughARockOrbitCannotSee) {
  const PlanResult result = PlanAcross(TruthWithRock(0.6, 0.3));
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(MaxLateralOffset(result), 0.0);  // the straight line y = 10, over the rock at x = 30
  EXPECT_EQ(result.waypoints.front().x_m, 5.0);
  EXPECT_EQ(result.waypoints.back().x_m, 55.0);
}

TEST(InvisibleRock, ControlAVisibleLethalRockIsAvoided) {
  const PlanResult result = PlanAcross(TruthWithRock(2.0, 1.0));
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_GT(MaxLateralOffset(result), 1.5);
}

}  // namespace
}  // namespace marsdrive::planners

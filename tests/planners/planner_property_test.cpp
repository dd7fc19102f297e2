// One property suite every registered planner must pass (STYLE §5 "Tests"; OMPL's
// sanityChecks in spirit): on random maps with lethal blobs and a keep-out, a successful plan
// starts at the start, never crosses a blocked cell or comes within half the footprint of a
// keep-out, keeps the waypoint spacing, and ends within tolerance when it says kExact; a
// failure says why; and a deterministic planner gives the same waypoints twice.

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/random.h"
#include "planners/cost_map.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "tests/planners/planner_test_util.h"

namespace marsdrive::planners {
namespace {

using testing::kLethal;
using testing::MakeProducts;

constexpr int kSeeds = 20;

// Planner parameters that keep the sampling planners quick on these small maps.
marsdrive::ParamMap SuiteParams(const std::string& planner) {
  if (planner == "rrtstar") return marsdrive::ParamMap::Parse({"iterations=1500"}, "");
  return {};
}

// 60 m x 45 m at 1 m: costs in [1, 3] varying smoothly, 4-7 lethal discs, one keep-out square;
// start and goal on free cells at least 25 m apart.
PlanProblem RandomProblem(std::uint64_t seed) {
  marsdrive::Rng rng(marsdrive::DeriveSeed(seed, 99));
  struct Disc {
    double x, y, r;
  };
  std::vector<Disc> discs;
  const int disc_count = 4 + static_cast<int>(marsdrive::UniformReal(rng) * 4);
  for (int i = 0; i < disc_count; ++i) {
    discs.push_back({marsdrive::UniformReal(rng, 5, 55), marsdrive::UniformReal(rng, 5, 40),
                     marsdrive::UniformReal(rng, 2, 6)});
  }
  const double phase = marsdrive::UniformReal(rng, 0, 6.28);
  auto products = MakeProducts(60, 45, 1.0, [&](int c, int r) {
    for (const Disc& d : discs) {
      if (std::hypot(c + 0.5 - d.x, r + 0.5 - d.y) < d.r) return kLethal;
    }
    return static_cast<float>(2.0 + std::sin(0.3 * c + phase) * std::cos(0.2 * r));
  });
  PlanProblem problem = testing::MakeProblem(products, {0, 0}, {0, 0}, 1.5);
  const double kx = marsdrive::UniformReal(rng, 15, 40), ky = marsdrive::UniformReal(rng, 10, 30);
  problem.keep_outs = {{"zone", {{kx, ky}, {kx + 6, ky}, {kx + 6, ky + 5}, {kx, ky + 5}}}};
  problem.limits.max_waypoint_spacing_m = 15;
  problem.seed = seed;
  const CostMap map(problem);
  auto random_free = [&] {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const Point2 p{marsdrive::UniformReal(rng, 0.5, 59.5),
                     marsdrive::UniformReal(rng, 0.5, 44.5)};
      if (map.FreeAt(p)) return p;
    }
    return Point2{0.5, 0.5};
  };
  Point2 start = random_free(), goal = random_free();
  for (int attempt = 0;
       attempt < 100 && std::hypot(goal.x_m - start.x_m, goal.y_m - start.y_m) < 25; ++attempt) {
    goal = random_free();
  }
  problem.start = {start.x_m, start.y_m, 0.0};
  problem.goal = {goal.x_m, goal.y_m, 1.5};
  return problem;
}

struct Case {
  std::string planner;
  std::uint64_t seed;
};

class EveryPlanner : public ::testing::TestWithParam<Case> {};

TEST_P(EveryPlanner, KeepsTheContract) {
  const Case& c = GetParam();
  const PlanProblem problem = RandomProblem(c.seed);
  const auto planner = MakePlanner(c.planner, SuiteParams(c.planner));
  const PlanResult result = RunPlanner(*planner, problem);
  SCOPED_TRACE(std::string("status ") + ToString(result.status) + ": " + result.reason);
  ASSERT_NE(result.status, PlanStatus::kCrash);
  EXPECT_EQ(result.planner, c.planner);
  EXPECT_GE(result.wall_time_s, 0.0);
  if (!IsSuccess(result.status)) {
    EXPECT_FALSE(result.reason.empty());
    return;
  }
  ASSERT_FALSE(result.waypoints.empty());
  EXPECT_EQ(result.waypoints.front(), (Point2{problem.start.x_m, problem.start.y_m}));
  const CostMap map(problem);
  const std::vector<RouteViolation> violations = CheckRoute(map, problem, result.waypoints);
  EXPECT_TRUE(violations.empty()) << SummarizeViolations(violations);
  for (std::size_t i = 1; i < result.waypoints.size(); ++i) {
    EXPECT_GE(testing::SegmentPolygonDistance(result.waypoints[i - 1], result.waypoints[i],
                                              problem.keep_outs[0].polygon),
              0.5 * problem.limits.footprint_diameter_m)
        << "segment " << i;
  }
  if (result.status == PlanStatus::kExact) {
    EXPECT_LE(DistanceToGoal(result.waypoints, problem.goal), problem.goal.tolerance_m);
  } else {
    EXPECT_FALSE(result.reason.empty());
  }
  if (planner->Specs().deterministic) {
    const PlanResult again = RunPlanner(*MakePlanner(c.planner, SuiteParams(c.planner)), problem);
    EXPECT_EQ(again.status, result.status);
    EXPECT_EQ(again.waypoints, result.waypoints);
  }
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const PlannerInfo& info : ListPlanners()) {
    if (info.specs.needs_network) continue;  // the VLM planner has its own fake-server suite
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) cases.push_back({info.name, seed});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Planners, EveryPlanner, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.planner + "_seed" + std::to_string(info.param.seed);
                         });

// The suite can fail: a route through the keep-out breaks it (control).
TEST(EveryPlannerControl, ARouteThroughTheKeepOutIsCaught) {
  const PlanProblem problem = RandomProblem(1);
  const auto& poly = problem.keep_outs[0].polygon;
  const Point2 centre{(poly[0].x_m + poly[2].x_m) / 2, (poly[0].y_m + poly[2].y_m) / 2};
  const std::vector<Point2> route = {{problem.start.x_m, problem.start.y_m}, centre};
  const CostMap map(problem);
  EXPECT_FALSE(CheckRoute(map, problem, route).empty());
  EXPECT_EQ(testing::SegmentPolygonDistance(route[0], route[1], poly), 0.0);
}

// The suite is not vacuous: most maps are solvable, and the planners that search do solve
// them (so the contract checks above ran on real routes).
TEST(EveryPlannerControl, MostMapsAreSolvedExactly) {
  for (const char* name : {"astar", "rrtstar"}) {
    int exact = 0;
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const auto planner = MakePlanner(name, SuiteParams(name));
      exact += RunPlanner(*planner, RandomProblem(seed)).status == PlanStatus::kExact ? 1 : 0;
    }
    std::printf("%s: %d of %d exact\n", name, exact, kSeeds);
    EXPECT_GE(exact, kSeeds / 2) << name;
  }
}

}  // namespace
}  // namespace marsdrive::planners

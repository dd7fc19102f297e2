// `astar` (planners/astar_planner.h): optimal on its graph, never through blocked cells or
// keep-outs, failures are values with reasons, waypoint spacing respected.

#include <cmath>
#include <limits>
#include <stop_token>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planners/astar_planner.h"
#include "planners/cost_map.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "tests/planners/planner_test_util.h"

namespace marsdrive::planners {
namespace {

using ::testing::HasSubstr;
using testing::kLethal;
using testing::MakeFlatProducts;
using testing::MakeProblem;
using testing::MakeProducts;
using testing::MakeRandomProducts;

// ---------------------------------------------------------------------------------------------
// A brute-force Dijkstra (O(V^2), no heap) on the graph documented in astar_planner.h, with the
// edge costs written out independently of the planner's code.

double EdgeCost(const CostMap& map, int c, int r, int dc, int dr) {
  const terrain::GridSpec& s = map.spec();
  auto cost = [&](int cc, int rr) -> double {
    return s.ContainsCell(cc, rr) ? map.Cost(cc, rr) : std::numeric_limits<double>::infinity();
  };
  const int sc = dc > 0 ? 1 : (dc < 0 ? -1 : 0), sr = dr > 0 ? 1 : (dr < 0 ? -1 : 0);
  const double length = std::hypot(dc, dr) * s.resolution_m;
  const int adc = std::abs(dc), adr = std::abs(dr);
  if (adc + adr == 1) return length / 2 * (cost(c, r) + cost(c + dc, r + dr));
  if (adc == 1 && adr == 1) {
    if (std::isinf(cost(c + dc, r)) || std::isinf(cost(c, r + dr))) {
      return std::numeric_limits<double>::infinity();
    }
    return length / 2 * (cost(c, r) + cost(c + dc, r + dr));
  }
  if (adr == 2) {
    return length / 4 *
           (cost(c, r) + cost(c, r + sr) + cost(c + sc, r + sr) + cost(c + dc, r + dr));
  }
  return length / 4 * (cost(c, r) + cost(c + sc, r) + cost(c + sc, r + sr) + cost(c + dc, r + dr));
}

// Least cost from `start` to any of `goals` over the 8/16-connected graph.
double BruteForceDijkstra(const CostMap& map, int start, const std::vector<std::uint32_t>& goals,
                          int connectivity) {
  const terrain::GridSpec& s = map.spec();
  const int n = static_cast<int>(s.CellCount());
  std::vector<double> dist(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
  std::vector<bool> done(static_cast<std::size_t>(n), false);
  dist[static_cast<std::size_t>(start)] = 0;
  for (int iter = 0; iter < n; ++iter) {
    int best = -1;
    for (int i = 0; i < n; ++i) {
      if (!done[static_cast<std::size_t>(i)] && std::isfinite(dist[static_cast<std::size_t>(i)]) &&
          (best < 0 || dist[static_cast<std::size_t>(i)] < dist[static_cast<std::size_t>(best)])) {
        best = i;
      }
    }
    if (best < 0) break;
    done[static_cast<std::size_t>(best)] = true;
    const int c = best % s.width_px, r = best / s.width_px;
    for (int dr = -2; dr <= 2; ++dr) {
      for (int dc = -2; dc <= 2; ++dc) {
        const int adc = std::abs(dc), adr = std::abs(dr);
        const bool king = std::max(adc, adr) == 1;
        const bool knight = (adc == 1 && adr == 2) || (adc == 2 && adr == 1);
        if (!king && !(knight && connectivity == 16)) continue;
        if (!s.ContainsCell(c + dc, r + dr) || map.Blocked(c + dc, r + dr)) continue;
        const double w = EdgeCost(map, c, r, dc, dr);
        const auto next = static_cast<std::size_t>(s.Index(c + dc, r + dr));
        dist[next] = std::min(dist[next], dist[static_cast<std::size_t>(best)] + w);
      }
    }
  }
  double best = std::numeric_limits<double>::infinity();
  for (const std::uint32_t g : goals) best = std::min(best, dist[g]);
  return best;
}

TEST(AstarSearch, MatchesBruteForceDijkstraOnRandomMaps) {
  int found = 0, unreachable = 0;
  for (int connectivity : {8, 16}) {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      SCOPED_TRACE(::testing::Message() << "connectivity " << connectivity << ", seed " << seed);
      const auto products = MakeRandomProducts(17, 13, seed, /*lethal_fraction=*/0.25);
      const PlanProblem problem = MakeProblem(products, {0.5, 0.5}, {16.5, 12.5}, 2.5);
      const CostMap map(problem);
      // Free the start; the goal region has cells within 2.5 m.
      if (map.Blocked(0, 0)) continue;
      const std::vector<std::uint32_t> goals = GoalCells(map, problem.goal);
      if (goals.empty()) continue;
      const double expected = BruteForceDijkstra(map, 0, goals, connectivity);
      const GridSearchResult search =
          SearchGrid(map, 0, goals, {problem.goal.x_m, problem.goal.y_m}, connectivity);
      ASSERT_EQ(search.found, std::isfinite(expected));
      if (!search.found) {
        ++unreachable;
        continue;
      }
      ++found;
      EXPECT_NEAR(search.cost, expected, 1e-9 * expected);
      // The path's own edges add up to the reported cost.
      double sum = 0;
      for (std::size_t k = 1; k < search.cells.size(); ++k) {
        const int c0 = static_cast<int>(search.cells[k - 1]) % 17,
                  r0 = static_cast<int>(search.cells[k - 1]) / 17;
        const int c1 = static_cast<int>(search.cells[k]) % 17,
                  r1 = static_cast<int>(search.cells[k]) / 17;
        sum += EdgeCost(map, c0, r0, c1 - c0, r1 - r0);
      }
      EXPECT_NEAR(sum, search.cost, 1e-9 * expected);
    }
  }
  // The maps exercise both outcomes.
  EXPECT_GT(found, 20);
  EXPECT_GT(unreachable, 0);
}

TEST(AstarSearch, SixteenConnectedIsNeverCostlierThanEight) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto products = MakeRandomProducts(20, 20, seed, 0.1);
    const PlanProblem problem = MakeProblem(products, {0.5, 0.5}, {19.5, 19.5}, 1.0);
    const CostMap map(problem);
    if (map.Blocked(0, 0)) continue;
    const auto goals = GoalCells(map, problem.goal);
    const GridSearchResult s8 = SearchGrid(map, 0, goals, {19.5, 19.5}, 8);
    const GridSearchResult s16 = SearchGrid(map, 0, goals, {19.5, 19.5}, 16);
    ASSERT_EQ(s8.found, s16.found);
    if (s8.found) {
      EXPECT_LE(s16.cost, s8.cost + 1e-9);
    }
  }
}

TEST(AstarSearch, EdgeCostsEqualTheSegmentTraceBetweenCentres) {
  const auto products = MakeRandomProducts(9, 9, 7, 0.0);
  const CostMap map(MakeProblem(products, {0.5, 0.5}, {8.5, 8.5}));
  const terrain::GridSpec& s = map.spec();
  for (int dr = -2; dr <= 2; ++dr) {
    for (int dc = -2; dc <= 2; ++dc) {
      if (dc == 0 && dr == 0) continue;
      if (std::abs(dc) == 2 && std::abs(dr) != 1) continue;
      if (std::abs(dr) == 2 && std::abs(dc) != 1) continue;
      const SegmentTrace trace = TraceSegment(map, {s.CellCenterX(4), s.CellCenterY(4)},
                                              {s.CellCenterX(4 + dc), s.CellCenterY(4 + dr)});
      EXPECT_NEAR(trace.cost, EdgeCost(map, 4, 4, dc, dr), 1e-12) << dc << "," << dr;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The planner

PlanResult PlanAstar(const PlanProblem& problem, const marsdrive::ParamMap& params = {}) {
  const auto planner = MakePlanner("astar", params);
  return RunPlanner(*planner, problem);
}

// Every segment of the route avoids blocked cells (TraceSegment) and stays footprint/2 away
// from every keep-out.
void ExpectRouteClear(const PlanProblem& problem, const std::vector<Point2>& route) {
  const CostMap map(problem);
  for (std::size_t i = 1; i < route.size(); ++i) {
    EXPECT_FALSE(TraceSegment(map, route[i - 1], route[i]).blocked) << "segment " << i;
    for (const KeepOut& k : problem.keep_outs) {
      EXPECT_GE(testing::SegmentPolygonDistance(route[i - 1], route[i], k.polygon),
                0.5 * problem.limits.footprint_diameter_m)
          << "segment " << i << " near keep-out " << k.name;
    }
  }
}

TEST(Astar, GoesAroundAWallThroughItsGap) {
  // A lethal wall at x = 20..21 with a gap at y = 30..33.
  const auto products = MakeProducts(40, 40, 1.0, [](int c, int r) {
    return (c == 20 || c == 21) && !(r >= 30 && r <= 33) ? kLethal : 1.0f;
  });
  const PlanProblem problem = MakeProblem(products, {5, 5}, {35, 5});
  const PlanResult result = PlanAstar(problem);
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  ExpectRouteClear(problem, result.waypoints);
  double max_y = 0;
  for (const Point2& p : result.waypoints) max_y = std::max(max_y, p.y_m);
  EXPECT_GT(max_y, 29.0);  // it went through the gap
  EXPECT_EQ(result.waypoints.front(), (Point2{5, 5}));
  EXPECT_EQ(result.waypoints.back(), (Point2{35, 5}));  // a free goal: the route ends exactly there
}

TEST(Astar, ControlWithoutTheWallGoesStraight) {
  const PlanProblem problem = MakeProblem(MakeFlatProducts(40, 40), {5, 5}, {35, 5});
  const PlanResult result = PlanAstar(problem);
  ASSERT_EQ(result.status, PlanStatus::kExact);
  for (const Point2& p : result.waypoints) EXPECT_NEAR(p.y_m, 5.0, 1e-9);
  EXPECT_NEAR(RouteLength(result.waypoints), 30.0, 1e-9);
}

TEST(Astar, NeverEntersAKeepOutInflatedByHalfTheFootprint) {
  PlanProblem problem = MakeProblem(MakeFlatProducts(60, 40), {5, 20}, {55, 20});
  problem.keep_outs = {{"crater", {{25, 10}, {35, 10}, {35, 30}, {25, 30}}}};
  const PlanResult result = PlanAstar(problem);
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  ExpectRouteClear(problem, result.waypoints);
  for (const Route& alt : result.alternatives) ExpectRouteClear(problem, alt.waypoints);
  // Control: without the keep-out the straight line is taken, through the zone.
  problem.keep_outs.clear();
  const PlanResult straight = PlanAstar(problem);
  EXPECT_LT(testing::SegmentPolygonDistance(straight.waypoints.front(), straight.waypoints.back(),
                                            {{25, 10}, {35, 10}, {35, 30}, {25, 30}}),
            1.5);
}

TEST(Astar, NeverCutsBetweenDiagonallyTouchingLethalCells) {
  // Lethal cells touching only at corners along a diagonal: a checkerboard wall.
  const auto products = MakeProducts(30, 30, 1.0, [](int c, int r) {
    return (c + r == 30 || c + r == 31) && c > 2 && r > 2 ? kLethal : 1.0f;
  });
  const PlanProblem problem = MakeProblem(products, {5, 5}, {25, 25});
  const PlanResult result = PlanAstar(problem, marsdrive::ParamMap::Parse({"connectivity=8"}, ""));
  const PlanResult r16 = PlanAstar(problem);
  // The wall leaves a gap along the map edges (c, r <= 2), so both connectivities find a route:
  // asserted, so that a planner that always fails fails here too.
  for (const PlanResult* r : {&result, &r16}) {
    ASSERT_EQ(r->status, PlanStatus::kExact) << r->reason;
    ExpectRouteClear(problem, r->waypoints);
    // Through the gap, not across the wall: well over the straight 28.3 m.
    EXPECT_GT(RouteLength(r->waypoints), 40.0);
  }
}

TEST(Astar, FailsWithAReasonWhenWalledOff) {
  const auto products =
      MakeProducts(40, 40, 1.0, [](int c, int) { return c == 20 ? kLethal : 1.0f; });
  const PlanResult result = PlanAstar(MakeProblem(products, {5, 5}, {35, 5}));
  EXPECT_EQ(result.status, PlanStatus::kNoPath);
  EXPECT_THAT(result.reason, HasSubstr("separate the start from the goal"));
  EXPECT_TRUE(result.waypoints.empty());
}

TEST(Astar, LethalOrOffMapStartIsInvalidStart) {
  const auto products =
      MakeProducts(20, 20, 1.0, [](int c, int r) { return c == 2 && r == 2 ? kLethal : 1.0f; });
  PlanResult lethal = PlanAstar(MakeProblem(products, {2.5, 2.5}, {15, 15}));
  EXPECT_EQ(lethal.status, PlanStatus::kInvalidStart);
  EXPECT_THAT(lethal.reason, HasSubstr("lethal"));
  PlanResult off = PlanAstar(MakeProblem(products, {-3, 2}, {15, 15}));
  EXPECT_EQ(off.status, PlanStatus::kInvalidStart);
  EXPECT_THAT(off.reason, HasSubstr("off the map"));
}

TEST(Astar, UnreachableGoalRegionIsInvalidGoal) {
  const auto products =
      MakeProducts(20, 20, 1.0, [](int c, int r) { return c >= 14 && r >= 14 ? kLethal : 1.0f; });
  const PlanResult result = PlanAstar(MakeProblem(products, {2, 2}, {17, 17}, 1.0));
  EXPECT_EQ(result.status, PlanStatus::kInvalidGoal);
  EXPECT_THAT(result.reason, HasSubstr("no traversable cell within 1 m"));
  // A tolerance reaching free cells makes it reachable (control).
  EXPECT_EQ(PlanAstar(MakeProblem(products, {2, 2}, {17, 17}, 5.0)).status, PlanStatus::kExact);
}

TEST(Astar, GoalOnALethalCellEndsWithinTolerance) {
  const auto products =
      MakeProducts(30, 30, 1.0, [](int c, int r) { return c == 25 && r == 25 ? kLethal : 1.0f; });
  const PlanResult result = PlanAstar(MakeProblem(products, {3, 3}, {25.5, 25.5}, 1.5));
  ASSERT_EQ(result.status, PlanStatus::kExact);
  EXPECT_LE(DistanceToGoal(result.waypoints, {25.5, 25.5, 1.5}), 1.5);
}

TEST(Astar, RespectsTheSpacingLimit) {
  for (const char* spacing : {"5", "20", "37.5"}) {
    SCOPED_TRACE(spacing);
    PlanProblem problem = MakeProblem(MakeFlatProducts(200, 150), {3, 3}, {190, 140});
    const PlanResult result = PlanAstar(
        problem, marsdrive::ParamMap::Parse({std::string("max_spacing_m=") + spacing}, ""));
    ASSERT_EQ(result.status, PlanStatus::kExact);
    const double limit = std::stod(spacing);
    for (std::size_t i = 1; i < result.waypoints.size(); ++i) {
      const Point2 a = result.waypoints[i - 1], b = result.waypoints[i];
      EXPECT_LE(std::hypot(b.x_m - a.x_m, b.y_m - a.y_m), limit + 1e-9);
    }
    // Not much denser than needed.
    EXPECT_LE(result.waypoints.size(),
              static_cast<std::size_t>(RouteLength(result.waypoints) / limit) + 3);
  }
  // The problem's own limit caps the parameter.
  PlanProblem problem = MakeProblem(MakeFlatProducts(200, 150), {3, 3}, {190, 140});
  problem.limits.max_waypoint_spacing_m = 7;
  const PlanResult capped = PlanAstar(problem);
  for (std::size_t i = 1; i < capped.waypoints.size(); ++i) {
    EXPECT_LE(std::hypot(capped.waypoints[i].x_m - capped.waypoints[i - 1].x_m,
                         capped.waypoints[i].y_m - capped.waypoints[i - 1].y_m),
              7 + 1e-9);
  }
}

TEST(Astar, SmoothingNeverRaisesTheCostBeyondItsTolerance) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    const auto products = MakeRandomProducts(60, 60, seed, 0.08, 3.0);
    const PlanProblem problem = MakeProblem(products, {1.5, 1.5}, {57.5, 57.5}, 2.0);
    const CostMap map(problem);
    if (map.Blocked(1, 1)) continue;
    const PlanResult result = PlanAstar(problem);
    if (result.status != PlanStatus::kExact) continue;
    ASSERT_EQ(result.alternatives.size(), 1u);
    const double raw = RouteCost(map, result.alternatives[0].waypoints);
    const double smoothed = RouteCost(map, result.waypoints);
    EXPECT_LE(smoothed, 1.02 * raw + 1e-9);
    EXPECT_LE(result.waypoints.size(),
              result.alternatives[0].waypoints.size() +
                  static_cast<std::size_t>(RouteLength(result.waypoints) / 20) + 1);
    ExpectRouteClear(problem, result.waypoints);
  }
}

TEST(Astar, AStopRequestEndsInTimeout) {
  const PlanProblem problem = MakeProblem(MakeFlatProducts(300, 300), {1, 1}, {299, 299});
  std::stop_source source;
  source.request_stop();
  const auto planner = MakePlanner("astar");
  const PlanResult result = RunPlanner(*planner, problem, source.get_token());
  EXPECT_EQ(result.status, PlanStatus::kTimeout);
  EXPECT_THAT(result.reason, HasSubstr("stop requested"));
  // Control: without the request it succeeds.
  EXPECT_EQ(RunPlanner(*planner, problem).status, PlanStatus::kExact);
}

TEST(Astar, RecordsItsParametersAndDiagnostics) {
  const PlanResult result = PlanAstar(MakeProblem(MakeFlatProducts(30, 30), {2, 2}, {28, 28}),
                                      marsdrive::ParamMap::Parse({"connectivity=8"}, ""));
  EXPECT_EQ(result.planner, "astar");
  ASSERT_FALSE(result.params.empty());
  EXPECT_EQ(result.params[0], (NamedValue{"connectivity", std::string("8")}));
  EXPECT_EQ(result.params.size(), FindPlanner("astar").params.size());
  for (const char* key : {"expansions", "search_cost", "cost", "length_m", "waypoint_count"}) {
    EXPECT_NE(FindDiagnostic(result, key), nullptr) << key;
  }
  EXPECT_GT(result.wall_time_s, 0.0);
}

}  // namespace
}  // namespace marsdrive::planners

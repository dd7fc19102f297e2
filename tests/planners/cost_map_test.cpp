// The cost map and route geometry every planner shares (planners/cost_map.h, route.h).

#include "planners/cost_map.h"

#include <cmath>
#include <numbers>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "planners/route.h"
#include "tests/planners/planner_test_util.h"

namespace marsdrive::planners {
namespace {

using ::testing::HasSubstr;
using testing::kLethal;
using testing::MakeFlatProducts;
using testing::MakeProblem;
using testing::MakeProducts;

struct Visit {
  int col, row;
  double length_m;
  bool operator==(const Visit&) const = default;
};

std::vector<Visit> Cells(Point2 a, Point2 b, double res = 1.0) {
  std::vector<Visit> out;
  ForEachCellOnSegment(terrain::GridSpec{10, 10, res, 0, 0}, a, b, [&](int c, int r, double l) {
    out.push_back({c, r, l});
    return true;
  });
  return out;
}

TEST(SegmentCells, StraightDiagonalAndKnightMovesBetweenCentres) {
  EXPECT_THAT(Cells({0.5, 0.5}, {1.5, 0.5}),
              ::testing::ElementsAre(Visit{0, 0, 0.5}, Visit{1, 0, 0.5}));
  const double d = std::numbers::sqrt2 / 2;
  // Through a corner: both side cells are touched with zero length.
  EXPECT_THAT(
      Cells({0.5, 0.5}, {1.5, 1.5}),
      ::testing::ElementsAre(Visit{0, 0, d}, Visit{1, 0, 0}, Visit{0, 1, 0}, Visit{1, 1, d}));
  const std::vector<Visit> knight = Cells({0.5, 0.5}, {1.5, 2.5});
  ASSERT_EQ(knight.size(), 4u);
  const double q = std::sqrt(5.0) / 4;
  const std::vector<std::pair<int, int>> expected = {{0, 0}, {0, 1}, {1, 1}, {1, 2}};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(knight[i].col, expected[i].first);
    EXPECT_EQ(knight[i].row, expected[i].second);
    EXPECT_NEAR(knight[i].length_m, q, 1e-12);
  }
}

TEST(SegmentCells, LengthsAddUpInEveryDirectionAndResolution) {
  for (double res : {1.0, 0.5, 2.5}) {
    for (int k = 0; k < 16; ++k) {
      const double angle = k * std::numbers::pi / 8 + 0.1;
      const Point2 a{5.2 * res, 4.9 * res};
      const Point2 b{a.x_m + 3.7 * res * std::cos(angle), a.y_m + 3.7 * res * std::sin(angle)};
      double total = 0;
      for (const Visit& v : Cells(a, b, res)) total += v.length_m;
      EXPECT_NEAR(total, 3.7 * res, 1e-9) << res << " " << k;
    }
  }
}

TEST(SegmentCells, ZeroLengthSegmentVisitsItsCell) {
  EXPECT_THAT(Cells({3.2, 4.7}, {3.2, 4.7}), ::testing::ElementsAre(Visit{3, 4, 0}));
}

TEST(CostMapBuild, BlocksLethalOverLimitAndKeepOutCells) {
  auto products = MakeProducts(20, 20, 1.0, [](int c, int) { return c == 3 ? kLethal : 2.0f; });
  auto& mutable_products = *products;
  mutable_products.slope_deg(10, 10) = 25.0f;  // over a 20 deg limit, under the products' 30
  mutable_products.step_m(12, 12) = 0.3f;      // over a 0.25 m limit
  PlanProblem problem = MakeProblem(products, {1, 1}, {18, 18});
  problem.limits.max_slope_rad = 20.0 * std::numbers::pi / 180;
  problem.limits.max_step_m = 0.25;
  problem.limits.footprint_diameter_m = 2.0;
  problem.keep_outs = {{"pit", {{15, 2}, {16, 2}, {16, 3}, {15, 3}}}};
  const CostMap map(problem);
  EXPECT_EQ(map.Kind(3, 7), CellKind::kLethal);
  EXPECT_EQ(map.Kind(10, 10), CellKind::kOverLimit);
  EXPECT_THAT(map.DescribeBlocked(10, 10), HasSubstr("slope 25 deg over the 20 deg limit"));
  EXPECT_EQ(map.Kind(12, 12), CellKind::kOverLimit);
  EXPECT_THAT(map.DescribeBlocked(12, 12), HasSubstr("step 0.3 m over the 0.25 m limit"));
  EXPECT_EQ(map.Kind(15, 2), CellKind::kKeepOut);
  EXPECT_THAT(map.DescribeBlocked(15, 2), HasSubstr("keep-out 'pit'"));
  EXPECT_TRUE(std::isinf(map.Cost(15, 2)));
  EXPECT_EQ(map.Kind(5, 5), CellKind::kFree);
  EXPECT_EQ(map.Cost(5, 5), 2.0f);
  EXPECT_EQ(map.min_cost(), 2.0);
}

TEST(CostMapBuild, KeepOutInflationLeavesEveryFreePointHalfAFootprintAway) {
  PlanProblem problem = MakeProblem(MakeFlatProducts(40, 40, 0.5), {1, 1}, {18, 18});
  problem.limits.footprint_diameter_m = 3.0;
  const std::vector<Point2> poly = {{8, 8}, {12, 9}, {10, 13}};
  problem.keep_outs = {{"tri", poly}};
  const CostMap map(problem);
  int blocked = 0;
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 40; ++c) {
      if (map.Blocked(c, r)) {
        ++blocked;
        continue;
      }
      // The four corners of a free cell are more than 1.5 m from the triangle.
      for (double dx : {0.0, 0.5}) {
        for (double dy : {0.0, 0.5}) {
          const Point2 p{c * 0.5 + dx, r * 0.5 + dy};
          EXPECT_GT(testing::SegmentPolygonDistance(p, p, poly), 1.5) << c << "," << r;
        }
      }
    }
  }
  EXPECT_GT(blocked, 100);  // the triangle (~10 m^2) plus its 1.5 m margin
}

TEST(CostMapBuild, RejectsADegenerateKeepOut) {
  PlanProblem problem = MakeProblem(MakeFlatProducts(10, 10), {1, 1}, {8, 8});
  problem.keep_outs = {{"line", {{1, 1}, {2, 2}}}};
  try {
    const CostMap map(problem);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("keep-out 'line': expected a polygon of at least 3"));
  }
}

TEST(TraceSegmentCost, IsTheLineIntegralAndStopsAtBlockedCells) {
  const auto products = MakeProducts(
      10, 3, 1.0, [](int c, int) { return c == 7 ? kLethal : static_cast<float>(1 + c); });
  const CostMap map(MakeProblem(products, {0.5, 1.5}, {9.5, 1.5}));
  const SegmentTrace t = TraceSegment(map, {0.5, 1.5}, {3.5, 1.5});
  EXPECT_FALSE(t.blocked);
  EXPECT_NEAR(t.cost, 0.5 * 1 + 2 + 3 + 0.5 * 4, 1e-12);
  const SegmentTrace blocked = TraceSegment(map, {0.5, 1.5}, {9.5, 1.5});
  EXPECT_TRUE(blocked.blocked);
  EXPECT_EQ(blocked.blocked_col, 7);
  EXPECT_TRUE(std::isinf(blocked.cost));
  EXPECT_TRUE(TraceSegment(map, {0.5, 1.5}, {0.5, 5.0}).blocked);  // leaves the map
}

TEST(RouteChecks, NameEveryViolation) {
  const auto products =
      MakeProducts(30, 30, 1.0, [](int c, int) { return c == 10 ? kLethal : 1.0f; });
  PlanProblem problem = MakeProblem(products, {2, 2}, {25, 2});
  problem.limits.max_waypoint_spacing_m = 10;
  const CostMap map(problem);
  EXPECT_TRUE(CheckRoute(map, problem, std::vector<Point2>{{2, 2}, {8, 2}}).empty());
  const std::vector<RouteViolation> v =
      CheckRoute(map, problem, std::vector<Point2>{{3, 3}, {10.5, 2}, {25, 2}, {35, 2}});
  const std::string text = SummarizeViolations(v, 10);
  EXPECT_THAT(text, HasSubstr("waypoint 0 (3, 3) is not the start (2, 2)"));
  EXPECT_THAT(text, HasSubstr("waypoint 1 (10.5, 2): lethal"));
  EXPECT_THAT(text, HasSubstr("segment 1-2 crosses a blocked cell"));
  EXPECT_THAT(text, HasSubstr("segment 1-2: 14.5 m long; the waypoint spacing limit is 10 m"));
  EXPECT_THAT(text, HasSubstr("waypoint 3 (35, 2): off the map"));
  EXPECT_THAT(SummarizeViolations(v, 2), HasSubstr("more)"));
}

TEST(RouteTools, SubdivideKeepsGeometryAndSpacing) {
  const std::vector<Point2> route = {{0, 0}, {10, 0}, {10, 25}};
  const std::vector<Point2> out = SubdivideRoute(route, 4);
  EXPECT_NEAR(RouteLength(out), 35, 1e-12);
  for (std::size_t i = 1; i < out.size(); ++i) {
    EXPECT_LE(std::hypot(out[i].x_m - out[i - 1].x_m, out[i].y_m - out[i - 1].y_m), 4 + 1e-12);
  }
  EXPECT_EQ(out.size(), 1u + 3 + 7);  // ceil(10/4) + ceil(25/4) segments
  EXPECT_EQ(out.back(), (Point2{10, 25}));
}

TEST(RouteTools, RemoveCollinearKeepsCorners) {
  const std::vector<Point2> route = {{0, 0}, {1, 1}, {2, 2}, {3, 2}, {4, 2}, {4, 2}, {4, 5}};
  EXPECT_EQ(RemoveCollinear(route), (std::vector<Point2>{{0, 0}, {2, 2}, {4, 2}, {4, 5}}));
}

TEST(RouteTools, ShortcutsPullTheStringButNotThroughWalls) {
  const auto products =
      MakeProducts(20, 20, 1.0, [](int c, int r) { return c == 10 && r < 15 ? kLethal : 1.0f; });
  const CostMap map(MakeProblem(products, {2, 2}, {18, 2}));
  const std::vector<Point2> detour = {
      {2.5, 2.5}, {2.5, 16.5}, {10.5, 16.5}, {18.5, 16.5}, {18.5, 2.5}};
  const std::vector<Point2> pulled = ShortcutRoute(map, detour, 0.0);
  EXPECT_LE(RouteCost(map, pulled), RouteCost(map, detour) + 1e-9);
  EXPECT_LT(pulled.size(), detour.size());
  for (std::size_t i = 1; i < pulled.size(); ++i) {
    EXPECT_FALSE(TraceSegment(map, pulled[i - 1], pulled[i]).blocked);
  }
  EXPECT_EQ(pulled.front(), detour.front());
  EXPECT_EQ(pulled.back(), detour.back());
}

}  // namespace
}  // namespace marsdrive::planners

// `rrtstar` (planners/ompl_planner.h): seeded, deterministic, on the shared cost, and safe to
// call from several threads (OMPL's global state is behind a mutex).

#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planners/cost_map.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "tests/planners/planner_test_util.h"

namespace marsdrive::planners {
namespace {

using ::testing::HasSubstr;
using testing::kLethal;
using testing::MakeProblem;
using testing::MakeProducts;

// 50 m x 30 m with a wall at x = 24..26 open at y > 22.
PlanProblem WallProblem(std::uint64_t seed) {
  const auto products = MakeProducts(50, 30, 1.0, [](int c, int r) {
    return c >= 24 && c <= 26 && r < 22 ? kLethal : 1.0f + 0.02f * static_cast<float>(r);
  });
  PlanProblem problem = MakeProblem(products, {5, 5}, {45, 5}, 1.5);
  problem.seed = seed;
  return problem;
}

PlanResult Rrt(const PlanProblem& problem, const std::vector<std::string>& params = {}) {
  std::vector<std::string> all = {"iterations=1500"};
  all.insert(all.end(), params.begin(), params.end());
  return RunPlanner(*MakePlanner("rrtstar", marsdrive::ParamMap::Parse(all, "")), problem);
}

TEST(RrtStar, SameSeedSameRouteAndAnotherSeedAnotherRoute) {
  const PlanResult a = Rrt(WallProblem(1));
  const PlanResult b = Rrt(WallProblem(1));
  const PlanResult c = Rrt(WallProblem(2));
  ASSERT_EQ(a.status, PlanStatus::kExact) << a.reason;
  ASSERT_EQ(c.status, PlanStatus::kExact) << c.reason;
  EXPECT_NE(a.alternatives[0].waypoints, c.alternatives[0].waypoints);  // differ ...
  EXPECT_EQ(a.waypoints, b.waypoints);                                  // ... then agree
  EXPECT_EQ(a.alternatives[0].waypoints, b.alternatives[0].waypoints);
  // The seed parameter overrides the problem's.
  EXPECT_EQ(Rrt(WallProblem(1), {"seed=77"}).alternatives[0].waypoints,
            Rrt(WallProblem(2), {"seed=77"}).alternatives[0].waypoints);
  EXPECT_EQ(std::get<std::string>(*FindDiagnostic(a, "terminated_by")), "iterations");
}

TEST(RrtStar, ParallelPlansAreStillDeterministic) {
  const PlanResult reference = Rrt(WallProblem(3));
  std::vector<PlanResult> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] { results[i] = Rrt(WallProblem(3)); });
  }
  for (std::thread& t : threads) t.join();
  for (const PlanResult& r : results) EXPECT_EQ(r.waypoints, reference.waypoints);
}

TEST(RrtStar, GoesThroughTheGapAndStaysClear) {
  const PlanProblem problem = WallProblem(5);
  const PlanResult result = Rrt(problem);
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  const CostMap map(problem);
  EXPECT_TRUE(CheckRoute(map, problem, result.waypoints).empty());
  double max_y = 0;
  for (const Point2& p : result.waypoints) max_y = std::max(max_y, p.y_m);
  EXPECT_GT(max_y, 22.0);
  EXPECT_NE(result.log.find("RRTstar"), std::string::npos);  // OMPL's messages are kept
  EXPECT_EQ(result.log.find("Random number generation already started"), std::string::npos);
}

TEST(RrtStar, WalledOffGoalIsNotAnExactPlan) {
  const auto products =
      MakeProducts(40, 20, 1.0, [](int c, int) { return c == 20 ? kLethal : 1.0f; });
  const PlanResult result = Rrt(MakeProblem(products, {5, 5}, {35, 5}));
  EXPECT_NE(result.status, PlanStatus::kExact);
  EXPECT_FALSE(result.reason.empty());
  const auto blocked =
      MakeProducts(40, 20, 1.0, [](int c, int r) { return c == 5 && r == 5 ? kLethal : 1.0f; });
  EXPECT_EQ(Rrt(MakeProblem(blocked, {5.5, 5.5}, {35, 5})).status, PlanStatus::kInvalidStart);
}

TEST(RrtStar, AStopRequestEndsItEarly) {
  std::stop_source source;
  source.request_stop();
  const auto planner = MakePlanner("rrtstar");
  const PlanResult result = RunPlanner(*planner, WallProblem(1), source.get_token());
  EXPECT_EQ(std::get<std::string>(*FindDiagnostic(result, "terminated_by")), "stop request");
  EXPECT_LT(std::get<std::int64_t>(*FindDiagnostic(result, "iterations")), 10);
}

}  // namespace
}  // namespace marsdrive::planners

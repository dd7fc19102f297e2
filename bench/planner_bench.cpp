// Planner speed (issue #5 goal: astar on a 1 km x 1 km map at 1 m, i.e. 10^6 cells, in under
// 200 ms). The map is a generated Jezero-rim terrain at 1 m with its orbital products (made
// once, not timed); routes run corner to corner, the worst case for A* on a cost map whose
// mean cost is ~2x the heuristic's per-metre floor. Run: build/bench/planner_bench
// Counters: cells expanded, and expansions per second.
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "planners/astar_planner.h"
#include "planners/cost_map.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "terrain/orbital.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"

namespace marsdrive::planners {
namespace {

// The 1 km x 1 km products, built on first use.
std::shared_ptr<const terrain::OrbitalProducts> Kilometre() {
  static const std::shared_ptr<const terrain::OrbitalProducts> products = [] {
    terrain::GenerateRequest request;
    request.preset = "jezero-rim";
    request.seed = 1;
    request.size_x_m = 1000;
    request.size_y_m = 1000;
    request.resolution_m = 1.0;
    return std::make_shared<const terrain::OrbitalProducts>(
        terrain::MakeOrbitalProducts(terrain::GenerateTerrain(request), {}));
  }();
  return products;
}

PlanProblem CornerToCorner(bool diagonal_sw_ne) {
  PlanProblem problem;
  problem.orbital = Kilometre();
  problem.limits = MakeRouteLimits(problem.orbital->params);
  problem.start = diagonal_sw_ne ? Pose2{10, 10, 0} : Pose2{10, 990, 0};
  problem.goal = diagonal_sw_ne ? GoalRegion{990, 990, 2} : GoalRegion{990, 10, 2};
  problem.time_budget_s = 60;
  return problem;
}

// The whole planner (cost map, search, smoothing, spacing), as `marsdrive plan` runs it.
// state.range(0): connectivity; state.range(1): 1 = SW->NE, 0 = NW->SE.
void BM_AstarKilometre(benchmark::State& state) {
  const PlanProblem problem = CornerToCorner(state.range(1) != 0);
  const auto planner = MakePlanner(
      "astar", marsdrive::ParamMap::Parse({"connectivity=" + std::to_string(state.range(0))}, ""));
  double expansions = 0;
  for (auto _ : state) {
    const PlanResult result = RunPlanner(*planner, problem);
    if (result.status != PlanStatus::kExact) state.SkipWithError(result.reason.c_str());
    expansions = static_cast<double>(std::get<std::int64_t>(*FindDiagnostic(result, "expansions")));
    benchmark::DoNotOptimize(result.waypoints.data());
  }
  state.counters["expansions"] = expansions;
  state.counters["expansions/s"] =
      benchmark::Counter(expansions, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AstarKilometre)
    ->Args({16, 1})
    ->Args({8, 1})
    ->Args({16, 0})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// Its parts: the cost map, and the search alone (16-connected).
void BM_CostMapKilometre(benchmark::State& state) {
  const PlanProblem problem = CornerToCorner(true);
  for (auto _ : state) {
    const CostMap map(problem);
    benchmark::DoNotOptimize(map.costs().data());
  }
}
BENCHMARK(BM_CostMapKilometre)->Unit(benchmark::kMillisecond);

void BM_SearchKilometre(benchmark::State& state) {
  const PlanProblem problem = CornerToCorner(true);
  const CostMap map(problem);
  const std::vector<std::uint32_t> goals = GoalCells(map, problem.goal);
  const auto start = static_cast<std::uint32_t>(map.spec().Index(10, 10));
  for (auto _ : state) {
    const GridSearchResult result = SearchGrid(map, start, goals, {990, 990}, 16);
    benchmark::DoNotOptimize(result.cells.data());
  }
}
BENCHMARK(BM_SearchKilometre)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The sampling planner on the same map, for comparison (5000 iterations, deterministic).
void BM_RrtStarKilometre(benchmark::State& state) {
  const PlanProblem problem = CornerToCorner(true);
  const auto planner = MakePlanner("rrtstar", marsdrive::ParamMap::Parse({"iterations=5000"}, ""));
  for (auto _ : state) {
    const PlanResult result = RunPlanner(*planner, problem);
    benchmark::DoNotOptimize(result.waypoints.data());
  }
}
BENCHMARK(BM_RrtStarKilometre)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace marsdrive::planners

BENCHMARK_MAIN();

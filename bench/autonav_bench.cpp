// AutoNav decision time (issue 5 goal: < 50 ms per decision, so that a waypoint drive keeps
// the physics' RTF >= 100). One decision = one stereo frame into the local map (Sense) + the
// evaluation of every path option and the choice (Decide). Jezero-rim terrain with rocks (60 m x
// 40 m at 0.05 m, rock abundance k 0.10 by default); the rover steps 0.75 m along a line between
// decisions, as in a drive; terrain generation is outside the timed loop.
// Run: build/bench/autonav_bench   (args: local-map cell size in mm, cost to go on (1) / off
// (0); counters: ms per decision). With the cost to go, decide_ms includes building the
// traversability grid of the ~50 m memory and the Dijkstra (cost_to_go_ms: both, measured apart).
// Also: a whole 15 m waypoint drive with AutoNav on and off (RTF).
#include <chrono>
#include <memory>

#include <benchmark/benchmark.h>

#include "sim/drive_run.h"
#include "terrain/truth/generate.h"
#include "vehicle/autonav.h"
#include "vehicle/cost_to_go.h"
#include "vehicle/local_map.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::vehicle {
namespace {

const terrain::TerrainTruth& Jezero() {
  static const terrain::TerrainTruth truth = [] {
    terrain::GenerateRequest request;
    request.preset = "jezero-rim";
    request.seed = 1;
    request.size_x_m = 60;
    request.size_y_m = 40;
    request.resolution_m = 0.05;
    return terrain::GenerateTerrain(request);
  }();
  return truth;
}

RoverPose3 PoseAt(const TerrainSensor& sensor, int k) {
  const double x = 10 + 0.75 * (k % 48), y = 20;
  return {x, y, sensor.TruthHeight(x, y), 0, 0, 0};
}

void BM_AutoNavDecision(benchmark::State& state) {
  const terrain::TerrainTruth& truth = Jezero();
  AutoNavParams params;
  params.cell_m = static_cast<double>(state.range(0)) / 1000.0;
  params.use_cost_to_go = state.range(1) != 0;
  AutoNav autonav(truth, DefaultRoverSpec(), params, {}, 1);
  CostToGoParams cp = params.cost_to_go;
  cp.max_step_m = params.max_step_m;
  CostToGo cost_to_go(cp, params.cell_m);  // the same work as inside Decide, timed alone
  double cost_to_go_s = 0;
  const TerrainSensor probe(truth, params.sensor, 1);
  int k = 0;
  std::size_t options = 0;
  double sense_s = 0, decide_s = 0;
  for (auto _ : state) {
    const RoverPose3 pose = PoseAt(probe, k++);
    const auto t0 = std::chrono::steady_clock::now();
    autonav.Sense(pose);
    const auto t1 = std::chrono::steady_clock::now();
    // A new waypoint index each time: the no-progress record (teleported poses) never stops it.
    const AutoNavDecision d = autonav.Decide(0, pose, k, pose.x_m + 30, pose.y_m, 0);
    const auto t2 = std::chrono::steady_clock::now();
    if (params.use_cost_to_go) {
      cost_to_go.Build(autonav.map(), {}, params.keep_out_margin_m, std::nullopt);
      cost_to_go.Solve(pose.x_m + 30, pose.y_m, 0.75);
      benchmark::DoNotOptimize(cost_to_go.CostAt(pose.x_m, pose.y_m));
      cost_to_go_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();
    }
    sense_s += std::chrono::duration<double>(t1 - t0).count();
    decide_s += std::chrono::duration<double>(t2 - t1).count();
    options += d.options.size();
    benchmark::DoNotOptimize(d.chosen);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["ms_per_decision"] = 1e3 * (sense_s + decide_s) / n;
  state.counters["sense_ms"] = 1e3 * sense_s / n;
  state.counters["decide_ms"] = 1e3 * decide_s / n;
  state.counters["options"] = static_cast<double>(options) / n;
  state.counters["cost_to_go_ms"] = 1e3 * cost_to_go_s / n;
}
BENCHMARK(BM_AutoNavDecision)
    ->Args({100, 1})
    ->Args({100, 0})
    ->Args({50, 1})
    ->Unit(benchmark::kMillisecond);

// A 15 m waypoint drive over the same terrain, AutoNav on (1) or off (0): the whole run's RTF.
void BM_WaypointDrive(benchmark::State& state) {
  static const auto terrain = std::make_shared<const terrain::TerrainTruth>(Jezero());
  sim::DriveRequest request;
  request.terrain = terrain;
  request.rover = DefaultRoverSpec();
  request.start = {10, 20, 0};
  request.waypoints = {{10, 20}, {25, 20}};
  request.waypoint_params.autonav = state.range(0) != 0;
  request.stuck_time_s = 1e9;
  request.time_limit_s = 1200;
  double sim_s = 0, wall_s = 0;
  std::size_t decisions = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const sim::DriveResult result = sim::RunDrive(request);
    wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    sim_s += result.sim_time_s;
    decisions += result.autonav_decisions.size();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["rtf"] = sim_s / wall_s;
  state.counters["sim_s"] = sim_s / n;
  state.counters["decisions"] = static_cast<double>(decisions) / n;
}
BENCHMARK(BM_WaypointDrive)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace marsdrive::vehicle

BENCHMARK_MAIN();

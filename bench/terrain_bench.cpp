// Terrain generation speed (issue #3 goal: a 200 m x 200 m Jezero-rim terrain at 0.05 m with its
// orbital products in under 3 s on one core). Run: build/bench/terrain_bench
// Counters: cells generated per second and the process's peak resident memory.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "terrain/orbital.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"

namespace marsdrive::terrain {
namespace {

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

GenerateRequest JezeroRequest(double size_m, double resolution_m) {
  GenerateRequest request;
  request.preset = "jezero-rim";
  request.seed = 1;
  request.size_x_m = size_m;
  request.size_y_m = size_m;
  request.resolution_m = resolution_m;
  return request;
}

// state.range(0): map side in metres; resolution 0.05 m.
void BM_GenerateJezeroRim(benchmark::State& state) {
  const GenerateRequest request = JezeroRequest(static_cast<double>(state.range(0)), 0.05);
  std::size_t cells = 0;
  for (auto _ : state) {
    const TerrainTruth truth = GenerateTerrain(request);
    cells = truth.dem.spec().CellCount();
    benchmark::DoNotOptimize(truth.dem.heights_m.Values().data());
  }
  state.counters["cells/s"] =
      benchmark::Counter(static_cast<double>(cells), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_MB"] = PeakRssMb();
}
BENCHMARK(BM_GenerateJezeroRim)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_OrbitalProducts(benchmark::State& state) {
  const TerrainTruth truth =
      GenerateTerrain(JezeroRequest(static_cast<double>(state.range(0)), 0.05));
  for (auto _ : state) {
    const OrbitalProducts orbital = MakeOrbitalProducts(truth, {});
    benchmark::DoNotOptimize(orbital.cost.Values().data());
  }
  state.counters["peak_rss_MB"] = PeakRssMb();
}
BENCHMARK(BM_OrbitalProducts)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(2);

// The target, end to end in memory: generate + orbital products.
void BM_GenerateWithOrbital200m(benchmark::State& state) {
  const GenerateRequest request = JezeroRequest(200, 0.05);
  for (auto _ : state) {
    const TerrainTruth truth = GenerateTerrain(request);
    const OrbitalProducts orbital = MakeOrbitalProducts(truth, {});
    benchmark::DoNotOptimize(orbital.cost.Values().data());
  }
  state.counters["peak_rss_MB"] = PeakRssMb();
}
BENCHMARK(BM_GenerateWithOrbital200m)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace marsdrive::terrain

BENCHMARK_MAIN();

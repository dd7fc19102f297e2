// Drive simulation speed (issue 4 goal: RTF >= 100 on Jezero-rim terrain with rocks, one core).
// Each benchmark drives the rover 20 m at its real speed (0.042 m/s, ~480 simulated s) with
// sim::RunDrive; terrain generation is outside the timed loop.
// Run: build/bench/drive_bench            (counters: rtf = simulated s / wall s, us_per_step;
// rtf_cpu = simulated s / the thread's CPU s, which a busy machine does not distort)
#include <chrono>
#include <ctime>
#include <memory>

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "sim/drive_run.h"
#include "terrain/truth/generate.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::sim {
namespace {

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// CPU seconds this thread has run: unlike the wall clock, not stretched by other processes.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::shared_ptr<const terrain::TerrainTruth> Terrain(const std::string& preset, double size_x_m,
                                                     double size_y_m) {
  terrain::GenerateRequest request;
  request.preset = preset;
  request.seed = 1;
  request.size_x_m = size_x_m;
  request.size_y_m = size_y_m;
  request.resolution_m = 0.05;
  return std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(request));
}

void Drive(benchmark::State& state, const std::shared_ptr<const terrain::TerrainTruth>& terrain,
           vehicle::Pose2 start) {
  DriveRequest request;
  request.terrain = terrain;
  request.rover = vehicle::DefaultRoverSpec();
  request.start = start;
  vehicle::DriveCommand straight;
  straight.kind = vehicle::DriveCommandKind::kStraight;
  straight.distance_m = 20;
  request.commands = {straight};
  request.dt_s = 1.0 / static_cast<double>(state.range(0));
  request.stuck_time_s = 1e9;  // measure the whole 20 m even where the rover bogs down
  double sim_s = 0, wall_s = 0, cpu_s = 0;
  std::size_t steps = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = ThreadCpuSeconds();
    const DriveResult result = RunDrive(request);
    cpu_s += ThreadCpuSeconds() - cpu0;
    wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    sim_s += result.sim_time_s;
    steps += result.step_count;
    benchmark::DoNotOptimize(result.telemetry.data());
  }
  state.counters["rtf"] = sim_s / wall_s;
  state.counters["rtf_cpu"] = sim_s / cpu_s;
  state.counters["us_per_step"] = 1e6 * wall_s / static_cast<double>(steps);
  state.counters["sim_s"] = sim_s / static_cast<double>(state.iterations());
  state.counters["peak_rss_MB"] = PeakRssMb();
}

// state.range(0): steps per second (60: the default 1/60 s step).
void BM_DriveFlat20m(benchmark::State& state) {
  static const auto terrain = Terrain("flat", 30, 12);
  Drive(state, terrain, {4, 6, 0});
}
BENCHMARK(BM_DriveFlat20m)->Arg(60)->Unit(benchmark::kSecond)->Iterations(1);

// Jezero-rim with its default rock field (Golombek-Rapp k = 0.10, rocks >= 0.10 m), sand,
// craters and ledges, 60 m x 40 m.
void BM_DriveJezeroRim20m(benchmark::State& state) {
  static const auto terrain = Terrain("jezero-rim", 60, 40);
  Drive(state, terrain, {15, 20, 0});
}
BENCHMARK(BM_DriveJezeroRim20m)->Arg(60)->Arg(120)->Unit(benchmark::kSecond)->Iterations(1);

// The same on a 300 m x 300 m Jezero-rim area (36 M cells; the heightfield is read in place):
// reports the process's peak memory with the ground truth and the Bullet world loaded.
void BM_DriveJezeroRim300mArea20m(benchmark::State& state) {
  static const auto terrain = Terrain("jezero-rim", 300, 300);
  Drive(state, terrain, {150, 150, 0});
}
BENCHMARK(BM_DriveJezeroRim300mArea20m)->Arg(60)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace marsdrive::sim
BENCHMARK_MAIN();

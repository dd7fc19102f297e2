// Suite throughput (issue 6): runs per minute of the quick Jezero-rim suite on N processes
// (default 2, the CI machine's cores), with the terrain cache warm (terrains are built once per
// machine; the first, cold pass is reported separately). Runs the real `marsdrive suite`
// program, each run in its own process, exactly as users do.
// Run: build/bench/suite_bench [--benchmark_filter=...]
// Counters: runs, runs_per_min (wall clock).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;

const fs::path kScratch = fs::temp_directory_path() / "marsdrive-suite-bench";

void RunQuickSuite(benchmark::State& state, bool warm) {
  const int jobs = static_cast<int>(state.range(0));
  const fs::path cache = kScratch / "terrain";
  if (!warm) fs::remove_all(cache);
  for (auto _ : state) {
    const fs::path out = kScratch / ("out-" + std::to_string(jobs));
    fs::remove_all(out);
    const auto start = std::chrono::steady_clock::now();
    const auto r = testing::RunCommand(
        std::string(MARSDRIVE_BINARY) + " suite " + MARSDRIVE_SOURCE_DIR +
        "/scenarios/suites/jezero-rim-quick.yaml --jobs " + std::to_string(jobs) + " --out " +
        out.string() + " --terrain-cache " + cache.string());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    if (r.exit_code != 0 && r.exit_code != 1) {
      state.SkipWithError(("marsdrive suite failed: " + r.err).c_str());
      return;
    }
    const auto results = nlohmann::json::parse(testing::ReadWholeFile(out / "results.json"));
    const double runs = static_cast<double>(results["runs"].size());
    state.counters["runs"] = runs;
    state.counters["runs_per_min"] = runs / seconds * 60.0;
  }
}

void BM_QuickSuiteColdCache(benchmark::State& state) { RunQuickSuite(state, false); }
void BM_QuickSuiteWarmCache(benchmark::State& state) { RunQuickSuite(state, true); }

BENCHMARK(BM_QuickSuiteColdCache)->Arg(2)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_QuickSuiteWarmCache)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace marsdrive

BENCHMARK_MAIN();

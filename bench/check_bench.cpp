// Plan-check speed and memory (issue 16 item 5): `marsdrive check` of a ~100 m A* plan across
// a 160 m x 100 m procedural rim tile, 32 trials on 2 jobs (the CI machine's cores). Target:
// under 5 min and 1.5 GB peak. Runs the real program, as users do; the terrain and the plan are
// made once per machine in the scratch directory.
// Run: build/bench/check_bench [--trials=N] (default 32)
// Counters: trials, p_goal, trials_per_min, peak_rss_MB (the largest child process).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;

const fs::path kScratch = fs::temp_directory_path() / "marsdrive-check-bench";
int g_trials = 32;

bool Prepare(benchmark::State& state) {
  const std::string md = MARSDRIVE_BINARY;
  const fs::path terrain = kScratch / "rim", plan = kScratch / "plan";
  if (!fs::exists(terrain / "terrain.json") &&
      testing::RunCommand(md + " terrain generate --size 160x100 --seed 5 --out " +
                          terrain.string())
              .exit_code != 0) {
    state.SkipWithError("terrain generate failed");
    return false;
  }
  if (!fs::exists(plan / "plan.json") &&
      testing::RunCommand(md + " plan --terrain " + terrain.string() +
                          " --start 20,50,0 --goal 120,50 --planner astar --out " + plan.string())
              .exit_code != 0) {
    state.SkipWithError("plan failed");
    return false;
  }
  return true;
}

void BM_Check(benchmark::State& state) {
  const int jobs = static_cast<int>(state.range(0));
  if (!Prepare(state)) return;
  for (auto _ : state) {
    const fs::path out = kScratch / ("out-" + std::to_string(jobs));
    fs::remove_all(out);
    const auto start = std::chrono::steady_clock::now();
    const auto r = testing::RunCommand(
        std::string(MARSDRIVE_BINARY) + " check --terrain " + (kScratch / "rim").string() +
        " --plan " + (kScratch / "plan" / "plan.json").string() + " --trials " +
        std::to_string(g_trials) + " --jobs " + std::to_string(jobs) + " --out " + out.string());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    if (r.exit_code != 0 && r.exit_code != 1) {
      state.SkipWithError(("marsdrive check failed: " + r.err).c_str());
      return;
    }
    const auto check = nlohmann::json::parse(testing::ReadWholeFile(out / "check.json"));
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    state.counters["trials"] = g_trials;
    state.counters["p_goal"] = check["p_goal"]["p"].get<double>();
    state.counters["trials_per_min"] = g_trials / seconds * 60.0;
    state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  }
}

BENCHMARK(BM_Check)->Arg(2)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace marsdrive

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--trials=", 9) == 0) marsdrive::g_trials = std::atoi(argv[i] + 9);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

#pragma once
// Runs a suite: every planned run in its own process (`marsdrive run ...`), N at a time, so a
// crash, a hang (over the suite's run time limit: killed) or an exception in one run is
// recorded as that run's failure while the others go on. Results are rewritten atomically as
// runs finish, so an interrupted suite loses nothing and a resumed one runs only what is
// missing. A shard runs a deterministic slice; `MergeResults` joins shard directories.
//
// Output directory:
//   results.json, results.csv, junit.xml      (scenarios/results.h)
//   runs/<scenario>/<planner label>/seed-<n>/ one run directory each (run.json last), run.log
//   terrain/<key>/                            terrain cache (unless another is given)

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/results.h"
#include "scenarios/suite.h"

namespace marsdrive::scenarios {

struct SuiteProgress {
  int total = 0;    // runs in this invocation (after resume and shard)
  int done = 0;     // finished so far (incl. failed)
  int failed = 0;   // finished with status failed
  int running = 0;  // processes alive
  double elapsed_s = 0;
  std::string last_id;      // the run that just finished ("" for a start notice)
  std::string last_status;  // its status, reason in brackets
};

struct SuiteOptions {
  std::filesystem::path out_dir;
  int jobs = 0;  // 0: every core
  bool resume = false;
  std::optional<Shard> shard;
  std::filesystem::path terrain_cache;  // "" -> out_dir / "terrain"
  std::filesystem::path executable;     // the marsdrive program that executes one run
  std::function<void(const SuiteProgress&)> on_progress;
};

// Returns every run of this shard with its record (reused ones included). Throws InputError
// for an unusable output directory; never for what happens inside a run.
SuiteResults RunSuite(const Suite& suite, const SuiteOptions& options);

struct MergeOptions {
  // N: the directories must hold every shard 1..N of one suite, each finished (shard.json),
  // and no run twice; anything else throws IncompleteMerge naming each missing shard and run.
  std::optional<int> expect_shards;
};

// What `merge --expect-shards` found missing or duplicated (exit 1, not bad input).
class IncompleteMerge : public std::runtime_error {
 public:
  explicit IncompleteMerge(std::vector<std::string> problems)
      : std::runtime_error("merge: the shards are incomplete"), problems_(std::move(problems)) {}
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Joins the results of several output directories (shards) into `out_dir`: copies their run
// directories and terrain caches there and writes the joined results, ordered by run index.
// Every run directory named by a results.json must lie inside its own shard directory (after
// resolving symbolic links; no "..", no NUL byte). A run whose terrain lies outside its shard
// (a shared terrain cache) gets its terrain_dir re-based to its new place. Throws InputError
// for a missing results.json (without expect_shards), mismatched suites, a run directory
// outside its shard or a run present twice with different results; IncompleteMerge (above).
SuiteResults MergeResults(const std::vector<std::filesystem::path>& dirs,
                          const std::filesystem::path& out_dir, const MergeOptions& options = {});

}  // namespace marsdrive::scenarios

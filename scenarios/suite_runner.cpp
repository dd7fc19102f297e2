#include "scenarios/suite_runner.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <map>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios/run_scenario.h"
#include "terrain/check.h"

extern char** environ;

namespace marsdrive::scenarios {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

std::string RunDirOf(const PlannedRun& run) { return "runs/" + run.id; }

// The record of a run whose process ended without writing one (crash or kill).
RunRecord LostRun(const Suite& suite, const PlannedRun& run, const std::string& failure,
                  const std::string& reason) {
  RunRecord r = NewRunRecord(suite.scenarios[run.scenario], run.planner, run.seed);
  r.status = RunStatus::kFailed;
  r.failure = failure;
  r.reason = reason;
  r.score = 0.0;
  return r;
}

std::optional<RunRecord> ReadRecord(const fs::path& run_json) {
  std::error_code ec;
  if (!fs::is_regular_file(run_json, ec)) return std::nullopt;
  try {
    return LoadRunRecord(run_json);
  } catch (const InputError&) {
    return std::nullopt;  // torn or foreign: run it again
  }
}

std::vector<std::string> ChildArgs(const Suite& suite, const PlannedRun& run, const SuiteOptions& o,
                                   const fs::path& cache) {
  std::vector<std::string> args = {o.executable.string(),
                                   "run",
                                   suite.scenarios[run.scenario].file.string(),
                                   "--planner",
                                   run.planner.name,
                                   "--label",
                                   run.planner.label,
                                   "--seed",
                                   std::to_string(run.seed),
                                   "--out",
                                   (o.out_dir / RunDirOf(run)).string(),
                                   "--terrain-cache",
                                   cache.string()};
  if (run.planner.time_budget_s) {
    args.push_back("--time-budget");
    args.push_back(std::to_string(*run.planner.time_budget_s));
  }
  for (const auto& [key, value] : run.planner.params.values()) {
    args.push_back("--param");
    args.push_back(key + "=" + value);
  }
  return args;
}

struct Child {
  pid_t pid = -1;
  std::size_t slot = 0;  // index into the planned runs of this invocation
  Clock::time_point started;
  bool killed_for_time = false;
};

// Starts one run in its own process group, output into run.log.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  MD_THROW_UNLESS(rc == 0, args[0] + ": cannot start a run process (" + std::strerror(rc) + ")");
  return pid;
}

std::string ExitDescription(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sigabbrev_np(sig);
    return std::string("the run's process was killed by signal ") +
           (name != nullptr ? std::string("SIG") + name : std::to_string(sig));
  }
  return "the run's process exited with status " + std::to_string(WEXITSTATUS(status)) +
         " without writing run.json";
}

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", s);
  return text;
}

}  // namespace

SuiteResults RunSuite(const Suite& suite, const SuiteOptions& o) {
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  MD_THROW_UNLESS(fs::is_directory(o.out_dir, ec),
                  o.out_dir.string() + ": cannot create the output directory");
  MD_THROW_UNLESS(fs::is_regular_file(o.executable, ec),
                  o.executable.string() + ": the marsdrive program to run each run is missing");
  const fs::path cache = o.terrain_cache.empty() ? o.out_dir / "terrain" : o.terrain_cache;

  // This invocation's runs, keeping each one's position in the whole suite.
  const std::vector<PlannedRun> all = ExpandRuns(suite);
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!o.shard ||
        static_cast<int>(i % static_cast<std::size_t>(o.shard->count)) == o.shard->index - 1) {
      mine.push_back(i);
    }
  }
  std::map<std::size_t, RunEntry> finished;  // by suite index
  std::vector<std::size_t> todo;
  for (const std::size_t i : mine) {
    const fs::path dir = o.out_dir / RunDirOf(all[i]);
    if (o.resume) {
      if (auto record = ReadRecord(dir / "run.json"); record && record->id == all[i].id) {
        finished[i] = {std::move(*record), RunDirOf(all[i]), i};
        continue;
      }
    }
    fs::remove_all(dir, ec);  // a partial run from an interrupted suite, or an old one
    todo.push_back(i);
  }

  SuiteResults results;
  results.suite = suite.name;
  results.suite_file = suite.file.string();
  const auto write_results = [&] {
    results.runs.clear();
    for (const auto& [i, entry] : finished) results.runs.push_back(entry);
    WriteResultsFiles(o.out_dir, results);
  };
  write_results();

  const int jobs =
      o.jobs > 0 ? o.jobs : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  SuiteProgress progress;
  progress.total = static_cast<int>(todo.size());
  const auto started = Clock::now();
  const auto report = [&](const std::string& id, const std::string& status) {
    progress.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
    progress.last_id = id;
    progress.last_status = status;
    if (o.on_progress) o.on_progress(progress);
  };
  report("", "");

  g_interrupted = 0;
  const auto previous_int = std::signal(SIGINT, OnInterrupt);
  const auto previous_term = std::signal(SIGTERM, OnInterrupt);
  std::vector<Child> children;
  std::size_t next = 0;
  while ((next < todo.size() || !children.empty())) {
    if (g_interrupted != 0) {
      for (const Child& c : children) ::kill(-c.pid, SIGKILL);
      for (const Child& c : children) ::waitpid(c.pid, nullptr, 0);
      break;
    }
    while (next < todo.size() && static_cast<int>(children.size()) < jobs) {
      const std::size_t i = todo[next++];
      const fs::path dir = o.out_dir / RunDirOf(all[i]);
      fs::create_directories(dir, ec);
      children.push_back(
          {Spawn(ChildArgs(suite, all[i], o, cache), dir / "run.log"), i, Clock::now(), false});
    }
    progress.running = static_cast<int>(children.size());
    for (auto it = children.begin(); it != children.end();) {
      Child& c = *it;
      int status = 0;
      const pid_t done = ::waitpid(c.pid, &status, WNOHANG);
      if (done == 0) {
        const double age = std::chrono::duration<double>(Clock::now() - c.started).count();
        if (!c.killed_for_time && age > suite.run_time_limit_s) {
          ::kill(-c.pid, SIGKILL);  // the whole process group: planners' helpers too
          c.killed_for_time = true;
        }
        ++it;
        continue;
      }
      const PlannedRun& run = all[c.slot];
      const fs::path dir = o.out_dir / RunDirOf(run);
      std::optional<RunRecord> record =
          c.killed_for_time ? std::nullopt : ReadRecord(dir / "run.json");
      if (!record) {
        record =
            c.killed_for_time
                ? LostRun(suite, run, "timeout",
                          "the run exceeded the suite's run_time_limit_s of " +
                              Seconds(suite.run_time_limit_s) + " s of wall time and was killed")
                : LostRun(suite, run, "crash",
                          ExitDescription(status) + " (see " + (dir / "run.log").string() + ")");
        WriteRunRecord(dir / "run.json", *record);
      }
      ++progress.done;
      if (record->status == RunStatus::kFailed) ++progress.failed;
      const std::string status_text =
          std::string(ToString(record->status)) +
          (record->status == RunStatus::kOk ? "" : " (" + record->reason + ")");
      finished[c.slot] = {std::move(*record), RunDirOf(run), c.slot};
      write_results();
      it = children.erase(it);
      progress.running = static_cast<int>(children.size());
      report(run.id, status_text);
    }
    if (!children.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  write_results();
  MD_THROW_UNLESS(g_interrupted == 0, "suite interrupted: " + std::to_string(progress.done) +
                                          " of " + std::to_string(progress.total) +
                                          " runs finished and kept in " + o.out_dir.string() +
                                          " (continue with --resume)");
  return results;
}

SuiteResults MergeResults(const std::vector<fs::path>& dirs, const fs::path& out_dir) {
  MD_THROW_UNLESS(!dirs.empty(), "merge: expected at least one results directory");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  MD_THROW_UNLESS(fs::is_directory(out_dir, ec), out_dir.string() + ": cannot create");
  SuiteResults merged;
  std::map<std::size_t, RunEntry> runs;
  for (const fs::path& dir : dirs) {
    const SuiteResults part = LoadResults(dir / "results.json");
    if (merged.suite.empty() && merged.suite_file.empty()) {
      merged.suite = part.suite;
      merged.suite_file = part.suite_file;
    }
    MD_THROW_UNLESS(part.suite == merged.suite,
                    (dir / "results.json").string() + ": suite: expected \"" + merged.suite +
                        "\" (as in " + (dirs.front() / "results.json").string() + "), got \"" +
                        part.suite + "\"");
    const bool in_place = fs::equivalent(dir, out_dir, ec);
    for (const RunEntry& entry : part.runs) {
      const auto [it, added] = runs.emplace(entry.index, entry);
      MD_THROW_UNLESS(added || it->second.record.id == entry.record.id,
                      (dir / "results.json").string() + ": run " + entry.record.id + " has index " +
                          std::to_string(entry.index) + ", which " + it->second.record.id +
                          " has in another directory");
      if (!in_place) {
        fs::create_directories(out_dir / entry.dir, ec);
        fs::copy(dir / entry.dir, out_dir / entry.dir,
                 fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
        MD_THROW_UNLESS(!ec, (dir / entry.dir).string() + ": cannot copy (" + ec.message() + ")");
      }
    }
    // Terrain caches: run records point at ../../../terrain/<key> (relative paths).
    if (!in_place && fs::is_directory(dir / "terrain", ec)) {
      for (const auto& item : fs::directory_iterator(dir / "terrain")) {
        const fs::path target = out_dir / "terrain" / item.path().filename();
        if (fs::exists(target, ec)) continue;
        fs::create_directories(target.parent_path(), ec);
        fs::copy(item.path(), target, fs::copy_options::recursive, ec);
      }
    }
  }
  for (auto& [i, entry] : runs) merged.runs.push_back(std::move(entry));
  WriteResultsFiles(out_dir, merged);
  return merged;
}

}  // namespace marsdrive::scenarios

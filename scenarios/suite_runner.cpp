#include "scenarios/suite_runner.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/check.h"
#include "scenarios/run_scenario.h"
#include "scenarios/shard_marker.h"

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
  if (run.planner.check_trials > 0) {
    args.push_back("--check-trials");
    args.push_back(std::to_string(run.planner.check_trials));
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

// Starts one run in its own process group (a timeout kills the run and its helpers together),
// output into run.log. The run dies with the suite (PR_SET_PDEATHSIG): a suite killed with
// SIGKILL must not leave a run writing into the directory that --resume deletes and re-runs.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  MD_THROW_UNLESS(pid >= 0,
                  args[0] + ": cannot start a run process (" + std::strerror(errno) + ")");
  if (pid == 0) {  // the child: async-signal-safe calls only, until exec
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the suite died before prctl took effect
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
    if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) ::_exit(127);
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO) ::close(fd);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so that kill(-pid) works even before the child ran
  return pid;
}

// A link planted anywhere in OUT/runs/<scenario>/<label>/seed-<n> would make the suite delete
// and write through it (issue 14): refused before anything is touched.
void RequireNoLinks(const fs::path& out_dir, const std::string& run_dir) {
  fs::path at = out_dir;
  for (const fs::path& part : fs::path(run_dir)) {
    at /= part;
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(at, ec);
    MD_THROW_UNLESS(!fs::is_symlink(status),
                    at.string() +
                        ": is a symbolic link; refusing to delete or write through it (remove "
                        "it, or choose another --out)");
    if (!fs::exists(status)) return;
    MD_THROW_UNLESS(fs::is_directory(status),
                    at.string() + ": exists and is not a directory; expected a run directory");
  }
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
  const auto invoked = Clock::now();
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  MD_THROW_UNLESS(fs::is_directory(o.out_dir, ec),
                  o.out_dir.string() + ": cannot create the output directory");
  // A shard is finished only when it says so again at the end (shard_marker.h).
  fs::remove(o.out_dir / "shard.json", ec);
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
  for (const std::size_t i : mine) RequireNoLinks(o.out_dir, RunDirOf(all[i]));
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
  if (o.shard) {
    ShardMarker marker;
    marker.index = o.shard->index;
    marker.count = o.shard->count;
    marker.suite = suite.name;
    marker.suite_file = suite.file.string();
    marker.suite_file_hash = SuiteFileHash(suite.file);
    for (const RunEntry& e : results.runs) {
      const std::string status = ToString(e.record.status);
      marker.runs.push_back({e.record.id, e.index, status});
      ++marker.statuses[status];
    }
    marker.wall_time_s = std::chrono::duration<double>(Clock::now() - invoked).count();
    WriteShardMarker(o.out_dir, marker);
  }
  return results;
}

namespace {

struct MergePart {
  fs::path dir;
  std::optional<SuiteResults> results;  // absent: no results.json (only with expect_shards)
  std::optional<ShardMarker> marker;
};

// The run directory `entry.dir` of shard `dir`, refused unless it is a plain relative path
// that stays inside `dir` once symbolic links are resolved.
fs::path RunDirInside(const fs::path& dir, const std::string& entry_dir, const std::string& source,
                      const std::string& id) {
  const std::string what = source + ": run " + id + ": dir \"";
  MD_THROW_UNLESS(entry_dir.find('\0') == std::string::npos,
                  what + "...\": contains a NUL byte; refusing it");
  const fs::path rel(entry_dir);
  MD_THROW_UNLESS(
      !entry_dir.empty() && rel.is_relative() && !rel.has_root_name() && !rel.has_root_directory(),
      what + entry_dir + "\": expected a path relative to the shard directory");
  for (const fs::path& part : rel) {
    MD_THROW_UNLESS(part != ".." && part != ".",
                    what + entry_dir + "\": leads outside the shard directory; refusing it");
  }
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(dir), ec);
  MD_THROW_UNLESS(!ec, dir.string() + ": cannot resolve (" + ec.message() + ")");
  const fs::path resolved = fs::weakly_canonical(root / rel, ec);
  MD_THROW_UNLESS(!ec, what + entry_dir + "\": cannot resolve (" + ec.message() + ")");
  const auto [r, d] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  MD_THROW_UNLESS(r == root.end() && d != resolved.end(),
                  what + entry_dir + "\": resolves to " + resolved.string() +
                      ", outside the shard directory " + root.string() + "; refusing it");
  return resolved;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) {
    if (!text.empty()) text += ", ";
    text += id;
  }
  return text;
}

// What keeps `parts` from being the complete suite in `expect` shards (empty: complete).
std::vector<std::string> CheckShards(const std::vector<MergePart>& parts, int expect) {
  std::vector<std::string> problems;
  const ShardMarker* first = nullptr;
  fs::path first_dir;
  std::map<int, fs::path> shard_dirs;
  for (const MergePart& p : parts) {
    if (!p.marker) continue;
    const ShardMarker& m = *p.marker;
    const std::string source = (p.dir / "shard.json").string();
    MD_THROW_UNLESS(m.count == expect, source + ": count " + std::to_string(m.count) +
                                           ", but --expect-shards is " + std::to_string(expect));
    if (first == nullptr) {
      first = &m;
      first_dir = p.dir;
    }
    MD_THROW_UNLESS(m.suite_file_hash == first->suite_file_hash && m.suite == first->suite,
                    source + ": suite \"" + m.suite + "\" (hash " + m.suite_file_hash + "), but " +
                        (first_dir / "shard.json").string() + " has \"" + first->suite +
                        "\" (hash " + first->suite_file_hash + "): shards of different suites");
    MD_THROW_UNLESS(p.results && p.results->suite == m.suite,
                    source + ": its results.json is missing or of another suite");
    const auto [it, added] = shard_dirs.emplace(m.index, p.dir);
    if (!added) {
      problems.push_back("duplicate shard " + std::to_string(m.index) + "/" +
                         std::to_string(expect) + ": both " + it->second.string() + " and " +
                         p.dir.string() + " hold it");
    }
  }
  // The suite the shards ran: from a marker, else from any results.json.
  std::string suite_file = first != nullptr ? first->suite_file : "";
  for (const MergePart& p : parts) {
    if (suite_file.empty() && p.results) suite_file = p.results->suite_file;
  }
  if (suite_file.empty()) {
    problems.push_back("missing shards 1 to " + std::to_string(expect) + " (array indices 0 to " +
                       std::to_string(expect - 1) +
                       "): no directory holds a results.json, so no run has finished");
    return problems;
  }
  const Suite suite = LoadSuite(suite_file);
  if (first != nullptr) {
    const std::string hash = SuiteFileHash(suite.file);
    MD_THROW_UNLESS(hash == first->suite_file_hash,
                    suite_file + ": changed since the shards ran (hash " + hash +
                        ", the shards ran " + first->suite_file_hash +
                        "); rerun them or restore the file");
  }
  const std::vector<PlannedRun> all = ExpandRuns(suite);
  MD_THROW_UNLESS(expect <= static_cast<int>(all.size()),
                  "--expect-shards " + std::to_string(expect) + ": the suite has only " +
                      std::to_string(all.size()) + " runs");
  std::map<std::string, std::size_t> suite_index;
  for (std::size_t i = 0; i < all.size(); ++i) suite_index[all[i].id] = i;

  // Every run with a record, and where; a run in two directories is a duplicate.
  std::map<std::string, fs::path> present;
  for (const MergePart& p : parts) {
    if (!p.results) {
      problems.push_back(p.dir.string() + ": no results.json (the shard never started here)");
      continue;
    }
    for (const RunEntry& e : p.results->runs) {
      const auto in_suite = suite_index.find(e.record.id);
      if (in_suite == suite_index.end() || in_suite->second != e.index) {
        problems.push_back((p.dir / "results.json").string() + ": run " + e.record.id + " (index " +
                           std::to_string(e.index) + ") is not a run of " + suite_file);
        continue;
      }
      const auto [it, added] = present.emplace(e.record.id, p.dir);
      if (!added) {
        problems.push_back("duplicate run " + e.record.id + ": in both " + it->second.string() +
                           " and " + p.dir.string());
      }
    }
  }
  // A finished shard whose runs went missing since (a lost or deleted run directory).
  for (const MergePart& p : parts) {
    if (!p.marker) continue;
    std::vector<std::string> lost;
    for (const ShardRun& r : p.marker->runs) {
      const auto it = present.find(r.id);
      std::error_code ec;
      if (it == present.end() || it->second != p.dir ||
          !fs::is_regular_file(p.dir / ("runs/" + r.id) / "run.json", ec)) {
        lost.push_back(r.id);
      }
    }
    if (!lost.empty()) {
      problems.push_back("shard " + std::to_string(p.marker->index) + "/" + std::to_string(expect) +
                         " (" + p.dir.string() + ") lost runs: " + JoinIds(lost));
    }
  }
  for (int k = 1; k <= expect; ++k) {
    if (shard_dirs.count(k) != 0) continue;
    std::vector<std::string> missing;
    for (const PlannedRun& r : SelectShard(all, {k, expect})) {
      if (present.count(r.id) == 0) missing.push_back(r.id);
    }
    problems.push_back("missing shard " + std::to_string(k) + "/" + std::to_string(expect) +
                       " (array index " + std::to_string(k - 1) + "): no shard.json; " +
                       (missing.empty()
                            ? std::string("every run has a record, but the shard did not finish")
                            : "runs without a record: " + JoinIds(missing)));
  }
  return problems;
}

}  // namespace

SuiteResults MergeResults(const std::vector<fs::path>& dirs, const fs::path& out_dir,
                          const MergeOptions& options) {
  MD_THROW_UNLESS(!dirs.empty(), "merge: expected at least one results directory");
  if (options.expect_shards) {
    MD_THROW_UNLESS(*options.expect_shards >= 1, "--expect-shards: expected a number >= 1");
  }
  std::error_code ec;
  std::vector<MergePart> parts;
  for (const fs::path& dir : dirs) {
    MergePart part{dir, std::nullopt, std::nullopt};
    if (!options.expect_shards || fs::is_regular_file(dir / "results.json", ec)) {
      part.results = LoadResults(dir / "results.json");
    }
    if (options.expect_shards) part.marker = ReadShardMarker(dir);
    if (part.results) {
      for (const RunEntry& e : part.results->runs) {
        RunDirInside(dir, e.dir, (dir / "results.json").string(), e.record.id);
      }
    }
    parts.push_back(std::move(part));
  }
  if (options.expect_shards) {
    std::vector<std::string> problems = CheckShards(parts, *options.expect_shards);
    if (!problems.empty()) throw IncompleteMerge(std::move(problems));
  }

  fs::create_directories(out_dir, ec);
  MD_THROW_UNLESS(fs::is_directory(out_dir, ec), out_dir.string() + ": cannot create");
  SuiteResults merged;
  std::map<std::size_t, RunEntry> runs;
  for (const MergePart& p : parts) {
    const fs::path& dir = p.dir;
    const SuiteResults& part = *p.results;
    if (merged.suite.empty() && merged.suite_file.empty()) {
      merged.suite = part.suite;
      merged.suite_file = part.suite_file;
    }
    MD_THROW_UNLESS(part.suite == merged.suite,
                    (dir / "results.json").string() + ": suite: expected \"" + merged.suite +
                        "\" (as in " + (dirs.front() / "results.json").string() + "), got \"" +
                        part.suite + "\"");
    const bool in_place = fs::equivalent(dir, out_dir, ec);
    const fs::path shard_root = fs::weakly_canonical(fs::absolute(dir), ec);
    for (const RunEntry& original : part.runs) {
      RunEntry entry = original;
      const auto [it, added] = runs.emplace(entry.index, entry);
      MD_THROW_UNLESS(added || it->second.record.id == entry.record.id,
                      (dir / "results.json").string() + ": run " + entry.record.id + " has index " +
                          std::to_string(entry.index) + ", which " + it->second.record.id +
                          " has in another directory");
      if (in_place || !added) continue;
      const fs::path from =
          RunDirInside(dir, entry.dir, (dir / "results.json").string(), entry.record.id);
      const fs::path to = out_dir / entry.dir;
      fs::create_directories(to, ec);
      fs::copy(from, to,
               fs::copy_options::recursive | fs::copy_options::overwrite_existing |
                   fs::copy_options::skip_symlinks,
               ec);
      MD_THROW_UNLESS(!ec, from.string() + ": cannot copy (" + ec.message() + ")");
      // A terrain outside the shard (a shared cache) is not copied: the run points at it from
      // its new place.
      if (!entry.record.terrain_dir.empty()) {
        const fs::path terrain =
            (fs::absolute(dir / entry.dir) / entry.record.terrain_dir).lexically_normal();
        const fs::path shard_terrain = (shard_root / "terrain").lexically_normal();
        const auto [a, b] = std::mismatch(shard_terrain.begin(), shard_terrain.end(),
                                          terrain.begin(), terrain.end());
        const fs::path root = fs::absolute(dir).lexically_normal();
        const auto [c, d] = std::mismatch(root.begin(), root.end(), terrain.begin(), terrain.end());
        if (a != shard_terrain.end() && c != root.end()) {
          entry.record.terrain_dir =
              terrain.lexically_relative(fs::absolute(to).lexically_normal()).string();
          WriteRunRecord(to / "run.json", entry.record);
          it->second = entry;
        }
      }
    }
    // Terrain caches: run records point at ../../../terrain/<key> (relative paths).
    if (!in_place && fs::is_directory(dir / "terrain", ec)) {
      for (const auto& item : fs::directory_iterator(dir / "terrain")) {
        const fs::path target = out_dir / "terrain" / item.path().filename();
        if (fs::exists(target, ec)) continue;
        fs::create_directories(target.parent_path(), ec);
        fs::copy(item.path(), target, fs::copy_options::recursive | fs::copy_options::skip_symlinks,
                 ec);
      }
    }
  }
  for (auto& [i, entry] : runs) merged.runs.push_back(std::move(entry));
  WriteResultsFiles(out_dir, merged);
  return merged;
}

}  // namespace marsdrive::scenarios

#include "app/slurm_commands.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/out_dir.h"
#include "base/check.h"
#include "io/text_file.h"
#include "scenarios/shard_marker.h"
#include "scenarios/slurm.h"
#include "scenarios/suite.h"
#include "scenarios/suite_runner.h"
#include "scenarios/terrain_cache.h"

namespace marsdrive::app {

namespace fs = std::filesystem;
using namespace scenarios;

namespace {

struct SubmitOptionsCli {
  std::string suite;
  std::string engine;
  std::optional<int> shards;
  std::string out;
  std::string partition, time, mem, account;
  int cpus_per_task = 1;
  std::vector<std::string> sbatch_args;
  std::string cache_dir;
  std::string resubmit;
  bool dry_run = false;
};

struct StatusOptionsCli {
  std::string dir;
};

fs::path SelfExecutable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  MD_THROW_UNLESS(!ec, "cannot find the marsdrive program itself (/proc/self/exe)");
  return self;
}

fs::path Absolute(const std::string& path) { return fs::absolute(path).lexically_normal(); }

std::string RequireSbatch() {
  MD_THROW_UNLESS(FindOnPath("sbatch").has_value(),
                  "sbatch: not found on PATH, so nothing can be submitted (run on a Slurm login "
                  "node, or use --dry-run to write the scripts only)");
  return "sbatch";
}

// `sbatch --parsable ...`: the job id ("123" or "123;cluster" -> "123").
std::string Sbatch(const std::vector<std::string>& args) {
  std::vector<std::string> command = {"sbatch", "--parsable"};
  command.insert(command.end(), args.begin(), args.end());
  const ProgramResult r = RunProgram(command);
  std::string id = r.out.substr(0, r.out.find_first_of(";\n"));
  if (r.exit_code != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    std::string line;
    for (const std::string& a : command) {
      if (!line.empty()) line += " ";
      line += ShellQuote(a);
    }
    std::string why = r.err.empty() ? r.out : r.err;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw InputError(line + ": failed (exit " + std::to_string(r.exit_code) + "): " + why);
  }
  return id;
}

void PrintCommand(const std::vector<std::string>& args) {
  std::string line;
  for (const std::string& a : args) {
    if (!line.empty()) line += " ";
    line += ShellQuote(a);
  }
  std::printf("%s\n", line.c_str());
}

std::string ArrayList(const std::vector<int>& indices) {
  std::string text;
  for (const int i : indices) {
    if (!text.empty()) text += ",";
    text += std::to_string(i);
  }
  return text;
}

// Refuses an --out that holds shards (or jobs) of another suite or another shard count.
void CheckOutFree(const fs::path& out, const std::string& suite, const std::string& hash,
                  int shards) {
  std::error_code ec;
  const fs::path jobs_json = out / "slurm" / "jobs.json";
  if (fs::exists(jobs_json, ec)) {
    const SlurmJobs jobs = LoadSlurmJobs(jobs_json);
    MD_THROW_UNLESS(jobs.suite_file_hash == hash && jobs.shards == shards,
                    "--out " + out.string() + ": holds another suite's shards (" +
                        jobs_json.string() + ": suite \"" + jobs.suite + "\" in " +
                        std::to_string(jobs.shards) + " shards); choose another --out directory");
    throw InputError("--out " + out.string() + ": this suite was already submitted there (" +
                     jobs_json.string() + "); use `marsdrive submit --resubmit " + out.string() +
                     "` to rerun what is missing, or another --out");
  }
  if (!fs::is_directory(out / "shards", ec)) return;
  for (const auto& item : fs::directory_iterator(out / "shards", ec)) {
    const fs::path& dir = item.path();
    const std::optional<ShardMarker> marker = ReadShardMarker(dir);
    if (marker) {
      MD_THROW_UNLESS(marker->suite_file_hash == hash && marker->count == shards,
                      "--out " + out.string() + ": holds another suite's shards (" +
                          (dir / "shard.json").string() + ": suite \"" + marker->suite +
                          "\", shard " + std::to_string(marker->index) + "/" +
                          std::to_string(marker->count) + "); choose another --out directory");
    } else if (fs::is_regular_file(dir / "results.json", ec)) {
      const SuiteResults results = LoadResults(dir / "results.json");
      MD_THROW_UNLESS(results.suite == suite,
                      "--out " + out.string() + ": holds another suite's shards (" +
                          (dir / "results.json").string() + ": suite \"" + results.suite +
                          "\"); choose another --out directory");
    }
  }
}

fs::path TerrainCacheFor(const SubmitOptionsCli& o, const fs::path& out) {
  if (!o.cache_dir.empty()) return Absolute(o.cache_dir) / "terrain";
  if (const std::optional<fs::path> root = CacheRootFromEnvironment()) {
    return Absolute(*root) / "terrain";
  }
  return out / "terrain";  // with the merged results: runs find it at ../../../../terrain
}

int Submit(const SubmitOptionsCli& o) {
  MD_THROW_UNLESS(o.engine == "slurm",
                  "--engine '" + o.engine + "': unknown engine; expected slurm");
  MD_THROW_UNLESS(!o.suite.empty() && !o.out.empty() && o.shards.has_value(),
                  "submit: expected SUITE --engine slurm --shards N --out DIR (or --resubmit DIR)");
  RequireOutDir(o.out);
  const Suite suite = LoadSuite(Absolute(o.suite));
  const std::size_t runs = ExpandRuns(suite).size();
  const int n = *o.shards;
  MD_THROW_UNLESS(n >= 1 && static_cast<std::size_t>(n) <= runs,
                  "--shards " + std::to_string(n) + ": expected 1 to " + std::to_string(runs) +
                      " (the suite's runs; a shard needs at least one)");
  SlurmPlan plan;
  plan.executable = SelfExecutable();
  plan.suite_file = suite.file;
  plan.suite = suite.name;
  plan.out_dir = Absolute(o.out);
  plan.terrain_cache = TerrainCacheFor(o, plan.out_dir);
  plan.workdir = fs::current_path();
  plan.shards = n;
  plan.cpus_per_task = o.cpus_per_task;
  plan.partition = o.partition;
  plan.time = o.time;
  plan.mem = o.mem;
  plan.account = o.account;
  plan.sbatch_args = o.sbatch_args;
  CheckSlurmPlan(plan);
  const std::string hash = SuiteFileHash(suite.file);
  CheckOutFree(plan.out_dir, suite.name, hash, n);
  if (!o.dry_run) RequireSbatch();

  const fs::path slurm_dir = plan.out_dir / "slurm";
  std::error_code ec;
  fs::create_directories(slurm_dir / "logs", ec);
  fs::create_directories(plan.out_dir / "shards", ec);
  fs::create_directories(plan.terrain_cache, ec);
  MD_THROW_UNLESS(
      fs::is_directory(slurm_dir / "logs", ec) && fs::is_directory(plan.terrain_cache, ec),
      plan.out_dir.string() + ": cannot create the output and cache directories");
  const fs::path shards_sbatch = slurm_dir / "shards.sbatch";
  const fs::path merge_sbatch = slurm_dir / "merge.sbatch";
  for (const auto& [path, text] :
       {std::pair{shards_sbatch, ShardsScript(plan)}, std::pair{merge_sbatch, MergeScript(plan)}}) {
    WriteTextFile(path, text);  // never through a planted link
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
  }
  if (o.dry_run) {
    std::printf("wrote %s and %s (dry run: nothing submitted)\n", shards_sbatch.c_str(),
                merge_sbatch.c_str());
    PrintCommand({"sbatch", "--parsable", shards_sbatch.string()});
    PrintCommand(
        {"sbatch", "--parsable", "--dependency=afterany:<shards job id>", merge_sbatch.string()});
    return 0;
  }
  const std::string array = "0-" + std::to_string(n - 1);
  const std::string shards_job = Sbatch({shards_sbatch.string()});
  std::string merge_job;
  try {
    merge_job = Sbatch({"--dependency=afterany:" + shards_job, merge_sbatch.string()});
  } catch (const InputError&) {
    RunProgram({"scancel", shards_job});  // no merge: take the array back, submit again later
    throw;
  }
  SlurmJobs jobs;
  jobs.suite = suite.name;
  jobs.suite_file = suite.file.string();
  jobs.suite_file_hash = hash;
  jobs.shards = n;
  jobs.out_dir = plan.out_dir.string();
  jobs.terrain_cache = plan.terrain_cache.string();
  jobs.submissions.push_back({array, shards_job, merge_job});
  WriteSlurmJobs(slurm_dir / "jobs.json", jobs);
  std::printf("shards: job %s (array %s: %d shards of suite %s, %zu runs)\n", shards_job.c_str(),
              array.c_str(), n, suite.name.c_str(), runs);
  std::printf("merge: job %s (afterany:%s) -> %s\n", merge_job.c_str(), shards_job.c_str(),
              (plan.out_dir / "results.json").c_str());
  std::printf("jobs: %s\n", (slurm_dir / "jobs.json").c_str());
  return 0;
}

std::vector<std::string> RunIds(const Suite& suite) {
  std::vector<std::string> ids;
  for (const PlannedRun& r : ExpandRuns(suite)) ids.push_back(r.id);
  return ids;
}

// The suite of a submitted DIR, checked against the file as it is now.
Suite LoadSubmittedSuite(const SlurmJobs& jobs, const fs::path& jobs_json) {
  const Suite suite = LoadSuite(jobs.suite_file);
  MD_THROW_UNLESS(SuiteFileHash(suite.file) == jobs.suite_file_hash,
                  jobs.suite_file + ": changed since it was submitted (" + jobs_json.string() +
                      "); restore it, or submit the new version to another --out");
  return suite;
}

// Every job id jobs.json knows, and for each array index the id of its latest task.
std::map<int, std::string> LatestTasks(const SlurmJobs& jobs, int shards) {
  std::map<int, std::string> latest;
  for (const SlurmSubmission& s : jobs.submissions) {
    if (s.shards_job.empty()) continue;
    // "0-2" or "3,17"
    std::vector<int> indices;
    std::size_t pos = 0;
    while (pos < s.array.size()) {
      const std::size_t comma = s.array.find(',', pos);
      const std::string item = s.array.substr(pos, comma - pos);
      const std::size_t dash = item.find('-');
      try {
        const int a = std::stoi(item.substr(0, dash));
        const int b = dash == std::string::npos ? a : std::stoi(item.substr(dash + 1));
        for (int i = a; i <= b && i < shards; ++i) indices.push_back(i);
      } catch (const std::exception&) {
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    for (const int i : indices) latest[i] = s.shards_job + "_" + std::to_string(i);
  }
  return latest;
}

std::vector<std::string> JobIds(const SlurmJobs& jobs) {
  std::vector<std::string> ids;
  for (const SlurmSubmission& s : jobs.submissions) {
    if (!s.shards_job.empty()) ids.push_back(s.shards_job);
    if (!s.merge_job.empty()) ids.push_back(s.merge_job);
  }
  return ids;
}

bool LiveState(const std::string& state) {
  return state == "PENDING" || state == "RUNNING" || state == "CONFIGURING" ||
         state == "COMPLETING" || state == "REQUEUED" || state == "REQUEUE_HOLD" ||
         state == "REQUEUE_FED" || state == "RESIZING" || state == "SUSPENDED" ||
         state == "STAGE_OUT" || state == "SIGNALING";
}

int Resubmit(const SubmitOptionsCli& o) {
  MD_THROW_UNLESS(o.suite.empty() && o.out.empty() && !o.shards.has_value(),
                  "--resubmit DIR: takes the suite, shards and scripts from DIR/slurm (no SUITE, "
                  "--shards or --out)");
  MD_THROW_UNLESS(o.engine.empty() || o.engine == "slurm",
                  "--engine '" + o.engine + "': unknown engine; expected slurm");
  const fs::path out = Absolute(o.resubmit);
  const fs::path jobs_json = out / "slurm" / "jobs.json";
  SlurmJobs jobs = LoadSlurmJobs(jobs_json);
  const Suite suite = LoadSubmittedSuite(jobs, jobs_json);
  const std::vector<ShardOnDisk> shards =
      ScanShards(out, RunIds(suite), jobs.shards, jobs.suite_file_hash);
  std::vector<int> missing;
  for (const ShardOnDisk& s : shards) {
    if (!s.finished || !s.lost.empty()) missing.push_back(s.array_index);
  }
  if (!o.dry_run) RequireSbatch();
  // A task still queued or running would race its own rerun.
  if (const auto states = QuerySlurmStates(JobIds(jobs))) {
    const std::map<int, std::string> latest = LatestTasks(jobs, jobs.shards);
    for (const int i : missing) {
      const auto task = latest.find(i);
      if (task == latest.end()) continue;
      const auto state = states->find(task->second);
      MD_THROW_UNLESS(state == states->end() || !LiveState(state->second),
                      "--resubmit: shard " + std::to_string(i + 1) + "/" +
                          std::to_string(jobs.shards) + " is still " + state->second + " as job " +
                          task->second + "; wait for it or scancel it first (nothing submitted)");
    }
  }
  const fs::path shards_sbatch = out / "slurm" / "shards.sbatch";
  const fs::path merge_sbatch = out / "slurm" / "merge.sbatch";
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_regular_file(shards_sbatch, ec) && fs::is_regular_file(merge_sbatch, ec),
                  (out / "slurm").string() + ": shards.sbatch or merge.sbatch is missing");
  for (const ShardOnDisk& s : shards) {
    if (!s.finished || !s.lost.empty()) {
      std::string why =
          !s.finished ? "no shard.json" : "lost runs: " + std::to_string(s.lost.size());
      if (!s.note.empty()) why += " (" + s.note + ")";
      std::printf("shard %d/%d (array index %d): %d of %zu runs done, %s\n", s.array_index + 1,
                  jobs.shards, s.array_index, s.runs_done, s.run_ids.size(), why.c_str());
    }
  }
  const std::string array = ArrayList(missing);
  if (o.dry_run) {
    if (!missing.empty()) {
      PrintCommand({"sbatch", "--parsable", "--array=" + array, shards_sbatch.string()});
    }
    PrintCommand(
        {"sbatch", "--parsable",
         missing.empty() ? std::string("(no dependency)") : "--dependency=afterany:<shards job id>",
         merge_sbatch.string()});
    return 0;
  }
  SlurmSubmission submission{array, "", ""};
  if (!missing.empty()) {
    submission.shards_job = Sbatch({"--array=" + array, shards_sbatch.string()});
    std::printf("shards: job %s (array %s: %zu of %d shards)\n", submission.shards_job.c_str(),
                array.c_str(), missing.size(), jobs.shards);
    submission.merge_job =
        Sbatch({"--dependency=afterany:" + submission.shards_job, merge_sbatch.string()});
    std::printf("merge: job %s (afterany:%s)\n", submission.merge_job.c_str(),
                submission.shards_job.c_str());
  } else {
    submission.merge_job = Sbatch({merge_sbatch.string()});
    std::printf("every shard finished; merge: job %s\n", submission.merge_job.c_str());
  }
  jobs.submissions.push_back(submission);
  WriteSlurmJobs(jobs_json, jobs);
  std::printf("jobs: %s\n", jobs_json.c_str());
  return 0;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

int Status(const StatusOptionsCli& o) {
  const fs::path out = Absolute(o.dir);
  const fs::path jobs_json = out / "slurm" / "jobs.json";
  const SlurmJobs jobs = LoadSlurmJobs(jobs_json);
  const Suite suite = LoadSubmittedSuite(jobs, jobs_json);
  const std::vector<std::string> ids = RunIds(suite);
  const std::vector<ShardOnDisk> shards = ScanShards(out, ids, jobs.shards, jobs.suite_file_hash);
  const auto states = QuerySlurmStates(JobIds(jobs));
  const std::map<int, std::string> latest = LatestTasks(jobs, jobs.shards);
  std::printf("suite %s (%s): %d shards, %zu runs; state from %s\n", jobs.suite.c_str(),
              jobs.suite_file.c_str(), jobs.shards, ids.size(),
              states ? "squeue/sacct and shard.json markers" : "shard.json markers (no squeue)");
  int runs_done = 0;
  int shards_done = 0;
  for (const ShardOnDisk& s : shards) {
    std::string status;
    std::string detail;
    const auto task = latest.find(s.array_index);
    std::string slurm_state;
    if (states && task != latest.end()) {
      const auto it = states->find(task->second);
      if (it != states->end()) slurm_state = it->second;
    }
    if (s.finished && s.lost.empty() && !LiveState(slurm_state)) {
      status = "done";
    } else if (slurm_state == "RUNNING" || slurm_state == "COMPLETING" ||
               slurm_state == "CONFIGURING" || slurm_state == "STAGE_OUT" ||
               slurm_state == "SIGNALING") {
      status = "running";
    } else if (LiveState(slurm_state)) {
      status = "pending";
    } else if (states) {
      // The scheduler no longer runs it and it did not finish (or was never submitted).
      status = task == latest.end() ? "pending" : "failed";
      if (!slurm_state.empty()) detail = Lower(slurm_state);
    } else {
      std::error_code ec;
      status = fs::exists(s.dir / "results.json", ec) ? "running" : "pending";
    }
    if (!s.lost.empty()) {
      if (!detail.empty()) detail += ", ";
      detail += std::to_string(s.lost.size()) + " finished runs lost";
    }
    if (!s.note.empty()) {
      if (!detail.empty()) detail += ", ";
      detail += s.note;
    }
    runs_done += s.runs_done;
    if (status == "done") ++shards_done;
    std::string line = "shard " + std::to_string(s.array_index) + " (" +
                       std::to_string(s.array_index + 1) + "/" + std::to_string(jobs.shards) +
                       "): ";
    char counts[64];
    std::snprintf(counts, sizeof counts, "%-8s %d/%zu runs", status.c_str(), s.runs_done,
                  s.run_ids.size());
    line += counts;
    if (task != latest.end()) line += "  job " + task->second;
    if (!detail.empty()) line += "  (" + detail + ")";
    std::printf("%s\n", line.c_str());
  }
  std::string merge = "not submitted";
  if (!jobs.submissions.empty()) {
    const std::string& job = jobs.submissions.back().merge_job;
    std::string state = "unknown";
    if (states) {
      const auto it = states->find(job);
      state = it != states->end() ? Lower(it->second) : "ended";
    }
    std::error_code ec;
    if (fs::exists(out / "results.json", ec) && shards_done == jobs.shards &&
        !(states && states->count(job) != 0 && LiveState(states->at(job)))) {
      try {
        if (LoadResults(out / "results.json").runs.size() == ids.size()) state = "merged";
      } catch (const InputError&) {
      }
    }
    merge = "job " + job + " " + state;
  }
  const double pct = ids.empty() ? 100.0 : 100.0 * runs_done / static_cast<double>(ids.size());
  std::printf("progress: %d of %zu runs done (%.1f %%), %d of %d shards done; merge: %s\n",
              runs_done, ids.size(), pct, shards_done, jobs.shards, merge.c_str());
  return 0;
}

}  // namespace

void AddSlurmCommands(CLI::App& app, int& exit_code) {
  auto submit = std::make_shared<SubmitOptionsCli>();
  CLI::App* s = app.add_subcommand(
      "submit", "run a suite on a cluster: its shards as a Slurm job array, then a merge job");
  s->footer(
      "writes DIR/slurm/shards.sbatch (array task i: `marsdrive suite SUITE --shard i+1/N "
      "--resume` into DIR/shards/shard-<i>), DIR/slurm/merge.sbatch (afterany: `marsdrive merge "
      "... --expect-shards N` into DIR) and DIR/slurm/jobs.json; docs/cluster.md.\n"
      "exit status: 0 submitted (or written, with --dry-run); 2 bad input, nothing submitted.");
  s->add_option("suite", submit->suite, "suite file (YAML, docs/scenarios.md)");
  s->add_option("--engine", submit->engine, "the scheduler: slurm (the only one so far)");
  s->add_option("--shards", submit->shards, "N: array tasks, each one slice of the runs");
  s->add_option("--out", submit->out, "output directory on storage every node sees");
  s->add_option("--partition", submit->partition, "sbatch --partition");
  s->add_option("--time", submit->time, "sbatch --time per task, e.g. 02:00:00");
  s->add_option("--cpus-per-task", submit->cpus_per_task,
                "sbatch --cpus-per-task; also each shard's --jobs (runs in parallel)")
      ->capture_default_str();
  s->add_option("--mem", submit->mem, "sbatch --mem per task, e.g. 4G");
  s->add_option("--account", submit->account, "sbatch --account");
  s->add_option("--sbatch-arg", submit->sbatch_args,
                "one more sbatch option for both jobs, e.g. --qos=long (repeatable)");
  s->add_option("--cache-dir", submit->cache_dir,
                "shared cache directory; terrains in CACHE/terrain (default: $MARSDRIVE_CACHE_DIR "
                "or $MARSDRIVE_CACHE, else DIR/terrain)");
  s->add_option("--resubmit", submit->resubmit,
                "DIR of an earlier submit: resubmit only the shards without a finished "
                "shard.json (or with lost runs), and a new merge job");
  s->add_flag("--dry-run", submit->dry_run, "write the scripts and print the sbatch lines only");
  s->callback([submit, &exit_code] {
    exit_code = submit->resubmit.empty() ? Submit(*submit) : Resubmit(*submit);
  });

  auto status = std::make_shared<StatusOptionsCli>();
  CLI::App* t = app.add_subcommand(
      "status", "progress of a submitted suite: each shard pending, running, done or failed");
  t->footer(
      "reads DIR/slurm/jobs.json, asks squeue/sacct where they answer, else reads the shards' "
      "shard.json markers.\nexit status: 0; 2 bad input (no submitted suite in DIR).");
  t->add_option("dir", status->dir, "the --out DIR of `marsdrive submit`")->required();
  t->callback([status, &exit_code] { exit_code = Status(*status); });
}

}  // namespace marsdrive::app

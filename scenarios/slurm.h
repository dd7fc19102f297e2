#pragma once
// A suite on a Slurm cluster (docs/cluster.md, issue 15): the job array that runs its shards
// (DIR/slurm/shards.sbatch: task i runs `marsdrive suite --shard i+1/N`), the dependent merge
// job (DIR/slurm/merge.sbatch), the record of what was submitted (DIR/slurm/jobs.json), each
// shard's state from its completion marker (shard_marker.h) and from squeue/sacct, and the
// programs (sbatch, squeue, sacct, scancel) run without a shell.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/shard_marker.h"

namespace marsdrive::scenarios {

inline constexpr const char* kSlurmJobsSchema = "marsdrive/slurm-jobs/1";

// What the two batch scripts are made of. Paths are absolute.
struct SlurmPlan {
  std::filesystem::path executable;  // the marsdrive program
  std::filesystem::path suite_file;
  std::string suite;  // suite name (job names)
  std::filesystem::path out_dir;
  std::filesystem::path terrain_cache;  // shared by every shard
  std::filesystem::path workdir;        // where the jobs run (--chdir): where submit ran
  int shards = 1;
  int cpus_per_task = 1;
  std::string partition, time, mem, account;  // "" -> the cluster's default
  std::vector<std::string> sbatch_args;       // extra #SBATCH lines, as given
};

// Throws InputError naming the option for a value that cannot go into an #SBATCH line.
void CheckSlurmPlan(const SlurmPlan& plan);
std::string ShardsScript(const SlurmPlan& plan);
std::string MergeScript(const SlurmPlan& plan);

// The part of a command line that a POSIX shell reads back as `text`, quoted only if needed.
std::string ShellQuote(const std::string& text);

// One `sbatch` (or resubmission) of the shards and its merge job.
struct SlurmSubmission {
  std::string array;       // the array indices, as given to --array ("0-2", "1,4")
  std::string shards_job;  // job id of the array ("" when only a merge was submitted)
  std::string merge_job;   // job id of the merge
};

// DIR/slurm/jobs.json.
struct SlurmJobs {
  std::string suite;
  std::string suite_file;  // absolute
  std::string suite_file_hash;
  int shards = 1;
  std::string out_dir;  // absolute
  std::string terrain_cache;
  std::vector<SlurmSubmission> submissions;  // oldest first
};
void WriteSlurmJobs(const std::filesystem::path& jobs_json, const SlurmJobs& jobs);
// Throws InputError naming the file and field.
SlurmJobs LoadSlurmJobs(const std::filesystem::path& jobs_json);

// A shard directory as found on disk: DIR/shards/shard-<i> for array index i.
struct ShardOnDisk {
  int array_index = 0;
  std::filesystem::path dir;
  std::vector<std::string> run_ids;  // the runs of this shard (suite order)
  int runs_done = 0;                 // of run_ids: those with a run.json
  bool finished = false;             // a shard.json of this suite, index and count
  std::vector<std::string> lost;     // runs its shard.json lists but whose run.json is gone
  std::string note;                  // why a shard.json there does not count ("" if none)
};
// Every shard 0..shards-1 of the suite whose runs are `run_ids` (suite order).
std::vector<ShardOnDisk> ScanShards(const std::filesystem::path& out_dir,
                                    const std::vector<std::string>& run_ids, int shards,
                                    const std::string& suite_file_hash);

// A program's exit and what it printed. exit_code -1: it could not be started (not found).
struct ProgramResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs `args[0]` found on PATH with `args`, no shell, stdin from /dev/null.
ProgramResult RunProgram(const std::vector<std::string>& args);
// The absolute path of `name` on PATH, or nullopt.
std::optional<std::filesystem::path> FindOnPath(const std::string& name);

// Slurm's state of every array task and job in `job_ids` ("12_3" -> "RUNNING", "13" ->
// "PENDING"): squeue for live jobs, then sacct (if accounting is on) for ended ones. nullopt
// when squeue is not there or fails (no scheduler to ask).
std::optional<std::map<std::string, std::string>> QuerySlurmStates(
    const std::vector<std::string>& job_ids);

}  // namespace marsdrive::scenarios

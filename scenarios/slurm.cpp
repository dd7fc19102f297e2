#include "scenarios/slurm.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "terrain/check.h"
#include "terrain/file_write.h"

extern char** environ;

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

namespace {

// Characters an #SBATCH line takes without quoting (Slurm splits those lines at blanks and
// reads '%' in file names as a pattern).
bool SafeForSbatchLine(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::strchr("/._-+:=,@", c) != nullptr;
  });
}

void CheckValue(const std::string& value, const std::string& option, const std::string& expected) {
  MD_THROW_UNLESS(value.empty() || SafeForSbatchLine(value),
                  option + " '" + value + "': expected " + expected);
}

std::string Header(const SlurmPlan& p, const std::string& job_name, const std::string& log,
                   bool with_mem) {
  std::ostringstream s;
  s << "#SBATCH --job-name=" << job_name << "\n";
  s << "#SBATCH --output=" << (p.out_dir / "slurm" / "logs" / log).string() << "\n";
  s << "#SBATCH --open-mode=append\n";
  s << "#SBATCH --chdir=" << p.workdir.string() << "\n";
  if (!p.partition.empty()) s << "#SBATCH --partition=" << p.partition << "\n";
  if (!p.account.empty()) s << "#SBATCH --account=" << p.account << "\n";
  if (!p.time.empty()) s << "#SBATCH --time=" << p.time << "\n";
  if (with_mem && !p.mem.empty()) s << "#SBATCH --mem=" << p.mem << "\n";
  for (const std::string& a : p.sbatch_args) s << "#SBATCH " << a << "\n";
  return s.str();
}

std::string JobName(const SlurmPlan& p) {
  std::string name = "marsdrive-";
  for (const char c : p.suite) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return name;
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("/._-+:=,@%", c);
  });
  if (plain) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void CheckSlurmPlan(const SlurmPlan& p) {
  const std::string path_rule =
      "a path of letters, digits and / . _ - + : = , @ only (it goes into #SBATCH lines)";
  CheckValue(p.out_dir.string(), "--out", path_rule);
  CheckValue(p.workdir.string(), "the working directory", path_rule);
  CheckValue(p.partition, "--partition", "a partition name");
  CheckValue(p.account, "--account", "an account name");
  MD_THROW_UNLESS(
      p.time.empty() || (SafeForSbatchLine(p.time) &&
                         p.time.find_first_not_of("0123456789:-") == std::string::npos),
      "--time '" + p.time + "': expected a Slurm time limit, e.g. 02:00:00 or 1-12:00:00");
  MD_THROW_UNLESS(
      p.mem.empty() || (p.mem.find_first_not_of("0123456789KMGTkmgt") == std::string::npos &&
                        std::isdigit(static_cast<unsigned char>(p.mem.front())) != 0),
      "--mem '" + p.mem + "': expected a size, e.g. 4G or 4000M");
  MD_THROW_UNLESS(p.cpus_per_task >= 1 && p.cpus_per_task <= 4096,
                  "--cpus-per-task " + std::to_string(p.cpus_per_task) + ": expected 1 to 4096");
  for (const std::string& a : p.sbatch_args) {
    MD_THROW_UNLESS(
        a.size() > 2 && a.rfind("--", 0) == 0 && a.find_first_of("\n\r\t ") == std::string::npos,
        "--sbatch-arg '" + a + "': expected one sbatch option without blanks, e.g. --qos=long");
    MD_THROW_UNLESS(a.rfind("--array", 0) != 0 && a.rfind("--dependency", 0) != 0,
                    "--sbatch-arg '" + a + "': marsdrive sets --array and --dependency itself");
  }
}

std::string ShardsScript(const SlurmPlan& p) {
  const std::string n = std::to_string(p.shards);
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Written by `marsdrive submit` (docs/cluster.md): suite " << p.suite << " in " << n
    << " shards, a Slurm job array.\n"
    << "# Task i runs shard i+1 of " << n
    << " into shards/shard-<i>, keeping every run an earlier attempt finished\n"
    << "# (--resume), so a requeued task loses nothing. N is written here, never taken from\n"
    << "# SLURM_ARRAY_TASK_COUNT (a partial rerun with --array=3,17 changes that).\n"
    << "#SBATCH --array=0-" << p.shards - 1 << "\n"
    << "#SBATCH --requeue\n"
    << "#SBATCH --cpus-per-task=" << p.cpus_per_task << "\n"
    << Header(p, JobName(p), "shard-%a.log", true) << "set -euo pipefail\n"
    << "i=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}\n"
    << "echo \"marsdrive: shard $((i + 1))/" << n
    << " (array task $i of job ${SLURM_ARRAY_JOB_ID:-?}) on $(hostname) at $(date -u "
       "+%FT%T.%NZ)\"\n"
    << "exec " << ShellQuote(p.executable.string()) << " suite "
    << ShellQuote(p.suite_file.string()) << " --out "
    << ShellQuote((p.out_dir / "shards").string() + "/shard-") << "\"$i\" --shard \"$((i + 1))/"
    << n << "\" --jobs \"${SLURM_CPUS_PER_TASK:-" << p.cpus_per_task << "}\" --resume"
    << " --terrain-cache " << ShellQuote(p.terrain_cache.string()) << "\n";
  return s.str();
}

std::string MergeScript(const SlurmPlan& p) {
  const std::string n = std::to_string(p.shards);
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Written by `marsdrive submit` (docs/cluster.md): joins the " << n << " shards of suite "
    << p.suite << " once the array has ended\n"
    << "# (afterany: also when a task failed, so the merge names what is missing and exits 1).\n"
    << "#SBATCH --cpus-per-task=1\n"
    << Header(p, JobName(p) + "-merge", "merge.log", false) << "set -uo pipefail\n"
    << "echo \"marsdrive: merge on $(hostname) at $(date -u +%FT%T.%NZ)\"\n"
    << "exec " << ShellQuote(p.executable.string()) << " merge "
    << ShellQuote((p.out_dir / "shards").string()) << "/shard-* --out "
    << ShellQuote(p.out_dir.string()) << " --expect-shards " << n << "\n";
  return s.str();
}

void WriteSlurmJobs(const fs::path& jobs_json, const SlurmJobs& j) {
  nlohmann::ordered_json json;
  json["schema"] = kSlurmJobsSchema;
  json["engine"] = "slurm";
  json["suite"] = j.suite;
  json["suite_file"] = j.suite_file;
  json["suite_file_hash"] = j.suite_file_hash;
  json["shards"] = j.shards;
  json["out"] = j.out_dir;
  json["terrain_cache"] = j.terrain_cache;
  json["submissions"] = nlohmann::ordered_json::array();
  for (const SlurmSubmission& s : j.submissions) {
    json["submissions"].push_back(
        {{"array", s.array}, {"shards_job", s.shards_job}, {"merge_job", s.merge_job}});
  }
  WriteFileAtomically(jobs_json, json.dump(2) + "\n");
}

SlurmJobs LoadSlurmJobs(const fs::path& jobs_json) {
  const std::string source = jobs_json.string();
  std::ifstream in(jobs_json, std::ios::binary);
  MD_THROW_UNLESS(in.good(), source +
                                 ": cannot read (was the suite submitted with `marsdrive "
                                 "submit ... --out` this directory?)");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  const auto text = [&](const nlohmann::json& o, const char* key,
                        const std::string& where) -> std::string {
    MD_THROW_UNLESS(o.is_object() && o.contains(key) && o[key].is_string(),
                    source + ": " + where + key + ": expected a string");
    return o[key].get<std::string>();
  };
  MD_THROW_UNLESS(text(json, "schema", "") == kSlurmJobsSchema,
                  source + ": schema: expected \"" + kSlurmJobsSchema + "\"");
  SlurmJobs j;
  j.suite = text(json, "suite", "");
  j.suite_file = text(json, "suite_file", "");
  j.suite_file_hash = text(json, "suite_file_hash", "");
  j.out_dir = text(json, "out", "");
  j.terrain_cache = text(json, "terrain_cache", "");
  MD_THROW_UNLESS(json.contains("shards") && json["shards"].is_number_integer() &&
                      json["shards"].get<long long>() >= 1 &&
                      json["shards"].get<long long>() <= 1000000,
                  source + ": shards: expected a number of shards >= 1");
  j.shards = json["shards"].get<int>();
  MD_THROW_UNLESS(json.contains("submissions") && json["submissions"].is_array(),
                  source + ": submissions: expected an array");
  for (std::size_t i = 0; i < json["submissions"].size(); ++i) {
    const nlohmann::json& s = json["submissions"][i];
    const std::string where = "submissions[" + std::to_string(i) + "].";
    j.submissions.push_back(
        {text(s, "array", where), text(s, "shards_job", where), text(s, "merge_job", where)});
  }
  return j;
}

std::vector<ShardOnDisk> ScanShards(const fs::path& out_dir,
                                    const std::vector<std::string>& run_ids, int shards,
                                    const std::string& suite_file_hash) {
  std::vector<ShardOnDisk> result;
  for (int i = 0; i < shards; ++i) {
    ShardOnDisk s;
    s.array_index = i;
    s.dir = out_dir / "shards" / ("shard-" + std::to_string(i));
    for (std::size_t k = static_cast<std::size_t>(i); k < run_ids.size();
         k += static_cast<std::size_t>(shards)) {
      s.run_ids.push_back(run_ids[k]);
    }
    std::error_code ec;
    for (const std::string& id : s.run_ids) {
      if (fs::is_regular_file(s.dir / "runs" / id / "run.json", ec)) ++s.runs_done;
    }
    try {
      if (const auto marker = ReadShardMarker(s.dir)) {
        if (marker->index != i + 1 || marker->count != shards) {
          s.note = "its shard.json is of shard " + std::to_string(marker->index) + "/" +
                   std::to_string(marker->count);
        } else if (marker->suite_file_hash != suite_file_hash) {
          s.note = "its shard.json is of another version of the suite file";
        } else {
          s.finished = true;
          for (const ShardRun& r : marker->runs) {
            if (!fs::is_regular_file(s.dir / "runs" / r.id / "run.json", ec)) {
              s.lost.push_back(r.id);
            }
          }
        }
      }
    } catch (const InputError& e) {
      s.note = e.what();
    }
    result.push_back(std::move(s));
  }
  return result;
}

std::optional<fs::path> FindOnPath(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return fs::absolute(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (true) {
    const std::size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return fs::absolute(candidate);
    }
    if (colon == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(colon + 1);
  }
}

ProgramResult RunProgram(const std::vector<std::string>& args) {
  ProgramResult result;
  const std::optional<fs::path> program = FindOnPath(args.at(0));
  if (!program) {
    result.err = args[0] + ": not found on PATH";
    return result;
  }
  int out_pipe[2];
  int err_pipe[2];
  MD_DEMAND(::pipe2(out_pipe, O_CLOEXEC) == 0 && ::pipe2(err_pipe, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program->c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = args[0] + ": cannot start (" + std::strerror(rc) + ")";
    return result;
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      const ssize_t n = ::read(fds[k].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[k]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::optional<std::map<std::string, std::string>> QuerySlurmStates(
    const std::vector<std::string>& job_ids) {
  if (job_ids.empty()) return std::map<std::string, std::string>{};
  std::string list;
  for (const std::string& id : job_ids) {
    if (!list.empty()) list += ",";
    list += id;
  }
  std::map<std::string, std::string> states;
  // sacct first (ended jobs, if accounting is on), then squeue, whose live state wins.
  const ProgramResult acct = RunProgram(
      {"sacct", "-n", "-P", "-X", "-j", list, "-o", "JobID,State", "--starttime", "2000-01-01"});
  if (acct.exit_code == 0) {
    std::istringstream lines(acct.out);
    std::string line;
    while (std::getline(lines, line)) {
      const std::size_t bar = line.find('|');
      if (bar == std::string::npos) continue;
      std::string state = line.substr(bar + 1);
      state = state.substr(0, state.find(' '));  // "CANCELLED by 0" -> "CANCELLED"
      states[line.substr(0, bar)] = state;
    }
  }
  // Every job (a finished job id would make `squeue -j` fail), filtered here.
  const ProgramResult queue = RunProgram({"squeue", "-h", "-r", "-o", "%F|%K|%T"});
  if (queue.exit_code != 0) return std::nullopt;
  std::istringstream lines(queue.out);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t a = line.find('|');
    const std::size_t b = line.find('|', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string job = line.substr(0, a);
    const std::string task = line.substr(a + 1, b - a - 1);
    if (std::find(job_ids.begin(), job_ids.end(), job) == job_ids.end()) continue;
    const bool array_task =
        !task.empty() && task != "N/A" && task.find_first_not_of("0123456789") == std::string::npos;
    states[array_task ? job + "_" + task : job] = line.substr(b + 1);
  }
  return states;
}

}  // namespace marsdrive::scenarios

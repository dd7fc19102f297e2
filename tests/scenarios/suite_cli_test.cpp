// End-to-end tests of `marsdrive run`, `suite` and `merge` (issue 6): runs isolated from each
// other (a crashing, hanging or throwing planner fails only its run), identical results
// whatever --jobs or sharding, --resume after a kill loses nothing, bad input exits 2.

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::ReadWholeFile;
using testing::TempDir;

// Two tiny scenarios on flat ground (a few seconds of driving each) and suites over them.
class SuiteCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("suite-cli");
    for (const char* name : {"short-a", "short-b"}) {
      std::ofstream(*dir_ / (std::string(name) + ".yaml"))
          << "schema: marsdrive/scenario/1\nname: " << name
          << "\nseed: 5\nterrain: {preset: flat, size_m: [14, 8], resolution_m: 0.1, params: "
             "{rock_k: 0.03}}\nstart: {x: 2.5, y: 4}\ngoal: {x: 6.5, y: 4, tolerance_m: 1}\n"
             "limits: {time_s: 400}\n";
    }
    WriteSuite("suite.yaml", "[{name: scripted}, {name: astar}]", "[1, 2]", 300);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path Dir() { return dir_->path(); }
  static fs::path WriteSuite(const std::string& file, const std::string& planners,
                             const std::string& seeds, double time_limit_s) {
    std::ofstream(*dir_ / file) << "schema: marsdrive/suite/1\nname: tiny\nscenarios: "
                                   "[\"short-*.yaml\"]\nplanners: "
                                << planners << "\nseeds: " << seeds
                                << "\nrun_time_limit_s: " << time_limit_s << "\n";
    return *dir_ / file;
  }
  // A shared terrain cache keeps the tests fast.
  static std::string Cache() { return " --terrain-cache " + (Dir() / "cache").string(); }

 private:
  static TempDir* dir_;
};
TempDir* SuiteCli::dir_ = nullptr;

nlohmann::json ReadJson(const fs::path& path) { return nlohmann::json::parse(ReadWholeFile(path)); }

// results.json without what legitimately differs between two executions: wall-clock times.
nlohmann::json Deterministic(nlohmann::json results) {
  for (auto& run : results["runs"]) {
    run.erase("wall_time_s");
    if (run["metrics"].is_object()) {
      run["metrics"].erase("wall_time_s");
      run["metrics"].erase("rtf");
    }
  }
  return results;
}

TEST_F(SuiteCli, RunWritesTheRunDirectoryAndExitsZeroAtTheGoal) {
  const fs::path out = Dir() / "run-one";
  const auto r = Marsdrive("run " + (Dir() / "short-a.yaml").string() + " --planner astar --out " +
                           out.string() + Cache());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("run short-a/astar/seed-0: ok, score "));
  for (const char* file :
       {"run.json", "plan.json", "metrics.json", "telemetry.csv", "autonav.json"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file;
  }
  const auto run = ReadJson(out / "run.json");
  EXPECT_EQ(run["schema"], "marsdrive/run/1");
  EXPECT_EQ(run["status"], "ok");
  EXPECT_EQ(run["metrics"]["goal_reached"], true);
  EXPECT_GT(run["score"].get<double>(), 0.5);
  // The terrain path is relative to the run directory and leads to the cached terrain.
  EXPECT_TRUE(fs::exists(out / run["terrain_dir"].get<std::string>() / "terrain.json"));
}

TEST_F(SuiteCli, BadScenarioExitsTwoNamingTheFile) {
  std::ofstream(Dir() / "broken.yaml") << "schema: marsdrive/scenario/1\nname: x\n";
  const auto r = Marsdrive("run " + (Dir() / "broken.yaml").string() + " --out " +
                           (Dir() / "broken-out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr((Dir() / "broken.yaml").string() + ": terrain: missing"));
  const auto unknown =
      Marsdrive("run " + (Dir() / "short-a.yaml").string() + " --planner nonesuch --out " +
                (Dir() / "nonesuch").string() + Cache());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown planner 'nonesuch'"));
}

TEST_F(SuiteCli, CrashHangAndThrowFailOnlyTheirOwnRuns) {
  const fs::path suite = WriteSuite("faults.yaml",
                                    "[{name: fault-crash}, {name: fault-hang}, {name: "
                                    "fault-throw}, {name: scripted}]",
                                    "[1]", 3);
  const fs::path out = Dir() / "faults";
  const auto r =
      testing::RunCommand("MARSDRIVE_FAULT_PLANNERS=1 " + std::string(MARSDRIVE_BINARY) +
                          " suite " + suite.string() + " --jobs 2 --out " + out.string() + Cache());
  EXPECT_EQ(r.exit_code, 1) << r.err;  // some runs failed
  const auto results = ReadJson(out / "results.json");
  ASSERT_EQ(results["runs"].size(), 8u);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& run : results["runs"]) by_id[run["id"]] = run;
  for (const char* scenario : {"short-a", "short-b"}) {
    const std::string s = scenario;
    EXPECT_EQ(by_id[s + "/fault-crash/seed-1"]["status"], "failed");
    EXPECT_EQ(by_id[s + "/fault-crash/seed-1"]["failure"], "crash");
    EXPECT_THAT(by_id[s + "/fault-crash/seed-1"]["reason"].get<std::string>(),
                HasSubstr("SIGABRT"));
    EXPECT_EQ(by_id[s + "/fault-hang/seed-1"]["failure"], "timeout");
    EXPECT_THAT(by_id[s + "/fault-hang/seed-1"]["reason"].get<std::string>(),
                HasSubstr("run_time_limit_s of 3 s"));
    EXPECT_EQ(by_id[s + "/fault-throw/seed-1"]["failure"], "plan");
    EXPECT_THAT(by_id[s + "/fault-throw/seed-1"]["reason"].get<std::string>(),
                HasSubstr("injected failure"));
    EXPECT_EQ(by_id[s + "/scripted/seed-1"]["status"], "ok");
    EXPECT_EQ(by_id[s + "/scripted/seed-1"]["metrics"]["goal_reached"], true);
  }
  // Failed runs are JUnit failures; the report says why.
  const std::string junit = ReadWholeFile(out / "junit.xml");
  EXPECT_THAT(junit, HasSubstr("<failure"));
  EXPECT_THAT(ReadWholeFile(out / "report.html"), HasSubstr("injected failure"));
}

TEST_F(SuiteCli, JobsAndShardsGiveIdenticalResults) {
  const fs::path suite = Dir() / "suite.yaml";
  const auto one = Marsdrive("suite " + suite.string() + " --jobs 1 --out " +
                             (Dir() / "jobs1").string() + Cache());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("scripted"));
  EXPECT_THAT(one.out, HasSubstr("report: "));
  const auto two = Marsdrive("suite " + suite.string() + " --jobs 2 --out " +
                             (Dir() / "jobs2").string() + Cache());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    const auto r = Marsdrive("suite " + suite.string() + " --jobs 2 --shard " + shard + " --out " +
                             (Dir() / ("shard" + std::string(1, shard[0]))).string() + Cache());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const auto merged =
      Marsdrive("merge " + (Dir() / "shard1").string() + " " + (Dir() / "shard2").string() + " " +
                (Dir() / "shard3").string() + " --out " + (Dir() / "merged").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.err;

  const auto reference = Deterministic(ReadJson(Dir() / "jobs1" / "results.json"));
  ASSERT_EQ(reference["runs"].size(), 8u);
  EXPECT_EQ(Deterministic(ReadJson(Dir() / "jobs2" / "results.json")), reference);
  EXPECT_EQ(Deterministic(ReadJson(Dir() / "merged" / "results.json")), reference);
  // Telemetry bit for bit, and the merged copy carries the run directories.
  for (const auto& run : reference["runs"]) {
    const std::string dir = run["dir"];
    EXPECT_EQ(ReadWholeFile(Dir() / "jobs2" / dir / "telemetry.csv"),
              ReadWholeFile(Dir() / "jobs1" / dir / "telemetry.csv"))
        << dir;
    EXPECT_TRUE(fs::exists(Dir() / "merged" / dir / "telemetry.csv")) << dir;
  }
  // Seeds perturb the runs: not every seed drives the same.
  EXPECT_NE(ReadWholeFile(Dir() / "jobs1/runs/short-a/astar/seed-1/telemetry.csv"),
            ReadWholeFile(Dir() / "jobs1/runs/short-a/astar/seed-2/telemetry.csv"));
  EXPECT_TRUE(fs::exists(Dir() / "merged" / "report.html"));
  EXPECT_TRUE(fs::exists(Dir() / "merged" / "results.csv"));
}

TEST_F(SuiteCli, ResumeAfterAKillLosesNothing) {
  const fs::path suite = Dir() / "suite.yaml";
  const fs::path out = Dir() / "resume";
  const std::string command = std::string(MARSDRIVE_BINARY) + " suite " + suite.string() +
                              " --jobs 1 --out " + out.string() + Cache();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    ::execl("/bin/sh", "sh", "-c", (command + " >/dev/null 2>&1").c_str(), nullptr);
    ::_exit(127);
  }
  // Kill the whole suite (and its run processes) once two runs are in results.json.
  std::size_t finished = 0;
  for (int i = 0; i < 1200 && finished < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      finished = ReadJson(out / "results.json")["runs"].size();
    } catch (...) {
    }
  }
  ::kill(-pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_GE(finished, 2u);
  const auto before = ReadJson(out / "results.json");
  ASSERT_LT(before["runs"].size(), 8u) << "the suite finished before it could be killed";
  const std::string first_dir = before["runs"][0]["dir"];
  const std::string kept = ReadWholeFile(out / first_dir / "run.json");

  const auto resumed =
      Marsdrive("suite " + suite.string() + " --jobs 2 --resume --out " + out.string() + Cache());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const std::size_t missing = 8 - before["runs"].size();
  EXPECT_THAT(resumed.err, HasSubstr("suite: " + std::to_string(missing) + " runs to do"));
  EXPECT_EQ(ReadWholeFile(out / first_dir / "run.json"), kept);  // not run again
  const auto after = ReadJson(out / "results.json");
  ASSERT_EQ(after["runs"].size(), 8u);
  for (const auto& run : after["runs"]) EXPECT_EQ(run["status"], "ok") << run["id"];
}

// The processes whose parent is `parent` (from /proc/<pid>/stat).
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = ReadWholeFile(entry.path() / "stat");
    const auto close = stat.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent) {
      children.push_back(static_cast<pid_t>(std::stoi(name)));
    }
  }
  return children;
}

// Alive and not a zombie.
bool Running(pid_t pid) {
  const std::string stat = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

// A suite killed with SIGKILL takes its runs with it (issue 14): an orphan would go on writing
// into the run directory that --resume deletes and runs again.
TEST_F(SuiteCli, KillingTheSuiteKillsItsRuns) {
  const fs::path suite = WriteSuite("hang.yaml", "[{name: fault-hang}]", "[1]", 600);
  const fs::path out = Dir() / "orphans";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("MARSDRIVE_FAULT_PLANNERS", "1", 1);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execl(MARSDRIVE_BINARY, MARSDRIVE_BINARY, "suite", suite.c_str(), "--jobs", "2", "--out",
            out.c_str(), "--terrain-cache", (Dir() / "cache").c_str(), nullptr);
    ::_exit(127);
  }
  std::vector<pid_t> runs;
  for (int i = 0; i < 1200 && runs.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    runs = ChildrenOf(pid);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ASSERT_EQ(runs.size(), 2u) << "the suite never started its two runs";
  // The runs hang forever unless the kernel kills them with their parent.
  for (int i = 0; i < 400 && (Running(runs[0]) || Running(runs[1])); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const pid_t run : runs) {
    EXPECT_FALSE(Running(run)) << "run process " << run << " outlived the suite";
    ::kill(run, SIGKILL);  // clean up after a failure (a no-op otherwise)
  }
}

TEST_F(SuiteCli, BadSuiteAndBadShardExitTwo) {
  const auto shard = Marsdrive("suite " + (Dir() / "suite.yaml").string() + " --shard 4/3 --out " +
                               (Dir() / "bad-shard").string());
  EXPECT_EQ(shard.exit_code, 2);
  EXPECT_THAT(shard.err, HasSubstr("--shard '4/3': expected I/N with 1 <= I <= N"));
  const auto missing = Marsdrive("suite " + (Dir() / "nonesuch.yaml").string() + " --out " +
                                 (Dir() / "bad-suite").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nonesuch.yaml: cannot open suite"));
  const auto merge = Marsdrive("merge " + (Dir() / "nowhere").string());
  EXPECT_EQ(merge.exit_code, 2);
  EXPECT_THAT(merge.err, HasSubstr("results.json: no such file"));
}

}  // namespace
}  // namespace marsdrive

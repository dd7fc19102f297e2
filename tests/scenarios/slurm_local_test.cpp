// `marsdrive submit` against a real Slurm (issue 15): the one-node cluster of
// `.ci/slurm-local up` (ctest starts it as the fixture `slurm_local`; label `slurm`). The tiny
// suite runs as a 3-task job array with its merge job, and the merged results.json must equal
// a local `marsdrive suite` of the same file, wall-clock fields aside; then one array task is
// cancelled (scancel), the merge names what is missing, and `submit --resubmit` completes it;
// and a task requeued mid-shard (as after a node failure) keeps the runs it had finished.
// Without a cluster the tests skip and say why, except where MARSDRIVE_REQUIRE_SLURM=1 (CI,
// which runs as root), where a missing cluster is a failure.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/scenarios/slurm_test_util.h"
#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadJsonFile;
using testing::ReadWholeFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WithoutWallTimes;

// Why there is no usable cluster ("" when there is one).
std::string ClusterProblem() {
  const auto sinfo = RunCommand("sinfo -h -N -o %T 2>&1");
  if (sinfo.exit_code != 0) {
    return "no local Slurm cluster answers (sinfo: " + sinfo.out + sinfo.err +
           "); start one as root with `.ci/slurm-local up`";
  }
  if (sinfo.out.find("idle") == std::string::npos && sinfo.out.find("mix") == std::string::npos &&
      sinfo.out.find("alloc") == std::string::npos) {
    return "the Slurm node is not usable (state: " + sinfo.out + ")";
  }
  return "";
}

bool Required() {
  const char* v = std::getenv("MARSDRIVE_REQUIRE_SLURM");
  return v != nullptr && std::string(v) == "1";
}

#define REQUIRE_CLUSTER()                                                     \
  do {                                                                        \
    const std::string problem = ClusterProblem();                             \
    if (!problem.empty()) {                                                   \
      if (Required()) FAIL() << "MARSDRIVE_REQUIRE_SLURM=1, but " << problem; \
      GTEST_SKIP() << problem;                                                \
    }                                                                         \
  } while (false)

// Waits until none of `jobs` is in squeue any more; false after `timeout_s`.
bool WaitForJobs(const std::vector<std::string>& jobs, double timeout_s) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
         timeout_s) {
    const auto q = RunCommand("squeue -h -r -o %F");
    bool alive = false;
    std::istringstream lines(q.out);
    std::string line;
    while (std::getline(lines, line)) {
      for (const std::string& j : jobs) alive = alive || line == j;
    }
    if (q.exit_code == 0 && !alive) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

std::string LogsOf(const fs::path& out) {
  std::string text;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(out / "slurm" / "logs", ec)) {
    text += "--- " + item.path().string() + "\n" + ReadWholeFile(item.path());
  }
  return text;
}

class SlurmLocal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("slurm-local");
    suite_ = new fs::path(testing::WriteTinySuite(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete suite_;
    delete dir_;
  }
  static fs::path Dir() { return dir_->path(); }
  static const fs::path& Suite() { return *suite_; }
  // The local reference, made once.
  static const nlohmann::json& Local() {
    static const nlohmann::json local = [] {
      const auto r = testing::Marsdrive("suite " + Suite().string() + " --jobs 2 --out " +
                                        (Dir() / "local").string());
      EXPECT_EQ(r.exit_code, 0) << r.err;
      return ReadJsonFile(Dir() / "local" / "results.json");
    }();
    return local;
  }
  static nlohmann::json Jobs(const fs::path& out) {
    return ReadJsonFile(out / "slurm" / "jobs.json");
  }

 private:
  static TempDir* dir_;
  static fs::path* suite_;
};
TempDir* SlurmLocal::dir_ = nullptr;
fs::path* SlurmLocal::suite_ = nullptr;

TEST_F(SlurmLocal, ArrayAndMergeJobGiveTheLocalSuitesResults) {
  REQUIRE_CLUSTER();
  const fs::path out = Dir() / "array";
  const auto r = testing::Marsdrive("submit " + Suite().string() +
                                    " --engine slurm --shards 3 --cpus-per-task 1 --time 00:10:00 "
                                    "--out " +
                                    out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto jobs = Jobs(out);
  const std::string shards_job = jobs["submissions"][0]["shards_job"];
  const std::string merge_job = jobs["submissions"][0]["merge_job"];
  EXPECT_THAT(r.out, HasSubstr("shards: job " + shards_job + " (array 0-2"));
  ASSERT_TRUE(WaitForJobs({shards_job, merge_job}, 300)) << LogsOf(out);
  ASSERT_TRUE(fs::exists(out / "results.json")) << LogsOf(out);
  EXPECT_EQ(WithoutWallTimes(ReadJsonFile(out / "results.json")), WithoutWallTimes(Local()));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(fs::exists(out / "shards" / ("shard-" + std::to_string(i)) / "shard.json")) << i;
  }
  const auto status = testing::Marsdrive("status " + out.string());
  EXPECT_THAT(status.out, HasSubstr("progress: 4 of 4 runs done (100.0 %), 3 of 3 shards done; "
                                    "merge: job " +
                                    merge_job + " merged"));
}

TEST_F(SlurmLocal, CancelledTaskIsRerunByResubmit) {
  REQUIRE_CLUSTER();
  const fs::path out = Dir() / "cancel";
  const auto r =
      testing::Marsdrive("submit " + Suite().string() +
                         " --engine slurm --shards 3 --cpus-per-task 1 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string shards_job = Jobs(out)["submissions"][0]["shards_job"];
  const std::string merge_job = Jobs(out)["submissions"][0]["merge_job"];
  // Task 1 is cancelled at once: still pending, or just started (then its runs are killed,
  // as on a node failure); either way it leaves no shard.json.
  const auto cancel = RunCommand("scancel " + shards_job + "_1");
  ASSERT_EQ(cancel.exit_code, 0) << cancel.out << cancel.err;
  ASSERT_TRUE(WaitForJobs({shards_job, merge_job}, 300)) << LogsOf(out);
  // The merge ran (afterany) and named the missing shard and its runs instead of merging.
  ASSERT_FALSE(fs::exists(out / "shards/shard-1/shard.json"))
      << "task 1 finished before scancel reached it";
  EXPECT_FALSE(fs::exists(out / "results.json"));
  const std::string merge_log = ReadWholeFile(out / "slurm" / "logs" / "merge.log");
  EXPECT_THAT(merge_log, HasSubstr("missing shard 2/3 (array index 1)"));
  const auto status = testing::Marsdrive("status " + out.string());
  EXPECT_THAT(status.out, HasSubstr("shard 1 (2/3): failed"));
  EXPECT_THAT(status.out, HasSubstr("shard 0 (1/3): done"));

  const auto again = testing::Marsdrive("submit --resubmit " + out.string());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  const auto jobs = Jobs(out);
  ASSERT_EQ(jobs["submissions"].size(), 2u);
  EXPECT_EQ(jobs["submissions"][1]["array"], "1");
  ASSERT_TRUE(WaitForJobs({jobs["submissions"][1]["shards_job"].get<std::string>(),
                           jobs["submissions"][1]["merge_job"].get<std::string>()},
                          300))
      << LogsOf(out);
  ASSERT_TRUE(fs::exists(out / "results.json")) << LogsOf(out);
  EXPECT_EQ(WithoutWallTimes(ReadJsonFile(out / "results.json")), WithoutWallTimes(Local()));
}

TEST_F(SlurmLocal, RequeuedTaskKeepsItsFinishedRuns) {
  REQUIRE_CLUSTER();
  const fs::path out = Dir() / "requeue";
  const auto r =
      testing::Marsdrive("submit " + Suite().string() +
                         " --engine slurm --shards 1 --cpus-per-task 1 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string shards_job = Jobs(out)["submissions"][0]["shards_job"];
  const std::string merge_job = Jobs(out)["submissions"][0]["merge_job"];
  // Once a run has finished, requeue the task as Slurm does after a node failure (and let it
  // start again at once instead of after Slurm's requeue delay).
  const fs::path results = out / "shards" / "shard-0" / "results.json";
  std::string first_dir;
  for (int i = 0; i < 600 && first_dir.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      const auto runs = ReadJsonFile(results)["runs"];
      if (!runs.empty()) first_dir = runs[0]["dir"];
    } catch (...) {
    }
  }
  ASSERT_FALSE(first_dir.empty()) << LogsOf(out);
  const fs::path first = out / "shards" / "shard-0" / first_dir / "run.json";
  const std::string kept = ReadWholeFile(first);
  const std::string task = shards_job + "_0";
  const auto requeue = RunCommand("scontrol requeue " + task);
  ASSERT_EQ(requeue.exit_code, 0) << requeue.out << requeue.err;
  // Slurm holds a requeued job back for two minutes (BeginTime) once it is pending again; start
  // it sooner, but not within the second its old credential was revoked (slurmd refuses that).
  for (int i = 0; i < 300; ++i) {
    const auto state = RunCommand("squeue -h -j " + task + " -o %T");
    if (state.out.rfind("PENDING", 0) == 0) {
      std::this_thread::sleep_for(std::chrono::seconds(3));
      RunCommand("scontrol update jobid=" + task + " StartTime=now");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(WaitForJobs({shards_job, merge_job}, 300)) << LogsOf(out);
  const std::string log = ReadWholeFile(out / "slurm" / "logs" / "shard-0.log");
  ASSERT_THAT(log, HasSubstr("DUE TO JOB REQUEUE")) << "the task ended before the requeue";
  EXPECT_THAT(log, HasSubstr("suite: 4 runs to do"));                     // the first attempt
  EXPECT_THAT(log, ::testing::ContainsRegex("suite: [0-3] runs to do"));  // the second resumed
  EXPECT_EQ(ReadWholeFile(first), kept);                                  // not run again
  ASSERT_TRUE(fs::exists(out / "results.json")) << LogsOf(out);
  EXPECT_EQ(WithoutWallTimes(ReadJsonFile(out / "results.json")), WithoutWallTimes(Local()));
}

}  // namespace
}  // namespace marsdrive

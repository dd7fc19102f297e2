// `marsdrive submit`, `merge --expect-shards`, `submit --resubmit` and `status` without a Slurm
// cluster (issue 15): the generated batch scripts run by hand as array tasks would run them,
// and sbatch/squeue replaced by small scripts that record their arguments. The same commands
// against a real local Slurm: slurm_local_test.cpp.

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/scenarios/slurm_test_util.h"
#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadJsonFile;
using testing::ReadWholeFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WithoutWallTimes;

// One tiny suite (4 runs) run three ways once: locally, and as 3 shards by the generated
// scripts (tasks run by hand), then merged by merge.sbatch.
class SlurmCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("slurm-cli");
    suite_ = new fs::path(testing::WriteTinySuite(dir_->path()));
    // Fake Slurm programs: sbatch prints the next job id and logs its arguments.
    fs::create_directories(Dir() / "bin");
    std::ofstream(Dir() / "bin" / "sbatch")
        << "#!/bin/sh\necho \"$@\" >> " << (Dir() / "sbatch.log").string() << "\nn=$(cat "
        << (Dir() / "next-id").string() << " 2>/dev/null || echo 100)\n"
        << "echo $((n + 1)) > " << (Dir() / "next-id").string() << "\necho \"$n;cluster\"\n";
    fs::permissions(Dir() / "bin" / "sbatch", fs::perms::owner_all);
    fs::create_directories(Dir() / "empty-bin");
    local_ = new nlohmann::json(RunLocalAndShards());
  }
  static void TearDownTestSuite() {
    delete local_;
    delete suite_;
    delete dir_;
  }
  static fs::path Dir() { return dir_->path(); }
  static const fs::path& Suite() { return *suite_; }
  // marsdrive with the fake sbatch first on PATH (and no squeue: bin holds none).
  static testing::CommandResult WithFakeSlurm(const std::string& args) {
    return RunCommand("PATH=" + (Dir() / "bin").string() + ":/usr/bin:/bin " +
                      std::string(MARSDRIVE_BINARY) + " " + args);
  }
  static testing::CommandResult WithoutSlurm(const std::string& args) {
    return RunCommand("PATH=" + (Dir() / "empty-bin").string() + " " +
                      std::string(MARSDRIVE_BINARY) + " " + args);
  }
  static std::string SbatchLog() { return ReadWholeFile(Dir() / "sbatch.log"); }

  static nlohmann::json RunLocalAndShards() {
    const auto local = testing::Marsdrive("suite " + Suite().string() + " --jobs 2 --out " +
                                          (Dir() / "local").string());
    EXPECT_EQ(local.exit_code, 0) << local.err;
    const fs::path out = Dir() / "sharded";
    const auto dry =
        WithoutSlurm("submit " + Suite().string() + " --engine slurm --shards 3 --out " +
                     out.string() + " --cpus-per-task 2 --dry-run");
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    for (int i = 0; i < 3; ++i) {
      const auto task =
          RunCommand("SLURM_ARRAY_TASK_ID=" + std::to_string(i) + " SLURM_CPUS_PER_TASK=2 bash " +
                     (out / "slurm" / "shards.sbatch").string() + " >/dev/null");
      EXPECT_EQ(task.exit_code, 0) << task.err;
    }
    return ReadJsonFile(Dir() / "local" / "results.json");
  }

 private:
  static TempDir* dir_;
  static fs::path* suite_;

 protected:
  static nlohmann::json* local_;
};
TempDir* SlurmCli::dir_ = nullptr;
fs::path* SlurmCli::suite_ = nullptr;
nlohmann::json* SlurmCli::local_ = nullptr;

TEST_F(SlurmCli, DryRunWritesTheArrayAndTheMergeScriptWithAbsolutePaths) {
  const fs::path out = Dir() / "dry";
  const auto r = WithoutSlurm("submit " + Suite().string() + " --engine slurm --shards 3 --out " +
                              out.string() +
                              " --partition debug --time 01:30:00 --cpus-per-task 4 --mem 4G "
                              "--account lab --sbatch-arg --qos=long --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("sbatch --parsable " + (out / "slurm/shards.sbatch").string()));
  EXPECT_THAT(r.out, HasSubstr("sbatch --parsable '--dependency=afterany:<shards job id>' " +
                               (out / "slurm/merge.sbatch").string()));
  EXPECT_FALSE(fs::exists(out / "slurm" / "jobs.json"));  // nothing submitted
  const std::string shards = ReadWholeFile(out / "slurm" / "shards.sbatch");
  for (const std::string& line :
       {std::string("#SBATCH --array=0-2\n"), std::string("#SBATCH --requeue\n"),
        std::string("#SBATCH --cpus-per-task=4\n"), std::string("#SBATCH --partition=debug\n"),
        std::string("#SBATCH --time=01:30:00\n"), std::string("#SBATCH --mem=4G\n"),
        std::string("#SBATCH --account=lab\n"), std::string("#SBATCH --qos=long\n"),
        "#SBATCH --output=" + (out / "slurm/logs/shard-%a.log").string() + "\n"}) {
    EXPECT_THAT(shards, HasSubstr(line));
  }
  // The binary, the suite and the shared terrain cache by absolute path; N written out.
  EXPECT_THAT(shards, HasSubstr("exec " + std::string(MARSDRIVE_BINARY) + " suite " +
                                Suite().string() + " --out " + (out / "shards").string() +
                                "/shard-\"$i\" --shard \"$((i + 1))/3\" --jobs "
                                "\"${SLURM_CPUS_PER_TASK:-4}\" --resume --terrain-cache " +
                                (out / "terrain").string()));
  EXPECT_THAT(shards, Not(HasSubstr("SLURM_ARRAY_TASK_COUNT}")));
  const std::string merge = ReadWholeFile(out / "slurm" / "merge.sbatch");
  EXPECT_THAT(merge, HasSubstr("exec " + std::string(MARSDRIVE_BINARY) + " merge " +
                               (out / "shards").string() + "/shard-* --out " + out.string() +
                               " --expect-shards 3\n"));
  EXPECT_THAT(merge, Not(HasSubstr("--array")));
  EXPECT_THAT(merge, Not(HasSubstr("--mem")));
  // --cache-dir (or MARSDRIVE_CACHE) moves the terrain cache.
  const auto cached = RunCommand(
      "MARSDRIVE_CACHE=" + (Dir() / "shared-cache").string() + " PATH=/nonexistent " +
      std::string(MARSDRIVE_BINARY) + " submit " + Suite().string() +
      " --engine slurm --shards 2 --out " + (Dir() / "dry-cache").string() + " --dry-run");
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_THAT(ReadWholeFile(Dir() / "dry-cache" / "slurm" / "shards.sbatch"),
              HasSubstr("--terrain-cache " + (Dir() / "shared-cache" / "terrain").string()));
}

TEST_F(SlurmCli, ShardsRunByTheScriptMergeToTheLocalSuite) {
  const fs::path out = Dir() / "sharded";
  // Each finished shard left its completion marker.
  int runs = 0;
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const auto marker =
        ReadJsonFile(out / "shards" / ("shard-" + std::to_string(i)) / "shard.json");
    EXPECT_EQ(marker["schema"], "marsdrive/shard/1");
    EXPECT_EQ(marker["index"], i + 1);
    EXPECT_EQ(marker["count"], 3);
    EXPECT_EQ(marker["suite_file"], Suite().string());
    EXPECT_EQ(marker["suite_file_hash"].get<std::string>().size(), 16u);
    EXPECT_GT(marker["wall_time_s"].get<double>(), 0.0);
    EXPECT_EQ(marker["statuses"]["ok"], marker["runs"].size());
    runs += static_cast<int>(marker["runs"].size());
  }
  EXPECT_EQ(runs, 4);
  const auto merge = RunCommand("bash " + (out / "slurm" / "merge.sbatch").string());
  ASSERT_EQ(merge.exit_code, 0) << merge.out << merge.err;
  EXPECT_EQ(WithoutWallTimes(ReadJsonFile(out / "results.json")), WithoutWallTimes(*local_));
  for (const auto& run : ReadJsonFile(out / "results.json")["runs"]) {
    const fs::path run_dir = out / run["dir"].get<std::string>();
    EXPECT_TRUE(fs::exists(run_dir / "telemetry.csv")) << run_dir;
    EXPECT_TRUE(fs::exists(run_dir / run["terrain_dir"].get<std::string>() / "terrain.json"))
        << run_dir;
  }
  // status from the markers alone (no squeue on PATH).
  std::ofstream(out / "slurm" / "jobs.json")
      << "{\"schema\": \"marsdrive/slurm-jobs/1\", \"engine\": \"slurm\", \"suite\": \"tiny\", "
         "\"suite_file\": \""
      << Suite().string() << "\", \"suite_file_hash\": \""
      << ReadJsonFile(out / "shards/shard-0/shard.json")["suite_file_hash"].get<std::string>()
      << "\", \"shards\": 3, \"out\": \"" << out.string()
      << "\", \"terrain_cache\": \"\", \"submissions\": [{\"array\": \"0-2\", \"shards_job\": "
         "\"7\", \"merge_job\": \"8\"}]}";
  const auto status = WithoutSlurm("status " + out.string());
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("shard 0 (1/3): done     2/2 runs"));
  EXPECT_THAT(status.out, HasSubstr("shard 2 (3/3): done     1/1 runs"));
  EXPECT_THAT(status.out, HasSubstr("progress: 4 of 4 runs done (100.0 %), 3 of 3 shards done"));
}

TEST_F(SlurmCli, MergeExpectShardsNamesEveryMissingShardAndRun) {
  const fs::path base = Dir() / "sharded" / "shards";
  const fs::path out = Dir() / "partial";
  fs::create_directories(out);
  fs::copy(base, out / "shards", fs::copy_options::recursive);
  // Shard 2/3 never finished: no marker, and one of its runs is gone.
  fs::remove(out / "shards/shard-1/shard.json");
  const auto marker = ReadJsonFile(base / "shard-1" / "shard.json");
  const std::string lost = marker["runs"][0]["id"];
  fs::remove_all(out / "shards/shard-1/runs" / lost);
  auto results = ReadJsonFile(out / "shards/shard-1/results.json");
  results["runs"].erase(0);
  std::ofstream(out / "shards/shard-1/results.json") << results.dump(2);
  const std::string shards = (out / "shards/shard-0").string() + " " +
                             (out / "shards/shard-1").string() + " " +
                             (out / "shards/shard-2").string();
  const auto r =
      testing::Marsdrive("merge " + shards + " --out " + out.string() + " --expect-shards 3");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("missing shard 2/3 (array index 1): no shard.json; runs without "
                               "a record: " +
                               lost));
  EXPECT_FALSE(fs::exists(out / "results.json"));  // nothing merged
  // A shard directory that was never created (the glob did not match) is named too.
  const auto none = testing::Marsdrive("merge " + (out / "shards/shard-0").string() + " " +
                                       (out / "shards/shard-9").string() + " --out " +
                                       out.string() + " --expect-shards 3");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.err, HasSubstr("shard-9: no results.json"));
  EXPECT_THAT(none.err, HasSubstr("missing shard 3/3 (array index 2)"));
  // The same shard twice is refused, naming the duplicate runs.
  fs::copy(base / "shard-0", out / "copy-of-0", fs::copy_options::recursive);
  const auto twice = testing::Marsdrive(
      "merge " + (base / "shard-0").string() + " " + (out / "copy-of-0").string() + " " +
      (base / "shard-1").string() + " " + (base / "shard-2").string() + " --out " +
      (Dir() / "twice").string() + " --expect-shards 3");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("duplicate shard 1/3"));
  EXPECT_THAT(
      twice.err,
      HasSubstr("duplicate run " +
                ReadJsonFile(base / "shard-0/shard.json")["runs"][0]["id"].get<std::string>()));
  // Control: the complete set merges.
  const auto complete =
      testing::Marsdrive("merge " + (base / "shard-0").string() + " " +
                         (base / "shard-1").string() + " " + (base / "shard-2").string() +
                         " --out " + (Dir() / "complete").string() + " --expect-shards 3");
  EXPECT_EQ(complete.exit_code, 0) << complete.err;
  const auto wrong_n = testing::Marsdrive("merge " + (base / "shard-0").string() + " --out " +
                                          (Dir() / "wrong-n").string() + " --expect-shards 2");
  EXPECT_EQ(wrong_n.exit_code, 2);
  EXPECT_THAT(wrong_n.err, HasSubstr("count 3, but --expect-shards is 2"));
}

TEST_F(SlurmCli, MergeRefusesARunDirectoryOutsideItsShard) {
  const fs::path base = Dir() / "sharded" / "shards" / "shard-0";
  fs::create_directories(Dir() / "payload");
  std::ofstream(Dir() / "payload" / "secret.txt") << "not a run\n";
  struct Case {
    std::string name;
    std::string dir;  // JSON text of the "dir" field
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"dotdot", "\"../../payload\"", "leads outside the shard directory"},
      {"absolute", "\"" + (Dir() / "payload").string() + "\"", "expected a path relative"},
      {"nul", "\"runs/a\\u0000b\"", "contains a NUL byte"},
      {"symlink", "\"runs/link\"", "outside the shard directory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path shard = Dir() / ("evil-" + c.name);
    fs::copy(base, shard, fs::copy_options::recursive);
    fs::create_directory_symlink(Dir() / "payload", shard / "runs" / "link");
    std::string text = ReadWholeFile(shard / "results.json");
    auto json = nlohmann::json::parse(text);
    const std::string original = "\"dir\": \"" + json["runs"][0]["dir"].get<std::string>() + "\"";
    const std::size_t at = text.find(original);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, original.size(), "\"dir\": " + c.dir);
    std::ofstream(shard / "results.json", std::ios::trunc) << text;
    const fs::path out = Dir() / ("evil-out-" + c.name);
    const auto r = testing::Marsdrive("merge " + shard.string() + " --out " + out.string());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expected));
    EXPECT_FALSE(fs::exists(out / "secret.txt"));
    EXPECT_FALSE(fs::exists(out / "results.json"));
  }
  // Symbolic links inside a shard (in a run or the terrain cache) are not followed into the
  // merged directory; the control: the same shard without them merges.
  const fs::path linked = Dir() / "linked-shard";
  fs::copy(base, linked, fs::copy_options::recursive);
  const std::string run_dir = ReadJsonFile(linked / "results.json")["runs"][0]["dir"];
  fs::create_directory_symlink(Dir() / "payload", linked / run_dir / "leak");
  fs::create_directories(linked / "terrain");
  fs::create_directory_symlink(Dir() / "payload", linked / "terrain" / "leak");
  const fs::path out = Dir() / "linked-out";
  const auto r = testing::Marsdrive("merge " + linked.string() + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / run_dir / "run.json"));
  EXPECT_FALSE(fs::exists(out / run_dir / "leak" / "secret.txt"));
  EXPECT_FALSE(fs::exists(out / "terrain" / "leak" / "secret.txt"));
}

TEST_F(SlurmCli, SubmitCallsSbatchTwiceAndRecordsTheJobs) {
  const fs::path out = Dir() / "submitted";
  const auto r = WithFakeSlurm("submit " + Suite().string() + " --engine slurm --shards 2 --out " +
                               out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("shards: job 100 (array 0-1"));
  EXPECT_THAT(r.out, HasSubstr("merge: job 101 (afterany:100)"));
  EXPECT_THAT(SbatchLog(), HasSubstr("--parsable " + (out / "slurm/shards.sbatch").string() +
                                     "\n--parsable --dependency=afterany:100 " +
                                     (out / "slurm/merge.sbatch").string() + "\n"));
  const auto jobs = ReadJsonFile(out / "slurm" / "jobs.json");
  EXPECT_EQ(jobs["schema"], "marsdrive/slurm-jobs/1");
  EXPECT_EQ(jobs["shards"], 2);
  EXPECT_EQ(jobs["submissions"][0]["shards_job"], "100");
  EXPECT_EQ(jobs["submissions"][0]["merge_job"], "101");
  // The same DIR again is not a second submission.
  const auto again = WithFakeSlurm("submit " + Suite().string() +
                                   " --engine slurm --shards 2 --out " + out.string());
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("--resubmit"));
}

TEST_F(SlurmCli, ResubmitSendsOnlyTheUnfinishedArrayIndices) {
  const fs::path out = Dir() / "resubmit";
  fs::copy(Dir() / "sharded", out, fs::copy_options::recursive);
  fs::remove(out / "results.json");
  fs::remove(out / "slurm" / "jobs.json");
  // Rewrite the scripts and the record for this directory, as submit would have.
  const auto dry = WithoutSlurm("submit " + Suite().string() + " --engine slurm --shards 3 --out " +
                                out.string() + " --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const std::string hash =
      ReadJsonFile(out / "shards/shard-0/shard.json")["suite_file_hash"].get<std::string>();
  std::ofstream(out / "slurm" / "jobs.json")
      << "{\"schema\": \"marsdrive/slurm-jobs/1\", \"engine\": \"slurm\", \"suite\": \"tiny\", "
         "\"suite_file\": \""
      << Suite().string() << "\", \"suite_file_hash\": \"" << hash
      << "\", \"shards\": 3, \"out\": \"" << out.string()
      << "\", \"terrain_cache\": \"\", \"submissions\": [{\"array\": \"0-2\", \"shards_job\": "
         "\"50\", \"merge_job\": \"51\"}]}";
  fs::remove(out / "shards/shard-2/shard.json");  // task 2 was cancelled before it finished
  const auto marker = ReadJsonFile(out / "shards/shard-0/shard.json");
  fs::remove_all(out / "shards/shard-0/runs" / marker["runs"][1]["id"].get<std::string>());
  fs::remove(Dir() / "sbatch.log");
  // squeue says task 2 still runs: nothing is submitted.
  std::ofstream(Dir() / "bin" / "squeue") << "#!/bin/sh\necho '50|2|RUNNING'\n";
  fs::permissions(Dir() / "bin" / "squeue", fs::perms::owner_all);
  const auto busy = WithFakeSlurm("submit --resubmit " + out.string());
  EXPECT_EQ(busy.exit_code, 2);
  EXPECT_THAT(busy.err, HasSubstr("shard 3/3 is still RUNNING as job 50_2"));
  EXPECT_FALSE(fs::exists(Dir() / "sbatch.log"));
  const auto state = WithFakeSlurm("status " + out.string());
  EXPECT_THAT(state.out, HasSubstr("shard 2 (3/3): running  1/1 runs  job 50_2"));
  EXPECT_THAT(state.out, HasSubstr("shard 0 (1/3): failed   1/2 runs  job 50_0  (1 finished "
                                   "runs lost)"));
  // Once it is gone: indices 0 (a lost run) and 2 (no marker), then a merge after them.
  std::ofstream(Dir() / "bin" / "squeue", std::ios::trunc) << "#!/bin/sh\nexit 0\n";
  const auto failed = WithFakeSlurm("status " + out.string());
  EXPECT_THAT(failed.out, HasSubstr("shard 2 (3/3): failed   1/1 runs  job 50_2"));
  EXPECT_THAT(failed.out, HasSubstr("shard 1 (2/3): done     1/1 runs"));
  EXPECT_THAT(failed.out, HasSubstr("progress: 3 of 4 runs done (75.0 %), 1 of 3 shards done"));
  const auto r = WithFakeSlurm("submit --resubmit " + out.string());
  fs::remove(Dir() / "bin" / "squeue");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(SbatchLog(),
              HasSubstr("--parsable --array=0,2 " + (out / "slurm/shards.sbatch").string() + "\n"));
  const auto jobs = ReadJsonFile(out / "slurm" / "jobs.json");
  ASSERT_EQ(jobs["submissions"].size(), 2u);
  EXPECT_EQ(jobs["submissions"][1]["array"], "0,2");
  EXPECT_THAT(SbatchLog(), HasSubstr("--dependency=afterany:" +
                                     jobs["submissions"][1]["shards_job"].get<std::string>()));
}

TEST_F(SlurmCli, BadInputNamesWhatAndWhyExitsTwoAndSubmitsNothing) {
  fs::remove(Dir() / "sbatch.log");
  const std::string suite = Suite().string();
  const fs::path other = testing::WriteTinySuite(Dir(), "[1, 2]", "other");
  struct Case {
    std::string args;
    std::string expected;
    bool without_slurm = false;
  };
  const std::vector<Case> cases = {
      {"submit " + suite + " --engine pbs --shards 2 --out " + (Dir() / "b1").string(),
       "--engine 'pbs': unknown engine; expected slurm"},
      {"submit " + suite + " --engine slurm --shards 0 --out " + (Dir() / "b2").string(),
       "--shards 0: expected 1 to 4"},
      {"submit " + suite + " --engine slurm --shards 5 --out " + (Dir() / "b3").string(),
       "--shards 5: expected 1 to 4"},
      {"submit " + suite + " --engine slurm --shards 2 --out " + (Dir() / "b4").string(),
       "sbatch: not found on PATH", true},
      {"submit " + other.string() + " --engine slurm --shards 3 --out " +
           (Dir() / "sharded").string(),
       "holds another suite's shards"},
      {"submit " + suite + " --engine slurm --shards 2 --out " + (Dir() / "sharded").string(),
       "holds another suite's shards"},  // the same suite, but in 3 shards there
      {"submit " + suite + " --engine slurm --shards 2 --time soon --out " +
           (Dir() / "b5").string(),
       "--time 'soon': expected a Slurm time limit"},
      {"submit " + suite + " --engine slurm --shards 2 --sbatch-arg --array=1 --out " +
           (Dir() / "b6").string(),
       "marsdrive sets --array and --dependency itself"},
      {"submit --resubmit " + (Dir() / "nowhere").string(), "jobs.json: cannot read"},
      {"status " + (Dir() / "nowhere").string(), "jobs.json: cannot read"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = c.without_slurm ? WithoutSlurm(c.args) : WithFakeSlurm(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expected));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(fs::exists(Dir() / "sbatch.log"));  // nothing submitted
  EXPECT_FALSE(fs::exists(Dir() / "b4" / "slurm" / "jobs.json"));
}

}  // namespace
}  // namespace marsdrive

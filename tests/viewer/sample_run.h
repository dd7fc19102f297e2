#pragma once
// A small sample run for the viewer tests: a 30 m x 20 m Jezero-rim terrain at 0.1 m, an A* plan
// and an AutoNav drive made with the marsdrive command line, and its run.json. Built once and kept
// in the temporary directory (keyed by the marsdrive binary's time stamp), so that each test
// process, which ctest starts separately, does not drive again; built into a private folder and
// renamed into place, so that parallel test processes never see a half-written run.

#include <filesystem>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "planners/plan_json.h"
#include "scenarios/run_record.h"
#include "tests/util/command.h"

namespace marsdrive::testing {

inline constexpr const char* kSampleStart = "4,10,0";
inline constexpr const char* kSampleGoal = "25,12,1.5";

// The run directory (holding run.json) of the sample; an empty path after a failed ASSERT.
inline std::filesystem::path SampleRunDir() {
  namespace fs = std::filesystem;
  // Keyed by the binary's time stamp: a rebuilt marsdrive may write other files.
  const auto stamp = fs::last_write_time(MARSDRIVE_BINARY).time_since_epoch().count();
  const fs::path root =
      fs::temp_directory_path() /
      ("marsdrive-viewer-sample-v1-" + std::to_string(::getuid()) + "-" + std::to_string(stamp));
  const fs::path run_dir = root / "run";
  if (fs::exists(run_dir / "run.json")) return run_dir;
  // One process builds while the others wait (ctest -j runs test processes side by side).
  const fs::path lock_path = root.string() + ".lock";
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);  // releases the lock
    }
  } unlock{lock};
  if (fs::exists(run_dir / "run.json")) return run_dir;
  const fs::path work =
      fs::temp_directory_path() / ("marsdrive-viewer-sample-build-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work / "run");
  const std::string terrain = (work / "terrain").string();
  CommandResult r = Marsdrive(
      "terrain generate --preset jezero-rim --seed 7 --size 30x20 --resolution 0.1 --out " +
      terrain);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string plan_dir = (work / "plan").string();
  r = Marsdrive("plan --terrain " + terrain + " --planner astar --start " + kSampleStart +
                " --goal " + kSampleGoal + " --out " + plan_dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string drive_dir = (work / "run").string();
  r = Marsdrive("drive --terrain " + terrain + " --start " + kSampleStart + " --waypoints " +
                plan_dir + "/plan.json --goal " + kSampleGoal + " --out " + drive_dir);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  fs::copy_file(fs::path(plan_dir) / "plan.json", work / "run" / "plan.json");
  scenarios::RunRecord record;
  record.id = "viewer-sample/astar/seed-0";
  record.scenario = "viewer-sample";
  record.planner = "astar";
  record.planner_label = "astar";
  record.status = scenarios::RunStatus::kOk;
  record.score = 0.5;
  record.plan_status = "exact";
  record.terrain_dir = "../terrain";
  record.start = {4, 10, 0};
  record.goal = {25, 12, 1.5};
  record.keep_outs = {{"box", {{12, 2}, {15, 2}, {15, 5}, {12, 5}}}};
  scenarios::WriteRunRecord(work / "run" / "run.json", record);
  std::error_code ec;
  fs::create_directories(root.parent_path(), ec);
  fs::rename(work, root, ec);  // fails harmlessly when another process got there first
  if (ec) fs::remove_all(work, ec);
  EXPECT_TRUE(fs::exists(run_dir / "run.json"));
  return run_dir;
}

}  // namespace marsdrive::testing

#pragma once
// A small plan check for the viewer tests: a flat 40 m x 40 m terrain at 0.1 m and a two-trial
// `marsdrive check` of a 10 m plan on it, made with the command line. Built once and kept in the
// temporary directory (keyed by the marsdrive binary's time stamp), as sample_run.h keeps its
// run: built into a private folder and renamed into place, under a lock.
//
//   ROOT/viewer-check-terrain/   the terrain (inputs.orbital_dir, relative: "viewer-check-terrain")
//   ROOT/check/     check.json, check.html, trials/trial-000, trial-001

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/util/command.h"

namespace marsdrive::testing {

inline constexpr const char* kSampleCheckTerrain = "viewer-check-terrain";

// The check directory (holding check.json); an empty path after a failed ASSERT.
inline std::filesystem::path SampleCheckDir() {
  namespace fs = std::filesystem;
  const auto stamp = fs::last_write_time(MARSDRIVE_BINARY).time_since_epoch().count();
  const fs::path root =
      fs::temp_directory_path() /
      ("marsdrive-viewer-check-v1-" + std::to_string(::getuid()) + "-" + std::to_string(stamp));
  const fs::path check_dir = root / "check";
  if (fs::exists(check_dir / "check.json")) return check_dir;
  const fs::path lock_path = root.string() + ".lock";
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);  // releases the lock
    }
  } unlock{lock};
  if (fs::exists(check_dir / "check.json")) return check_dir;
  const fs::path work =
      fs::temp_directory_path() / ("marsdrive-viewer-check-build-" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  // Run from `work` with a relative --terrain: check.json records it as given, and the viewer
  // finds it beside the check directory (ResolveOrbitalDir) once `work` is renamed.
  CommandResult r =
      Marsdrive("terrain generate --preset flat --size 40x40 --resolution 0.1 --out " +
                (work / kSampleCheckTerrain).string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(work / "plan.yaml") << "- [15, 20]\n- [25, 20]\n";
  r = RunCommand("cd " + work.string() + " && " + MARSDRIVE_BINARY + " check --terrain " +
                 kSampleCheckTerrain + " --plan plan.yaml --trials 2 --jobs 2 --out check");
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  std::error_code ec;
  fs::create_directories(root.parent_path(), ec);
  fs::rename(work, root, ec);  // fails harmlessly when another process got there first
  if (ec) fs::remove_all(work, ec);
  EXPECT_TRUE(fs::exists(check_dir / "check.json"));
  return check_dir;
}

}  // namespace marsdrive::testing

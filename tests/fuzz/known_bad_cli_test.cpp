// Every known-bad input of the fuzz corpora (tests/fuzz/known_bad/<target>/: crash reproducers
// and hand-made bad files) walked through the real command line: exactly one line on stderr
// naming the file (or the option), exit 2, never a crash or an internal error (exit 3).
// A surface's optional expected.txt lists "<file name><TAB><text the line must hold>", e.g.
// the field path.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::TempDir;

const fs::path kKnownBad = fs::path(MARSDRIVE_SOURCE_DIR) / "tests/fuzz/known_bad";

// '...' for /bin/sh.
std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

// <file name> -> what its error line must hold besides the file, from expected.txt.
std::map<std::string, std::string> Expectations(const fs::path& dir) {
  std::map<std::string, std::string> expected;
  std::ifstream in(dir / "expected.txt");
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return expected;
}

class KnownBadCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("known-bad-cli");
    const auto r = Marsdrive("terrain generate --preset flat --size 20x20 --resolution 0.2 --out " +
                             (*dir_ / "t").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // How one surface's file reaches the command line: `stage` puts it where the command reads it
  // and returns the arguments and the name the error line must hold.
  struct Staged {
    std::string args;
    std::string names;
  };
  using Stage = std::function<Staged(const fs::path& file, const fs::path& work)>;

  // Runs every file of known_bad/<surface> (at least one) through `stage`.
  static void WalkSurface(const std::string& surface, const Stage& stage) {
    const fs::path dir = kKnownBad / surface;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    const auto expected = Expectations(dir);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename() != "expected.txt") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty()) << dir;
    for (const fs::path& file : files) {
      SCOPED_TRACE(file.string());
      const TempDir work("known-bad-" + surface);
      const Staged staged = stage(file, work.path());
      const auto r = Marsdrive(staged.args);
      EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 500);
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 500);
      EXPECT_TRUE(r.err.starts_with("marsdrive: error: ")) << r.err.substr(0, 500);
      EXPECT_THAT(r.err, HasSubstr(staged.names));
      EXPECT_LT(r.err.size(), 1000u);
      const auto it = expected.find(file.filename().string());
      if (it != expected.end()) {
        EXPECT_THAT(r.err, HasSubstr(it->second));
      }
    }
  }

  // A command reading the file where it lies, named by its path.
  static Stage AsIs(const std::string& before, const std::string& after = "") {
    return [=](const fs::path& file, const fs::path& work) {
      return Staged{before + Quote(file.string()) + after + " --out " + (work / "out").string(),
                    file.string()};
    };
  }
  // A command given the file's content as the value of `option`.
  static Stage AsOption(const std::string& command, const std::string& option) {
    return [=](const fs::path& file, const fs::path& work) {
      return Staged{command + " " + option + " \"$(cat " + Quote(file.string()) + ")\" --out " +
                        (work / "out").string(),
                    option};
    };
  }
  static std::string Terrain() { return (*dir_ / "t").string(); }
  static std::string Drive() { return "drive --terrain " + Terrain() + " --start 5,5,0"; }

 private:
  static TempDir* dir_;
};
TempDir* KnownBadCli::dir_ = nullptr;

TEST_F(KnownBadCli, ScenarioYaml) { WalkSurface("scenario_yaml", AsIs("run ")); }
TEST_F(KnownBadCli, SuiteYaml) { WalkSurface("suite_yaml", AsIs("suite ")); }
TEST_F(KnownBadCli, RoverYaml) {
  WalkSurface("rover_yaml", AsIs(Drive() + " --commands 'straight 1' --rover "));
}
TEST_F(KnownBadCli, RockFiles) {
  const Stage stage = AsIs("terrain generate --preset flat --size 10x10 --param rocks=");
  WalkSurface("rocks_yaml", stage);
  WalkSurface("rocks_json", stage);
}
TEST_F(KnownBadCli, PlanJsonAndWaypointFiles) {
  WalkSurface("plan_json", AsIs(Drive() + " --waypoints "));
  WalkSurface("waypoint_files", AsIs(Drive() + " --waypoints "));
}
TEST_F(KnownBadCli, ProblemJson) {
  WalkSurface("problem_json", AsIs("plan --planner astar --problem "));
}
TEST_F(KnownBadCli, KeepOutGeoJson) {
  WalkSurface("keep_out_geojson", AsIs("plan --terrain " + Terrain() +
                                       " --planner astar --start 2,2 --goal 15,15 --keep-out "));
}
TEST_F(KnownBadCli, ResultsJsonForCompare) {
  WalkSurface("results_json", [](const fs::path& file, const fs::path&) {
    return Staged{"compare " + Quote(file.string()) + " " + Quote(file.string()), file.string()};
  });
}
TEST_F(KnownBadCli, ResultsJsonForMerge) {
  WalkSurface("merge", [](const fs::path& file, const fs::path& work) {
    fs::create_directories(work / "shard");
    fs::copy_file(file, work / "shard/results.json");
    return Staged{"merge " + (work / "shard").string() + " --out " + (work / "out").string(),
                  (work / "shard/results.json").string()};
  });
}
TEST_F(KnownBadCli, TerrainJson) {
  WalkSurface("terrain_json", [](const fs::path& file, const fs::path& work) {
    fs::copy(Terrain(), work / "t", fs::copy_options::recursive);
    fs::copy_file(file, work / "t/terrain.json", fs::copy_options::overwrite_existing);
    // `plan` reads terrain.json's orbital settings (LoadOrbitalProducts), the stricter reader.
    return Staged{"plan --terrain " + (work / "t").string() +
                      " --planner astar --start 2,2 --goal 15,15 --out " + (work / "out").string(),
                  (work / "t/terrain.json").string()};
  });
}
TEST_F(KnownBadCli, Dem) { WalkSurface("dem", AsIs("terrain import ")); }
TEST_F(KnownBadCli, DriveCommands) {
  WalkSurface("drive_commands", AsOption(Drive(), "--commands"));
}
TEST_F(KnownBadCli, CliNumbers) {
  WalkSurface("cli_numbers",
              AsOption("drive --terrain " + Terrain() + " --commands 'straight 1'", "--start"));
}

}  // namespace
}  // namespace marsdrive

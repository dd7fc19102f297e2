// Every JSON file the command line reads goes through the bounded reader (terrain/json_reader.h):
// 200 000 levels of nesting, which crashed marsdrive with SIGSEGV (issue 14), and numbers that
// overflow to infinity are one line on stderr naming the file and the JSON path, exit 2.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::TempDir;

constexpr std::size_t kDeep = 200000;

std::string Deep() { return std::string(kDeep, '[') + std::string(kDeep, ']'); }

class InputLimitsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("input-limits-cli");
    const auto r = Marsdrive("terrain generate --preset flat --size 20x20 --resolution 0.2 --out " +
                             (*dir_ / "t").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Terrain() { return (*dir_ / "t").string(); }
  static fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_->path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Out(const std::string& name) { return (dir_->path() / name).string(); }

 private:
  static TempDir* dir_;
};
TempDir* InputLimitsCli::dir_ = nullptr;

// Exit 2 (not a signal: RunCommand reports -1 then), one short line naming `file` and `what`.
void ExpectOneLineInputError(const CommandResult& r, const fs::path& file,
                             const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 500);
  EXPECT_THAT(r.err, HasSubstr(file.string() + ": "));
  EXPECT_THAT(r.err, HasSubstr(what));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 500);
  EXPECT_LT(r.err.size(), 600u);
}

TEST_F(InputLimitsCli, DeepPlanJsonForDrive) {
  const fs::path plan =
      Write("deep_plan.json", "{\"schema\": \"marsdrive/plan/1\", \"waypoints\": " + Deep() + "}");
  ExpectOneLineInputError(Marsdrive("drive --terrain " + Terrain() + " --start 5,5,0 --waypoints " +
                                    plan.string() + " --out " + Out("d1")),
                          plan, "waypoints[0][0]");
}

TEST_F(InputLimitsCli, DeepProblemJsonForPlan) {
  const fs::path problem = Write("deep_problem.json", "{\"start\": " + Deep() + "}");
  ExpectOneLineInputError(
      Marsdrive("plan --problem " + problem.string() + " --planner astar --out " + Out("p1")),
      problem, "start[0]");
}

TEST_F(InputLimitsCli, DeepGeoJsonKeepOut) {
  const fs::path geojson =
      Write("deep.geojson", "{\"type\": \"FeatureCollection\", \"features\": " + Deep() + "}");
  ExpectOneLineInputError(Marsdrive("plan --terrain " + Terrain() +
                                    " --planner astar --start 2,2 --goal 15,15 --keep-out " +
                                    geojson.string() + " --out " + Out("p2")),
                          geojson, "nested deeper than 64 levels");
}

TEST_F(InputLimitsCli, DeepResultsJsonForCompare) {
  const fs::path results =
      Write("deep_results.json", "{\"runs\": [{\"metrics\": " + Deep() + "}]}");
  ExpectOneLineInputError(Marsdrive("compare " + results.string() + " " + results.string()),
                          results, "runs[0].metrics");
}

TEST_F(InputLimitsCli, DeepRockFile) {
  const fs::path rocks = Write("deep_rocks.json", Deep());
  ExpectOneLineInputError(Marsdrive("terrain generate --preset flat --param rocks=" +
                                    rocks.string() + " --size 10x10 --out " + Out("g1")),
                          rocks, "nested deeper than 64 levels");
}

TEST_F(InputLimitsCli, DeepTerrainJson) {
  const fs::path copy = fs::path(Out("t-deep"));
  fs::copy(Terrain(), copy, fs::copy_options::recursive);
  std::ofstream(copy / "terrain.json", std::ios::binary) << "{\"orbital\": " << Deep() << "}";
  ExpectOneLineInputError(Marsdrive("terrain info " + copy.string()), copy / "terrain.json",
                          "orbital[0]");
}

TEST_F(InputLimitsCli, InfiniteWaypointNamesItsPath) {
  const fs::path plan = Write(
      "inf_plan.json", "{\"schema\": \"marsdrive/plan/1\", \"waypoints\": [[5, 5], [10, 1e999]]}");
  ExpectOneLineInputError(Marsdrive("drive --terrain " + Terrain() + " --start 5,5,0 --waypoints " +
                                    plan.string() + " --out " + Out("d2")),
                          plan, "waypoints[1][1]: expected a finite number, got \"1e999\"");
}

}  // namespace
}  // namespace marsdrive

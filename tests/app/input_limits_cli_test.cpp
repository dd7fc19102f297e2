// Every JSON file the command line reads goes through the bounded reader (terrain/json_reader.h):
// 200 000 levels of nesting, which crashed marsdrive with SIGSEGV (issue 14), and numbers that
// overflow to infinity are one line on stderr naming the file and the JSON path, exit 2.

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include <gdal_priv.h>
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

// Lists have documented caps (io/list_limits.h), checked before their items are read.
std::string Waypoints(std::size_t count) {
  std::string list = "[";
  for (std::size_t i = 0; i < count; ++i) list += i == 0 ? "[5, 5]" : ", [5, 5]";
  return list + "]";
}

TEST_F(InputLimitsCli, TooManyWaypointsAreRefusedByCount) {
  const fs::path plan =
      Write("many_plan.json",
            "{\"schema\": \"marsdrive/plan/1\", \"status\": \"exact\", \"waypoints\": " +
                Waypoints(1000001) + "}");
  ExpectOneLineInputError(Marsdrive("drive --terrain " + Terrain() + " --start 5,5,0 --waypoints " +
                                    plan.string() + " --out " + Out("d-many")),
                          plan, "waypoints: expected at most 1000000 waypoints, got 1000001");
  // Control: a short list of the same shape is read (the drive then fails or succeeds, but not
  // on the list's length).
  const fs::path few = Write(
      "few_plan.json", "{\"schema\": \"marsdrive/plan/1\", \"status\": \"exact\", \"waypoints\": " +
                           Waypoints(3) + "}");
  const auto r = Marsdrive("drive --terrain " + Terrain() + " --start 5,5,0 --waypoints " +
                           few.string() + " --out " + Out("d-few"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("expected at most")));
}

// A file given where YAML was expected is named, never echoed (it was printed whole to stderr,
// and a rock file's first line travelled into run.json and the reports).
TEST_F(InputLimitsCli, AFileThatIsNoYamlIsNamedNotEchoed) {
  const fs::path text = Write("secret.txt", "root:x:0:0:hunter2-password-line\nsecond line\n");
  const auto rover =
      Marsdrive("drive --terrain " + Terrain() + " --start 5,5,0 --commands 'straight 1' --rover " +
                text.string() + " --out " + Out("d5"));
  ExpectOneLineInputError(rover, text, "expected a map, got a plain text of");
  EXPECT_THAT(rover.err, ::testing::Not(HasSubstr("hunter2")));
  EXPECT_THAT(rover.err, ::testing::Not(HasSubstr("root:x")));
  const auto rocks = Marsdrive("terrain generate --preset flat --param rocks=" + text.string() +
                               " --size 10x10 --out " + Out("g3"));
  ExpectOneLineInputError(rocks, text, "expected a list of rocks");
  EXPECT_THAT(rocks.err, ::testing::Not(HasSubstr("hunter2")));
}

// ---- absurd numeric options and requests too large for the memory --------------------------

TEST_F(InputLimitsCli, DriveTimeStepAndTimeLimitOutsideTheirRanges) {
  const std::string drive =
      "drive --terrain " + Terrain() + " --start 5,5,0 --commands 'straight 1' --out " + Out("d3");
  // --dt 1e-12 was a SIGSEGV in the steering servo; --dt 1e-6 ran for days.
  const std::pair<const char*, const char*> dts[] = {
      {"1e-12", "1e-12"}, {"1e-6", "1e-06"}, {"0", "0"}, {"-0.01", "-0.01"}, {"0.5", "0.5"}};
  for (const auto& [dt, printed] : dts) {
    SCOPED_TRACE(dt);
    const auto r = Marsdrive(drive + " --dt " + dt);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err,
                HasSubstr("--dt " + std::string(printed) + ": expected seconds in [0.0001, 0.1]"));
  }
  const auto steps = Marsdrive(drive + " --dt 1e-4");  // the default 7200 s: 7.2e7 steps
  EXPECT_EQ(steps.exit_code, 2) << steps.err;
  EXPECT_THAT(steps.err, HasSubstr("7.2e+07 physics steps; expected at most 2e+07"));
  const auto limit = Marsdrive(drive + " --time-limit 1e9");
  EXPECT_EQ(limit.exit_code, 2) << limit.err;
  EXPECT_THAT(limit.err, HasSubstr("--time-limit 1e+09: expected simulated seconds in"));
  // Control: the smallest step, for a short time, drives.
  const auto ok = Marsdrive(drive + " --dt 1e-4 --time-limit 2");
  EXPECT_LE(ok.exit_code, 1) << ok.err;
  EXPECT_TRUE(fs::exists(Out("d3") + "/metrics.json"));
}

TEST_F(InputLimitsCli, PlanSpacingOutsideItsRange) {
  const std::string plan = "plan --terrain " + Terrain() +
                           " --planner astar --start 2,2 --goal 15,15 --out " + Out("p3");
  const auto r = Marsdrive(plan + " --max-spacing 1e-6");  // was 2.5 GB of waypoints
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--max-spacing 1e-06: expected metres in [0.5, 10000]"));
  const fs::path problem =
      Write("tiny_spacing_problem.json", R"({"schema": "marsdrive/plan-problem/1",
      "start": {"x": 2, "y": 2}, "goal": {"x": 15, "y": 15},
      "limits": {"max_waypoint_spacing_m": 1e-6}})");
  const auto p =
      Marsdrive("plan --problem " + problem.string() + " --planner astar --out " + Out("p4"));
  EXPECT_EQ(p.exit_code, 2) << p.err;
  EXPECT_THAT(p.err, HasSubstr("limits.max_waypoint_spacing_m: expected metres in [0.5, 10000]"));
  EXPECT_EQ(Marsdrive(plan + " --max-spacing 5").exit_code, 0);  // control
}

TEST_F(InputLimitsCli, TerrainTooLargeForTheMemoryIsRefusedBeforeAllocating) {
  const std::string generate =
      "terrain generate --preset flat --size 10000x10000 --resolution 1 --out " + Out("g2");
  const auto capped = Marsdrive(generate + " --max-memory 1G");
  EXPECT_EQ(capped.exit_code, 2) << capped.err;
  EXPECT_THAT(capped.err, HasSubstr("terrain generate flat of 10000x10000 m at 1 m needs about"));
  EXPECT_THAT(capped.err, HasSubstr("allowed by the memory cap (--max-memory"));
  // Under a 2 GB address-space limit (ulimit -v), as a batch system sets one: it died of
  // std::bad_alloc (exit 3) before.
  const auto limited =
      testing::RunCommand("ulimit -v 2000000 && " + std::string(MARSDRIVE_BINARY) + " " + generate);
  EXPECT_EQ(limited.exit_code, 2) << limited.err;
  EXPECT_THAT(limited.err, HasSubstr("address-space limit (ulimit -v"));
  EXPECT_FALSE(fs::exists(Out("g2")));
  const auto bad = Marsdrive(generate + " --max-memory lots");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--max-memory lots: expected a size in bytes > 0"));
}

// A terrain directory whose truth DEM's header claims 100 000 x 100 000 cells (a sparse
// GeoTIFF of a few hundred KB): `terrain info`, `drive` and `plan` refuse it by its header.
TEST_F(InputLimitsCli, RasterHeaderClaimingAHugeSizeIsRefused) {
  const fs::path copy = Out("t-huge");
  fs::copy(Terrain(), copy, fs::copy_options::recursive);
  GDALAllRegister();
  const auto original = std::unique_ptr<GDALDataset>(
      GDALDataset::Open((copy / "truth_dem.tif").c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  ASSERT_NE(original, nullptr);
  std::array<double, 6> gt{};
  ASSERT_EQ(original->GetGeoTransform(gt.data()), CE_None);
  const OGRSpatialReference* srs = original->GetSpatialRef();  // none on procedural terrain
  for (const char* name : {"truth_dem.tif", "orbital/dem.tif"}) {
    const fs::path path = copy / name;
    fs::remove(path);
    const char* options[] = {"SPARSE_OK=TRUE", "BIGTIFF=YES", "TILED=YES", nullptr};
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    auto huge = std::unique_ptr<GDALDataset>(
        driver->Create(path.c_str(), 100000, 100000, 1, GDT_Float32, const_cast<char**>(options)));
    ASSERT_NE(huge, nullptr);
    ASSERT_EQ(huge->SetGeoTransform(gt.data()), CE_None);
    if (srs != nullptr) {
      ASSERT_EQ(huge->SetSpatialRef(srs), CE_None);
    }
  }
  ASSERT_LT(fs::file_size(copy / "truth_dem.tif"), 2u << 20);
  for (const std::string& command :
       {"terrain info " + copy.string(),
        "drive --terrain " + copy.string() + " --start 5,5,0 --commands 'straight 1' --out " +
            Out("d4"),
        "plan --terrain " + copy.string() + " --planner astar --start 2,2 --goal 15,15 --out " +
            Out("p5")}) {
    SCOPED_TRACE(command);
    const auto r = Marsdrive(command);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("reading 100000 x 100000 cells needs about"));
  }
}

}  // namespace
}  // namespace marsdrive

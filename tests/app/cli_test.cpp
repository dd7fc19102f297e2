// End-to-end tests of `marsdrive terrain generate | import | info`: the command lines, files,
// JSON fields and exit codes written in issue #3 are contracts.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

const fs::path kSourceDir = MARSDRIVE_SOURCE_DIR;
using testing::Marsdrive;

const std::vector<std::string> kLayout = {
    "terrain.json",     "truth_dem.tif",      "classes.tif",       "rocks.json",
    "orbital/dem.tif",  "orbital/ortho.png",  "orbital/slope.tif", "orbital/roughness.tif",
    "orbital/step.tif", "orbital/hazard.tif", "orbital/sand.tif",  "orbital/cost.tif"};

TEST(CliTerrain, GenerateWritesTheDocumentedLayout) {
  TempDir tmp("cli-layout");
  const auto r = Marsdrive(
      "terrain generate --preset jezero-rim --seed 3 --size 40x30 "
      "--resolution 0.1 --out " +
      (tmp / "t").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& file : kLayout) EXPECT_TRUE(fs::exists(tmp / "t" / file)) << file;
  const auto meta = nlohmann::json::parse(ReadWholeFile(tmp / "t/terrain.json"));
  EXPECT_EQ(meta["schema"], "marsdrive/terrain/1");
  EXPECT_EQ(meta["preset"], "jezero-rim");
  EXPECT_EQ(meta["seed"], 3);
  EXPECT_DOUBLE_EQ(meta["size_m"][0].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(meta["size_m"][1].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(meta["resolution_m"].get<double>(), 0.1);
  EXPECT_TRUE(meta.contains("crs"));
  EXPECT_EQ(meta["summary"]["width_px"], 400);
  EXPECT_EQ(meta["summary"]["height_px"], 300);
  EXPECT_FALSE(meta["files"].empty());
  // No leftovers of the atomic write next to the output.
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(entry.path().filename(), "t");
  }
}

TEST(CliTerrain, SameSeedIsByteIdenticalAndAnotherSeedDiffers) {
  TempDir tmp("cli-determinism");
  const std::string common = "terrain generate --preset jezero-rim --size 30x30 --resolution 0.1 ";
  ASSERT_EQ(Marsdrive(common + "--seed 5 --out " + (tmp / "a").string()).exit_code, 0);
  ASSERT_EQ(Marsdrive(common + "--seed 5 --out " + (tmp / "b").string()).exit_code, 0);
  ASSERT_EQ(Marsdrive(common + "--seed 6 --out " + (tmp / "c").string()).exit_code, 0);
  for (const std::string& file : kLayout) {
    SCOPED_TRACE(file);
    const std::string a = ReadWholeFile(tmp / "a" / file);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, ReadWholeFile(tmp / "b" / file));
  }
  EXPECT_NE(ReadWholeFile(tmp / "a/truth_dem.tif"), ReadWholeFile(tmp / "c/truth_dem.tif"));
  EXPECT_NE(ReadWholeFile(tmp / "a/rocks.json"), ReadWholeFile(tmp / "c/rocks.json"));
}

TEST(CliTerrain, InfoJsonHasTheContractFields) {
  TempDir tmp("cli-info");
  ASSERT_EQ(Marsdrive("terrain generate --preset slope --param angle_deg=10 --seed 1 "
                      "--size 20x20 --resolution 0.1 --out " +
                      (tmp / "s").string())
                .exit_code,
            0);
  const auto r = Marsdrive("terrain info " + (tmp / "s").string() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto info = nlohmann::json::parse(r.out);
  EXPECT_EQ(info["width_px"], 200);
  EXPECT_EQ(info["height_px"], 200);
  EXPECT_DOUBLE_EQ(info["resolution_m"].get<double>(), 0.1);
  EXPECT_NEAR(info["slope_deg"]["p50"].get<double>(), 10.0, 0.05);
  EXPECT_NEAR(info["slope_deg"]["p95"].get<double>(), 10.0, 0.05);
  EXPECT_NEAR(info["slope_deg"]["max"].get<double>(), 10.0, 0.05);
  EXPECT_LT(info["min_m"].get<double>(), info["mean_m"].get<double>());
  EXPECT_LT(info["mean_m"].get<double>(), info["max_m"].get<double>());
  EXPECT_EQ(info["rock_count"], 0);
  EXPECT_DOUBLE_EQ(info["class_fractions"]["regolith"].get<double>(), 1.0);
}

TEST(CliTerrain, InfoReadsABareDemFile) {
  const auto r =
      Marsdrive("terrain info " +
                (kSourceDir / "terrain/data/gale_msl_hirise_dem_1m.tif").string() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto info = nlohmann::json::parse(r.out);
  EXPECT_EQ(info["width_px"], 348);
  EXPECT_EQ(info["height_px"], 337);
  EXPECT_NEAR(info["min_m"].get<double>(), -4472.670, 0.001);  // gdalinfo -stats (PROVENANCE.md)
  EXPECT_NEAR(info["max_m"].get<double>(), -4437.883, 0.001);
  EXPECT_NEAR(info["mean_m"].get<double>(), -4455.868, 0.001);
  EXPECT_TRUE(info["class_fractions"].is_object());
}

TEST(CliTerrain, ImportsAWindowOfTheShippedJezeroDemWithRocks) {
  TempDir tmp("cli-import");
  const auto r = Marsdrive("terrain import " +
                           (kSourceDir / "terrain/data/jezero_m2020_ctx_dem_10km.tif").string() +
                           " --out " + (tmp / "j").string() +
                           " --window -200,-200,200,200 --resolution 2 --rocks 0.1 --seed 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& file : kLayout) EXPECT_TRUE(fs::exists(tmp / "j" / file)) << file;
  const auto info =
      nlohmann::json::parse(Marsdrive("terrain info " + (tmp / "j").string() + " --json").out);
  EXPECT_EQ(info["width_px"], 200);
  EXPECT_GT(info["rock_count"].get<int>(), 1000);
  const auto meta = nlohmann::json::parse(ReadWholeFile(tmp / "j/terrain.json"));
  EXPECT_THAT(meta["crs"]["wkt"].get<std::string>(), HasSubstr("3396190"));
}

struct BadInput {
  std::string name;
  std::string args;     // after "marsdrive ", with OUT standing for a fresh output directory
  std::string message;  // expected in stderr
};

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsNonZeroWithAClearMessageAndNoOutput) {
  TempDir tmp("cli-bad");
  std::string args = GetParam().args;
  const std::string out = (tmp / "out").string();
  for (std::size_t at; (at = args.find("OUT")) != std::string::npos;) args.replace(at, 3, out);
  for (std::size_t at; (at = args.find("TMP")) != std::string::npos;)
    args.replace(at, 3, tmp.path().string());
  fs::create_directories(tmp / "files");
  std::ofstream(tmp / "files/text.tif") << "this is not a raster\n";
  const auto r = Marsdrive(args);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr(GetParam().message));
  EXPECT_FALSE(fs::exists(tmp / "out/terrain.json"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
}

const std::string kGale = (kSourceDir / "terrain/data/gale_msl_hirise_dem_1m.tif").string();

INSTANTIATE_TEST_SUITE_P(
    Terrain, CliBadInput,
    ::testing::Values(
        BadInput{"UnknownPreset",
                 "terrain generate --preset moon --size 10x10 --resolution 0.1 --out OUT", "moon"},
        BadInput{"UnknownParam",
                 "terrain generate --preset slope --param angel_deg=3 --size 10x10 --resolution "
                 "0.1 --out OUT",
                 "angel_deg"},
        BadInput{"BadParamValue",
                 "terrain generate --preset slope --param angle_deg=steep --size 10x10 "
                 "--resolution 0.1 --out OUT",
                 "angle_deg"},
        BadInput{"BadSize",
                 "terrain generate --preset flat --size 10xabc --resolution 0.1 --out OUT",
                 "--size"},
        BadInput{"NegativeResolution",
                 "terrain generate --preset flat --size 10x10 --resolution -1 --out OUT",
                 "resolution"},
        BadInput{"MissingRockFile",
                 "terrain generate --preset flat --param rocks=TMP/none.yaml --size 10x10 "
                 "--resolution 0.1 --out OUT",
                 "none.yaml"},
        BadInput{"MissingDem", "terrain import TMP/nothing.tif --out OUT", "nothing.tif"},
        BadInput{"NotARaster", "terrain import TMP/files/text.tif --out OUT", "text.tif"},
        BadInput{"WindowOutside", "terrain import " + kGale + " --window 0,0,10,10 --out OUT",
                 "window"},
        BadInput{"BadWindowSyntax", "terrain import " + kGale + " --window 1,2,3 --out OUT",
                 "--window"},
        BadInput{"InfoMissing", "terrain info TMP/missing --json", "missing"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace marsdrive

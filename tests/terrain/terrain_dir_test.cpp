// Terrain directories: round trip of the ground truth, and atomic, non-destructive writes.
#include "terrain/truth/terrain_dir.h"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "terrain/orbital.h"
#include "terrain/truth/orbital_products.h"
#include "tests/util/command.h"
#include "tests/util/input_error.h"

namespace marsdrive::terrain {
namespace {

namespace fs = std::filesystem;
using marsdrive::testing::TempDir;
using ::testing::HasSubstr;

TerrainTruth MakeTruth() {
  const GridSpec spec{60, 40, 0.25, 0, 0};
  TerrainTruth truth;
  truth.dem = HeightMap(spec);
  truth.classes = Grid<SoilClass>(spec, SoilClass::kRegolith);
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      truth.dem.heights_m(col, row) =
          static_cast<float>(0.1 * col - 0.05 * row + 0.001 * col * row);
      if (col < 10) truth.classes(col, row) = SoilClass::kSand;
      if (row > 30) truth.classes(col, row) = SoilClass::kBedrock;
    }
  }
  truth.rocks = {{3.25, 4.5, 0.4, 0.2, 17}, {12.0, 7.75, 1.8, 0.9, 99}};
  truth.preset = "unit-test";
  truth.params = {{"a", "1"}, {"b", "two"}};
  truth.seed = 42;
  return truth;
}

using marsdrive::testing::ErrorOf;

TEST(TerrainDir, RoundTripKeepsHeightsClassesRocksAndProvenance) {
  TempDir tmp("dir-roundtrip");
  const TerrainTruth truth = MakeTruth();
  WriteTerrainDir(tmp / "t", truth, MakeOrbitalProducts(truth, {}));
  const TerrainTruth loaded = LoadTerrainDir(tmp / "t");
  EXPECT_EQ(loaded.dem.spec(), truth.dem.spec());
  EXPECT_TRUE(std::equal(truth.dem.heights_m.Values().begin(), truth.dem.heights_m.Values().end(),
                         loaded.dem.heights_m.Values().begin()));
  EXPECT_TRUE(std::equal(truth.classes.Values().begin(), truth.classes.Values().end(),
                         loaded.classes.Values().begin()));
  EXPECT_EQ(loaded.rocks, truth.rocks);
  EXPECT_EQ(loaded.preset, "unit-test");
  EXPECT_EQ(loaded.params, truth.params);
  EXPECT_EQ(loaded.seed, 42u);
}

TEST(TerrainDir, OverwritesATerrainDirectoryButNothingElse) {
  TempDir tmp("dir-overwrite");
  const TerrainTruth truth = MakeTruth();
  const OrbitalProducts orbital = MakeOrbitalProducts(truth, {});
  WriteTerrainDir(tmp / "t", truth, orbital);
  WriteTerrainDir(tmp / "t", truth, orbital);  // a terrain directory may be replaced
  EXPECT_TRUE(fs::exists(tmp / "t/terrain.json"));

  fs::create_directories(tmp / "precious");
  std::ofstream(tmp / "precious/thesis.txt") << "years of work";
  EXPECT_THAT(ErrorOf([&] { WriteTerrainDir(tmp / "precious", truth, orbital); }),
              HasSubstr("not a terrain directory"));
  EXPECT_TRUE(fs::exists(tmp / "precious/thesis.txt"));
}

TEST(TerrainDir, AFailedWriteLeavesNeitherOutputNorDebris) {
  TempDir tmp("dir-failed");
  const TerrainTruth truth = MakeTruth();
  OrbitalProducts broken = MakeOrbitalProducts(truth, {});
  broken.ortho = OrthoImage{};  // an empty image cannot be written: fails after other files
  EXPECT_THROW(WriteTerrainDir(tmp / "t", truth, broken), std::exception);
  EXPECT_FALSE(fs::exists(tmp / "t"));
  EXPECT_TRUE(fs::is_empty(tmp.path())) << "temporary directory left behind";
}

TEST(TerrainDir, LoadNamesTheMissingOrBrokenFile) {
  TempDir tmp("dir-broken");
  const TerrainTruth truth = MakeTruth();
  WriteTerrainDir(tmp / "t", truth, MakeOrbitalProducts(truth, {}));
  fs::remove(tmp / "t/rocks.json");
  EXPECT_THAT(ErrorOf([&] { LoadTerrainDir(tmp / "t"); }), HasSubstr("rocks.json"));
  std::ofstream(tmp / "t/terrain.json") << "{ not json";
  EXPECT_THAT(ErrorOf([&] { LoadTerrainDir(tmp / "t"); }), HasSubstr("terrain.json"));
  EXPECT_THAT(ErrorOf([&] { LoadTerrainDir(tmp / "nowhere"); }), HasSubstr("nowhere"));
  fs::create_directories(tmp / "empty");
  EXPECT_THAT(ErrorOf([&] { LoadTerrainDir(tmp / "empty"); }), HasSubstr("no terrain.json"));
}

}  // namespace
}  // namespace marsdrive::terrain

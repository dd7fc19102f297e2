// Orbital products read back from a terrain directory (terrain/orbital_dir.h): bit-for-bit
// equal to what MakeOrbitalProducts made and WriteTerrainDir wrote, and clear errors.

#include "terrain/orbital_dir.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include <cpl_conv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include "base/check.h"
#include "terrain/orbital.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_dir.h"
#include "tests/util/command.h"
#include "tests/util/input_error.h"

namespace marsdrive::terrain {
namespace {

namespace fs = std::filesystem;
using marsdrive::testing::TempDir;
using ::testing::HasSubstr;

std::string MarsEqcWkt() {
  OGRSpatialReference srs;
  EXPECT_EQ(srs.SetFromUserInput("+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 "
                                 "+R=3396190 +units=m +no_defs"),
            OGRERR_NONE);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string text = wkt;
  CPLFree(wkt);
  return text;
}

// 40 m x 30 m at 0.1 m: a tilted, bumpy surface with a nodata hole, a step, rocks both visible
// (2 m) and not (0.4 m), georeferenced unless `local`.
TerrainTruth MakeTruth(bool local) {
  TerrainTruth truth;
  const GridSpec spec{400, 300, 0.1, 0, 0};
  truth.dem = HeightMap(spec);
  truth.dem.valid = Grid<std::uint8_t>(spec, 1);
  for (int r = 0; r < spec.height_px; ++r) {
    for (int c = 0; c < spec.width_px; ++c) {
      const double x = spec.CellCenterX(c), y = spec.CellCenterY(r);
      double z = 0.05 * x + 0.2 * std::sin(0.5 * y) + (x > 25 ? 0.6 : 0.0);
      if (std::hypot(x - 8, y - 22) < 2.0) {
        truth.dem.valid(c, r) = 0;
        z = std::numeric_limits<double>::quiet_NaN();
      }
      truth.dem.heights_m(c, r) = static_cast<float>(z);
    }
  }
  truth.classes = Grid<SoilClass>(spec, SoilClass::kRegolith);
  truth.rocks = {{15.0, 10.0, 2.0, 1.0, 3}, {30.0, 5.0, 0.4, 0.2, 4}, {12.0, 20.0, 1.6, 0.5, 5}};
  truth.preset = "test";
  if (!local) truth.dem.georef = {MarsEqcWkt(), 8142406.0, -276792.0};
  return truth;
}

template <typename T>
void ExpectBitwiseEqual(const Grid<T>& a, const Grid<T>& b, const char* name) {
  ASSERT_EQ(a.spec(), b.spec()) << name;
  EXPECT_EQ(std::memcmp(a.Values().data(), b.Values().data(), a.Values().size_bytes()), 0) << name;
}

TEST(OrbitalDir, RoundTripIsBitForBit) {
  for (bool local : {true, false}) {
    SCOPED_TRACE(local ? "local frame" : "georeferenced");
    TempDir tmp("orbital-dir");
    const TerrainTruth truth = MakeTruth(local);
    const OrbitalProducts made = MakeOrbitalProducts(truth, {});
    WriteTerrainDir(tmp / "t", truth, made);
    const OrbitalProducts loaded = LoadOrbitalProducts(tmp / "t");

    ExpectBitwiseEqual(loaded.dem_m, made.dem_m, "dem");
    ExpectBitwiseEqual(loaded.slope_deg, made.slope_deg, "slope");
    ExpectBitwiseEqual(loaded.roughness_m, made.roughness_m, "roughness");
    ExpectBitwiseEqual(loaded.step_m, made.step_m, "step");
    ExpectBitwiseEqual(loaded.rock_hazard, made.rock_hazard, "hazard");
    ExpectBitwiseEqual(loaded.sand, made.sand, "sand");
    EXPECT_EQ(loaded.params.sand_slip_per_deg, made.params.sand_slip_per_deg);
    ExpectBitwiseEqual(loaded.traversable, made.traversable, "traversable");
    ExpectBitwiseEqual(loaded.cost, made.cost, "cost");
    EXPECT_EQ(loaded.visible_rocks, made.visible_rocks);
    EXPECT_EQ(loaded.georef, made.georef);
    EXPECT_EQ(loaded.ortho.width_px, made.ortho.width_px);
    EXPECT_EQ(loaded.ortho.height_px, made.ortho.height_px);
    EXPECT_EQ(loaded.ortho.resolution_m, made.ortho.resolution_m);
    EXPECT_EQ(loaded.ortho.origin_x_m, made.ortho.origin_x_m);
    EXPECT_EQ(loaded.ortho.origin_y_m, made.ortho.origin_y_m);
    EXPECT_EQ(loaded.ortho.rgb, made.ortho.rgb);
    const OrbitalParams& a = loaded.params;
    const OrbitalParams& b = made.params;
    EXPECT_EQ(a.resolution_m, b.resolution_m);
    EXPECT_EQ(a.ortho_resolution_m, b.ortho_resolution_m);
    EXPECT_EQ(a.rock_detect_diameter_m, b.rock_detect_diameter_m);
    EXPECT_EQ(a.footprint_diameter_m, b.footprint_diameter_m);
    EXPECT_EQ(a.max_slope_deg, b.max_slope_deg);
    EXPECT_EQ(a.max_step_m, b.max_step_m);
    EXPECT_EQ(a.max_rock_height_m, b.max_rock_height_m);

    // The fixture exercises what matters: nodata, lethal (+inf) cells and visible rocks.
    int nan_cells = 0, inf_cells = 0;
    for (float v : made.dem_m.Values()) nan_cells += std::isnan(v) ? 1 : 0;
    for (float v : made.cost.Values()) inf_cells += std::isinf(v) ? 1 : 0;
    EXPECT_GT(nan_cells, 0);
    EXPECT_GT(inf_cells, 0);
    EXPECT_EQ(made.visible_rocks.size(), 2u);
  }
}

using marsdrive::testing::ErrorOf;

TEST(OrbitalDir, ErrorsNameTheMissingOrMalformedFile) {
  TempDir tmp("orbital-dir-errors");
  const TerrainTruth truth = MakeTruth(true);
  WriteTerrainDir(tmp / "t", truth, MakeOrbitalProducts(truth, {}));
  ASSERT_NO_THROW(LoadOrbitalProducts(tmp / "t"));  // control

  // A layer of another size.
  TerrainTruth small = truth;
  small.dem = HeightMap(GridSpec{200, 200, 0.1, 0, 0});
  small.dem.georef = truth.dem.georef;
  small.classes = Grid<SoilClass>(small.dem.spec(), SoilClass::kRegolith);
  small.rocks.clear();
  WriteTerrainDir(tmp / "small", small, MakeOrbitalProducts(small, {}));
  fs::copy_file(tmp / "small/orbital/slope.tif", tmp / "t/orbital/slope.tif",
                fs::copy_options::overwrite_existing);
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "t"); }),
              HasSubstr("slope.tif: expected the grid of orbital/dem.tif (40 x 30 cells at 1 m"));

  WriteTerrainDir(tmp / "t", truth, MakeOrbitalProducts(truth, {}));  // repaired
  // A directory from before the sand layer loads with no sand.
  fs::remove(tmp / "t/orbital/sand.tif");
  const OrbitalProducts old = LoadOrbitalProducts(tmp / "t");
  EXPECT_EQ(old.sand.spec(), old.spec());
  EXPECT_EQ(*std::max_element(old.sand.Values().begin(), old.sand.Values().end()), 0.0f);
  fs::remove(tmp / "t/orbital/cost.tif");
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "t"); }), HasSubstr("cost.tif"));
  std::ofstream(tmp / "small/orbital/ortho.png") << "not a png";
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "small"); }), HasSubstr("ortho.png"));
  std::ofstream(tmp / "small/terrain.json")
      << R"({"schema": "marsdrive/terrain/1", "orbital": {}})";
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "small"); }),
              HasSubstr("terrain.json: orbital.resolution_m: expected a number"));
  // A count that is no integer (1e300 was undefined behaviour in the conversion; found by fuzzing).
  {
    WriteTerrainDir(tmp / "t", truth, MakeOrbitalProducts(truth, {}));  // repaired
    const std::string text = marsdrive::testing::ReadWholeFile(tmp / "t/terrain.json");
    const std::string key = "\"visible_rock_count\": ";
    const std::size_t at = text.find(key);
    ASSERT_NE(at, std::string::npos);
    const std::size_t end = text.find_first_of(",}\n", at + key.size());
    std::ofstream(tmp / "t/terrain.json")
        << text.substr(0, at + key.size()) + "1e300" + text.substr(end);
    EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "t"); }),
                HasSubstr("orbital.visible_rock_count: expected an integer >= 0, got 1e+300"));
  }
  std::ofstream(tmp / "small/terrain.json") << "{ broken";
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "small"); }),
              HasSubstr("terrain.json: not valid JSON"));
  EXPECT_THAT(ErrorOf([&] { LoadOrbitalProducts(tmp / "nowhere"); }),
              HasSubstr("nowhere: not a directory"));
}

}  // namespace
}  // namespace marsdrive::terrain

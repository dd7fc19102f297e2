#include "terrain/truth/dem_import.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include "terrain/raster_io.h"
#include "terrain/truth/raster_read.h"
#include "tests/terrain/raster_test_util.h"

namespace marsdrive::terrain {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::InputErrorMessage;
using testing::NorthUp;
using testing::TempDir;
using testing::TestRaster;
using testing::WriteTestRaster;

constexpr double kMarsRadiusM = 3396190.0;

fs::path Gale() { return testing::ShippedDataDir() / "gale_msl_hirise_dem_1m.tif"; }
fs::path Jezero() { return testing::ShippedDataDir() / "jezero_m2020_ctx_dem_10km.tif"; }

struct Stats {
  double min = 0, max = 0, mean = 0, stddev = 0;
  std::size_t valid = 0;
};
Stats StatsOf(const HeightMap& map) {
  Stats s;
  s.min = std::numeric_limits<double>::infinity();
  s.max = -s.min;
  double sum = 0, sum2 = 0;
  const GridSpec& spec = map.spec();
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      if (!map.View().IsValid(col, row)) continue;
      const double h = map.heights_m(col, row);
      s.min = std::min(s.min, h);
      s.max = std::max(s.max, h);
      sum += h;
      sum2 += h * h;
      ++s.valid;
    }
  }
  s.mean = sum / static_cast<double>(s.valid);
  s.stddev = std::sqrt(sum2 / static_cast<double>(s.valid) - s.mean * s.mean);
  return s;
}

// `printed` is a number as `gdalinfo -stats` prints it (3 decimals): the value must round to it.
void ExpectPrinted(double value, double printed) { EXPECT_NEAR(value, printed, 0.0005 + 1e-9); }

bool SameCrs(const std::string& a, const std::string& b) {
  OGRSpatialReference sa, sb;
  return sa.importFromWkt(a.c_str()) == OGRERR_NONE && sb.importFromWkt(b.c_str()) == OGRERR_NONE &&
         sa.IsSame(&sb) != 0;
}

// ImportRequest with the given file, window and resolution (g++ 12 -Wextra wants every field of
// a designated initializer named, so tests build requests this way).
ImportRequest Request(const fs::path& file, std::optional<CropWindow> window = std::nullopt,
                      std::optional<double> resolution_m = std::nullopt) {
  ImportRequest request;
  request.file = file;
  request.window = window;
  request.resolution_m = resolution_m;
  return request;
}

bool AllClassesAre(const TerrainTruth& truth, SoilClass soil) {
  const auto values = truth.classes.Values();
  return std::all_of(values.begin(), values.end(), [soil](SoilClass c) { return c == soil; });
}

TEST(ImportDem, GaleDemMatchesItsProvenance) {
  const TerrainTruth truth = ImportDem(Request(Gale()));
  const HeightMap& dem = truth.dem;
  EXPECT_EQ(dem.spec(), (GridSpec{348, 337, 1.0, 0.0, 0.0}));
  EXPECT_FALSE(dem.HasMask());  // PROVENANCE.md: 100 % valid
  const Stats s = StatsOf(dem);
  EXPECT_EQ(s.valid, 117276u);
  // PROVENANCE.md: Minimum=-4472.670, Maximum=-4437.883, Mean=-4455.868, StdDev=9.314
  ExpectPrinted(s.min, -4472.670);
  ExpectPrinted(s.max, -4437.883);
  ExpectPrinted(s.mean, -4455.868);
  ExpectPrinted(s.stddev, 9.314);
  // Map origin at the SW corner: extent x 8,142,406 ... 8,142,754 m, y -276,792 ... -276,455 m.
  EXPECT_EQ(dem.georef.crs_offset_x_m, 8142406.0);
  EXPECT_EQ(dem.georef.crs_offset_y_m, -276792.0);
  EXPECT_THAT(dem.georef.crs_wkt, HasSubstr("Mars2000 Equidistant Cylindrical clon0"));
  EXPECT_TRUE(SameCrs(dem.georef.crs_wkt, ReadRasterInfo(Gale()).crs_wkt));
  EXPECT_EQ(truth.classes.spec(), dem.spec());
  EXPECT_TRUE(AllClassesAre(truth, SoilClass::kRegolith));
  EXPECT_TRUE(truth.rocks.empty());
}

TEST(ImportDem, JezeroDemMatchesItsProvenance) {
  const TerrainTruth truth = ImportDem(Request(Jezero()));
  const HeightMap& dem = truth.dem;
  EXPECT_EQ(dem.spec(), (GridSpec{1024, 1024, 9.765625, 0.0, 0.0}));
  EXPECT_FALSE(dem.HasMask());
  const Stats s = StatsOf(dem);
  // PROVENANCE.md: Minimum=-2651.040, Maximum=-2395.890, Mean=-2552.122, StdDev=58.475
  ExpectPrinted(s.min, -2651.040);
  ExpectPrinted(s.max, -2395.890);
  ExpectPrinted(s.mean, -2552.122);
  ExpectPrinted(s.stddev, 58.475);
  // Extent -5000 ... 5000 m in a CRS centred on the landing site. PROVENANCE.md gives the
  // height there as -2567.999 m: that of the cell whose north-west corner is the anchor (GDAL
  // pixel 512, 512), i.e. south-first row 1023 - 512 = 511.
  EXPECT_EQ(dem.georef.crs_offset_x_m, -5000.0);
  EXPECT_EQ(dem.georef.crs_offset_y_m, -5000.0);
  ExpectPrinted(dem.heights_m(512, 511), -2567.999);
  EXPECT_EQ(dem.spec().ColOf(5000.0 + 1.0), 512);
  EXPECT_EQ(dem.spec().RowOf(5000.0 - 1.0), 511);
  EXPECT_THAT(dem.georef.crs_wkt, HasSubstr("3396190"));
}

TEST(ImportDem, Int16WithScaleOffsetAndNodataGivesMetresMaskAndNodataClass) {
  const TempDir dir;
  const int w = 8, h = 6;
  std::vector<double> raw;
  for (int r = 0; r < h; ++r) {
    for (int c = 0; c < w; ++c) raw.push_back(5000 + 37 * r - 11 * c);
  }
  raw[2 * w + 3] = -32768;
  raw[2 * w + 4] = -32768;
  raw[5 * w + 7] = -32768;
  WriteTestRaster(dir / "dem16.tif", TestRaster(w, h, raw)
                                         .Type(GDT_Int16)
                                         .Geo(NorthUp(2000, 3000, 1))
                                         .Srs(testing::kMars2000Eqc)
                                         .Nodata(-32768)
                                         .Scale(0.01)
                                         .Offset(-4500));
  const TerrainTruth truth = ImportDem(Request(dir / "dem16.tif"));
  ASSERT_EQ(truth.dem.spec(), (GridSpec{w, h, 1.0, 0.0, 0.0}));
  ASSERT_TRUE(truth.dem.HasMask());
  int masked = 0;
  for (int gdal_row = 0; gdal_row < h; ++gdal_row) {
    for (int col = 0; col < w; ++col) {
      const int row = h - 1 - gdal_row;
      const double value = raw.at(static_cast<std::size_t>(gdal_row) * w + col);
      if (value == -32768) {
        ++masked;
        EXPECT_EQ(truth.dem.valid(col, row), 0);
        EXPECT_EQ(truth.classes(col, row), SoilClass::kNodata);
      } else {
        EXPECT_EQ(truth.dem.valid(col, row), 1);
        EXPECT_EQ(truth.classes(col, row), SoilClass::kRegolith);
        EXPECT_NEAR(truth.dem.heights_m(col, row), value * 0.01 - 4500, 1e-3);
      }
    }
  }
  EXPECT_EQ(masked, 3);
  EXPECT_EQ(truth.dem.georef.crs_offset_y_m, 2994.0);
}

TEST(ImportDem, KilometreUnitConverts) {
  const TempDir dir;
  WriteTestRaster(dir / "km.tif",
                  TestRaster(2, 2, {-4.4, -4.5, -4.6, -4.7}).Geo(NorthUp(0, 2, 1)).Unit("km"));
  const TerrainTruth truth = ImportDem(Request(dir / "km.tif"));
  EXPECT_NEAR(truth.dem.heights_m(0, 1), -4400.0, 1e-3);
  EXPECT_NEAR(truth.dem.heights_m(1, 0), -4700.0, 1e-3);
}

// A 40 x 30 raster of 2 m pixels over x 1000 ... 1080, y 2000 ... 2060 whose value names its
// pixel: 1000 * (row counted from the south) + column.
void WriteNamedPixels(const fs::path& path) {
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 30; ++gdal_row) {
    for (int col = 0; col < 40; ++col) values.push_back(1000.0 * (29 - gdal_row) + col);
  }
  WriteTestRaster(
      path, TestRaster(40, 30, values).Geo(NorthUp(1000, 2060, 2)).Srs(testing::kMars2000Eqc));
}

TEST(ImportDem, CropByWindowGivesTheWindowsExtentAndPixels) {
  const TempDir dir;
  WriteNamedPixels(dir / "named.tif");
  const TerrainTruth full = ImportDem(Request(dir / "named.tif"));
  EXPECT_EQ(full.dem.spec(), (GridSpec{40, 30, 2.0, 0.0, 0.0}));
  // On grid lines, and a window inside the same pixels (snapped outwards): the same crop.
  for (const CropWindow& window :
       {CropWindow{1010, 2010, 1030, 2040}, CropWindow{1011, 2011.5, 1029, 2039.9}}) {
    const TerrainTruth crop = ImportDem(Request(dir / "named.tif", window));
    ASSERT_EQ(crop.dem.spec(), (GridSpec{10, 15, 2.0, 0.0, 0.0}));
    EXPECT_EQ(crop.dem.georef.crs_offset_x_m, 1010.0);
    EXPECT_EQ(crop.dem.georef.crs_offset_y_m, 2010.0);
    EXPECT_EQ(crop.dem.georef.crs_wkt, full.dem.georef.crs_wkt);
    for (int row = 0; row < 15; ++row) {
      for (int col = 0; col < 10; ++col) {
        ASSERT_EQ(crop.dem.heights_m(col, row), 1000.0f * (row + 5) + (col + 5))
            << col << "," << row;
      }
    }
    EXPECT_EQ(crop.params.at("crop_crs_m"), "1010,2010,1030,2040");
  }
}

TEST(ImportDem, CropOfASouthUpRasterKeepsItsOrientation) {
  const TempDir dir;
  // The same named pixels stored south row first (geotransform term 5 > 0).
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 30; ++gdal_row) {
    for (int col = 0; col < 40; ++col) values.push_back(1000.0 * gdal_row + col);
  }
  WriteTestRaster(dir / "south_up.tif", TestRaster(40, 30, values).Geo({1000, 2, 0, 2000, 0, 2}));
  const TerrainTruth crop =
      ImportDem(Request(dir / "south_up.tif", CropWindow{1010, 2010, 1030, 2040}));
  ASSERT_EQ(crop.dem.spec(), (GridSpec{10, 15, 2.0, 0.0, 0.0}));
  EXPECT_EQ(crop.dem.georef.crs_offset_y_m, 2010.0);
  EXPECT_EQ(crop.dem.heights_m(0, 0), 5005.0f);
  EXPECT_EQ(crop.dem.heights_m(9, 14), 19014.0f);
}

TEST(ImportDem, RasterWithoutGeotransformIsPlacedAtTheOriginAndCanBeResampled) {
  const TempDir dir;
  // 4 x 4 image, no georeferencing: 1 m pixels, lower-left corner at (0, 0), first row north.
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 4; ++gdal_row) {
    for (int col = 0; col < 4; ++col) values.push_back(10.0 * (3 - gdal_row) + col);
  }
  WriteTestRaster(dir / "bare.tif", TestRaster(4, 4, values));
  const TerrainTruth native = ImportDem(Request(dir / "bare.tif"));
  EXPECT_EQ(native.dem.spec(), (GridSpec{4, 4, 1.0, 0.0, 0.0}));
  EXPECT_EQ(native.dem.heights_m(3, 2), 23.0f);
  const TerrainTruth coarse = ImportDem(Request(dir / "bare.tif", std::nullopt, 2.0));
  ASSERT_EQ(coarse.dem.spec(), (GridSpec{2, 2, 2.0, 0.0, 0.0}));
  EXPECT_EQ(coarse.dem.georef, Georeference{});
  EXPECT_FLOAT_EQ(coarse.dem.heights_m(0, 0), 5.5f);   // mean of 0, 1, 10, 11
  EXPECT_FLOAT_EQ(coarse.dem.heights_m(1, 1), 27.5f);  // mean of 22, 23, 32, 33
}

TEST(ImportDem, NonSquarePixelsNeedAResolution) {
  const TempDir dir;
  // 2 m x 1 m pixels over x 0 ... 8, y 0 ... 4; height = x at the pixel centre.
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 4; ++gdal_row) {
    for (int col = 0; col < 4; ++col) values.push_back(1.0 + 2.0 * col);
  }
  WriteTestRaster(dir / "wide.tif", TestRaster(4, 4, values).Geo({0, 2, 0, 4, 0, -1}));
  EXPECT_THAT(InputErrorMessage([&] { ImportDem(Request(dir / "wide.tif")); }),
              HasSubstr("wide.tif: pixels are not square; give a resolution"));
  const TerrainTruth truth = ImportDem(Request(dir / "wide.tif", std::nullopt, 1.0));
  ASSERT_EQ(truth.dem.spec(), (GridSpec{8, 4, 1.0, 0.0, 0.0}));
  for (int col = 1; col < 7; ++col) {  // between the outermost pixel centres: x itself
    EXPECT_NEAR(truth.dem.heights_m(col, 2), col + 0.5, 1e-5) << col;
  }
}

// A tilted plane h = 5 + 0.3 (x - 500) - 0.2 (y - 700) (CRS metres), sampled at the centres of
// 1 m pixels over x 500 ... 600, y 700 ... 780; `hole` pixels (GDAL col, row) are nodata.
double Plane(double x, double y) { return 5.0 + 0.3 * (x - 500.0) - 0.2 * (y - 700.0); }
void WritePlane(const fs::path& path, const std::vector<std::pair<int, int>>& holes = {}) {
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 80; ++gdal_row) {
    for (int col = 0; col < 100; ++col) values.push_back(Plane(500.5 + col, 779.5 - gdal_row));
  }
  for (const auto& [col, gdal_row] : holes)
    values.at(static_cast<std::size_t>(gdal_row) * 100 + col) = -9999;
  WriteTestRaster(path, TestRaster(100, 80, values)
                            .Geo(NorthUp(500, 780, 1))
                            .Srs(testing::kMars2000Eqc)
                            .Nodata(-9999));
}

TEST(ImportDem, ResamplingTo2mHalvesTheSizeAndKeepsAPlane) {
  const TempDir dir;
  WritePlane(dir / "plane.tif");
  const TerrainTruth truth = ImportDem(Request(dir / "plane.tif", std::nullopt, 2.0));
  ASSERT_EQ(truth.dem.spec(), (GridSpec{50, 40, 2.0, 0.0, 0.0}));
  EXPECT_FALSE(truth.dem.HasMask());
  EXPECT_EQ(truth.dem.georef.crs_offset_x_m, 500.0);
  EXPECT_EQ(truth.dem.georef.crs_offset_y_m, 700.0);
  const GridSpec& spec = truth.dem.spec();
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      ASSERT_NEAR(truth.dem.heights_m(col, row),
                  Plane(500.0 + spec.CellCenterX(col), 700.0 + spec.CellCenterY(row)), 1e-4)
          << col << "," << row;
    }
  }
  EXPECT_EQ(truth.params.at("resolution_m"), "2");
}

TEST(ImportDem, ResamplingFinerInterpolatesThePlaneBilinearly) {
  const TempDir dir;
  WritePlane(dir / "plane.tif");
  const TerrainTruth truth = ImportDem(Request(dir / "plane.tif", std::nullopt, 0.5));
  ASSERT_EQ(truth.dem.spec(), (GridSpec{200, 160, 0.5, 0.0, 0.0}));
  const GridSpec& spec = truth.dem.spec();
  // Between the outermost source pixel centres (beyond them the surface is held flat).
  for (int row = 1; row < spec.height_px - 1; ++row) {
    for (int col = 1; col < spec.width_px - 1; ++col) {
      ASSERT_NEAR(truth.dem.heights_m(col, row),
                  Plane(500.0 + spec.CellCenterX(col), 700.0 + spec.CellCenterY(row)), 1e-4)
          << col << "," << row;
    }
  }
}

TEST(ImportDem, ResamplingIgnoresNodataPixels) {
  const TempDir dir;
  std::vector<std::pair<int, int>> hole;  // 4 x 4 source pixels = 2 x 2 cells at 2 m
  for (int r = 10; r < 14; ++r) {
    for (int c = 10; c < 14; ++c) hole.emplace_back(c, r);
  }
  hole.emplace_back(30, 30);  // a single pixel: its 2 m cell still has 3 valid ones
  WritePlane(dir / "holes.tif", hole);
  const TerrainTruth truth = ImportDem(Request(dir / "holes.tif", std::nullopt, 2.0));
  ASSERT_TRUE(truth.dem.HasMask());
  int masked = 0;
  for (const std::uint8_t v : truth.dem.valid.Values()) masked += v == 0 ? 1 : 0;
  EXPECT_EQ(masked, 4);
  for (const auto& [col, row] :
       {std::pair{5, 34}, std::pair{6, 34}, std::pair{5, 33}, std::pair{6, 33}}) {
    EXPECT_EQ(truth.dem.valid(col, row), 0) << col << "," << row;
    EXPECT_EQ(truth.classes(col, row), SoilClass::kNodata);
  }
  EXPECT_EQ(truth.dem.valid(15, 24), 1);  // the cell with one nodata pixel
  EXPECT_TRUE(std::isfinite(truth.dem.heights_m(15, 24)));
  EXPECT_NEAR(truth.dem.heights_m(15, 24), Plane(531, 749), 0.3);
}

TEST(ImportDem, FillNodataFillsHolesWithPlausibleHeights) {
  const TempDir dir;
  std::vector<std::pair<int, int>> holes;
  for (int r = 20; r < 25; ++r) {
    for (int c = 40; c < 45; ++c) holes.emplace_back(c, r);  // 5 x 5 inside
  }
  holes.emplace_back(70, 60);                            // a single pixel
  for (int r = 0; r < 3; ++r) holes.emplace_back(0, r);  // at the corner
  WritePlane(dir / "holes.tif", holes);

  const TerrainTruth masked = ImportDem(Request(dir / "holes.tif"));  // control
  ASSERT_TRUE(masked.dem.HasMask());
  ImportRequest fill = Request(dir / "holes.tif");
  fill.fill_nodata = true;
  const TerrainTruth filled = ImportDem(fill);
  EXPECT_FALSE(filled.dem.HasMask());
  EXPECT_TRUE(AllClassesAre(filled, SoilClass::kRegolith));
  const GridSpec& spec = filled.dem.spec();
  for (const auto& [col, gdal_row] : holes) {
    const int row = 79 - gdal_row;
    EXPECT_EQ(masked.dem.valid(col, row), 0);
    const double h = filled.dem.heights_m(col, row);
    const double expected = Plane(500.0 + spec.CellCenterX(col), 700.0 + spec.CellCenterY(row));
    EXPECT_NEAR(h, expected, 0.6) << col << "," << row;  // the plane drops 0.3 m per pixel
  }
  EXPECT_EQ(filled.params.at("fill_nodata"), "true");
}

TEST(ImportDem, GeographicDemIsReprojectedToALocalEquirectangularCrs) {
  const TempDir dir;
  // 60 x 40 pixels of 0.001 deg around 77.45 E, 18.44 N; height = 1000 m per degree north.
  std::vector<double> values;
  for (int gdal_row = 0; gdal_row < 40; ++gdal_row) {
    for (int col = 0; col < 60; ++col) values.push_back(1000.0 * (0.0195 - 0.001 * gdal_row));
  }
  WriteTestRaster(dir / "geo.tif", TestRaster(60, 40, values)
                                       .Geo(NorthUp(77.42, 18.46, 0.001))
                                       .Srs(testing::kMars2000Geographic));
  const TerrainTruth truth = ImportDem(Request(dir / "geo.tif"));
  OGRSpatialReference srs;
  ASSERT_EQ(srs.importFromWkt(truth.dem.georef.crs_wkt.c_str()), OGRERR_NONE);
  EXPECT_TRUE(srs.IsProjected());
  EXPECT_EQ(srs.GetSemiMajor(), kMarsRadiusM);
  EXPECT_EQ(srs.GetInvFlattening(), 0.0);
  const double m_per_deg = kMarsRadiusM * std::numbers::pi / 180.0;
  const double width_m = 0.06 * m_per_deg * std::cos(18.44 * std::numbers::pi / 180.0);
  const GridSpec& spec = truth.dem.spec();
  EXPECT_DOUBLE_EQ(spec.resolution_m, 0.001 * m_per_deg);  // the north-south post spacing
  EXPECT_EQ(spec.height_px, 40);
  EXPECT_EQ(spec.width_px, static_cast<int>(width_m / spec.resolution_m));
  // Centred on the raster: the map origin (SW corner) is about half the extent from 0.
  EXPECT_NEAR(truth.dem.georef.crs_offset_x_m, -width_m / 2, 1e-3);
  EXPECT_NEAR(truth.dem.georef.crs_offset_y_m, -0.02 * m_per_deg, 1e-3);
  // Heights: 1000 m per degree of latitude, i.e. linear in map y.
  for (int row = 1; row < spec.height_px - 1; ++row) {
    const double crs_y = truth.dem.georef.crs_offset_y_m + spec.CellCenterY(row);
    EXPECT_NEAR(truth.dem.heights_m(spec.width_px / 2, row), 1000.0 * crs_y / m_per_deg, 1e-3);
  }
  EXPECT_THAT(truth.params.at("reprojection"), HasSubstr("local equirectangular"));
}

TEST(ImportDem, GeographicDemOnAnEllipsoidUsesTheSphereOfItsSemiMajorAxis) {
  const TempDir dir;
  WriteTestRaster(dir / "ellipsoid.tif", TestRaster(4, 4, std::vector<double>(16, -2500.0))
                                             .Geo(NorthUp(77.44, 18.45, 0.002))
                                             .Srs(testing::kMarsEllipsoidGeographic));
  const TerrainTruth truth = ImportDem(Request(dir / "ellipsoid.tif"));
  OGRSpatialReference srs;
  ASSERT_EQ(srs.importFromWkt(truth.dem.georef.crs_wkt.c_str()), OGRERR_NONE);
  EXPECT_TRUE(srs.IsProjected());
  EXPECT_EQ(srs.GetSemiMajor(), kMarsRadiusM);
  EXPECT_EQ(srs.GetInvFlattening(), 0.0);
  EXPECT_EQ(truth.dem.spec().height_px, 4);
  EXPECT_FLOAT_EQ(truth.dem.heights_m(1, 1), -2500.0f);
}

TEST(ImportDem, ReadsAnIsis3Cube) {
  const TempDir dir;
  std::vector<double> values;
  values.reserve(12);
  for (int i = 0; i < 12; ++i) values.push_back(-4400.0 + i);
  WriteTestRaster(dir / "dem.cub", TestRaster(4, 3, values)
                                       .Geo(NorthUp(8142406, -276455, 1))
                                       .Srs(testing::kMars2000Eqc)
                                       .Driver("ISIS3"));
  EXPECT_EQ(ReadRasterInfo(dir / "dem.cub").driver, "ISIS3");
  const TerrainTruth truth = ImportDem(Request(dir / "dem.cub"));
  ASSERT_EQ(truth.dem.spec(), (GridSpec{4, 3, 1.0, 0.0, 0.0}));
  EXPECT_EQ(truth.dem.heights_m(0, 2), -4400.0f);  // first pixel of the file: north-west
  EXPECT_EQ(truth.dem.heights_m(3, 0), -4389.0f);
  EXPECT_EQ(truth.dem.georef.crs_offset_y_m, -276458.0);
  EXPECT_THAT(truth.dem.georef.crs_wkt, HasSubstr("3396190"));
  EXPECT_EQ(truth.source, "dem.cub");
}

// A PDS3 image with an attached label, as HiRISE DTMs (float, PC_REAL) and older products
// (big-endian integers with SCALING_FACTOR / OFFSET) are distributed: `image_keywords` are the
// IMAGE object's keywords, `samples` the raw bytes of the 4 x 3 image, row 0 north.
void WritePds3Image(const fs::path& path, const std::string& image_keywords,
                    const std::string& projection, const std::string& samples) {
  constexpr int kLabelBytes = 1024;
  const std::string label =
      "PDS_VERSION_ID = PDS3\r\nRECORD_TYPE = UNDEFINED\r\n"
      "^IMAGE = " +
      std::to_string(kLabelBytes + 1) +
      " <BYTES>\r\n"
      "OBJECT = IMAGE\r\n  LINES = 3\r\n  LINE_SAMPLES = 4\r\n  BANDS = 1\r\n" +
      image_keywords + "END_OBJECT = IMAGE\r\n" + projection + "END\r\n";
  ASSERT_LE(label.size(), static_cast<std::size_t>(kLabelBytes));
  std::ofstream out(path, std::ios::binary);
  out << label << std::string(kLabelBytes - label.size(), ' ') << samples;
  ASSERT_TRUE(out.good());
}

template <typename T>
std::string RawSamples(const std::vector<T>& values, bool big_endian) {
  std::string bytes;
  for (const T value : values) {
    char b[sizeof(T)];
    std::memcpy(b, &value, sizeof(T));
    if (big_endian == (std::endian::native == std::endian::little)) std::reverse(b, b + sizeof(T));
    bytes.append(b, sizeof(T));
  }
  return bytes;
}

TEST(ImportDem, ReadsPds3ImagesWithAttachedLabels) {
  const TempDir dir;
  // HiRISE DTM style: 32-bit little-endian floats, the missing constant 16#FF7FFFFB#, Mars 2000
  // sphere equirectangular projection.
  std::vector<float> floats;
  for (int i = 0; i < 12; ++i) floats.push_back(-4400.0f + static_cast<float>(i));
  const std::uint32_t missing_bits = 0xFF7FFFFBu;
  std::memcpy(&floats[5], &missing_bits, sizeof missing_bits);
  const std::string projection =
      "OBJECT = IMAGE_MAP_PROJECTION\r\n  MAP_PROJECTION_TYPE = \"EQUIRECTANGULAR\"\r\n"
      "  A_AXIS_RADIUS = 3396.19 <KM>\r\n  B_AXIS_RADIUS = 3396.19 <KM>\r\n"
      "  C_AXIS_RADIUS = 3396.19 <KM>\r\n  COORDINATE_SYSTEM_NAME = PLANETOCENTRIC\r\n"
      "  POSITIVE_LONGITUDE_DIRECTION = EAST\r\n  CENTER_LATITUDE = 0.0 <DEG>\r\n"
      "  CENTER_LONGITUDE = 180.0 <DEG>\r\n  LINE_PROJECTION_OFFSET = -276455.5 <PIXEL>\r\n"
      "  SAMPLE_PROJECTION_OFFSET = -8142406.5 <PIXEL>\r\n  MAP_SCALE = 1.0 <METERS/PIXEL>\r\n"
      "END_OBJECT = IMAGE_MAP_PROJECTION\r\n";
  WritePds3Image(dir / "dtm.img",
                 "  SAMPLE_TYPE = PC_REAL\r\n  SAMPLE_BITS = 32\r\n"
                 "  MISSING_CONSTANT = 16#FF7FFFFB#\r\n",
                 projection, RawSamples(floats, /*big_endian=*/false));
  EXPECT_EQ(ReadRasterInfo(dir / "dtm.img").driver, "PDS");
  const TerrainTruth dtm = ImportDem(Request(dir / "dtm.img"));
  ASSERT_EQ(dtm.dem.spec(), (GridSpec{4, 3, 1.0, 0.0, 0.0}));
  EXPECT_EQ(dtm.dem.heights_m(0, 2), -4400.0f);  // first sample of the file: north-west
  EXPECT_EQ(dtm.dem.heights_m(3, 0), -4389.0f);
  EXPECT_FALSE(dtm.dem.View().IsValid(1, 1));  // sample 5: line 1, sample 1
  EXPECT_TRUE(dtm.dem.View().IsValid(0, 1));
  EXPECT_THAT(dtm.dem.georef.crs_wkt, HasSubstr("3396190"));

  // Big-endian 16-bit integers: metres = 0.5 * DN - 4500, missing constant -32768.
  std::vector<std::int16_t> counts;
  for (int i = 0; i < 12; ++i) counts.push_back(static_cast<std::int16_t>(2 * i));
  counts[5] = -32768;
  WritePds3Image(dir / "int.img",
                 "  SAMPLE_TYPE = MSB_INTEGER\r\n  SAMPLE_BITS = 16\r\n"
                 "  MISSING_CONSTANT = -32768\r\n  SCALING_FACTOR = 0.5\r\n  OFFSET = -4500.0\r\n",
                 "", RawSamples(counts, /*big_endian=*/true));
  const TerrainTruth scaled = ImportDem(Request(dir / "int.img"));
  ASSERT_EQ(scaled.dem.spec().width_px, 4);
  EXPECT_EQ(scaled.dem.heights_m(0, 2), -4500.0f);
  EXPECT_EQ(scaled.dem.heights_m(3, 0), -4489.0f);  // DN 22
  EXPECT_FALSE(scaled.dem.View().IsValid(1, 1));
}

TEST(ImportDem, RecordsProvenance) {
  ImportRequest request = Request(Gale(), CropWindow{8142450, -276700, 8142550, -276600});
  request.seed = 42;
  const TerrainTruth truth = ImportDem(request);
  EXPECT_EQ(truth.preset, "import");
  EXPECT_EQ(truth.source, "gale_msl_hirise_dem_1m.tif");
  EXPECT_EQ(truth.seed, 42u);
  EXPECT_EQ(truth.params.at("window"), "8142450,-276700,8142550,-276600");
  EXPECT_EQ(truth.params.at("crop_crs_m"), "8142450,-276700,8142550,-276600");
  EXPECT_EQ(truth.params.at("resolution_m"), "1");
  EXPECT_EQ(truth.params.at("fill_nodata"), "false");
  EXPECT_FALSE(truth.params.contains("rocks_k"));
  EXPECT_EQ(truth.dem.spec(), (GridSpec{100, 100, 1.0, 0.0, 0.0}));
}

TEST(ImportDem, DecoratesWithRocksDeterministicallyFromTheSeed) {
  ImportRequest request = Request(Gale());
  request.rocks_k = 0.1;
  request.seed = 7;
  const TerrainTruth a = ImportDem(request);
  const TerrainTruth b = ImportDem(request);
  ASSERT_FALSE(a.rocks.empty());
  EXPECT_EQ(a.rocks, b.rocks);
  EXPECT_EQ(a.params.at("rocks_k"), "0.1");
  ImportRequest other = request;
  other.seed = 8;
  EXPECT_NE(ImportDem(other).rocks, a.rocks);
  for (const Rock& rock : a.rocks) {
    ASSERT_TRUE(a.dem.spec().Contains(rock.x_m, rock.y_m)) << rock.x_m << "," << rock.y_m;
  }
}

TEST(ImportDem, BadInputsAreInputErrorsNamingTheFile) {
  const TempDir dir;
  const auto import_message = [](const ImportRequest& request) {
    return InputErrorMessage([&] { ImportDem(request); });
  };

  const fs::path missing = dir / "missing.tif";
  EXPECT_THAT(import_message(Request(missing)), HasSubstr(missing.string() + ": no such file"));

  const fs::path text = dir / "readme.tif";
  const std::string words = "not a DEM, just text\n";
  testing::WriteBytes(text, words.data(), words.size());
  EXPECT_THAT(import_message(Request(text)),
              HasSubstr(text.string() + ": not a raster GDAL can read"));

  const std::vector<char> gale = testing::ReadBytes(Gale());
  const fs::path truncated = dir / "truncated.tif";
  testing::WriteBytes(truncated, gale.data(), gale.size() / 2);
  EXPECT_THAT(import_message(Request(truncated)), HasSubstr(truncated.string() + ": "));

  const std::string outside = import_message(Request(Gale(), CropWindow{0, 0, 100, 100}));
  EXPECT_THAT(outside, HasSubstr(Gale().string() + ": crop window x [0, 100], y [0, 100] is not "
                                                   "inside the raster extent x [8142406, "
                                                   "8142754], y [-276792, -276455]"));
  const std::string straddling =
      import_message(Request(Gale(), CropWindow{8142700, -276500, 8142800, -276400}));
  EXPECT_THAT(straddling, HasSubstr("is not inside the raster extent"));
  EXPECT_THAT(import_message(Request(Gale(), CropWindow{8142500, -276600, 8142450, -276500})),
              HasSubstr("gale_msl_hirise_dem_1m.tif: crop window x [8142500, 8142450]"));
  EXPECT_THAT(import_message(Request(Gale(), std::nullopt, -1.0)),
              HasSubstr("gale_msl_hirise_dem_1m.tif: resolution -1 m"));

  const fs::path empty = dir / "all_nodata.tif";
  WriteTestRaster(empty, TestRaster(3, 3, std::vector<double>(9, -32768))
                             .Type(GDT_Int16)
                             .Geo(NorthUp(0, 3, 1))
                             .Nodata(-32768));
  EXPECT_THAT(import_message(Request(empty)), HasSubstr(empty.string() + ": every cell is nodata"));

  const fs::path nan = dir / "nan.tif";
  WriteTestRaster(nan,
                  TestRaster(3, 2, std::vector<double>(6, std::nan(""))).Geo(NorthUp(0, 2, 1)));
  EXPECT_THAT(import_message(Request(nan)), HasSubstr(nan.string() + ": every cell is nodata"));

  // Valid somewhere, but not in the window.
  const fs::path half = dir / "half.tif";
  WriteTestRaster(half, TestRaster(2, 1, {1.0, std::nan("")}).Geo(NorthUp(0, 1, 1)));
  EXPECT_THAT(import_message(Request(half, CropWindow{1, 0, 2, 1})),
              HasSubstr(half.string() + ": every cell is nodata in the crop window"));
  EXPECT_NO_THROW(ImportDem(Request(half)));  // control
}

}  // namespace
}  // namespace marsdrive::terrain

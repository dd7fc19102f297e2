#include "terrain/raster_io.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

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

std::string WktOf(const char* user_input) {
  OGRSpatialReference srs;
  EXPECT_EQ(srs.SetFromUserInput(user_input), OGRERR_NONE);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string text = wkt;
  CPLFree(wkt);
  return text;
}

bool SameCrs(const std::string& a, const std::string& b) {
  OGRSpatialReference sa, sb;
  return sa.importFromWkt(a.c_str()) == OGRERR_NONE && sb.importFromWkt(b.c_str()) == OGRERR_NONE &&
         sa.IsSame(&sb) != 0;
}

// Distinct values everywhere (so a flipped or shifted row shows), including awkward floats.
Grid<float> DistinctGrid(GridSpec spec) {
  Grid<float> grid(spec);
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      grid(col, row) =
          -4400.0f - 0.37f * static_cast<float>(row) + 0.001f * static_cast<float>(col);
    }
  }
  grid(1, 0) = 1e-40f;  // subnormal
  grid(2, 0) = -0.0f;
  grid(3, 0) = std::numeric_limits<float>::max();
  return grid;
}

struct Opened {
  explicit Opened(const fs::path& path)
      : ds(GDALDataset::FromHandle(GDALOpen(path.string().c_str(), GA_ReadOnly))) {}
  Opened(const Opened&) = delete;
  Opened& operator=(const Opened&) = delete;
  Opened(Opened&&) = delete;
  Opened& operator=(Opened&&) = delete;
  ~Opened() {
    if (ds != nullptr) GDALClose(GDALDataset::ToHandle(ds));
  }
  GDALDataset* ds;
};

TEST(WriteFloatGeoTiff, RoundTripKeepsValuesBitwiseRowOrderMaskAndGeoreference) {
  const TempDir dir;
  const GridSpec spec{300, 270, 0.5, 0.0, 0.0};  // more than one 256 x 256 tile each way
  const Grid<float> grid = DistinctGrid(spec);
  ASSERT_NE(grid(0, 0), grid(0, spec.height_px - 1));  // precondition: rows are distinguishable
  Grid<std::uint8_t> valid(spec, 1);
  valid(5, 7) = 0;
  valid(299, 269) = 0;
  const Georeference georef{WktOf(testing::kMars2000Eqc), 8142406.0, -276792.0};
  const fs::path path = dir / "dem.tif";
  WriteFloatGeoTiff(path, grid, georef, -32767.0, &valid);

  const HeightMap back = ReadHeightRaster(path);
  EXPECT_EQ(back.spec(), spec);
  ASSERT_TRUE(back.HasMask());
  EXPECT_EQ(back.valid.spec(), spec);
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      ASSERT_EQ(back.valid(col, row), valid(col, row)) << col << "," << row;
      if (valid(col, row) == 0) {
        EXPECT_TRUE(std::isnan(back.heights_m(col, row)));
      } else {
        ASSERT_EQ(std::bit_cast<std::uint32_t>(back.heights_m(col, row)),
                  std::bit_cast<std::uint32_t>(grid(col, row)))
            << col << "," << row;
      }
    }
  }
  EXPECT_EQ(back.georef.crs_offset_x_m, georef.crs_offset_x_m);
  EXPECT_EQ(back.georef.crs_offset_y_m, georef.crs_offset_y_m);
  EXPECT_TRUE(SameCrs(back.georef.crs_wkt, georef.crs_wkt)) << back.georef.crs_wkt;

  // What any other GDAL reader sees: row 0 is the northern row, the geotransform is
  // MakeGeoTransform's, and the file is a tiled DEFLATE GeoTIFF with nodata and unit set.
  const Opened file(path);
  ASSERT_NE(file.ds, nullptr);
  std::array<double, 6> gt{};
  ASSERT_EQ(file.ds->GetGeoTransform(gt.data()), CE_None);
  const GeoTransform expected_gt = MakeGeoTransform(spec, georef);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(gt[i], expected_gt.c[i]) << i;
  EXPECT_EQ(gt[0], 8142406.0);
  EXPECT_EQ(gt[3], -276792.0 + 135.0);
  float north_west = 0;
  GDALRasterBand* band = file.ds->GetRasterBand(1);
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, 1, 1, &north_west, 1, 1, GDT_Float32, 0, 0, nullptr),
            CE_None);
  EXPECT_EQ(north_west, grid(0, spec.height_px - 1));
  int has_nodata = 0;
  EXPECT_EQ(band->GetNoDataValue(&has_nodata), -32767.0);
  EXPECT_EQ(has_nodata, 1);
  EXPECT_STREQ(band->GetUnitType(), "metre");
  EXPECT_STREQ(file.ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
  int block_x = 0, block_y = 0;
  band->GetBlockSize(&block_x, &block_y);
  EXPECT_EQ(block_x, 256);
  EXPECT_EQ(block_y, 256);
}

TEST(WriteFloatGeoTiff, WkTRoundTripIsStable) {
  // Writing what was read gives back the same WKT text, so a reloaded terrain's georeference
  // compares equal to the one it was saved from.
  const TempDir dir;
  const GridSpec spec{4, 3, 1.0, 0.0, 0.0};
  const Georeference georef{WktOf(testing::kMars2000Eqc), 10.0, 20.0};
  WriteFloatGeoTiff(dir / "a.tif", Grid<float>(spec, 1.0f), georef);
  const HeightMap a = ReadHeightRaster(dir / "a.tif");
  WriteFloatGeoTiff(dir / "b.tif", a.heights_m, a.georef);
  const HeightMap b = ReadHeightRaster(dir / "b.tif");
  EXPECT_EQ(a.georef, b.georef);
  EXPECT_FALSE(a.georef.empty());
}

TEST(WriteFloatGeoTiff, SameInputGivesByteIdenticalFiles) {
  const TempDir dir;
  const GridSpec spec{300, 40, 0.25, 0.0, 0.0};
  Grid<float> grid = DistinctGrid(spec);
  Grid<std::uint8_t> valid(spec, 1);
  valid(10, 10) = 0;
  const Georeference georef{WktOf(testing::kMars2000Eqc), 1000.0, 2000.0};
  WriteFloatGeoTiff(dir / "a.tif", grid, georef, -32767.0, &valid);
  WriteFloatGeoTiff(dir / "b.tif", grid, georef, -32767.0, &valid);
  const std::vector<char> a = testing::ReadBytes(dir / "a.tif");
  ASSERT_GT(a.size(), 100u);
  EXPECT_TRUE(a == testing::ReadBytes(dir / "b.tif"));
  // Control: one changed cell changes the bytes.
  grid(7, 7) += 1.0f;
  WriteFloatGeoTiff(dir / "c.tif", grid, georef, -32767.0, &valid);
  EXPECT_FALSE(a == testing::ReadBytes(dir / "c.tif"));
  // Overwriting an existing file gives the same bytes as a fresh one.
  WriteFloatGeoTiff(dir / "c.tif", DistinctGrid(spec), georef, -32767.0, &valid);
  EXPECT_TRUE(a == testing::ReadBytes(dir / "c.tif"));
  // And no side files (.aux.xml) appear.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ(entry.path().extension(), ".tif") << entry.path();
  }
  EXPECT_EQ(files, 3);
}

TEST(WriteFloatGeoTiff, MaskWithoutNodataIsWrittenAsNan) {
  const TempDir dir;
  const GridSpec spec{3, 2, 1.0, 0.0, 0.0};
  Grid<std::uint8_t> valid(spec, 1);
  valid(1, 1) = 0;
  WriteFloatGeoTiff(dir / "a.tif", Grid<float>(spec, 5.0f), {}, std::nullopt, &valid);
  const HeightMap back = ReadHeightRaster(dir / "a.tif");
  ASSERT_TRUE(back.HasMask());
  EXPECT_EQ(back.valid(1, 1), 0);
  EXPECT_EQ(back.valid(0, 1), 1);
  EXPECT_EQ(back.heights_m(0, 1), 5.0f);
  EXPECT_TRUE(back.georef.empty());
  const RasterInfo info = ReadRasterInfo(dir / "a.tif");
  ASSERT_TRUE(info.nodata.has_value());
  EXPECT_TRUE(std::isnan(*info.nodata));
}

TEST(WriteFloatGeoTiff, UnwritablePathIsAnInputErrorNamingTheFile) {
  const TempDir dir;
  const fs::path path = dir / "no_such_dir" / "dem.tif";
  const std::string message = InputErrorMessage([&] {
    WriteFloatGeoTiff(path, Grid<float>(GridSpec{2, 2, 1.0, 0.0, 0.0}), {});
  });
  EXPECT_THAT(message, HasSubstr(path.string()));
}

TEST(WriteByteGeoTiff, RoundTripKeepsValuesRowOrderAndNodata) {
  const TempDir dir;
  const GridSpec spec{5, 4, 2.0, 0.0, 0.0};
  Grid<std::uint8_t> grid(spec);
  for (int row = 0; row < 4; ++row) {
    for (int col = 0; col < 5; ++col) grid(col, row) = static_cast<std::uint8_t>(10 * row + col);
  }
  grid(4, 3) = 255;
  WriteByteGeoTiff(dir / "classes.tif", grid, {WktOf(testing::kMars2000Eqc), 5.0, 6.0}, 255.0);
  const Grid<std::uint8_t> back = ReadByteRaster(dir / "classes.tif");
  EXPECT_EQ(back.spec(), spec);
  for (int row = 0; row < 4; ++row) {
    for (int col = 0; col < 5; ++col) EXPECT_EQ(back(col, row), grid(col, row)) << col << row;
  }
  const RasterInfo info = ReadRasterInfo(dir / "classes.tif");
  EXPECT_EQ(info.data_type, "Byte");
  EXPECT_EQ(info.nodata, 255.0);
  EXPECT_EQ(info.unit, "");
  // The northern row comes first in the file.
  const Opened file(dir / "classes.tif");
  std::uint8_t north_west = 0;
  ASSERT_EQ(file.ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 1, 1, &north_west, 1, 1, GDT_Byte, 0,
                                                0, nullptr),
            CE_None);
  EXPECT_EQ(north_west, 30);
}

TEST(ReadByteRaster, RejectsANonByteBand) {
  const TempDir dir;
  WriteTestRaster(dir / "f.tif",
                  TestRaster(2, 2, {1, 2, 3, 4}).Type(GDT_Int16).Geo(NorthUp(0, 2, 1)));
  EXPECT_THAT(InputErrorMessage([&] { ReadByteRaster(dir / "f.tif"); }),
              HasSubstr("f.tif: band 1 is Int16; expected Byte"));
}

TEST(ReadHeightRaster, Int16WithScaleOffsetAndNodataGivesMetresAndMask) {
  const TempDir dir;
  const int w = 6, h = 5;
  std::vector<double> raw;
  for (int r = 0; r < h; ++r) {
    for (int c = 0; c < w; ++c) raw.push_back(4000 + 100 * r + c);  // r: GDAL row, from north
  }
  raw[1 * w + 2] = -32768;  // holes
  raw[4 * w + 0] = -32768;
  WriteTestRaster(dir / "int16.tif", TestRaster(w, h, raw)
                                         .Type(GDT_Int16)
                                         .Geo(NorthUp(100, 500, 2))
                                         .Srs(testing::kMars2000Eqc)
                                         .Nodata(-32768)
                                         .Scale(0.01)
                                         .Offset(-4500));
  const HeightMap map = ReadHeightRaster(dir / "int16.tif");
  ASSERT_EQ(map.spec(), (GridSpec{w, h, 2.0, 0.0, 0.0}));
  ASSERT_TRUE(map.HasMask());
  EXPECT_EQ(map.georef.crs_offset_x_m, 100.0);
  EXPECT_EQ(map.georef.crs_offset_y_m, 490.0);
  int masked = 0;
  for (int gdal_row = 0; gdal_row < h; ++gdal_row) {
    for (int col = 0; col < w; ++col) {
      const int row = h - 1 - gdal_row;
      const double value = raw.at(static_cast<std::size_t>(gdal_row) * w + col);
      if (value == -32768) {
        ++masked;
        EXPECT_EQ(map.valid(col, row), 0);
      } else {
        EXPECT_EQ(map.valid(col, row), 1);
        EXPECT_NEAR(map.heights_m(col, row), value * 0.01 - 4500, 1e-3) << col << "," << row;
      }
    }
  }
  EXPECT_EQ(masked, 2);
  EXPECT_NEAR(map.heights_m(0, 4), 40.0 - 4500, 1e-3);  // GDAL row 0 = northern row 4
}

TEST(ReadHeightRaster, KilometreUnitConvertsToMetres) {
  const TempDir dir;
  const TestRaster km = TestRaster(2, 1, {-4.25, 1.5}).Geo(NorthUp(0, 1, 1)).Unit("km");
  WriteTestRaster(dir / "km.tif", km);
  const HeightMap map = ReadHeightRaster(dir / "km.tif");
  EXPECT_FLOAT_EQ(map.heights_m(0, 0), -4250.0f);
  EXPECT_FLOAT_EQ(map.heights_m(1, 0), 1500.0f);
  // Control: the same numbers in metres stay as they are.
  TestRaster m = km;
  m.unit = "m";
  WriteTestRaster(dir / "m.tif", m);
  EXPECT_FLOAT_EQ(ReadHeightRaster(dir / "m.tif").heights_m(1, 0), 1.5f);
}

TEST(ReadHeightRaster, UnknownUnitIsAnInputErrorNamingFileAndUnit) {
  const TempDir dir;
  WriteTestRaster(dir / "feet.tif", TestRaster(1, 1, {3}).Geo(NorthUp(0, 1, 1)).Unit("ft"));
  const std::string message = InputErrorMessage([&] { ReadHeightRaster(dir / "feet.tif"); });
  EXPECT_THAT(message, HasSubstr("feet.tif"));
  EXPECT_THAT(message, HasSubstr("'ft'"));
}

TEST(ReadHeightRaster, NanAndInfinityAreMaskedWithoutDeclaredNodata) {
  const TempDir dir;
  const double inf = std::numeric_limits<double>::infinity();
  WriteTestRaster(dir / "nan.tif",
                  TestRaster(4, 1, {1, std::nan(""), inf, -inf}).Geo(NorthUp(0, 1, 1)));
  const HeightMap map = ReadHeightRaster(dir / "nan.tif");
  ASSERT_TRUE(map.HasMask());
  EXPECT_EQ(map.valid(0, 0), 1);
  EXPECT_EQ(map.valid(1, 0), 0);
  EXPECT_EQ(map.valid(2, 0), 0);
  EXPECT_EQ(map.valid(3, 0), 0);
  // Control: an all-valid raster has no mask at all.
  WriteTestRaster(dir / "ok.tif", TestRaster(2, 1, {1, 2}).Geo(NorthUp(0, 1, 1)));
  EXPECT_FALSE(ReadHeightRaster(dir / "ok.tif").HasMask());
}

TEST(ReadHeightRaster, KeepsMars2000EquirectangularCrs) {
  const TempDir dir;
  WriteTestRaster(
      dir / "mars.tif",
      TestRaster(2, 2, {1, 2, 3, 4}).Geo(NorthUp(8142406, -276455, 1)).Srs(testing::kMars2000Eqc));
  const HeightMap map = ReadHeightRaster(dir / "mars.tif");
  EXPECT_TRUE(SameCrs(map.georef.crs_wkt, WktOf(testing::kMars2000Eqc)));
  EXPECT_THAT(map.georef.crs_wkt, HasSubstr("3396190"));
  EXPECT_THAT(map.georef.crs_wkt, ::testing::Not(HasSubstr("WGS")));
  EXPECT_EQ(map.georef.crs_offset_x_m, 8142406.0);
  EXPECT_EQ(map.georef.crs_offset_y_m, -276457.0);
  // Control: an Earth CRS is a different CRS.
  EXPECT_FALSE(SameCrs(map.georef.crs_wkt, WktOf("EPSG:32633")));
}

TEST(ReadHeightRaster, NoGeotransformMeansUnitPixelsAtTheOrigin) {
  const TempDir dir;
  WriteTestRaster(dir / "bare.tif", TestRaster(3, 2, {1, 2, 3, 4, 5, 6}));
  const HeightMap map = ReadHeightRaster(dir / "bare.tif");
  EXPECT_EQ(map.spec(), (GridSpec{3, 2, 1.0, 0.0, 0.0}));
  EXPECT_EQ(map.georef, Georeference{});
  EXPECT_EQ(map.heights_m(0, 1), 1.0f);  // the image's first row is north
  EXPECT_EQ(map.heights_m(0, 0), 4.0f);
}

TEST(ReadHeightRaster, SouthUpRasterKeepsItsOrientation) {
  const TempDir dir;
  WriteTestRaster(dir / "south_up.tif", TestRaster(1, 2, {1, 2}).Geo({50, 1, 0, 70, 0, 1}));
  const HeightMap map = ReadHeightRaster(dir / "south_up.tif");
  EXPECT_EQ(map.heights_m(0, 0), 1.0f);  // first GDAL row is the southern one here
  EXPECT_EQ(map.heights_m(0, 1), 2.0f);
  EXPECT_EQ(map.georef.crs_offset_y_m, 70.0);
}

TEST(ReadHeightRaster, RejectsRotatedGeotransform) {
  const TempDir dir;
  WriteTestRaster(dir / "rotated.tif",
                  TestRaster(2, 2, {1, 2, 3, 4}).Geo({0, 1, 0.2, 10, 0.2, -1}));
  const std::string message = InputErrorMessage([&] { ReadHeightRaster(dir / "rotated.tif"); });
  EXPECT_THAT(message, HasSubstr("rotated.tif: rotated or sheared geotransform"));
}

TEST(ReadHeightRaster, RejectsNonSquarePixelsButNotRoundingNoise) {
  const TempDir dir;
  WriteTestRaster(dir / "wide.tif", TestRaster(2, 2, {1, 2, 3, 4}).Geo({0, 2, 0, 10, 0, -1}));
  EXPECT_THAT(InputErrorMessage([&] { ReadHeightRaster(dir / "wide.tif"); }),
              HasSubstr("wide.tif: pixels are not square (2 x 1"));
  WriteTestRaster(dir / "almost.tif",
                  TestRaster(2, 2, {1, 2, 3, 4}).Geo({0, 1.0000001, 0, 10, 0, -1}));
  EXPECT_EQ(ReadHeightRaster(dir / "almost.tif").spec().resolution_m, 1.0000001);
}

TEST(ReadHeightRaster, RejectsGeographicCrsWithAHint) {
  const TempDir dir;
  WriteTestRaster(
      dir / "geo.tif",
      TestRaster(2, 2, {1, 2, 3, 4}).Geo(NorthUp(77, 18, 0.001)).Srs(testing::kMars2000Geographic));
  const std::string message = InputErrorMessage([&] { ReadHeightRaster(dir / "geo.tif"); });
  EXPECT_THAT(message, HasSubstr("geo.tif: geographic CRS"));
  EXPECT_THAT(message, HasSubstr("terrain import"));
}

TEST(ReadRasterInfo, DescribesTheShippedGaleDem) {
  const RasterInfo info = ReadRasterInfo(testing::ShippedDataDir() / "gale_msl_hirise_dem_1m.tif");
  EXPECT_EQ(info.width_px, 348);
  EXPECT_EQ(info.height_px, 337);
  EXPECT_EQ(info.band_count, 1);
  EXPECT_EQ(info.driver, "GTiff");
  EXPECT_EQ(info.data_type, "Float32");
  EXPECT_EQ(info.pixel_width, 1.0);
  EXPECT_EQ(info.pixel_height, -1.0);
  EXPECT_TRUE(info.has_geotransform);
  EXPECT_EQ(info.nodata, -32767.0);
  EXPECT_EQ(info.unit, "metre");
  EXPECT_EQ(info.scale, 1.0);
  EXPECT_EQ(info.offset, 0.0);
  EXPECT_THAT(info.crs_wkt, HasSubstr("Mars2000 Equidistant Cylindrical clon0"));
}

TEST(ReadHeightRaster, BadFilesAreInputErrorsNamingTheFile) {
  const TempDir dir;
  const fs::path missing = dir / "missing.tif";
  EXPECT_THAT(InputErrorMessage([&] { ReadHeightRaster(missing); }),
              HasSubstr(missing.string() + ": no such file"));

  const fs::path text = dir / "notes.tif";
  const std::string words = "this is not a raster\n";
  testing::WriteBytes(text, words.data(), words.size());
  EXPECT_THAT(InputErrorMessage([&] { ReadHeightRaster(text); }),
              HasSubstr(text.string() + ": not a raster GDAL can read"));

  const std::vector<char> gale =
      testing::ReadBytes(testing::ShippedDataDir() / "gale_msl_hirise_dem_1m.tif");
  ASSERT_GT(gale.size(), 100000u);
  for (std::size_t size : {std::size_t{100}, std::size_t{60000}, gale.size() - 1000}) {
    SCOPED_TRACE(size);
    const fs::path cut = dir / ("truncated_" + std::to_string(size) + ".tif");
    testing::WriteBytes(cut, gale.data(), size);
    const std::string message = InputErrorMessage([&] { ReadHeightRaster(cut); });
    EXPECT_THAT(message, HasSubstr(cut.string() + ": "));
  }
  // Control: the whole file reads.
  EXPECT_EQ(
      ReadHeightRaster(testing::ShippedDataDir() / "gale_msl_hirise_dem_1m.tif").spec().width_px,
      348);
}

}  // namespace
}  // namespace marsdrive::terrain

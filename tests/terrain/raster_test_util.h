#pragma once
// Synthetic rasters for the raster IO and DEM import tests, written with GDAL itself (so the
// code under test is checked against GDAL's own reading of the same files), plus a temporary
// directory and an InputError-message helper.

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include "base/check.h"

namespace marsdrive::terrain::testing {

// Mars 2000 sphere, equidistant cylindrical, standard parallel 0 (the Gale DEM's CRS).
inline constexpr const char* kMars2000Eqc =
    "+proj=eqc +lat_ts=0 +lat_0=0 +lon_0=0 +x_0=0 +y_0=0 +R=3396190 +units=m +no_defs";
// Mars 2000 sphere, geographic (planetocentric degrees).
inline constexpr const char* kMars2000Geographic =
    "GEOGCS[\"Mars 2000\",DATUM[\"D_Mars_2000\",SPHEROID[\"Mars_2000_IAU_IAG\",3396190,0]],"
    "PRIMEM[\"Reference_Meridian\",0],UNIT[\"degree\",0.0174532925199433]]";
// Mars IAU 2000 ellipsoid (flattened), geographic.
inline constexpr const char* kMarsEllipsoidGeographic =
    "GEOGCS[\"Mars 2000 ellipsoid\",DATUM[\"D_Mars_2000_ellipsoid\","
    "SPHEROID[\"Mars_IAU_2000\",3396190,169.894447223612]],"
    "PRIMEM[\"Reference_Meridian\",0],UNIT[\"degree\",0.0174532925199433]]";

inline std::filesystem::path ShippedDataDir() {
  return std::filesystem::path(MARSDRIVE_SOURCE_DIR) / "terrain" / "data";
}

// A fresh directory for one test, removed with everything in it afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("marsdrive-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A raster to write, built fluently: TestRaster(w, h, values).Geo(NorthUp(...)).Unit("km").
struct TestRaster {
  TestRaster(int w, int h, std::vector<double> v) : width(w), height(h), values(std::move(v)) {}
  TestRaster& Type(GDALDataType t) {
    type = t;
    return *this;
  }
  TestRaster& Geo(const std::array<double, 6>& gt) {
    geotransform = gt;
    return *this;
  }
  TestRaster& Srs(std::string s) {
    srs = std::move(s);
    return *this;
  }
  TestRaster& Nodata(double v) {
    nodata = v;
    return *this;
  }
  TestRaster& Scale(double v) {
    scale = v;
    return *this;
  }
  TestRaster& Offset(double v) {
    offset = v;
    return *this;
  }
  TestRaster& Unit(std::string u) {
    unit = std::move(u);
    return *this;
  }
  TestRaster& Driver(std::string d) {
    driver = std::move(d);
    return *this;
  }

  int width = 0;
  int height = 0;
  std::vector<double> values;  // GDAL order: row 0 is the first (northern) row
  GDALDataType type = GDT_Float32;
  std::optional<std::array<double, 6>> geotransform;  // none: no geotransform at all
  std::string srs;  // anything OGR's SetFromUserInput takes; empty: no CRS
  std::optional<double> nodata;
  std::optional<double> scale;
  std::optional<double> offset;
  std::string unit;
  std::string driver = "GTiff";
};

// A north-up geotransform with square pixels and the given north-west corner.
inline std::array<double, 6> NorthUp(double west, double north, double pixel) {
  return {west, pixel, 0, north, 0, -pixel};
}

inline void WriteTestRaster(const std::filesystem::path& path, const TestRaster& r) {
  GDALAllRegister();
  MD_DEMAND(r.values.size() == static_cast<std::size_t>(r.width) * r.height);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(r.driver.c_str());
  ASSERT_NE(driver, nullptr) << r.driver;
  GDALDataset* ds = driver->Create(path.string().c_str(), r.width, r.height, 1, r.type, nullptr);
  ASSERT_NE(ds, nullptr) << path;
  if (r.geotransform) {
    std::array<double, 6> gt = *r.geotransform;
    ASSERT_EQ(ds->SetGeoTransform(gt.data()), CE_None);
  }
  if (!r.srs.empty()) {
    OGRSpatialReference srs;
    ASSERT_EQ(srs.SetFromUserInput(r.srs.c_str()), OGRERR_NONE) << r.srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    ASSERT_EQ(ds->SetSpatialRef(&srs), CE_None);
  }
  GDALRasterBand* band = ds->GetRasterBand(1);
  if (r.nodata) {
    ASSERT_EQ(band->SetNoDataValue(*r.nodata), CE_None);
  }
  if (r.scale) {
    ASSERT_EQ(band->SetScale(*r.scale), CE_None);
  }
  if (r.offset) {
    ASSERT_EQ(band->SetOffset(*r.offset), CE_None);
  }
  if (!r.unit.empty()) {
    ASSERT_EQ(band->SetUnitType(r.unit.c_str()), CE_None);
  }
  std::vector<double> values = r.values;
  ASSERT_EQ(band->RasterIO(GF_Write, 0, 0, r.width, r.height, values.data(), r.width, r.height,
                           GDT_Float64, 0, 0, nullptr),
            CE_None);
  GDALClose(GDALDataset::ToHandle(ds));
}

inline std::vector<char> ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void WriteBytes(const std::filesystem::path& path, const char* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(data, static_cast<std::streamsize>(size));
}

// The message of the InputError `f` throws; a test failure (and "") when it throws none.
template <typename F>
std::string InputErrorMessage(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got another exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected InputError, nothing was thrown";
  return "";
}

}  // namespace marsdrive::terrain::testing

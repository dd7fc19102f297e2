#include "terrain/raster_io.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "base/check.h"
#include "base/memory_budget.h"
#include "terrain/gdal_support.h"

namespace marsdrive::terrain {

namespace {

using gdal::DatasetPtr;
using gdal::ErrorCapture;
using gdal::Fail;

// Sets a GDAL configuration option for this thread only, restoring the old value on exit.
class ScopedThreadConfig {
 public:
  ScopedThreadConfig(const char* key, const char* value) : key_(key) {
    const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
    if (old != nullptr) old_ = old;
    CPLSetThreadLocalConfigOption(key, value);
  }
  ScopedThreadConfig(const ScopedThreadConfig&) = delete;
  ScopedThreadConfig& operator=(const ScopedThreadConfig&) = delete;
  ScopedThreadConfig(ScopedThreadConfig&&) = delete;
  ScopedThreadConfig& operator=(ScopedThreadConfig&&) = delete;
  ~ScopedThreadConfig() { CPLSetThreadLocalConfigOption(key_, old_ ? old_->c_str() : nullptr); }

 private:
  const char* key_;
  std::optional<std::string> old_;
};

constexpr int kBlockPx = 256;

// Writes a single-band tiled, DEFLATE-compressed GeoTIFF. `fill_rows(first, rows, buffer)`
// fills `rows` rows of GDAL order (north first), starting at GDAL row `first`.
template <typename T, typename FillRows>
void WriteGeoTiff(const std::filesystem::path& path, const GridSpec& spec,
                  const Georeference& georef, std::optional<double> nodata, const std::string& unit,
                  FillRows fill_rows) {
  MD_DEMAND(spec.width_px > 0 && spec.height_px > 0);
  gdal::EnsureRegistered();
  constexpr bool kIsFloat = std::is_same_v<T, float>;
  static_assert(kIsFloat || std::is_same_v<T, std::uint8_t>);
  constexpr GDALDataType kType = kIsFloat ? GDT_Float32 : GDT_Byte;
  // Everything goes into the .tif: no .aux.xml side file (whose presence would depend on what
  // GDAL chose to keep aside) and no statistics, so the bytes depend on the input only.
  const ScopedThreadConfig no_pam("GDAL_PAM_ENABLED", "NO");
  ErrorCapture errors;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (driver == nullptr) Fail(path, "cannot write: GDAL has no GTiff driver", &errors);
  CPLStringList options;
  options.SetNameValue("TILED", "YES");
  options.SetNameValue("BLOCKXSIZE", std::to_string(kBlockPx).c_str());
  options.SetNameValue("BLOCKYSIZE", std::to_string(kBlockPx).c_str());
  options.SetNameValue("COMPRESS", "DEFLATE");
  options.SetNameValue("PREDICTOR", kIsFloat ? "3" : "2");  // floating-point / horizontal
  options.SetNameValue("NUM_THREADS", "1");                 // same bytes whatever the machine
  // Fast compression: a 200 m map at 0.05 m is 64 MB of floats; level 1 writes it ~3x faster
  // than the default 6 for files ~10 % larger.
  options.SetNameValue("ZLEVEL", "1");
  const std::string name = path.string();
  bool done = false;
  {
    DatasetPtr dataset(
        driver->Create(name.c_str(), spec.width_px, spec.height_px, 1, kType, options.List()));
    if (!dataset) Fail(path, "cannot create GeoTIFF", &errors);
    GeoTransform gt = MakeGeoTransform(spec, georef);
    bool ok = dataset->SetGeoTransform(gt.c) == CE_None;
    if (ok && !georef.crs_wkt.empty()) {
      OGRSpatialReference srs;
      if (srs.importFromWkt(georef.crs_wkt.c_str()) != OGRERR_NONE) {
        dataset.reset();
        VSIUnlink(name.c_str());
        Fail(path, "cannot write: the georeference's CRS is not valid WKT", &errors);
      }
      srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      ok = dataset->SetSpatialRef(&srs) == CE_None;
    }
    GDALRasterBand* band = dataset->GetRasterBand(1);
    if (ok && nodata) ok = band->SetNoDataValue(*nodata) == CE_None;
    if (ok && !unit.empty()) ok = band->SetUnitType(unit.c_str()) == CE_None;
    std::vector<T> buffer(static_cast<std::size_t>(spec.width_px) * kBlockPx);
    for (int first = 0; ok && first < spec.height_px; first += kBlockPx) {
      const int rows = std::min(kBlockPx, spec.height_px - first);
      fill_rows(first, rows, buffer.data());
      ok = band->RasterIO(GF_Write, 0, first, spec.width_px, rows, buffer.data(), spec.width_px,
                          rows, kType, 0, 0, nullptr) == CE_None;
    }
    done = ok;
  }  // closing flushes the last blocks; failures there show up in `errors`
  if (!done || errors.HasFailure()) {
    VSIUnlink(name.c_str());
    Fail(path, "cannot write GeoTIFF", &errors);
  }
}

}  // namespace

void WriteFloatGeoTiff(const std::filesystem::path& path, const Grid<float>& grid,
                       const Georeference& georef, std::optional<double> nodata,
                       const Grid<std::uint8_t>* valid, const std::string& unit) {
  const bool use_mask = valid != nullptr && !valid->empty();
  if (use_mask) MD_DEMAND(valid->spec() == grid.spec());
  const bool any_masked = use_mask && std::find(valid->Values().begin(), valid->Values().end(),
                                                std::uint8_t{0}) != valid->Values().end();
  // Masked cells need a nodata value in the file; NaN unless the caller chose one.
  if (any_masked && !nodata) nodata = std::numeric_limits<double>::quiet_NaN();
  const float fill = nodata ? static_cast<float>(*nodata) : 0.0f;
  const int width = grid.width_px();
  const int height = grid.height_px();
  WriteGeoTiff<float>(path, grid.spec(), georef, nodata, unit,
                      [&](int first, int rows, float* buffer) {
                        for (int i = 0; i < rows; ++i) {
                          const int row = height - 1 - (first + i);  // GDAL row 0 is north
                          const std::span<const float> src = grid.Row(row);
                          float* dst = buffer + static_cast<std::size_t>(i) * width;
                          std::copy(src.begin(), src.end(), dst);
                          if (!any_masked) continue;
                          const std::span<const std::uint8_t> ok = valid->Row(row);
                          for (int col = 0; col < width; ++col) {
                            if (ok[col] == 0) dst[col] = fill;
                          }
                        }
                      });
}

void WriteByteGeoTiff(const std::filesystem::path& path, const Grid<std::uint8_t>& grid,
                      const Georeference& georef, std::optional<double> nodata) {
  const int width = grid.width_px();
  const int height = grid.height_px();
  WriteGeoTiff<std::uint8_t>(
      path, grid.spec(), georef, nodata, "", [&](int first, int rows, std::uint8_t* buffer) {
        for (int i = 0; i < rows; ++i) {
          const std::span<const std::uint8_t> src = grid.Row(height - 1 - (first + i));
          std::copy(src.begin(), src.end(), buffer + static_cast<std::size_t>(i) * width);
        }
      });
}

void RequireRasterMemory(const std::filesystem::path& path, int width_px, int height_px,
                         double bytes_per_cell) {
  const double cells = static_cast<double>(width_px) * static_cast<double>(height_px);
  const std::string why = base::CheckMemoryEstimate(
      path.string() + ": reading " + std::to_string(width_px) + " x " + std::to_string(height_px) +
          " cells",
      cells * bytes_per_cell, "is the raster's size right? (--max-memory raises the cap)");
  MD_THROW_UNLESS(why.empty(), why);
}

}  // namespace marsdrive::terrain

#include "terrain/truth/raster_read.h"

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
#include "terrain/raster_io.h"

namespace marsdrive::terrain {

using gdal::DatasetPtr;
using gdal::ErrorCapture;
using gdal::Fail;

RasterInfo ReadRasterInfo(const std::filesystem::path& path) {
  const ErrorCapture quiet;  // GDAL's warnings (e.g. on lazily read tags) stay off stderr
  const DatasetPtr dataset = gdal::OpenRaster(path);
  RasterInfo info;
  info.width_px = dataset->GetRasterXSize();
  info.height_px = dataset->GetRasterYSize();
  info.band_count = dataset->GetRasterCount();
  info.driver = dataset->GetDriver() != nullptr ? dataset->GetDriver()->GetDescription() : "";
  std::array<double, 6> gt{};
  info.has_geotransform = dataset->GetGeoTransform(gt.data()) == CE_None;
  if (info.has_geotransform) {
    info.pixel_width = gt[1];
    info.pixel_height = gt[5];
  }
  info.crs_wkt = gdal::CrsWkt(dataset->GetSpatialRef());
  GDALRasterBand* band = dataset->GetRasterBand(1);
  info.data_type = GDALGetDataTypeName(band->GetRasterDataType());
  int has = 0;
  const double nodata = band->GetNoDataValue(&has);
  if (has != 0) info.nodata = nodata;
  const double scale = band->GetScale(&has);
  if (has != 0) info.scale = scale;
  const double offset = band->GetOffset(&has);
  if (has != 0) info.offset = offset;
  const char* unit = band->GetUnitType();
  info.unit = unit == nullptr ? "" : unit;
  return info;
}

HeightMap ReadHeightRaster(const std::filesystem::path& path) {
  const ErrorCapture quiet;  // GDAL's warnings (e.g. on lazily read tags) stay off stderr
  const DatasetPtr dataset = gdal::OpenRaster(path);
  const gdal::HeightEncoding encoding = gdal::InspectHeightBand(path, *dataset);
  const gdal::RasterFrame frame = gdal::InspectFrame(path, *dataset, /*require_square=*/true);
  const OGRSpatialReference* srs = dataset->GetSpatialRef();
  gdal::RequireMetricCrs(path, srs);
  RequireRasterMemory(path, frame.width_px, frame.height_px,
                      sizeof(float) + sizeof(std::uint8_t));  // heights, valid mask
  HeightMap map(GridSpec{frame.width_px, frame.height_px, frame.pixel_w, 0.0, 0.0});
  gdal::ReadHeights(path, *dataset, encoding, 0, 0, frame.north_up, map);
  map.georef = {gdal::CrsWkt(srs), frame.west, frame.south};
  return map;
}

Grid<std::uint8_t> ReadByteRaster(const std::filesystem::path& path) {
  const ErrorCapture quiet;  // GDAL's warnings (e.g. on lazily read tags) stay off stderr
  const DatasetPtr dataset = gdal::OpenRaster(path);
  const gdal::RasterFrame frame = gdal::InspectFrame(path, *dataset, /*require_square=*/true);
  GDALRasterBand* band = dataset->GetRasterBand(1);
  const GDALDataType type = band->GetRasterDataType();
  MD_THROW_UNLESS(type == GDT_Byte,
                  path.string() + ": band 1 is " + GDALGetDataTypeName(type) + "; expected Byte");
  RequireRasterMemory(path, frame.width_px, frame.height_px, sizeof(std::uint8_t));
  Grid<std::uint8_t> grid(GridSpec{frame.width_px, frame.height_px, frame.pixel_w, 0.0, 0.0});
  ErrorCapture errors;
  for (int gdal_row = 0; gdal_row < frame.height_px; ++gdal_row) {
    const int row = frame.north_up ? frame.height_px - 1 - gdal_row : gdal_row;
    if (band->RasterIO(GF_Read, 0, gdal_row, frame.width_px, 1, grid.Row(row).data(),
                       frame.width_px, 1, GDT_Byte, 0, 0, nullptr) != CE_None) {
      Fail(path, "cannot read band 1 (truncated or corrupt file?)", &errors);
    }
  }
  return grid;
}

}  // namespace marsdrive::terrain

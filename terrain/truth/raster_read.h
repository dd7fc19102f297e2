#pragma once
// Reading rasters whole: any DEM (for import and `terrain info`), the truth DEM and the class
// map of a terrain directory. Ground-truth side (marsdrive::terrain_truth): a planner cannot link
// it, so it cannot open truth_dem.tif even with a path.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "terrain/height_map.h"

namespace marsdrive::terrain {

// What a raster file holds, before any conversion (for import and `terrain info`).
struct RasterInfo {
  int width_px = 0;
  int height_px = 0;
  int band_count = 0;
  std::string driver;       // GDAL short name, e.g. "GTiff", "PDS", "ISIS3"
  std::string data_type;    // GDAL name, e.g. "Float32", "Int16"
  double pixel_width = 0;   // geotransform[1]
  double pixel_height = 0;  // geotransform[5] (negative when north-up)
  bool has_geotransform = false;
  std::string crs_wkt;
  std::optional<double> nodata;
  double scale = 1, offset = 0;  // physical = raw * scale + offset
  std::string unit;              // band unit type, e.g. "metre", "m", "km", ""
};
RasterInfo ReadRasterInfo(const std::filesystem::path& path);

// Reads band 1 as heights in metres: scale/offset applied, unit converted (m, km), nodata
// (and NaN / inf) masked. The grid's map frame has its origin at the raster's lower-left
// corner, and georef.crs_offset_* holds that corner's CRS coordinates. Throws InputError
// naming the file for anything unreadable, ungeoreferenced rotation, or non-square pixels.
// Masked cells hold NaN. A raster without a geotransform reads as 1 m pixels with its lower-left
// corner at CRS (0, 0). Geographic (degree) CRSes are rejected: ImportDem reprojects them.
HeightMap ReadHeightRaster(const std::filesystem::path& path);
// Reads a byte raster written by WriteByteGeoTiff (e.g. classes.tif) with the given spec check.
Grid<std::uint8_t> ReadByteRaster(const std::filesystem::path& path);

}  // namespace marsdrive::terrain

#pragma once
// Raster files through GDAL: GeoTIFF writing (deterministic bytes) and reading of any raster
// GDAL opens (GeoTIFF, PDS3 .IMG, ISIS cubes, PNG...). Rows are flipped to marsdrive's
// south-first order here and nowhere else.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "terrain/height_map.h"
#include "terrain/soil.h"

namespace marsdrive::terrain {

// Float32 single-band GeoTIFF (DEFLATE, tiled). `nodata` is written as the band nodata value
// when given, and cells where `valid` is 0 are written with it.
// When `valid` masks cells and no `nodata` is given, NaN is the nodata value. `unit` is the band
// unit type: "metre" suits heights; pass e.g. "degree" for slopes or "" for unitless layers.
// Bytes depend only on the arguments (no timestamps, statistics or .aux.xml side file).
// Throws InputError naming the file when it cannot be written.
void WriteFloatGeoTiff(const std::filesystem::path& path, const Grid<float>& grid,
                       const Georeference& georef, std::optional<double> nodata = std::nullopt,
                       const Grid<std::uint8_t>* valid = nullptr,
                       const std::string& unit = "metre");
// Byte single-band GeoTIFF (e.g. the class map, nodata 255).
void WriteByteGeoTiff(const std::filesystem::path& path, const Grid<std::uint8_t>& grid,
                      const Georeference& georef, std::optional<double> nodata = std::nullopt);

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
// A raster's header may claim any size (a 32 KB sparse GeoTIFF can claim 16k x 16k cells): the
// readers estimate the memory for its cells from the header first (base::CheckMemoryEstimate)
// and throw InputError naming the file, the size and the estimate when it is too much.
void RequireRasterMemory(const std::filesystem::path& path, int width_px, int height_px,
                         double bytes_per_cell);
// Reads a byte raster written by WriteByteGeoTiff (e.g. classes.tif) with the given spec check.
Grid<std::uint8_t> ReadByteRaster(const std::filesystem::path& path);

}  // namespace marsdrive::terrain

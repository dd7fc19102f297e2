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

// A raster's header may claim any size (a 32 KB sparse GeoTIFF can claim 16k x 16k cells): the
// readers estimate the memory for its cells from the header first (base::CheckMemoryEstimate)
// and throw InputError naming the file, the size and the estimate when it is too much.
void RequireRasterMemory(const std::filesystem::path& path, int width_px, int height_px,
                         double bytes_per_cell);
}  // namespace marsdrive::terrain

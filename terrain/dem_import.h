#pragma once
// Importing real DEMs (GeoTIFF, PDS3 .IMG, ISIS cubes: anything GDAL reads) into ground truth.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "terrain/terrain_truth.h"

namespace marsdrive::terrain {

struct CropWindow {  // in the DEM's projected CRS coordinates, metres
  double x0_m = 0, y0_m = 0, x1_m = 0, y1_m = 0;
};

struct ImportRequest {
  std::filesystem::path file;
  std::optional<CropWindow> window;       // default: the whole raster
  std::optional<double> resolution_m;     // default: the raster's own
  bool fill_nodata = false;               // fill holes by inverse-distance interpolation
  std::optional<double> rocks_k;          // decorate with sub-resolution rocks (Golombek-Rapp k)
  std::uint64_t seed = 1;                 // for decoration
};

// Loads, crops, resamples (bilinear, nodata-aware), and optionally decorates with procedural
// rocks and soil classes. The result's map origin is the SW corner of the (cropped) raster,
// and dem.georef keeps the CRS and that corner's CRS coordinates.
// Throws InputError naming the file for: unreadable file, window outside the raster,
// all-nodata, non-metre units it cannot convert.
TerrainTruth ImportDem(const ImportRequest& request);

}  // namespace marsdrive::terrain

#pragma once
// Importing real DEMs (GeoTIFF, PDS3 .IMG, ISIS cubes: anything GDAL reads) into ground truth.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

// In the DEM's projected CRS coordinates, metres. For a geographic (lat/lon) DEM these are the
// coordinates of the local equirectangular CRS it is reprojected to (see ImportDem): metres east
// and north of the raster's centre.
struct CropWindow {
  double x0_m = 0, y0_m = 0, x1_m = 0, y1_m = 0;
};

struct ImportRequest {
  std::filesystem::path file;
  std::optional<CropWindow> window;    // default: the whole raster
  std::optional<double> resolution_m;  // default: the raster's own
  bool fill_nodata = false;            // fill holes by inverse-distance interpolation
  std::optional<double> rocks_k;       // decorate with sub-resolution rocks (Golombek-Rapp k)
  std::uint64_t seed = 1;              // for decoration
};

// Loads, crops, resamples (bilinear, nodata-aware), and optionally decorates with procedural
// rocks and soil classes. The result's map origin is the SW corner of the (cropped) raster,
// and dem.georef keeps the CRS and that corner's CRS coordinates.
// Throws InputError naming the file for: unreadable file, window outside the raster,
// all-nodata, non-metre units it cannot convert.
//
// Details:
// - Without a resolution (or with the raster's own) the window is snapped outwards to the
//   raster's pixel grid and the pixels are copied as they are (bit-exact heights).
// - With another resolution the grid starts at the window's SW corner and drops any remainder
//   under one cell at the east/north edges. Resampling is GDAL's warper: bilinear when the
//   result is as fine as the source or finer (the surface HeightMap::HeightAt interpolates),
//   area-weighted average when coarser (point samples would alias). Both skip nodata pixels.
// - Geographic (degree) DEMs are reprojected to a local equirectangular CRS on the sphere of
//   the body's semi-major axis, centred on the raster and true to scale at its centre latitude;
//   their own resolution is their north-south post spacing in metres.
// - Masked cells hold NaN and class kNodata; every valid cell is kRegolith unless rocks_k is
//   set, in which case DecorateTerrain sets classes and rocks (seeded from `seed`).
TerrainTruth ImportDem(const ImportRequest& request);

}  // namespace marsdrive::terrain

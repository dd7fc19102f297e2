#pragma once
// Internals shared by terrain/orbital.cpp and terrain/orbital_ortho.cpp. Not part of the
// planner-facing interface (terrain/orbital.h): these functions read ground truth, and only
// MakeOrbitalProducts() may call them.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

#include "terrain/grid.h"
#include "terrain/height_map.h"
#include "terrain/orbital.h"
#include "terrain/rocks.h"
#include "terrain/truth/orbital_products.h"

namespace marsdrive::terrain {

struct TerrainTruth;

namespace internal {

// A coarser grid over the extent of `fine`: resolution max(requested, fine resolution) (a
// product is never finer than its source), the same origin, and floor(extent / resolution)
// cells per axis, so the coarse grid never reaches past the fine one. The strip at the east and
// north edges narrower than one coarse cell is left out. Throws InputError when not even one
// coarse cell fits; `what` names the product in that message.
GridSpec MakeCoarseSpec(const GridSpec& fine, double requested_resolution_m, const char* what);

// Overlap of the cells of a fine axis with the cells of a coarse axis on the same origin:
// coarse cell j covers the fine cells src[first[j] .. first[j + 1]) with weights w (fractions
// of a fine cell, so a fine cell split by a coarse boundary appears twice).
struct AxisOverlap {
  std::vector<int> first;  // size coarse_count + 1
  std::vector<int> src;    // fine cell index
  std::vector<double> w;   // overlap length in fine cells, (0, 1]
};
// coarse_per_fine = coarse resolution / fine resolution (>= 1, up to rounding).
AxisOverlap MakeAxisOverlap(int fine_count, int coarse_count, double coarse_per_fine);

// Area-weighted means over the cells of `coarse` of N channels sampled on `fine` (both from
// MakeCoarseSpec, same origin). sample(col, row, values) fills values[0..N) for a fine cell and
// returns false for nodata, which then carries no weight. Calls `store(coarse_col, coarse_row,
// means, valid_weight)` once per coarse cell, in row-major order; valid_weight is the valid
// area in fine cells (0: no valid fine cell, and `means` are then zeros). O(fine cells), single
// pass, fixed summation order (deterministic).
template <int N, typename SampleFn, typename StoreFn>
void AreaAverage(const GridSpec& fine, const GridSpec& coarse, SampleFn&& sample, StoreFn&& store) {
  const double ratio = coarse.resolution_m / fine.resolution_m;
  const AxisOverlap cols = MakeAxisOverlap(fine.width_px, coarse.width_px, ratio);
  const AxisOverlap rows = MakeAxisOverlap(fine.height_px, coarse.height_px, ratio);
  const auto width = static_cast<std::size_t>(coarse.width_px);
  std::vector<double> sums(width * (N + 1));
  std::array<double, N> values{};
  for (int cr = 0; cr < coarse.height_px; ++cr) {
    std::fill(sums.begin(), sums.end(), 0.0);
    for (int ri = rows.first[cr]; ri < rows.first[cr + 1]; ++ri) {
      const int fr = rows.src[ri];
      const double wr = rows.w[ri];
      for (std::size_t cc = 0; cc < width; ++cc) {
        double* acc = &sums[cc * (N + 1)];
        for (int ci = cols.first[cc]; ci < cols.first[cc + 1]; ++ci) {
          if (!sample(cols.src[ci], fr, values.data())) continue;
          const double w = wr * cols.w[ci];
          for (int k = 0; k < N; ++k) acc[k] += w * values[k];
          acc[N] += w;
        }
      }
    }
    for (std::size_t cc = 0; cc < width; ++cc) {
      double* acc = &sums[cc * (N + 1)];
      if (acc[N] > 0) {
        for (int k = 0; k < N; ++k) acc[k] /= acc[N];
      }
      store(static_cast<int>(cc), cr, static_cast<const double*>(acc), acc[N]);
    }
  }
}

// Area-weighted mean of the valid truth heights per coarse cell; NaN where no valid truth
// (a fine cell is nodata when masked or not finite).
Grid<float> AreaAverageHeights(const HeightMapView& fine, const GridSpec& coarse);

// Cells [first, last] (inclusive) of an axis of `count` cells starting at `origin_m` whose
// extent meets [lo_m, hi_m], clamped to the axis (empty when first > last). Computed in double,
// so rocks far off the grid do not overflow an int.
struct CellRange {
  int first, last;
};
inline CellRange CellsMeeting(double lo_m, double hi_m, double origin_m, double res_m, int count) {
  const double first = std::floor((lo_m - origin_m) / res_m);
  const double last = std::floor((hi_m - origin_m) / res_m);
  if (!(last >= 0 && first < count)) return {0, -1};
  return {static_cast<int>(std::max(first, 0.0)),
          static_cast<int>(std::min(last, static_cast<double>(count - 1)))};
}

// Height above the local ground of a rock modelled as a half ellipsoid (semi-axes D/2, D/2, H)
// at map point (x, y); 0 outside its base disc.
inline double RockBumpHeightM(const Rock& rock, double x_m, double y_m) {
  const double radius_m = 0.5 * rock.diameter_m;
  const double dx = x_m - rock.x_m, dy = y_m - rock.y_m;
  const double rho2 = (dx * dx + dy * dy) / (radius_m * radius_m);
  return rho2 < 1.0 ? rock.height_m * std::sqrt(1.0 - rho2) : 0.0;
}

// The orthoimage (terrain/orbital_ortho.cpp): a hillshade of the truth DEM at
// max(params.ortho_resolution_m, truth resolution) times a per-soil-class albedo, with
// `visible_rocks` drawn as shaded blobs casting shadows; nodata black; row 0 at the north.
OrthoImage MakeOrthoImage(const TerrainTruth& truth, std::span<const Rock> visible_rocks,
                          const OrbitalParams& params);

// Reads an 8-bit PNG with OpenCV into an OrthoImage's pixels (row 0 at the top = north);
// resolution and origin are not stored in a PNG and are left 0. Throws InputError naming the
// path when it cannot be read. (Tests read WriteOrthoPng's output back with it.)
OrthoImage ReadPngRgb(const std::filesystem::path& path);

}  // namespace internal
}  // namespace marsdrive::terrain

// Decoration of imported DEMs: soil classes from the relief and a sub-resolution rock field.
//
// Classes (EST rules, in the spirit of terrain.md §1/§3/§5: loose sand collects in low,
// gentle ground; steep and convex ground is where bedrock crops out):
//   nodata   where dem.valid is 0;
//   bedrock  where the slope is >= 25 deg (steeper than loose regolith stays on a DEM that
//            smooths the real surface; terrain.md §5 gives angles of repose ~34 deg), or where
//            the ground is convex: relief >= max(1.5 sigma, 0.25 m) on a slope >= 8 deg;
//   sand     where the ground is low, relief <= -max(sigma, 0.1 m), and gentle, slope <= 12 deg;
//   regolith elsewhere.
// "relief" is the height above a nodata-aware smoothing of the DEM over ~10 m (at least 3
// cells), and sigma is its robust spread (1.4826 x the median absolute relief), so that the
// rules adapt to how rough the DEM is; the floors (0.1 m, 0.25 m) keep a smooth DEM regolith.

#include "terrain/truth/decorate.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "base/check.h"
#include "terrain/rocks.h"
#include "terrain/truth/blur.h"

namespace marsdrive::terrain {
namespace {

constexpr double kSmoothingRadiusM = 10.0;
constexpr double kBedrockSlopeDeg = 25.0;
constexpr double kConvexSigma = 1.5, kConvexFloorM = 0.25, kConvexMinSlopeDeg = 8.0;
constexpr double kSandSigma = 1.0, kSandFloorM = 0.1, kSandMaxSlopeDeg = 12.0;

// Slope in degrees at a valid cell from central differences, one-sided next to an edge or a
// nodata cell, zero along an axis with no valid neighbour.
double SlopeDeg(const HeightMapView& dem, int col, int row) {
  const GridSpec& spec = dem.spec();
  const auto gradient = [&](int dc, int dr) {
    const int c0 = col - dc, r0 = row - dr, c1 = col + dc, r1 = row + dr;
    const bool lo = spec.ContainsCell(c0, r0) && dem.IsValid(c0, r0);
    const bool hi = spec.ContainsCell(c1, r1) && dem.IsValid(c1, r1);
    const double z = dem.heights_m()(col, row);
    if (lo && hi) {
      return (double(dem.heights_m()(c1, r1)) - dem.heights_m()(c0, r0)) / (2 * spec.resolution_m);
    }
    if (hi) return (double(dem.heights_m()(c1, r1)) - z) / spec.resolution_m;
    if (lo) return (z - dem.heights_m()(c0, r0)) / spec.resolution_m;
    return 0.0;
  };
  const double gx = gradient(1, 0), gy = gradient(0, 1);
  return std::atan(std::sqrt(gx * gx + gy * gy)) * 180.0 / std::numbers::pi;
}

}  // namespace

Grid<SoilClass> ClassesFromRelief(const HeightMap& dem) {
  const GridSpec& spec = dem.spec();
  const HeightMapView view = dem.View();
  const int nx = spec.width_px, ny = spec.height_px;
  const std::size_t n = spec.CellCount();
  // Nodata-aware smoothing: blur z * valid and valid, divide.
  std::vector<float> weighted(n), weight(n);
  const std::span<const float> z = dem.heights_m.Values();
  for (int row = 0; row < ny; ++row) {
    for (int col = 0; col < nx; ++col) {
      const std::size_t i = spec.Index(col, row);
      const bool valid = view.IsValid(col, row);
      weight[i] = valid ? 1.0f : 0.0f;
      weighted[i] = valid ? z[i] : 0.0f;
    }
  }
  const int radius =
      std::max(3, static_cast<int>(std::lround(kSmoothingRadiusM / spec.resolution_m)));
  // Two box passes of radius r / 1.2 have about the spread of a 10 m Gaussian.
  const int box = std::max(1, static_cast<int>(std::lround(radius / 1.2)));
  internal::BoxBlur(weighted, nx, ny, box, 2);
  internal::BoxBlur(weight, nx, ny, box, 2);
  std::vector<float>& relief = weighted;  // reused in place
  std::vector<float> samples;
  const std::size_t stride = std::max<std::size_t>(1, n / 1000000);  // <= ~1M samples
  for (std::size_t i = 0; i < n; ++i) {
    const int col = static_cast<int>(i % static_cast<std::size_t>(nx));
    const int row = static_cast<int>(i / static_cast<std::size_t>(nx));
    if (!view.IsValid(col, row) || weight[i] <= 0) {
      relief[i] = 0.0f;
      continue;
    }
    relief[i] = z[i] - weighted[i] / weight[i];
    if (i % stride == 0) samples.push_back(std::abs(relief[i]));
  }
  double sigma = 0.0;
  if (!samples.empty()) {
    const auto mid = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
    std::nth_element(samples.begin(), mid, samples.end());
    sigma = 1.4826 * *mid;
  }
  const double convex_m = std::max(kConvexSigma * sigma, kConvexFloorM);
  const double low_m = std::max(kSandSigma * sigma, kSandFloorM);

  Grid<SoilClass> classes(spec, SoilClass::kRegolith);
  for (int row = 0; row < ny; ++row) {
    for (int col = 0; col < nx; ++col) {
      SoilClass& cls = classes(col, row);
      if (!view.IsValid(col, row)) {
        cls = SoilClass::kNodata;
        continue;
      }
      const double slope = SlopeDeg(view, col, row);
      const double r = relief[spec.Index(col, row)];
      if (slope >= kBedrockSlopeDeg || (r >= convex_m && slope >= kConvexMinSlopeDeg)) {
        cls = SoilClass::kBedrock;
      } else if (r <= -low_m && slope <= kSandMaxSlopeDeg) {
        cls = SoilClass::kSand;
      }
    }
  }
  return classes;
}

void DecorateTerrain(TerrainTruth& truth, const DecorateParams& params, Rng& rng) {
  const GridSpec& spec = truth.dem.spec();
  MD_DEMAND(spec.width_px > 0 && spec.height_px > 0);
  if (params.classes_from_relief) {
    truth.classes = ClassesFromRelief(truth.dem);
  } else if (truth.classes.empty()) {
    truth.classes = Grid<SoilClass>(spec, SoilClass::kRegolith);
    for (int row = 0; row < spec.height_px; ++row) {
      for (int col = 0; col < spec.width_px; ++col) {
        if (!truth.dem.View().IsValid(col, row)) truth.classes(col, row) = SoilClass::kNodata;
      }
    }
  }
  MD_DEMAND(truth.classes.spec() == spec);
  if (!(params.rocks_k > 0)) return;

  RockFieldParams rock_params;
  rock_params.k = params.rocks_k;
  rock_params.min_diameter_m = params.min_rock_diameter_m;
  rock_params.max_diameter_m = std::max(params.max_rock_diameter_m, params.min_rock_diameter_m);
  const HeightMapView view = truth.dem.View();
  for (const Rock& rock : SampleRockField(spec, rock_params, rng)) {
    const int col = std::clamp(spec.ColOf(rock.x_m), 0, spec.width_px - 1);
    const int row = std::clamp(spec.RowOf(rock.y_m), 0, spec.height_px - 1);
    const SoilClass cls = truth.classes(col, row);
    if (cls == SoilClass::kSand || cls == SoilClass::kNodata || !view.IsValid(col, row)) continue;
    truth.rocks.push_back(rock);
  }
}

}  // namespace marsdrive::terrain

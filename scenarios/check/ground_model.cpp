#include "scenarios/check/ground_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "base/check.h"
#include "terrain/rocks.h"
#include "terrain/truth/decorate.h"

namespace marsdrive::check {

namespace {

using terrain::Grid;
using terrain::GridSpec;
using terrain::OrbitalProducts;

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr int kAbundanceSteps = 113;    // posterior grid of k
constexpr double kLargestRockM = 10.0;  // the count's upper diameter
// Stream tags of one trial's seed (DeriveSeed): one per purpose.
enum : std::uint64_t { kTagDraw = 1, kTagRelief = 2, kTagSand = 3, kTagRocks = 4 };

// Bilinear value of an orbital layer (NaN counts as 0: no roughness, no sand known there).
double Sample(const Grid<float>& layer, double x_m, double y_m) {
  const GridSpec& s = layer.spec();
  const double cf = std::clamp(s.ColF(x_m), 0.0, s.width_px - 1.0);
  const double rf = std::clamp(s.RowF(y_m), 0.0, s.height_px - 1.0);
  const int c0 = std::min(static_cast<int>(cf), std::max(0, s.width_px - 2));
  const int r0 = std::min(static_cast<int>(rf), std::max(0, s.height_px - 2));
  const int c1 = std::min(c0 + 1, s.width_px - 1), r1 = std::min(r0 + 1, s.height_px - 1);
  const double fx = cf - c0, fy = rf - r0;
  auto v = [&](int c, int r) {
    const float value = layer(c, r);
    return std::isfinite(value) ? static_cast<double>(value) : 0.0;
  };
  return (1 - fy) * ((1 - fx) * v(c0, r0) + fx * v(c1, r0)) +
         fy * ((1 - fx) * v(c0, r1) + fx * v(c1, r1));
}

// Smooth value noise: N(0, 1) lattice values every `wavelength_m`, blended with smoothstep
// weights, added to `out` times `amplitude`.
void AddValueNoise(Grid<float>& out, double wavelength_m, double amplitude, Rng& rng) {
  const GridSpec& s = out.spec();
  const int nx = static_cast<int>(std::ceil(s.WidthM() / wavelength_m)) + 2;
  const int ny = static_cast<int>(std::ceil(s.HeightM() / wavelength_m)) + 2;
  std::vector<double> lattice(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
  for (double& v : lattice) v = StandardNormal(rng);
  auto at = [&](int i, int j) { return lattice[static_cast<std::size_t>(j) * nx + i]; };
  auto smooth = [](double t) { return t * t * (3 - 2 * t); };
  for (int row = 0; row < s.height_px; ++row) {
    const double v = (row + 0.5) * s.resolution_m / wavelength_m;
    const int j = static_cast<int>(v);
    const double wy = smooth(v - j);
    for (int col = 0; col < s.width_px; ++col) {
      const double u = (col + 0.5) * s.resolution_m / wavelength_m;
      const int i = static_cast<int>(u);
      const double wx = smooth(u - i);
      const double bottom = (1 - wx) * at(i, j) + wx * at(i + 1, j);
      const double top = (1 - wx) * at(i, j + 1) + wx * at(i + 1, j + 1);
      out(col, row) += static_cast<float>(amplitude * ((1 - wy) * bottom + wy * top));
    }
  }
}

// Sub-post relief of unit RMS: octaves from 2 m to 0.25 m wavelength with fBm amplitudes
// (lambda^H), normalised over the window.
Grid<float> UnitRelief(const GridSpec& spec, double hurst, Rng& rng) {
  Grid<float> relief(spec, 0.0f);
  for (double wavelength_m = 2.0; wavelength_m >= 0.25; wavelength_m /= 2) {
    if (wavelength_m < 2 * spec.resolution_m) break;  // below the ground's own resolution
    AddValueNoise(relief, wavelength_m, std::pow(wavelength_m, hurst), rng);
  }
  double sum2 = 0;
  for (float v : relief.Values()) sum2 += static_cast<double>(v) * v;
  const double rms = std::sqrt(sum2 / std::max<std::size_t>(1, relief.Values().size()));
  if (rms > 0) {
    for (float& v : relief.Values()) v = static_cast<float>(v / rms);
  }
  return relief;
}

// The orbital DEM with the bumps of resolved rocks levelled (they come back as rock bodies):
// posts within a rock's radius plus one post take the mean of the ring just outside.
Grid<float> DemWithoutRocks(const OrbitalProducts& orbital) {
  Grid<float> dem = orbital.dem_m;
  const GridSpec& s = dem.spec();
  for (const terrain::Rock& rock : orbital.visible_rocks) {
    const double inner = rock.diameter_m / 2 + s.resolution_m;
    const double outer = inner + s.resolution_m * 1.5;
    const int c0 = std::max(0, s.ColOf(rock.x_m - outer)),
              c1 = std::min(s.width_px - 1, s.ColOf(rock.x_m + outer));
    const int r0 = std::max(0, s.RowOf(rock.y_m - outer)),
              r1 = std::min(s.height_px - 1, s.RowOf(rock.y_m + outer));
    double ring_sum = 0;
    int ring_count = 0;
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const double d = std::hypot(s.CellCenterX(c) - rock.x_m, s.CellCenterY(r) - rock.y_m);
        if (d > inner && d <= outer && std::isfinite(dem(c, r))) {
          ring_sum += dem(c, r);
          ++ring_count;
        }
      }
    }
    if (ring_count == 0) continue;
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const double d = std::hypot(s.CellCenterX(c) - rock.x_m, s.CellCenterY(r) - rock.y_m);
        if (d <= inner && std::isfinite(dem(c, r)))
          dem(c, r) = static_cast<float>(ring_sum / ring_count);
      }
    }
  }
  return dem;
}

// Heights: the levelled orbital DEM, bilinear, plus the sub-post relief; NaN posts -> nodata.
terrain::HeightMap SampleHeights(const OrbitalProducts& orbital, const GridSpec& window,
                                 const GroundUncertainty& model, const TrialDraw& draw) {
  terrain::HeightMap coarse(orbital.spec());
  coarse.heights_m = DemWithoutRocks(orbital);
  Rng rng(DeriveSeed(draw.seed, kTagRelief));
  const Grid<float> relief = UnitRelief(window, model.hurst, rng);
  terrain::HeightMap dem(window);
  dem.georef = orbital.georef;
  bool any_nodata = false;
  for (int row = 0; row < window.height_px; ++row) {
    const double y = window.CellCenterY(row);
    for (int col = 0; col < window.width_px; ++col) {
      const double x = window.CellCenterX(col);
      const double base = coarse.HeightAt(x, y);
      any_nodata = any_nodata || !std::isfinite(base);
      const double sigma =
          model.relief_per_roughness * draw.relief_factor * Sample(orbital.roughness_m, x, y);
      dem.heights_m(col, row) = static_cast<float>(base + sigma * relief(col, row));
    }
  }
  if (any_nodata) {
    dem.valid = Grid<std::uint8_t>(window, 1);
    for (int row = 0; row < window.height_px; ++row) {
      for (int col = 0; col < window.width_px; ++col) {
        if (!std::isfinite(dem.heights_m(col, row))) {
          dem.valid(col, row) = 0;
          dem.heights_m(col, row) = 0.0f;
        }
      }
    }
  }
  return dem;
}

// Classes: bedrock and regolith from the relief (as imported DEMs are decorated); sand where
// the orbital sand fraction, warped by 4 m noise, exceeds the drawn threshold, and only there.
Grid<terrain::SoilClass> SampleClasses(const OrbitalProducts& orbital,
                                       const terrain::HeightMap& dem, const TrialDraw& draw) {
  Grid<terrain::SoilClass> classes = terrain::ClassesFromRelief(dem);
  Rng rng(DeriveSeed(draw.seed, kTagSand));
  Grid<float> warp(dem.spec(), 0.0f);
  AddValueNoise(warp, 4.0, 0.1, rng);
  const GridSpec& s = dem.spec();
  for (int row = 0; row < s.height_px; ++row) {
    for (int col = 0; col < s.width_px; ++col) {
      terrain::SoilClass& cls = classes(col, row);
      if (cls == terrain::SoilClass::kNodata) continue;
      const double sand = Sample(orbital.sand, s.CellCenterX(col), s.CellCenterY(row));
      if (sand + warp(col, row) > draw.sand_threshold) {
        cls = terrain::SoilClass::kSand;
      } else if (cls == terrain::SoilClass::kSand) {
        cls = terrain::SoilClass::kRegolith;
      }
    }
  }
  return classes;
}

// Rocks: the resolved ones as the orbiter saw them, smaller ones drawn from Golombek-Rapp with
// the trial's k (none on sand), none within the start's clear radius.
void AddRocks(const OrbitalProducts& orbital, const GroundUncertainty& model, const TrialDraw& draw,
              terrain::TerrainTruth& truth) {
  terrain::DecorateParams params;
  params.rocks_k = draw.rock_k;
  params.max_rock_diameter_m = orbital.params.rock_detect_diameter_m;
  params.classes_from_relief = false;
  Rng rng(DeriveSeed(draw.seed, kTagRocks));
  terrain::DecorateTerrain(truth, params, rng);
  const GridSpec& s = truth.dem.spec();
  for (const terrain::Rock& rock : orbital.visible_rocks) {
    if (s.Contains(rock.x_m, rock.y_m)) truth.rocks.push_back(rock);
  }
  std::erase_if(truth.rocks, [&](const terrain::Rock& rock) {
    return std::hypot(rock.x_m - draw.start.x_m, rock.y_m - draw.start.y_m) <
           model.start_clear_radius_m + rock.diameter_m / 2;
  });
}

double LogNormalFactor(Rng& rng, double sigma) { return std::exp(sigma * StandardNormal(rng)); }

vehicle::SoilTable DrawSoils(const GroundUncertainty& model, double friction_delta_deg, Rng& rng) {
  vehicle::SoilTable soils = vehicle::DefaultSoilTable();
  for (vehicle::SoilParams& soil : soils) {
    soil.friction_angle_rad += friction_delta_deg * kDegToRad;
    soil.cohesion_Pa *= LogNormalFactor(rng, model.cohesion_log_sigma);
    const double shear = LogNormalFactor(rng, model.shear_modulus_log_sigma);
    soil.shear_modulus_m *= shear;
    soil.lateral_shear_modulus_m *= shear;
    const double bekker = LogNormalFactor(rng, model.bekker_log_sigma);
    soil.bekker_kc *= bekker;
    soil.bekker_kphi *= bekker;
  }
  return soils;
}

}  // namespace

RockAbundance EstimateRockAbundance(const OrbitalProducts& orbital,
                                    const GroundUncertainty& model) {
  RockAbundance out;
  const GridSpec& s = orbital.spec();
  std::size_t valid = 0;
  for (float z : orbital.dem_m.Values()) valid += std::isfinite(z) ? 1 : 0;
  out.area_m2 = static_cast<double>(valid) * s.resolution_m * s.resolution_m;
  out.visible_count = static_cast<int>(orbital.visible_rocks.size());
  const double d_min = orbital.params.rock_detect_diameter_m;
  std::vector<double> log_like(kAbundanceSteps);
  double best = -INFINITY;
  for (int i = 0; i < kAbundanceSteps; ++i) {
    // A scale parameter: the grid (and so the flat prior on it) is uniform in log k.
    const double k = model.rock_k_min * std::pow(model.rock_k_max / model.rock_k_min,
                                                 static_cast<double>(i) / (kAbundanceSteps - 1));
    const double mean = out.area_m2 * terrain::GolombekRappCount(k, d_min, kLargestRockM);
    out.k.push_back(k);
    log_like[i] = out.visible_count * std::log(std::max(mean, 1e-300)) - mean;
    best = std::max(best, log_like[i]);
  }
  double total = 0, weighted = 0;
  for (int i = 0; i < kAbundanceSteps; ++i) {
    const double w = std::exp(log_like[i] - best);
    total += w;
    weighted += w * out.k[i];
    out.cdf.push_back(total);
  }
  for (double& c : out.cdf) c /= total;
  out.mean = weighted / total;
  return out;
}

TrialDraw DrawTrial(const RockAbundance& rocks, const GroundUncertainty& model,
                    const base::Pose2& start, std::uint64_t seed) {
  MD_DEMAND(!rocks.k.empty());
  TrialDraw draw;
  draw.seed = seed;
  Rng rng(DeriveSeed(seed, kTagDraw));
  const double u = UniformReal(rng);
  const auto at = std::lower_bound(rocks.cdf.begin(), rocks.cdf.end(), u);
  draw.rock_k = rocks.k[static_cast<std::size_t>(std::min<std::ptrdiff_t>(
      at - rocks.cdf.begin(), static_cast<std::ptrdiff_t>(rocks.k.size()) - 1))];
  draw.relief_factor = LogNormalFactor(rng, model.relief_spread);
  draw.sand_threshold = UniformReal(rng, model.sand_threshold - model.sand_threshold_spread,
                                    model.sand_threshold + model.sand_threshold_spread);
  draw.friction_delta_deg =
      UniformReal(rng, -model.friction_angle_spread_deg, model.friction_angle_spread_deg);
  draw.soils = DrawSoils(model, draw.friction_delta_deg, rng);
  draw.start.x_m = start.x_m + model.start_position_sigma_m * StandardNormal(rng);
  draw.start.y_m = start.y_m + model.start_position_sigma_m * StandardNormal(rng);
  draw.start.yaw_rad =
      start.yaw_rad + model.start_heading_sigma_deg * kDegToRad * StandardNormal(rng);
  draw.odometry_scale_error = model.odometry_scale_sigma * StandardNormal(rng);
  draw.imu_yaw_drift_radps =
      model.imu_yaw_drift_sigma_deg_per_h * kDegToRad / 3600.0 * StandardNormal(rng);
  return draw;
}

GridSpec PlanWindow(const GridSpec& orbital, std::span<const base::Point2> points,
                    const GroundUncertainty& model) {
  MD_DEMAND(!points.empty());
  double x0 = points[0].x_m, x1 = x0, y0 = points[0].y_m, y1 = y0;
  for (const base::Point2& p : points) {
    x0 = std::min(x0, p.x_m), x1 = std::max(x1, p.x_m);
    y0 = std::min(y0, p.y_m), y1 = std::max(y1, p.y_m);
  }
  // The window starts on an orbital post boundary, so its orbital view lines up with the map's.
  const double post = orbital.resolution_m;
  x0 = orbital.origin_x_m +
       post * std::max(0.0, std::floor((x0 - model.margin_m - orbital.origin_x_m) / post));
  y0 = orbital.origin_y_m +
       post * std::max(0.0, std::floor((y0 - model.margin_m - orbital.origin_y_m) / post));
  x1 = std::min(orbital.MaxX(), x1 + model.margin_m);
  y1 = std::min(orbital.MaxY(), y1 + model.margin_m);
  const double res = model.resolution_m;
  GridSpec window;
  window.resolution_m = res;
  window.origin_x_m = x0;
  window.origin_y_m = y0;
  window.width_px = std::max(2, static_cast<int>(std::floor((x1 - x0) / res)));
  window.height_px = std::max(2, static_cast<int>(std::floor((y1 - y0) / res)));
  return window;
}

terrain::TerrainTruth SampleGround(const OrbitalProducts& orbital, const GridSpec& window,
                                   const GroundUncertainty& model, const TrialDraw& draw) {
  terrain::TerrainTruth truth;
  truth.dem = SampleHeights(orbital, window, model, draw);
  truth.classes = SampleClasses(orbital, truth.dem, draw);
  AddRocks(orbital, model, draw, truth);
  truth.preset = "plan-check";
  truth.seed = draw.seed;
  return truth;
}

}  // namespace marsdrive::check

// Orbital products: the truth as an orbiter (HiRISE-class DTM and orthoimage) would see it, and
// the per-cell traversability layers a ground planner works from.
//
// Grid. resolution = max(params.resolution_m, truth resolution), same origin as the truth,
// floor(truth extent / resolution) cells per axis: a strip at the east / north edges narrower
// than one orbital cell is left out rather than extrapolated (internal::MakeCoarseSpec).
//
// DEM. The area-weighted mean of the valid truth posts in each orbital cell (cells straddled by
// a non-integer resolution ratio are split by overlap area). A cell with no valid truth post is
// nodata (NaN). A cell partly over nodata averages its valid part. Rocks visible from orbit
// (diameter >= rock_detect_diameter_m, terrain.md §2) are then added at orbital resolution:
// each is a half ellipsoid (semi-axes D/2, D/2, H) standing on the ground, and a cell gains the
// mean height of the rock surface over its area (overlapping rocks: the higher surface),
// integrated by a midpoint rule on an N x N sub-grid with N >= 8 and >= 8 samples per diameter
// of the smallest rock touching the cell. Smaller rocks are dropped before anything is computed,
// so they cannot influence any product (not even bit-wise).
//
// Footprint. Layers are evaluated over the rover footprint around each cell: the posts (orbital
// cells) whose centres lie within max(footprint_diameter_m / 2, sqrt(2) * resolution) of the
// cell's centre: 3 x 3 posts for a 3 m footprint at 1 m; at coarser resolutions the 3 x 3
// neighbourhood, the least a plane fit and a step test need. At the map edges the footprint is
// clipped to the grid (the layers use the posts that exist). If any post of the footprint is
// nodata, the footprint layers are NaN, traversable is 0 and cost is +inf.
//   slope_deg:   gradient of the least-squares plane z = a x + b y + c through the posts:
//                atan(hypot(a, b)).
//   roughness_m: RMS residual of the posts about that plane.
//   step_m:      the largest height jump between two 8-neighbouring posts p, q = p + e of the
//                footprint, measured against the local gradient along e:
//                  | (z_q - z_p) - mean(z_p - z_{p-e}, z_{q+e} - z_q) |
//                (the outer posts p - e, q + e may lie outside the footprint; a missing or
//                nodata side is left out; with neither side, the plane's gradient is used).
//                A vertical step between two posts counts in full; a uniform slope, or a
//                smooth change of slope, counts zero. (A literal "largest height difference
//                between neighbours" would count slope as step: at 1 m posts a 14 deg slope
//                along a diagonal already gives 0.35 m, and the rim climbs 15-23 deg slopes;
//                slope has its own limit.)
//   rock_hazard: mean over the footprint posts of the fraction of each post's cell covered by
//                the base discs of visible rocks.
//   sand:        mean over the footprint posts of the fraction of each post's cell whose truth
//                class is sand (what classifying the orthoimage's bedforms gives at 1 m).
//   traversable: 0 where slope_deg > max_slope_deg, step_m > max_step_m, the base of a visible
//                rock taller than max_rock_height_m overlaps a footprint post's cell, or the
//                footprint has nodata; else 1.
//   cost:        per metre travelled, +inf where not traversable, else
//                  1 + kCostSlopeWeight     * (slope_deg   / max_slope_deg)^2
//                    + kCostStepWeight      * (step_m      / max_step_m)^2
//                    + kCostRoughnessWeight * (roughness_m / max_step_m)^2
//                    + kCostRockHazardWeight * rock_hazard
//                    + kCostSandWeight * sand * slip / (1 - slip)
//                where slip = min(0.9, sand_slip_flat + sand_slip_per_deg * slope_deg) is the
//                slip predicted in sand (slip / (1 - slip): the extra wheel travel per metre
//                made good), so 1 on flat, smooth, rock-free, sand-free ground and smoothly
//                growing with each term.
//
// Cost of the whole: O(truth cells) for the DEM (one streaming pass), O(orbital cells x
// footprint posts) for the layers, O(visible rocks x cells they touch x N^2) for the rocks.
// Single-threaded, fixed evaluation order: products are a pure function of (truth, params).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "base/format.h"
#include "terrain/orbital.h"
#include "terrain/soil.h"
#include "terrain/truth/orbital_internal.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

namespace {

// Cost weights: the cost added, per metre, at the limit of each term (see the file comment).
constexpr double kCostSlopeWeight = 4.0;       // slope at max_slope_deg: 5x the flat cost
constexpr double kCostStepWeight = 3.0;        // step at max_step_m
constexpr double kCostRoughnessWeight = 4.0;   // RMS residual equal to max_step_m
constexpr double kCostRockHazardWeight = 5.0;  // footprint fully covered by visible rocks
// Sand: per unit of extra wheel travel. EST: 4, so sand on 10 deg (predicted slip ~44 %, near
// the 40 % slip check that stops drives, docs/autonav.md §1) adds ~3 per metre, as much as a
// 26 deg slope, and sand on 15 deg ~5.
constexpr double kCostSandWeight = 4.0;
constexpr double kMaxPredictedSlip = 0.9;

// Rock rasterisation: sub-samples per cell edge, and per diameter of the smallest rock.
constexpr int kRockMinSamples = 8;
constexpr int kRockMaxSamples = 128;
constexpr double kRockSamplesPerDiameter = 8.0;

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

void RequireInRange(double value, const char* name, double lo, double hi, bool hi_inclusive,
                    const char* expectation) {
  const bool ok = std::isfinite(value) && value > lo && (hi_inclusive ? value <= hi : value < hi);
  MD_THROW_UNLESS(ok, std::string("orbital params: ") + name + ": expected " + expectation +
                          ", got " + base::FormatExact(value));
}

void ValidateParams(const OrbitalParams& p) {
  constexpr double kMax = std::numeric_limits<double>::max();
  const char* positive = "a finite number > 0";
  RequireInRange(p.resolution_m, "resolution_m", 0, kMax, true, positive);
  RequireInRange(p.ortho_resolution_m, "ortho_resolution_m", 0, kMax, true, positive);
  RequireInRange(p.rock_detect_diameter_m, "rock_detect_diameter_m", 0, kMax, true, positive);
  RequireInRange(p.footprint_diameter_m, "footprint_diameter_m", 0, kMax, true, positive);
  RequireInRange(p.max_slope_deg, "max_slope_deg", 0, 90, false, "a number in (0, 90)");
  RequireInRange(p.max_step_m, "max_step_m", 0, kMax, true, positive);
  RequireInRange(p.max_rock_height_m, "max_rock_height_m", 0, kMax, true, positive);
  for (const auto& [value, name] : {std::pair{p.sand_slip_flat, "sand_slip_flat"},
                                    std::pair{p.sand_slip_per_deg, "sand_slip_per_deg"}}) {
    MD_THROW_UNLESS(std::isfinite(value) && value >= 0 && value < 1,
                    std::string("orbital params: ") + name + ": expected a slip in [0, 1), got " +
                        base::FormatExact(value));
  }
  RequireInRange(p.sun_azimuth_deg, "sun_azimuth_deg", -kMax, kMax, true, "a finite number");
  RequireInRange(p.sun_elevation_deg, "sun_elevation_deg", 0, 90, true, "a number in (0, 90]");
}

// Visible rocks rasterised on the orbital grid.
struct RockRaster {
  Grid<float> bump_m;         // mean height of the rock surface over the cell (0: no rock)
  Grid<float> coverage;       // fraction of the cell covered by rock bases
  Grid<std::uint8_t> lethal;  // 1 where the base of a rock taller than the limit overlaps
};

RockRaster RasteriseRocks(const GridSpec& spec, const std::vector<Rock>& rocks,
                          double max_rock_height_m) {
  RockRaster out{Grid<float>(spec, 0.0f), Grid<float>(spec, 0.0f),
                 Grid<std::uint8_t>(spec, std::uint8_t{0})};
  const double res = spec.resolution_m;
  // (cell index, rock index) for every cell a rock's base disc overlaps.
  std::vector<std::pair<std::size_t, std::size_t>> touches;
  for (std::size_t k = 0; k < rocks.size(); ++k) {
    const Rock& rock = rocks[k];
    const double radius_m = 0.5 * rock.diameter_m;
    const internal::CellRange cols = internal::CellsMeeting(
        rock.x_m - radius_m, rock.x_m + radius_m, spec.origin_x_m, res, spec.width_px);
    const internal::CellRange rows = internal::CellsMeeting(
        rock.y_m - radius_m, rock.y_m + radius_m, spec.origin_y_m, res, spec.height_px);
    for (int r = rows.first; r <= rows.last; ++r) {
      for (int c = cols.first; c <= cols.last; ++c) {
        // Closest point of the cell's square to the rock's centre.
        const double x0 = spec.origin_x_m + c * res, y0 = spec.origin_y_m + r * res;
        const double dx = std::clamp(rock.x_m, x0, x0 + res) - rock.x_m;
        const double dy = std::clamp(rock.y_m, y0, y0 + res) - rock.y_m;
        if (dx * dx + dy * dy >= radius_m * radius_m) continue;
        touches.emplace_back(spec.Index(c, r), k);
        if (rock.height_m > max_rock_height_m) out.lethal(c, r) = 1;
      }
    }
  }
  std::sort(touches.begin(), touches.end());
  std::span<float> bump = out.bump_m.Values();
  std::span<float> coverage = out.coverage.Values();
  for (std::size_t begin = 0; begin < touches.size();) {
    const std::size_t cell = touches[begin].first;
    std::size_t end = begin;
    double min_diameter_m = std::numeric_limits<double>::infinity();
    while (end < touches.size() && touches[end].first == cell) {
      min_diameter_m = std::min(min_diameter_m, rocks[touches[end].second].diameter_m);
      ++end;
    }
    const int n = static_cast<int>(
        std::clamp(std::ceil(kRockSamplesPerDiameter * res / min_diameter_m),
                   static_cast<double>(kRockMinSamples), static_cast<double>(kRockMaxSamples)));
    const int col = static_cast<int>(cell % static_cast<std::size_t>(spec.width_px));
    const int row = static_cast<int>(cell / static_cast<std::size_t>(spec.width_px));
    const double x0 = spec.origin_x_m + col * res, y0 = spec.origin_y_m + row * res;
    double height_sum_m = 0.0;
    int covered = 0;
    for (int j = 0; j < n; ++j) {
      const double y = y0 + (j + 0.5) * res / n;
      for (int i = 0; i < n; ++i) {
        const double x = x0 + (i + 0.5) * res / n;
        double top_m = 0.0;
        bool inside = false;
        for (std::size_t t = begin; t < end; ++t) {
          const Rock& rock = rocks[touches[t].second];
          const double radius_m = 0.5 * rock.diameter_m;
          const double dx = x - rock.x_m, dy = y - rock.y_m;
          if (dx * dx + dy * dy >= radius_m * radius_m) continue;
          inside = true;
          top_m = std::max(top_m, internal::RockBumpHeightM(rock, x, y));
        }
        height_sum_m += top_m;
        covered += inside ? 1 : 0;
      }
    }
    const double samples = static_cast<double>(n) * n;
    bump[cell] = static_cast<float>(height_sum_m / samples);
    coverage[cell] = static_cast<float>(covered / samples);
    begin = end;
  }
  return out;
}

// The four 8-neighbour directions e of a post pair (p, p + e); the other four are their
// reverses.
struct Direction {
  int ec, er;
};
constexpr std::array<Direction, 4> kDirections = {{{1, 0}, {0, 1}, {1, 1}, {1, -1}}};

// The footprint as post offsets, and the 8-neighbour post pairs inside it, with flat-index
// offsets for a grid of a given width.
struct Footprint {
  struct Post {
    int dc, dr;
    std::ptrdiff_t flat;  // dr * width + dc
    double x_m, y_m;      // offset from the centre post
  };
  struct Pair {
    int dc, dr;  // post p; the pair is (p, p + kDirections[dir])
    int dir;
    std::ptrdiff_t flat;  // into PairJumps::values: dir * cells + dr * width + dc
  };
  int reach = 0;  // posts lie within [-reach, reach]^2
  std::vector<Post> posts;
  std::vector<Pair> pairs;
  double sum_xx_m2 = 0, sum_yy_m2 = 0;  // over all posts (the window is symmetric)
};

Footprint MakeFootprint(double footprint_diameter_m, const GridSpec& spec) {
  const double res = spec.resolution_m;
  const double radius = std::max(0.5 * footprint_diameter_m / res, std::numbers::sqrt2);
  const double radius2 = radius * radius * (1.0 + 1e-9);
  const auto width = static_cast<std::ptrdiff_t>(spec.width_px);
  const auto cells = static_cast<std::ptrdiff_t>(spec.CellCount());
  Footprint fp;
  fp.reach = static_cast<int>(std::floor(radius * (1.0 + 1e-9)));
  auto inside = [&](int dc, int dr) { return static_cast<double>(dc * dc + dr * dr) <= radius2; };
  for (int dr = -fp.reach; dr <= fp.reach; ++dr) {
    for (int dc = -fp.reach; dc <= fp.reach; ++dc) {
      if (!inside(dc, dr)) continue;
      fp.posts.push_back({dc, dr, dr * width + dc, dc * res, dr * res});
      fp.sum_xx_m2 += dc * res * dc * res;
      fp.sum_yy_m2 += dr * res * dr * res;
    }
  }
  for (const Footprint::Post& p : fp.posts) {
    for (int dir = 0; dir < 4; ++dir) {
      if (inside(p.dc + kDirections[dir].ec, p.dr + kDirections[dir].er)) {
        fp.pairs.push_back({p.dc, p.dr, dir, dir * cells + p.flat});
      }
    }
  }
  return fp;
}

// Per-pair step jumps (file comment), which depend on the pair only, not on the footprint.
// value(dir, p) for the pair (p, p + e): NaN where p or p + e is off the grid or nodata, and
// kNoSides where neither outer post is valid (the footprint's plane is then the reference).
constexpr float kNoSides = -1.0f;

struct PairJumps {
  std::size_t cells = 0;
  std::vector<float> values;  // [dir * cells + spec.Index(col, row)]
  float At(int dir, std::size_t index) const {
    return values[static_cast<std::size_t>(dir) * cells + index];
  }
};

PairJumps MakePairJumps(const Grid<float>& dem) {
  const GridSpec& spec = dem.spec();
  PairJumps jumps{spec.CellCount(), std::vector<float>(4 * spec.CellCount(), kNaN)};
  // Height of post (c, r), NaN off the grid.
  auto z = [&](int c, int r) { return spec.ContainsCell(c, r) ? dem(c, r) : kNaN; };
  for (int dir = 0; dir < 4; ++dir) {
    const int ec = kDirections[dir].ec, er = kDirections[dir].er;
    float* out = jumps.values.data() + static_cast<std::size_t>(dir) * jumps.cells;
    for (int r = 0; r < spec.height_px; ++r) {
      for (int c = 0; c < spec.width_px; ++c) {
        const double zp = dem(c, r), zq = z(c + ec, r + er);
        if (std::isnan(zp) || std::isnan(zq)) continue;
        const double before = z(c - ec, r - er), after = z(c + 2 * ec, r + 2 * er);
        double side_sum = 0;
        int sides = 0;
        if (!std::isnan(before)) side_sum += zp - before, ++sides;
        if (!std::isnan(after)) side_sum += after - zq, ++sides;
        out[spec.Index(c, r)] =
            sides > 0 ? static_cast<float>(std::abs((zq - zp) - side_sum / sides)) : kNoSides;
      }
    }
  }
  return jumps;
}

// Counts of nodata posts in any rectangle in O(1) (summed-area table).
class NodataCounter {
 public:
  explicit NodataCounter(const Grid<float>& dem)
      : width_(dem.width_px() + 1),
        sat_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(dem.height_px() + 1), 0) {
    for (int r = 0; r < dem.height_px(); ++r) {
      for (int c = 0; c < dem.width_px(); ++c) {
        At(c + 1, r + 1) = At(c, r + 1) + At(c + 1, r) - At(c, r) + (std::isnan(dem(c, r)) ? 1 : 0);
      }
    }
  }
  // Nodata posts in [c0, c1] x [r0, r1], all inside the grid.
  std::int64_t Count(int c0, int r0, int c1, int r1) const {
    return At(c1 + 1, r1 + 1) - At(c0, r1 + 1) - At(c1 + 1, r0) + At(c0, r0);
  }

 private:
  std::int64_t& At(int c, int r) {
    return sat_[static_cast<std::size_t>(r) * static_cast<std::size_t>(width_) +
                static_cast<std::size_t>(c)];
  }
  std::int64_t At(int c, int r) const {
    return sat_[static_cast<std::size_t>(r) * static_cast<std::size_t>(width_) +
                static_cast<std::size_t>(c)];
  }
  int width_;
  std::vector<std::int64_t> sat_;
};

struct Layers {
  double slope_deg, roughness_m, step_m, rock_hazard, sand;
  bool lethal_rock;
};

// What the footprint evaluation reads.
struct FootprintInputs {
  const Grid<float>& dem;
  const RockRaster& rocks;
  const Grid<float>& sand;  // per cell: its sand fraction (SandFraction)
  const Footprint& fp;
  const PairJumps& jumps;
  const NodataCounter& nodata;
};

// The jump of the footprint pair `pr` around (col, row) (on the grid, both posts valid) from
// its precomputed value; (a, b) is the footprint plane's gradient.
double PairJump(const FootprintInputs& in, const Footprint::Pair& pr, int col, int row,
                float precomputed, double a, double b) {
  if (precomputed != kNoSides) return precomputed;
  const Direction& e = kDirections[pr.dir];
  const int c = col + pr.dc, r = row + pr.dr;
  const double rise = static_cast<double>(in.dem(c + e.ec, r + e.er)) - in.dem(c, r);
  return std::abs(rise - (a * e.ec + b * e.er) * in.dem.spec().resolution_m);
}

// Evaluates the footprint around (col, row), whose post is valid. Returns false when a post of
// the footprint is nodata. Plane fits use coordinates centred on the cell and heights relative
// to its post (exact for planes far above the datum).
bool EvaluateFootprint(const FootprintInputs& in, int col, int row, Layers& out) {
  const Grid<float>& dem = in.dem;
  const GridSpec& spec = dem.spec();
  const std::size_t centre = spec.Index(col, row);
  const double z0 = dem.Values()[centre];
  const int k = in.fp.reach;
  double a = 0, b = 0, rss = 0, n = 0, coverage_sum = 0, sand_sum = 0, step_m = 0;
  bool lethal = false;
  if (col - k >= 0 && row - k >= 0 && col + k < spec.width_px && row + k < spec.height_px &&
      in.nodata.Count(col - k, row - k, col + k, row + k) == 0) {
    // The whole footprint is on the grid and valid: flat indices without checks, and a
    // symmetric window (sum x = sum y = sum xy = 0), so the fit decouples:
    // a = sum(x dz) / sum(x^2), b likewise, RSS = sum(dz^2) - n mean(dz)^2 - a sum(x dz) -
    // b sum(y dz).
    const float* z = dem.Values().data() + centre;
    const float* coverage = in.rocks.coverage.Values().data() + centre;
    const float* sand = in.sand.Values().data() + centre;
    const std::uint8_t* lethal_post = in.rocks.lethal.Values().data() + centre;
    double sz = 0, sxz = 0, syz = 0, szz = 0;
    for (const Footprint::Post& p : in.fp.posts) {
      const double dz = z[p.flat] - z0;
      sz += dz, szz += dz * dz;
      sxz += p.x_m * dz, syz += p.y_m * dz;
      coverage_sum += coverage[p.flat];
      sand_sum += sand[p.flat];
      lethal = lethal || lethal_post[p.flat] != 0;
    }
    n = static_cast<double>(in.fp.posts.size());
    a = sxz / in.fp.sum_xx_m2;
    b = syz / in.fp.sum_yy_m2;
    rss = std::max(0.0, szz - sz * sz / n - a * sxz - b * syz);
    const float* jumps = in.jumps.values.data() + centre;
    for (const Footprint::Pair& pr : in.fp.pairs) {  // p + e is a footprint post too
      const float jump = jumps[pr.flat];
      step_m = std::max(step_m, jump != kNoSides ? jump : PairJump(in, pr, col, row, jump, a, b));
    }
  } else {
    // Clipped at the map edge, or nodata nearby: a general least-squares plane through the
    // footprint's posts on the grid.
    double sx = 0, sy = 0, sz = 0, sxx = 0, syy = 0, sxy = 0, sxz = 0, syz = 0;
    for (const Footprint::Post& p : in.fp.posts) {
      const int c = col + p.dc, r = row + p.dr;
      if (!spec.ContainsCell(c, r)) continue;
      const float z = dem(c, r);
      if (std::isnan(z)) return false;
      const double dz = z - z0;
      n += 1;
      sx += p.x_m, sy += p.y_m, sz += dz;
      sxx += p.x_m * p.x_m, syy += p.y_m * p.y_m, sxy += p.x_m * p.y_m;
      sxz += p.x_m * dz, syz += p.y_m * dz;
      coverage_sum += in.rocks.coverage(c, r);
      sand_sum += in.sand(c, r);
      lethal = lethal || in.rocks.lethal(c, r) != 0;
    }
    const double mx = sx / n, my = sy / n, mz = sz / n;
    const double cxx = sxx - n * mx * mx, cyy = syy - n * my * my, cxy = sxy - n * mx * my;
    const double cxz = sxz - n * mx * mz, cyz = syz - n * my * mz;
    const double det = cxx * cyy - cxy * cxy;
    const double res = spec.resolution_m;
    const double eps = 1e-9 * res * res;  // a degenerate axis (1-post-wide grid) gets no slope
    if (det > eps * eps) {
      a = (cxz * cyy - cyz * cxy) / det;
      b = (cyz * cxx - cxz * cxy) / det;
    } else if (cxx > eps) {
      a = cxz / cxx;
    } else if (cyy > eps) {
      b = cyz / cyy;
    }
    for (const Footprint::Post& p : in.fp.posts) {
      const int c = col + p.dc, r = row + p.dr;
      if (!spec.ContainsCell(c, r)) continue;
      const double residual = (dem(c, r) - z0) - (mz + a * (p.x_m - mx) + b * (p.y_m - my));
      rss += residual * residual;
    }
    for (const Footprint::Pair& pr : in.fp.pairs) {
      const int c = col + pr.dc, r = row + pr.dr;
      if (!spec.ContainsCell(c, r)) continue;
      const float jump = in.jumps.At(pr.dir, spec.Index(c, r));
      if (!std::isnan(jump)) step_m = std::max(step_m, PairJump(in, pr, col, row, jump, a, b));
    }
  }
  out.slope_deg = std::atan(std::sqrt(a * a + b * b)) * kRadToDeg;
  out.roughness_m = std::sqrt(rss / n);
  out.step_m = step_m;
  out.rock_hazard = coverage_sum / n;
  out.sand = sand_sum / n;
  out.lethal_rock = lethal;
  return true;
}

// Per orbital cell: the area fraction of its valid truth cells that are sand (0 without a class
// map or a valid class: no sand is known there).
Grid<float> SandFraction(const TerrainTruth& truth, const GridSpec& coarse) {
  Grid<float> out(coarse, 0.0f);
  if (truth.classes.empty()) return out;
  auto sample = [&](int c, int r, double* v) {
    const auto soil = static_cast<SoilClass>(truth.classes(c, r));
    if (soil == SoilClass::kNodata) return false;
    v[0] = soil == SoilClass::kSand ? 1.0 : 0.0;
    return true;
  };
  auto store = [&](int c, int r, const double* mean, double weight) {
    if (weight > 0) out(c, r) = static_cast<float>(mean[0]);
  };
  internal::AreaAverage<1>(truth.classes.spec(), coarse, sample, store);
  return out;
}

}  // namespace

namespace internal {

GridSpec MakeCoarseSpec(const GridSpec& fine, double requested_resolution_m, const char* what) {
  const double res = std::max(requested_resolution_m, fine.resolution_m);
  const double ratio = fine.resolution_m / res;  // <= 1
  // The tolerance absorbs rounding in e.g. 4000 * (0.05 / 1.0).
  const int width = static_cast<int>(std::floor(fine.width_px * ratio + 1e-9));
  const int height = static_cast<int>(std::floor(fine.height_px * ratio + 1e-9));
  MD_THROW_UNLESS(width > 0 && height > 0,
                  std::string(what) + ": the terrain (" + base::FormatExact(fine.WidthM()) +
                      " m x " + base::FormatExact(fine.HeightM()) + " m) is smaller than one " +
                      base::FormatExact(res) + " m cell");
  return {width, height, res, fine.origin_x_m, fine.origin_y_m};
}

AxisOverlap MakeAxisOverlap(int fine_count, int coarse_count, double coarse_per_fine) {
  MD_DEMAND(fine_count >= 0 && coarse_count >= 0 && coarse_per_fine > 0);
  // Coarse boundaries in fine-cell units, snapped to whole fine cells when within rounding, so
  // an integer ratio gives integer boundaries and no sliver weights.
  auto boundary = [&](int j) {
    const double b = j * coarse_per_fine;
    const double rounded = std::round(b);
    return std::min(std::abs(b - rounded) < 1e-6 ? rounded : b, static_cast<double>(fine_count));
  };
  AxisOverlap out;
  out.first.reserve(static_cast<std::size_t>(coarse_count) + 1);
  for (int j = 0; j < coarse_count; ++j) {
    out.first.push_back(static_cast<int>(out.src.size()));
    const double lo = boundary(j), hi = boundary(j + 1);
    for (int i = static_cast<int>(std::floor(lo)); i < hi; ++i) {
      const double w = std::min(hi, i + 1.0) - std::max(lo, static_cast<double>(i));
      if (w <= 1e-9) continue;
      out.src.push_back(i);
      out.w.push_back(w);
    }
  }
  out.first.push_back(static_cast<int>(out.src.size()));
  return out;
}

Grid<float> AreaAverageHeights(const HeightMapView& fine, const GridSpec& coarse) {
  Grid<float> out(coarse, kNaN);
  const GridView<float>& heights = fine.heights_m();
  auto sample = [&](int c, int r, double* v) {
    const float h = heights(c, r);
    if (!fine.IsValid(c, r) || !std::isfinite(h)) return false;
    v[0] = h;
    return true;
  };
  auto store = [&](int c, int r, const double* mean, double weight) {
    if (weight > 0) out(c, r) = static_cast<float>(mean[0]);
  };
  AreaAverage<1>(fine.spec(), coarse, sample, store);
  return out;
}

}  // namespace internal

OrbitalProducts MakeOrbitalProducts(const TerrainTruth& truth, const OrbitalParams& params) {
  ValidateParams(params);
  const GridSpec& truth_spec = truth.dem.spec();
  MD_THROW_UNLESS(truth_spec.width_px > 0 && truth_spec.height_px > 0,
                  "orbital products: the terrain's DEM is empty");
  MD_DEMAND(!truth.dem.HasMask() || truth.dem.valid.spec() == truth_spec);
  MD_DEMAND(truth.classes.empty() || truth.classes.spec() == truth_spec);

  OrbitalProducts out;
  out.params = params;
  out.georef = truth.dem.georef;
  for (const Rock& rock : truth.rocks) {
    if (!(rock.diameter_m >= params.rock_detect_diameter_m)) continue;
    MD_DEMAND(std::isfinite(rock.x_m) && std::isfinite(rock.y_m) &&
              std::isfinite(rock.diameter_m) && std::isfinite(rock.height_m));
    out.visible_rocks.push_back(rock);
  }

  const GridSpec spec = internal::MakeCoarseSpec(truth_spec, params.resolution_m, "orbital DEM");
  out.dem_m = internal::AreaAverageHeights(truth.dem.View(), spec);
  const RockRaster rocks = RasteriseRocks(spec, out.visible_rocks, params.max_rock_height_m);
  {
    std::span<float> dem = out.dem_m.Values();
    std::span<const float> bump = rocks.bump_m.Values();
    for (std::size_t i = 0; i < dem.size(); ++i) {
      if (!std::isnan(dem[i])) dem[i] += bump[i];
    }
  }

  out.slope_deg = Grid<float>(spec, kNaN);
  out.roughness_m = Grid<float>(spec, kNaN);
  out.step_m = Grid<float>(spec, kNaN);
  out.rock_hazard = Grid<float>(spec, kNaN);
  out.sand = Grid<float>(spec, kNaN);
  const Grid<float> sand_cells = SandFraction(truth, spec);
  out.traversable = Grid<std::uint8_t>(spec, std::uint8_t{0});
  out.cost = Grid<float>(spec, kInf);
  const Footprint footprint = MakeFootprint(params.footprint_diameter_m, spec);
  const PairJumps jumps = MakePairJumps(out.dem_m);
  const NodataCounter nodata(out.dem_m);
  const FootprintInputs inputs{out.dem_m, rocks, sand_cells, footprint, jumps, nodata};
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      Layers layers{};
      if (std::isnan(out.dem_m(col, row)) || !EvaluateFootprint(inputs, col, row, layers)) {
        continue;  // nodata in the footprint: NaN layers, not traversable, infinite cost
      }
      // Decide on the stored (float) values, so the layers and the verdict agree exactly.
      const float slope_deg = out.slope_deg(col, row) = static_cast<float>(layers.slope_deg);
      const float roughness_m = out.roughness_m(col, row) = static_cast<float>(layers.roughness_m);
      const float step_m = out.step_m(col, row) = static_cast<float>(layers.step_m);
      const float hazard = out.rock_hazard(col, row) = static_cast<float>(layers.rock_hazard);
      const float sand = out.sand(col, row) = static_cast<float>(layers.sand);
      const bool traversable =
          slope_deg <= params.max_slope_deg && step_m <= params.max_step_m && !layers.lethal_rock;
      if (!traversable) continue;
      out.traversable(col, row) = 1;
      const double s = slope_deg / params.max_slope_deg;
      const double t = step_m / params.max_step_m;
      const double g = roughness_m / params.max_step_m;
      const double slip =
          std::min(kMaxPredictedSlip, params.sand_slip_flat + params.sand_slip_per_deg * slope_deg);
      out.cost(col, row) = static_cast<float>(
          1.0 + kCostSlopeWeight * s * s + kCostStepWeight * t * t + kCostRoughnessWeight * g * g +
          kCostRockHazardWeight * hazard + kCostSandWeight * sand * slip / (1.0 - slip));
    }
  }

  out.ortho = internal::MakeOrthoImage(truth, out.visible_rocks, params);
  return out;
}

}  // namespace marsdrive::terrain

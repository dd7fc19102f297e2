// The procedural Jezero-rim generator: a seeded, parameterised synthetic tile of the western
// rim of Jezero crater as Perseverance climbed it in 2024-2025. Numbers are from
// docs/references/terrain.md (cited by section); EST marks our own estimates.
//
// Layers, in the order they are built (all heights in metres, z up):
//  1. Multi-scale roughness: fractional Brownian surface with Hurst exponent H, synthesised by
//     a pyramid of cubic B-spline subdivision. Level l has nodes every s_l = res * 2^(L - l)
//     metres; white noise of amplitude a_l = A s_l^H is added at every node of levels with
//     s_l >= 0.1 m, and each level is subdivided (masks (1 6 1)/8 and (1 1)/2) into the next.
//     Every octave is thus a band-limited bump around wavelength ~2-4 s_l, and the sum has the
//     fBm spectrum: structure function <(z(x + d) - z(x))^2> ∝ d^(2H), i.e. a radially
//     averaged 2D power spectral density ∝ f^-(2H + 2) (profile spectrum ∝ f^-(2H + 1)),
//     between ~0.1 m and the map size (no longer wavelengths: the regional slope and crest
//     stand for those). A is set so that the expected RMS height difference over a 1 m
//     baseline equals `roughness_m` (computed exactly from the subdivision kernels, see
//     RoughnessAmplitudes; measured within ~2 % at H <= 0.75, ~5 % at H = 0.95, where the
//     long waves dominate). The missing longer octaves make the measured log-slope of the
//     structure function fall below H as the baseline approaches the map size: for H = 0.75
//     it is 0.72 over 1-4 m on a 200 m map, ~0.69 on 60-100 m maps. Levels coarser than ~0.5 m
//     extend beyond the map's edges, so that the long waves have no edge effects. Cost: ~4/3
//     of one pass over the final grid.
//  2. Regional slope and rim crest (terrain.md §1: 5-15 deg regional slope), added at the
//     pyramid level with ~0.5-1 m spacing, where it is smooth: the inner flank rises at
//     slope_deg toward slope_azimuth_deg, up to a wavy crest line; beyond it the outer flank
//     descends at the gentler outer_slope_deg.
//  3. Sand (terrain.md §3): low ground takes the lowest `sand_fraction` of the map, by the
//     relief of roughness + craters: smoothed over ~1.5 m (patches, not specks) minus
//     smoothed over ~12 m (heavily: local hollows, not the bottom of the regional slope).
//     Sand partly fills those hollows and damps the fine roughness. On the same coarse level.
//  4. Craters (terrain.md §4), stamped at full resolution within their bounding boxes.
//  5. Bedforms on the sand: megaripples (~1 m, 5-15 m spacing) and ripples (5-20 cm,
//     0.5-3 m spacing), crests perpendicular to wind_azimuth_deg, sinuous (phase warped by
//     smooth noise). Cells where sand cover >= 0.5 are SoilClass::kSand.
//  6. Bedrock ledges: sharp scarps of 0.1-1 m, wavy, roughly along the contours, facing
//     downhill, each with a bench above it marked SoilClass::kBedrock.
//  7. Rocks: a Golombek-Rapp field of rock_k (terrain.md §2) plus denser ejecta blocks around
//     fresh craters (terrain.md §4); none on sand. Rocks are a list, not part of the DEM.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

#include "base/check.h"
#include "base/format.h"
#include "base/random.h"
#include "terrain/rocks.h"
#include "terrain/truth/blur.h"
#include "terrain/truth/generate_internal.h"

namespace marsdrive::terrain::internal {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kDegToRad = kPi / 180.0;

// ---- parameters -------------------------------------------------------------------------------

constexpr NumberParam kSlopeDeg = {
    "slope_deg", 10.0, 0.0, 35.0,
    "regional slope of the inner flank, deg (terrain.md §1: 5-15 deg, patches to 20-25)"};
constexpr NumberParam kSlopeAzimuthDeg = {
    "slope_azimuth_deg", 0.0, -360.0, 360.0,
    "uphill direction of the inner flank, deg counter-clockwise from +x (east)"};
constexpr NumberParam kCrestFraction = {
    "crest_fraction", 0.8, -1.0, 2.0,
    "rim crest position along the uphill direction, as a fraction of the map's extent "
    "(0 = downhill edge, 1 = uphill edge; outside [0, 1]: no crest on the map)"};
constexpr NumberParam kOuterSlopeDeg = {"outer_slope_deg", 4.0, 0.0, 35.0,
                                        "slope of the outer flank beyond the crest, deg"};
constexpr NumberParam kCrestRadius = {"crest_radius_m", 10.0, 0.5, 500.0,
                                      "rounding of the crest (hyperbola parameter), m"};
constexpr NumberParam kCrestWaviness = {"crest_waviness_m", 6.0, 0.0, 200.0,
                                        "amplitude of the crest line's meanders, m"};
constexpr NumberParam kRoughness = {
    "roughness_m", 0.06, 0.0, 2.0,
    "multi-scale roughness: expected RMS height difference over a 1 m baseline, m (EST)"};
constexpr NumberParam kHurst = {
    "hurst", 0.75, 0.1, 1.0,
    "Hurst exponent H of the roughness: RMS difference ∝ baseline^H (EST: 0.7-0.9 on Mars)"};
constexpr NumberParam kLedgeDensity = {"ledge_density", 3.0, 0.0, 200.0,
                                       "bedrock ledges per hectare (mean of a Poisson count)"};
constexpr NumberParam kLedgeMinHeight = {"ledge_min_height_m", 0.1, 0.0, 5.0,
                                         "smallest ledge step height, m"};
constexpr NumberParam kLedgeMaxHeight = {"ledge_max_height_m", 1.0, 0.0, 5.0,
                                         "largest ledge step height, m"};
constexpr NumberParam kLedgeLength = {"ledge_length_m", 40.0, 2.0, 2000.0,
                                      "mean ledge length along the contour, m"};
constexpr NumberParam kCraterDensity = {
    "crater_density", 60.0, 0.0, 5000.0,
    "craters with diameter >= 1 m per hectare (cumulative power law, EST)"};
constexpr NumberParam kCraterExponent = {
    "crater_sfd_exponent", 2.0, 1.5, 3.5,
    "b in N(>D) ∝ D^-b (terrain.md §4: 2-3 for small craters)"};
constexpr NumberParam kCraterMinDiameter = {"crater_min_diameter_m", 1.0, 0.2, 500.0,
                                            "smallest crater diameter, m"};
constexpr NumberParam kCraterMaxDiameter = {"crater_max_diameter_m", 40.0, 0.2, 500.0,
                                            "largest crater diameter, m"};
constexpr NumberParam kCraterRockK = {
    "crater_rock_k", 0.2, 0.0, 0.8,
    "extra rock area fraction on the ejecta of a fresh crater, scaled by its freshness "
    "(terrain.md §4: 10-90 % near craters)"};
constexpr NumberParam kRockK = {"rock_k", 0.10, 0.0, 0.5,
                                "background Golombek-Rapp rock area fraction k "
                                "(terrain.md §1: 0.05-0.20 on the rim)"};
constexpr NumberParam kMinRockDiameter = {"min_rock_diameter_m", 0.10, 0.01, 5.0,
                                          "smallest rock diameter sampled, m"};
constexpr NumberParam kMaxRockDiameter = {"max_rock_diameter_m", 3.0, 0.01, 10.0,
                                          "largest rock diameter sampled, m"};
constexpr NumberParam kRockHeightRatio = {
    "rock_height_ratio", kRockHeightPerDiameter, 0.1, 1.0,
    "rock height / diameter, +-20 % jitter (terrain.md §2: EST 0.5, range 0.3-0.6)"};
constexpr NumberParam kSandFraction = {"sand_fraction", 0.15, 0.0, 0.9,
                                       "fraction of the map covered by sand, in low ground"};
constexpr NumberParam kMegarippleHeight = {
    "megaripple_height_m", 1.0, 0.0, 3.0,
    "megaripple crest-to-trough height, m (terrain.md §3: ~1 m, up to ~2 m)"};
constexpr NumberParam kMegarippleSpacing = {"megaripple_spacing_m", 10.0, 1.0, 100.0,
                                            "megaripple crest spacing, m (terrain.md §3: 5-15)"};
constexpr NumberParam kRippleHeight = {"ripple_height_m", 0.10, 0.0, 0.5,
                                       "ripple height, m (terrain.md §3: EST 0.05-0.20)"};
constexpr NumberParam kRippleSpacing = {"ripple_spacing_m", 1.5, 0.1, 20.0,
                                        "ripple crest spacing, m (terrain.md §3: EST 0.5-3)"};
constexpr NumberParam kWindAzimuth = {
    "wind_azimuth_deg", 60.0, -360.0, 360.0,
    "direction across the bedform crests, deg counter-clockwise from +x"};

constexpr NumberParam kParams[] = {
    kSlopeDeg,        kSlopeAzimuthDeg, kCrestFraction,     kOuterSlopeDeg,
    kCrestRadius,     kCrestWaviness,   kRoughness,         kHurst,
    kLedgeDensity,    kLedgeMinHeight,  kLedgeMaxHeight,    kLedgeLength,
    kCraterDensity,   kCraterExponent,  kCraterMinDiameter, kCraterMaxDiameter,
    kCraterRockK,     kRockK,           kMinRockDiameter,   kMaxRockDiameter,
    kRockHeightRatio, kSandFraction,    kMegarippleHeight,  kMegarippleSpacing,
    kRippleHeight,    kRippleSpacing,   kWindAzimuth,
};

struct Config {
  double slope_deg, slope_azimuth_deg, crest_fraction, outer_slope_deg, crest_radius_m,
      crest_waviness_m;
  double roughness_m, hurst;
  double ledge_density, ledge_min_height_m, ledge_max_height_m, ledge_length_m;
  double crater_density, crater_sfd_exponent, crater_min_diameter_m, crater_max_diameter_m,
      crater_rock_k;
  double rock_k, min_rock_diameter_m, max_rock_diameter_m, rock_height_ratio;
  double sand_fraction, megaripple_height_m, megaripple_spacing_m, ripple_height_m,
      ripple_spacing_m, wind_azimuth_deg;
};

void RequireOrdered(const NumberParam& lo, double lo_value, const NumberParam& hi,
                    double hi_value) {
  MD_THROW_UNLESS(lo_value <= hi_value, "parameter " + std::string(lo.name) + " (" +
                                            base::FormatExact(lo_value) + ") must not exceed " +
                                            std::string(hi.name) + " (" +
                                            base::FormatExact(hi_value) + ")");
}

Config ReadConfig(const ParamMap& p) {
  Config c{};
  c.slope_deg = Get(p, kSlopeDeg);
  c.slope_azimuth_deg = Get(p, kSlopeAzimuthDeg);
  c.crest_fraction = Get(p, kCrestFraction);
  c.outer_slope_deg = Get(p, kOuterSlopeDeg);
  c.crest_radius_m = Get(p, kCrestRadius);
  c.crest_waviness_m = Get(p, kCrestWaviness);
  c.roughness_m = Get(p, kRoughness);
  c.hurst = Get(p, kHurst);
  c.ledge_density = Get(p, kLedgeDensity);
  c.ledge_min_height_m = Get(p, kLedgeMinHeight);
  c.ledge_max_height_m = Get(p, kLedgeMaxHeight);
  c.ledge_length_m = Get(p, kLedgeLength);
  c.crater_density = Get(p, kCraterDensity);
  c.crater_sfd_exponent = Get(p, kCraterExponent);
  c.crater_min_diameter_m = Get(p, kCraterMinDiameter);
  c.crater_max_diameter_m = Get(p, kCraterMaxDiameter);
  c.crater_rock_k = Get(p, kCraterRockK);
  c.rock_k = Get(p, kRockK);
  c.min_rock_diameter_m = Get(p, kMinRockDiameter);
  c.max_rock_diameter_m = Get(p, kMaxRockDiameter);
  c.rock_height_ratio = Get(p, kRockHeightRatio);
  c.sand_fraction = Get(p, kSandFraction);
  c.megaripple_height_m = Get(p, kMegarippleHeight);
  c.megaripple_spacing_m = Get(p, kMegarippleSpacing);
  c.ripple_height_m = Get(p, kRippleHeight);
  c.ripple_spacing_m = Get(p, kRippleSpacing);
  c.wind_azimuth_deg = Get(p, kWindAzimuth);
  RequireOrdered(kLedgeMinHeight, c.ledge_min_height_m, kLedgeMaxHeight, c.ledge_max_height_m);
  RequireOrdered(kCraterMinDiameter, c.crater_min_diameter_m, kCraterMaxDiameter,
                 c.crater_max_diameter_m);
  RequireOrdered(kMinRockDiameter, c.min_rock_diameter_m, kMaxRockDiameter, c.max_rock_diameter_m);
  return c;
}

// ---- small helpers ----------------------------------------------------------------------------

double SmoothStep(double edge0, double edge1, double x) {
  const double t = std::clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

// Uniform noise of unit variance (cheaper than a normal; the octave sum is near-Gaussian).
double UnitNoise(Rng& rng) { return std::numbers::sqrt3 * (2.0 * UniformReal(rng) - 1.0); }

// The rim frame: u along the inner flank's uphill direction, v 90 deg counter-clockwise from
// it, both from the map centre.
struct Frame {
  double x_c = 0, y_c = 0, cos_az = 1, sin_az = 0;
  Frame(const GridSpec& spec, double azimuth_deg)
      : x_c(spec.origin_x_m + 0.5 * spec.WidthM()),
        y_c(spec.origin_y_m + 0.5 * spec.HeightM()),
        cos_az(std::cos(azimuth_deg * kDegToRad)),
        sin_az(std::sin(azimuth_deg * kDegToRad)) {}
  double U(double x, double y) const { return (x - x_c) * cos_az + (y - y_c) * sin_az; }
  double V(double x, double y) const { return -(x - x_c) * sin_az + (y - y_c) * cos_az; }
};

// Range of u and v over the map's corners.
struct UvBounds {
  double u_min, u_max, v_min, v_max;
};
UvBounds MapUvBounds(const GridSpec& spec, const Frame& frame) {
  UvBounds b{1e300, -1e300, 1e300, -1e300};
  for (double x : {spec.origin_x_m, spec.MaxX()}) {
    for (double y : {spec.origin_y_m, spec.MaxY()}) {
      b.u_min = std::min(b.u_min, frame.U(x, y));
      b.u_max = std::max(b.u_max, frame.U(x, y));
      b.v_min = std::min(b.v_min, frame.V(x, y));
      b.v_max = std::max(b.v_max, frame.V(x, y));
    }
  }
  return b;
}

// Calls f(col, row, u, v) for every cell whose centre may lie in u in [u_lo, u_hi] and v in
// [v_lo, v_hi] (a rotated rectangle): per row, the column interval is solved from both bounds,
// so the cost is proportional to the rectangle's area, not the map's.
template <typename F>
void ForEachCellInUvBox(const GridSpec& spec, const Frame& frame, double u_lo, double u_hi,
                        double v_lo, double v_hi, F&& f) {
  constexpr double kTiny = 1e-12;
  const double margin = spec.resolution_m;  // conservative: f checks exact bounds itself
  for (int row = 0; row < spec.height_px; ++row) {
    const double dy = spec.CellCenterY(row) - frame.y_c;
    double dx_lo = -1e300, dx_hi = 1e300;
    // u = dx cos + dy sin
    if (std::abs(frame.cos_az) > kTiny) {
      double a = (u_lo - dy * frame.sin_az) / frame.cos_az;
      double b = (u_hi - dy * frame.sin_az) / frame.cos_az;
      if (a > b) std::swap(a, b);
      dx_lo = std::max(dx_lo, a - margin);
      dx_hi = std::min(dx_hi, b + margin);
    } else if (dy * frame.sin_az < u_lo - margin || dy * frame.sin_az > u_hi + margin) {
      continue;
    }
    // v = -dx sin + dy cos
    if (std::abs(frame.sin_az) > kTiny) {
      double a = (dy * frame.cos_az - v_lo) / frame.sin_az;
      double b = (dy * frame.cos_az - v_hi) / frame.sin_az;
      if (a > b) std::swap(a, b);
      dx_lo = std::max(dx_lo, a - margin);
      dx_hi = std::min(dx_hi, b + margin);
    } else if (dy * frame.cos_az < v_lo - margin || dy * frame.cos_az > v_hi + margin) {
      continue;
    }
    if (dx_lo > dx_hi) continue;
    const double col_lo_f = std::max(spec.ColF(frame.x_c + dx_lo), -1.0);
    const double col_hi_f = std::min(spec.ColF(frame.x_c + dx_hi), double(spec.width_px));
    const int col_lo = std::max(0, static_cast<int>(std::floor(col_lo_f)));
    const int col_hi = std::min(spec.width_px - 1, static_cast<int>(std::ceil(col_hi_f)));
    for (int col = col_lo; col <= col_hi; ++col) {
      const double x = spec.CellCenterX(col);
      const double y = spec.CellCenterY(row);
      f(col, row, frame.U(x, y), frame.V(x, y));
    }
  }
}

// ---- regional slope and crest (terrain.md §1) -------------------------------------------------

class Regional {
 public:
  Regional(const Config& c, const GridSpec& spec, const Frame& frame, Rng& rng)
      : frame_(frame), radius_m_(c.crest_radius_m) {
    const double s_in = std::tan(c.slope_deg * kDegToRad);
    const double s_out = std::tan(c.outer_slope_deg * kDegToRad);
    // z(e) = a e - b sqrt(e^2 + r^2): slope +s_in far below the crest (e -> -inf) and -s_out
    // far beyond it (e -> +inf), rounded over ~r. Its summit is at e* = r rho / sqrt(1 - rho^2),
    // rho = a / b, so e = d + e* puts the summit on the crest line d = 0 (rho is capped at
    // 0.95: with a near-flat outer flank the summit stays within ~3 r beyond the line).
    a_ = 0.5 * (s_in - s_out);
    b_ = 0.5 * (s_in + s_out);
    const double rho = b_ > 0 ? std::min(a_ / b_, 0.95) : 0.0;
    summit_shift_m_ = radius_m_ * rho / std::sqrt(1.0 - rho * rho);
    const UvBounds bounds = MapUvBounds(spec, frame);
    crest_u_m_ = bounds.u_min + c.crest_fraction * (bounds.u_max - bounds.u_min);
    // Meanders: a long and a short wave (EST wavelengths 60-150 m and 20-50 m).
    wave_amplitude_m_ = {c.crest_waviness_m, 0.3 * c.crest_waviness_m};
    wave_length_m_ = {UniformReal(rng, 60.0, 150.0), UniformReal(rng, 20.0, 50.0)};
    wave_phase_ = {UniformReal(rng, 0.0, 2 * kPi), UniformReal(rng, 0.0, 2 * kPi)};
    offset_m_ = 0.0;
    offset_m_ = Height(frame.x_c, frame.y_c);  // z = 0 at the map centre
  }
  // How far (in u) the contour through (u, v) is displaced by the crest's meanders: fully at
  // the crest, fading over ~kMeanderDecayM away from it (EST), so that distant contours are
  // straight rather than copies of the crest line.
  double ContourOffset(double u, double v) const {
    double w = 0;
    for (std::size_t i = 0; i < wave_length_m_.size(); ++i) {
      w += wave_amplitude_m_[i] * std::sin(2 * kPi * v / wave_length_m_[i] + wave_phase_[i]);
    }
    const double t = (u - crest_u_m_) / kMeanderDecayM;
    return w * std::exp(-t * t);
  }
  // Signed distance (u) beyond the crest line: < 0 on the inner flank.
  double BeyondCrest(double u, double v) const { return u - crest_u_m_ - ContourOffset(u, v); }
  double Height(double x, double y) const {
    const double u = frame_.U(x, y);
    const double e = BeyondCrest(u, frame_.V(x, y)) + summit_shift_m_;
    return a_ * e - b_ * std::sqrt(e * e + radius_m_ * radius_m_) - offset_m_;
  }

 private:
  static constexpr double kMeanderDecayM = 40.0;
  Frame frame_;
  double radius_m_;
  double a_ = 0, b_ = 0, summit_shift_m_ = 0, crest_u_m_ = 0, offset_m_ = 0;
  std::array<double, 2> wave_amplitude_m_{}, wave_length_m_{}, wave_phase_{};
};

// ---- craters (terrain.md §4) ------------------------------------------------------------------

constexpr double kEjectaEnd = 2.5;  // ejecta blanket out to 2.5 radii (~1 D beyond the rim, EST)

struct Crater {
  double x_m, y_m, radius_m;
  double depth_m;    // rim crest to floor
  double rim_m;      // rim crest above the surroundings
  double freshness;  // 1 = fresh bowl, 0 = degraded dish
  double HeightAt(double r_m) const {
    const double t = r_m / radius_m;
    if (t < 1.0) {
      const double bowl = 1.0 - t * t;                      // fresh: parabolic bowl
      const double dish = 0.5 * (1.0 + std::cos(kPi * t));  // degraded: smooth dish
      return rim_m - depth_m * (freshness * bowl + (1.0 - freshness) * dish);
    }
    if (t < kEjectaEnd) {  // rim and ejecta: rim t^-3, taken to 0 at the blanket's edge
      constexpr double kEnd = 1.0 / (kEjectaEnd * kEjectaEnd * kEjectaEnd);
      return rim_m * (1.0 / (t * t * t) - kEnd) / (1.0 - kEnd);
    }
    return 0.0;
  }
};

std::vector<Crater> SampleCraters(const Config& c, const GridSpec& spec, std::uint64_t seed) {
  std::vector<Crater> craters;
  if (c.crater_density <= 0) return craters;
  Rng rng(DeriveSeed(seed, kTagCraters));
  const double b = c.crater_sfd_exponent;
  const double d_min = c.crater_min_diameter_m, d_max = c.crater_max_diameter_m;
  // Centres over the map grown by the largest crater's reach, so that craters cut by the
  // map's edge are there too; each is kept if its own reach touches the map (exact thinning).
  const double margin = 0.5 * kEjectaEnd * d_max;
  const double area_m2 = (spec.WidthM() + 2 * margin) * (spec.HeightM() + 2 * margin);
  // N(>D) per m^2 = (crater_density / 1e4) D^-b (D in m): count in [d_min, d_max].
  const double mean =
      c.crater_density / 1e4 * (std::pow(d_min, -b) - std::pow(d_max, -b)) * area_m2;
  const std::int64_t count = PoissonCount(rng, mean);
  const double tail = 1.0 - std::pow(d_min / d_max, b);
  for (std::int64_t i = 0; i < count; ++i) {
    // Truncated Pareto by inversion: P(D > x) ∝ x^-b on [d_min, d_max].
    const double d = d_min * std::pow(1.0 - UniformReal(rng) * tail, -1.0 / b);
    const double x = UniformReal(rng, spec.origin_x_m - margin, spec.MaxX() + margin);
    const double y = UniformReal(rng, spec.origin_y_m - margin, spec.MaxY() + margin);
    const double freshness = UniformReal(rng);
    const double reach = 0.5 * kEjectaEnd * d;
    if (x < spec.origin_x_m - reach || x > spec.MaxX() + reach || y < spec.origin_y_m - reach ||
        y > spec.MaxY() + reach) {
      continue;
    }
    Crater crater;
    crater.x_m = x;
    crater.y_m = y;
    crater.radius_m = 0.5 * d;
    crater.freshness = freshness;
    // terrain.md §4: fresh d/D ≈ 0.2, degraded rim-region craters 0.05-0.1; rim ≈ 0.04 D when
    // fresh (degraded rims are lower).
    crater.depth_m = (0.05 + 0.15 * freshness) * d;
    crater.rim_m = 0.04 * d * (0.3 + 0.7 * freshness);
    craters.push_back(crater);
  }
  return craters;
}

// Adds the craters to nodes (i, j) of a grid whose node spacing is `step` cells of `spec`.
void StampCraters(const std::vector<Crater>& craters, const GridSpec& spec, int step, int nx,
                  int ny, float* z) {
  const double spacing = spec.resolution_m * step;
  const double x0 = spec.CellCenterX(0), y0 = spec.CellCenterY(0);
  for (const Crater& crater : craters) {
    const double reach = kEjectaEnd * crater.radius_m;
    const int i_lo = std::max(0, static_cast<int>(std::ceil((crater.x_m - reach - x0) / spacing)));
    const int i_hi =
        std::min(nx - 1, static_cast<int>(std::floor((crater.x_m + reach - x0) / spacing)));
    const int j_lo = std::max(0, static_cast<int>(std::ceil((crater.y_m - reach - y0) / spacing)));
    const int j_hi =
        std::min(ny - 1, static_cast<int>(std::floor((crater.y_m + reach - y0) / spacing)));
    const double reach2 = reach * reach;
    for (int j = j_lo; j <= j_hi; ++j) {
      const double dy = y0 + j * spacing - crater.y_m;
      float* row = z + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
      for (int i = i_lo; i <= i_hi; ++i) {
        const double dx = x0 + i * spacing - crater.x_m;
        const double r2 = dx * dx + dy * dy;
        if (r2 >= reach2) continue;
        row[i] += static_cast<float>(crater.HeightAt(std::sqrt(r2)));
      }
    }
  }
}

// ---- the subdivision pyramid ------------------------------------------------------------------

// Nodes of level l sit on final cells 0, P, 2P, ... with P = 2^(L - l); a level holds just
// enough nodes to cover the map: n = ceil((W - 1) / P) + 1.
struct NodeGrid {
  int nx = 0, ny = 0;
  int step = 1;    // P: final cells between nodes
  int margin = 0;  // nodes before final cell 0: node i sits on final cell (i - margin) P
  std::vector<float> z;
  float* data() { return z.data(); }
};

int NodeCount(int cells, int step) { return (cells - 1 + step - 1) / step + 1; }

struct PyramidPlan {
  int top = 0;   // L: the final level's index (level 0 is the coarsest)
  int sand = 0;  // the coarse level where the regional slope and sand are computed
  explicit PyramidPlan(const GridSpec& spec) {
    // Coarsest level: ~4 nodes across the longer side (wavelengths up to the map size).
    const int cells = std::max(spec.width_px, spec.height_px);
    while (3 * (1LL << top) < cells - 1) ++top;
    // Regional/sand level: the finest with node spacing >= 0.5 m.
    sand = top;
    while (sand > 0 && spec.resolution_m * (1 << (top - sand)) < 0.5) --sand;
  }
  int Step(int level) const { return 1 << (top - level); }
};

// One step of cubic B-spline subdivision, as a window: with S the subdivision of the n coarse
// nodes s (S[2i] = (s[i-1] + 6 s[i] + s[i+1]) / 8, S[2i+1] = (s[i] + s[i+1]) / 2; the end nodes
// keep their values, as with ghost nodes extrapolated linearly, so linear functions are
// reproduced exactly), returns S[t] for t = j + off.
inline float SubdivisionAt(const float* s, std::ptrdiff_t stride, int n, int t) {
  const int i = t / 2;
  const float* c = s + i * stride;
  if (t % 2 == 1) return 0.5f * (c[0] + c[stride]);
  if (i == 0 || i == n - 1) return c[0];
  return 0.125f * (c[-stride] + 6.0f * c[0] + c[stride]);
}

// Along x: src (nx x ny) -> dst (fx x ny), dst[j] = S[j + off].
void SubdivideRows(const float* src, int nx, int ny, float* dst, int fx, int off) {
  MD_DEMAND(off >= 0 && fx - 1 + off <= 2 * (nx - 1));
  for (int j = 0; j < ny; ++j) {
    const float* s = src + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
    float* d = dst + static_cast<std::size_t>(j) * static_cast<std::size_t>(fx);
    for (int x = 0; x < fx; ++x) d[x] = SubdivisionAt(s, 1, nx, x + off);
  }
}

// Along y: src (nx x ny) -> dst (nx x fy), row f of dst = row S[f + off]; whole rows at a time.
void SubdivideCols(const float* src, int nx, int ny, float* dst, int fy, int off) {
  MD_DEMAND(off >= 0 && fy - 1 + off <= 2 * (ny - 1));
  const auto row = [nx](const float* base, int j) {
    return base + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
  };
  for (int f = 0; f < fy; ++f) {
    float* d = dst + static_cast<std::size_t>(f) * static_cast<std::size_t>(nx);
    const int t = f + off;
    const int i = t / 2;
    if (t % 2 == 1) {
      const float* b = row(src, i);
      const float* c = row(src, i + 1);
      for (int x = 0; x < nx; ++x) d[x] = 0.5f * (b[x] + c[x]);
    } else if (i == 0 || i == ny - 1) {
      std::copy_n(row(src, i), nx, d);
    } else {
      const float* a = row(src, i - 1);
      const float* b = row(src, i);
      const float* c = row(src, i + 1);
      for (int x = 0; x < nx; ++x) d[x] = 0.125f * (a[x] + 6.0f * b[x] + c[x]);
    }
  }
}

// Refines `coarse` into fx x fy nodes at `out`, starting `off` nodes into the subdivision.
void Refine(const NodeGrid& coarse, int fx, int fy, int off, float* out,
            std::vector<float>& scratch) {
  scratch.resize(static_cast<std::size_t>(fx) * static_cast<std::size_t>(coarse.ny));
  SubdivideRows(coarse.z.data(), coarse.nx, coarse.ny, scratch.data(), fx, off);
  SubdivideCols(scratch.data(), fx, coarse.ny, out, fy, off);
}

// The 1D kernel of a unit impulse at a level subdivided `steps` times (infinite line).
std::vector<double> SubdivisionKernel(int steps) {
  std::vector<double> k = {1.0};
  for (int s = 0; s < steps; ++s) {
    std::vector<double> f(2 * k.size() + 3, 0.0);
    for (std::size_t j = 0; j < k.size(); ++j) {
      constexpr double kWeights[5] = {0.125, 0.5, 0.75, 0.5, 0.125};
      for (std::size_t o = 0; o < 5; ++o) f[2 * j + o] += kWeights[o] * k[j];
    }
    k = std::move(f);
  }
  return k;
}

constexpr double kMinNoiseSpacing = 0.1;  // m: no roughness octaves below this wavelength scale

// Noise amplitude of each pyramid level (0 where none is added), so that the expected RMS
// height difference over a 1 m baseline (max(1, round(1 m / res)) cells) along x or y is
// roughness_m. Level l adds a_l xi with xi of unit variance at nodes P = 2^(L - l) cells apart;
// with k_l the kernel of a level-l impulse at the final resolution (separable, k x k), the
// variance of an increment at lag m, averaged over positions, is
//   a_l^2 * [(1/P) sum_j (k(j + m) - k(j))^2] * [(1/P) sum_j k(j)^2],
// and the levels are independent, so the variances add.
std::vector<double> RoughnessAmplitudes(const PyramidPlan& plan, const GridSpec& spec,
                                        const Config& c) {
  std::vector<double> amplitude(static_cast<std::size_t>(plan.top) + 1, 0.0);
  if (c.roughness_m <= 0) return amplitude;
  const long lag = std::max(1L, std::lround(1.0 / spec.resolution_m));
  double variance_per_a2 = 0.0;  // sum over levels of (s_l^H)^2 * G_l
  for (int level = 0; level <= plan.top; ++level) {
    const double spacing = spec.resolution_m * plan.Step(level);
    if (spacing < kMinNoiseSpacing - 1e-12) continue;
    const std::vector<double> k = SubdivisionKernel(plan.top - level);
    const auto at = [&k](long j) {
      return j >= 0 && j < static_cast<long>(k.size()) ? k[static_cast<std::size_t>(j)] : 0.0;
    };
    double diff2 = 0.0, sum2 = 0.0;
    for (long j = -lag; j < static_cast<long>(k.size()); ++j) {
      const double d = at(j + lag) - at(j);
      diff2 += d * d;
      sum2 += at(j) * at(j);
    }
    const double period = plan.Step(level);
    const double g = (diff2 / period) * (sum2 / period);
    amplitude[static_cast<std::size_t>(level)] = std::pow(spacing, c.hurst);
    variance_per_a2 +=
        amplitude[static_cast<std::size_t>(level)] * amplitude[static_cast<std::size_t>(level)] * g;
  }
  if (variance_per_a2 <= 0) return amplitude;
  const double scale = c.roughness_m / std::sqrt(variance_per_a2);
  for (double& a : amplitude) a *= scale;
  return amplitude;
}

// ---- sand (terrain.md §3) ---------------------------------------------------------------------

constexpr double kSandReliefRadiusM = 12.0;  // "heavily smoothed": ~1 megaripple field across
constexpr double kSandFill = 0.8;            // sand fills 80 % of a hollow's depth below the level
constexpr double kSandDamping = 0.85;        // fine roughness under full sand cover is damped 85 %

void Blur(std::vector<float>& z, int nx, int ny, int r) { BoxBlur(z, nx, ny, r, 3); }

// Smooth noise in [-~1, ~1] on an nx x ny node grid, with features ~`levels_up` octaves coarser
// than the grid (uniform noise on a coarse lattice, subdivided down).
std::vector<float> SmoothNoise(int nx, int ny, int levels_up, Rng& rng) {
  const int step = 1 << levels_up;
  NodeGrid g;
  g.nx = NodeCount(nx, step);
  g.ny = NodeCount(ny, step);
  g.z.resize(static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny));
  for (float& v : g.z) v = static_cast<float>(2.0 * UniformReal(rng) - 1.0);
  std::vector<float> scratch;
  for (int s = levels_up - 1; s >= 0; --s) {
    NodeGrid f;
    f.nx = NodeCount(nx, 1 << s);
    f.ny = NodeCount(ny, 1 << s);
    f.z.resize(static_cast<std::size_t>(f.nx) * static_cast<std::size_t>(f.ny));
    Refine(g, f.nx, f.ny, 0, f.data(), scratch);
    g = std::move(f);
  }
  return g.z;
}

// Sand cover and bedform phase warps on the sand level's nodes.
struct SandField {
  int nx = 0, ny = 0, step = 1;
  std::vector<float> cover;        // [0, 1]; >= 0.5 is sand
  std::vector<float> fill_m;       // height added by sand filling the hollows
  std::vector<float> warp_mega;    // megaripple phase offset, cycles
  std::vector<float> warp_ripple;  // ripple phase offset, cycles
  bool any = false;

  float CoverAtNode(int i, int j) const {
    return cover[static_cast<std::size_t>(j) * static_cast<std::size_t>(nx) +
                 static_cast<std::size_t>(i)];
  }
  // Bilinear cover at final cell (col, row).
  double CoverAt(int col, int row) const {
    if (!any) return 0.0;
    const int i = std::min(col / step, nx - 2);  // nx, ny >= 2
    const int j = std::min(row / step, ny - 2);
    const double fu = std::min(1.0, double(col - i * step) / step);
    const double fv = std::min(1.0, double(row - j * step) / step);
    const int i1 = std::min(i + 1, nx - 1), j1 = std::min(j + 1, ny - 1);
    const double s0 = CoverAtNode(i, j) + (CoverAtNode(i1, j) - CoverAtNode(i, j)) * fu;
    const double s1 = CoverAtNode(i, j1) + (CoverAtNode(i1, j1) - CoverAtNode(i, j1)) * fu;
    return s0 + (s1 - s0) * fv;
  }
};

// Sand goes to the lowest `sand_fraction` of the relief of roughness + craters, smoothed over
// ~1.5 m, minus their ~12 m smoothing (the regional slope and crest are excluded, so "low"
// means local hollows and crater floors, not the bottom of the map). Ground without relief
// has no hollows, and gets no sand.
SandField MakeSandField(const Config& c, const GridSpec& spec, const NodeGrid& roughness,
                        const std::vector<Crater>& craters, std::uint64_t seed) {
  SandField sand;
  sand.nx = roughness.nx;
  sand.ny = roughness.ny;
  sand.step = roughness.step;
  const std::size_t n = roughness.z.size();
  sand.cover.assign(n, 0.0f);
  sand.fill_m.assign(n, 0.0f);
  if (c.sand_fraction <= 0) return sand;

  // relief = (ground smoothed over ~1.5 m) - (ground smoothed over 12 m): patches, not specks.
  std::vector<float> relief = roughness.z;
  StampCraters(craters, spec, sand.step, sand.nx, sand.ny, relief.data());
  const double spacing = spec.resolution_m * sand.step;
  const auto radius_nodes = [spacing](double radius_m) {
    return std::max(1, static_cast<int>(std::lround(radius_m / spacing)));
  };
  std::vector<float> smooth = relief;
  // Three box passes of radius r: a near-Gaussian of sigma ~ r.
  Blur(smooth, sand.nx, sand.ny, radius_nodes(kSandReliefRadiusM));
  Blur(relief, sand.nx, sand.ny, radius_nodes(1.5));
  double mean = 0.0, mean2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    relief[i] -= smooth[i];
    mean += relief[i];
    mean2 += double(relief[i]) * relief[i];
  }
  mean /= double(n);
  const double sigma = std::sqrt(std::max(0.0, mean2 / double(n) - mean * mean));
  if (sigma < 1e-6) return sand;
  std::vector<float> sorted = relief;
  const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(c.sand_fraction * double(n - 1));
  std::nth_element(sorted.begin(), nth, sorted.end());
  const double threshold = *nth;
  const double width = std::max(0.3 * sigma, 1e-4);  // cover ramps 0 -> 1 across +-width
  for (std::size_t i = 0; i < n; ++i) {
    sand.cover[i] = static_cast<float>(SmoothStep(threshold + width, threshold - width, relief[i]));
  }
  Blur(sand.cover, sand.nx, sand.ny, radius_nodes(1.0));  // soft patch edges, >= 1 node wide
  for (std::size_t i = 0; i < n; ++i) {
    const double cover = sand.cover[i];
    sand.fill_m[i] = static_cast<float>(cover * kSandFill * std::max(0.0, threshold - relief[i]));
    sand.any = sand.any || cover > 0;
  }
  if (!sand.any) return sand;
  Rng rng(DeriveSeed(seed, kTagSandWarp));
  // Sinuous crests: megaripple phase warped at ~25 m, ripples at ~8 m (EST).
  const auto octaves_for = [spacing](double feature_m) {
    return std::max(1,
                    static_cast<int>(std::lround(std::log2(std::max(1.0, feature_m / spacing)))));
  };
  sand.warp_mega = SmoothNoise(sand.nx, sand.ny, octaves_for(25.0), rng);
  sand.warp_ripple = SmoothNoise(sand.nx, sand.ny, octaves_for(8.0), rng);
  for (float& w : sand.warp_mega) w *= 1.2f;
  for (float& w : sand.warp_ripple) w *= 2.0f;
  return sand;
}

// Adds unit-variance noise times `amplitude` (damped under sand) to every node of `g`.
void AddNoise(float* z, int nx, int ny, int step, double amplitude, const SandField& sand,
              Rng& rng) {
  if (amplitude <= 0) return;
  const bool damp = sand.any && step < sand.step;
  std::vector<int> sand_i;
  if (damp) {
    sand_i.resize(static_cast<std::size_t>(nx));
    for (int i = 0; i < nx; ++i) {
      sand_i[static_cast<std::size_t>(i)] =
          std::min(sand.nx - 1, (i * step + sand.step / 2) / sand.step);
    }
  }
  for (int j = 0; j < ny; ++j) {
    float* row = z + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
    const int sj = damp ? std::min(sand.ny - 1, (j * step + sand.step / 2) / sand.step) : 0;
    for (int i = 0; i < nx; ++i) {
      double a = amplitude;
      if (damp) a *= 1.0 - kSandDamping * sand.CoverAtNode(sand_i[static_cast<std::size_t>(i)], sj);
      row[i] += static_cast<float>(a * UnitNoise(rng));
    }
  }
}

// ---- bedforms (terrain.md §3) -----------------------------------------------------------------

// A periodic profile sampled over one period, zero mean, crest-to-trough height 1.
class Profile {
 public:
  template <typename F>
  explicit Profile(F shape) {
    double mean = 0;
    for (std::size_t i = 0; i < kSize; ++i) {
      table_[i] = shape(double(i) / kSize);
      mean += table_[i];
    }
    mean /= kSize;
    for (double& v : table_) v -= mean;
    table_[kSize] = table_[0];
  }
  double operator()(double phase) const {
    const double t = (phase - std::floor(phase)) * kSize;
    const std::size_t i = std::min(static_cast<std::size_t>(t), kSize - 1);
    return table_[i] + (table_[i + 1] - table_[i]) * (t - double(i));
  }

 private:
  static constexpr std::size_t kSize = 1024;
  std::array<double, kSize + 1> table_{};
};

void AddBedforms(const Config& c, const SandField& sand, const GridSpec& spec, SoilClass base_soil,
                 TerrainTruth& truth) {
  if (!sand.any) return;
  // Megaripples: rounded symmetric crests. Ripples: gentle stoss (70 %), steep lee (30 %).
  static const Profile kMega([](double p) { return std::pow(std::sin(kPi * p), 3.0); });
  static const Profile kRipple([](double p) {
    return p < 0.7 ? std::pow(std::sin(0.5 * kPi * p / 0.7), 2.0)
                   : std::pow(std::cos(0.5 * kPi * (p - 0.7) / 0.3), 2.0);
  });
  const double wind = c.wind_azimuth_deg * kDegToRad;
  const double mega_kx = std::cos(wind) / c.megaripple_spacing_m;
  const double mega_ky = std::sin(wind) / c.megaripple_spacing_m;
  const double ripple_wind = wind + 20.0 * kDegToRad;  // ripples a little oblique (EST)
  const double ripple_kx = std::cos(ripple_wind) / c.ripple_spacing_m;
  const double ripple_ky = std::sin(ripple_wind) / c.ripple_spacing_m;
  const int step = sand.step;
  const auto node = [&sand](const std::vector<float>& v, int i, int j) {
    return double(v[static_cast<std::size_t>(j) * static_cast<std::size_t>(sand.nx) +
                    static_cast<std::size_t>(i)]);
  };
  const int blocks_x = std::max(1, sand.nx - 1), blocks_y = std::max(1, sand.ny - 1);
  for (int bj = 0; bj < blocks_y; ++bj) {
    const int j1 = std::min(bj + 1, sand.ny - 1);
    const int row_lo = bj * step;
    const int row_hi =
        std::min(spec.height_px, bj == blocks_y - 1 ? spec.height_px : row_lo + step);
    for (int bi = 0; bi < blocks_x; ++bi) {
      const int i1 = std::min(bi + 1, sand.nx - 1);
      const double s00 = node(sand.cover, bi, bj), s10 = node(sand.cover, i1, bj);
      const double s01 = node(sand.cover, bi, j1), s11 = node(sand.cover, i1, j1);
      if (s00 <= 0 && s10 <= 0 && s01 <= 0 && s11 <= 0) continue;
      const double m00 = node(sand.warp_mega, bi, bj), m10 = node(sand.warp_mega, i1, bj);
      const double m01 = node(sand.warp_mega, bi, j1), m11 = node(sand.warp_mega, i1, j1);
      const double r00 = node(sand.warp_ripple, bi, bj), r10 = node(sand.warp_ripple, i1, bj);
      const double r01 = node(sand.warp_ripple, bi, j1), r11 = node(sand.warp_ripple, i1, j1);
      const int col_lo = bi * step;
      const int col_hi =
          std::min(spec.width_px, bi == blocks_x - 1 ? spec.width_px : col_lo + step);
      for (int row = row_lo; row < row_hi; ++row) {
        const double fv = std::min(1.0, double(row - row_lo) / step);
        const double y = spec.CellCenterY(row);
        std::span<float> z = truth.dem.heights_m.Row(row);
        std::span<SoilClass> cls = truth.classes.Row(row);
        for (int col = col_lo; col < col_hi; ++col) {
          const double fu = std::min(1.0, double(col - col_lo) / step);
          const auto lerp = [fu, fv](double a, double b, double cc, double d) {
            const double s0 = a + (b - a) * fu;
            const double s1 = cc + (d - cc) * fu;
            return s0 + (s1 - s0) * fv;
          };
          const double s = lerp(s00, s10, s01, s11);
          if (s <= 0) continue;
          const double x = spec.CellCenterX(col);
          const double mega = kMega(x * mega_kx + y * mega_ky + lerp(m00, m10, m01, m11));
          const double ripple = kRipple(x * ripple_kx + y * ripple_ky + lerp(r00, r10, r01, r11));
          const std::size_t k = static_cast<std::size_t>(col);
          z[k] += static_cast<float>(s * s * c.megaripple_height_m * mega +
                                     s * c.ripple_height_m * ripple);
          cls[k] = s >= 0.5 ? SoilClass::kSand : base_soil;
        }
      }
    }
  }
}

// ---- bedrock ledges ---------------------------------------------------------------------------

struct Ledge {
  double u_m;                 // base line position (u) at the ledge's centre
  double v_lo_m, v_hi_m;      // extent along the contour
  double height_m;            // step height
  double bench_m;             // the raised bench above the step fades out over this distance
  double bedrock_m;           // bench width marked bedrock
  double uphill;              // +1: uphill is +u (inner flank), -1: beyond the crest
  std::vector<float> wave_m;  // line offset in u, sampled every wave_step_m from v_lo_m
  double wave_step_m;
  double wave_min_m, wave_max_m;
  double WaveAt(double v) const {
    const double t = std::clamp((v - v_lo_m) / wave_step_m, 0.0, double(wave_m.size() - 1));
    const std::size_t i = std::min(static_cast<std::size_t>(t), wave_m.size() - 2);
    return wave_m[i] + (wave_m[i + 1] - wave_m[i]) * (t - double(i));
  }
};

std::vector<Ledge> SampleLedges(const Config& c, const GridSpec& spec, const Frame& frame,
                                const Regional& regional, std::uint64_t seed) {
  std::vector<Ledge> ledges;
  if (c.ledge_density <= 0 || c.ledge_max_height_m <= 0) return ledges;
  Rng rng(DeriveSeed(seed, kTagLedges));
  const UvBounds bounds = MapUvBounds(spec, frame);
  const double area_ha = spec.WidthM() * spec.HeightM() / 1e4;
  const std::int64_t count = PoissonCount(rng, c.ledge_density * area_ha);
  for (std::int64_t n = 0; n < count; ++n) {
    Ledge ledge;
    ledge.u_m = UniformReal(rng, bounds.u_min, bounds.u_max);
    const double v_mid = UniformReal(rng, bounds.v_min, bounds.v_max);
    const double length = c.ledge_length_m * UniformReal(rng, 0.5, 1.5);
    ledge.v_lo_m = v_mid - 0.5 * length;
    ledge.v_hi_m = v_mid + 0.5 * length;
    ledge.height_m = UniformReal(rng, c.ledge_min_height_m, c.ledge_max_height_m);
    ledge.bench_m = UniformReal(rng, 3.0, 8.0);
    ledge.bedrock_m = ledge.bench_m * UniformReal(rng, 0.5, 0.9);
    ledge.uphill = regional.BeyondCrest(ledge.u_m, v_mid) < 0 ? 1.0 : -1.0;
    // Wavy: follows the contours' meanders (from the crest's) plus three waves of its own,
    // wavelengths 10-60 m, amplitude up to 1/20 of the wavelength (EST).
    std::array<double, 3> amp{}, wavelength{}, phase{};
    for (std::size_t i = 0; i < 3; ++i) {
      wavelength[i] = UniformReal(rng, 10.0, 60.0);
      amp[i] = UniformReal(rng, 0.2, 1.0) * wavelength[i] / 20.0;
      phase[i] = UniformReal(rng, 0.0, 2 * kPi);
    }
    const double contour_here = regional.ContourOffset(ledge.u_m, v_mid);
    ledge.wave_step_m = std::max(spec.resolution_m, 0.1);
    const std::size_t samples = static_cast<std::size_t>(std::ceil(length / ledge.wave_step_m)) + 2;
    ledge.wave_m.resize(samples);
    ledge.wave_min_m = 1e300;
    ledge.wave_max_m = -1e300;
    for (std::size_t k = 0; k < samples; ++k) {
      const double v = ledge.v_lo_m + double(k) * ledge.wave_step_m;
      double w = regional.ContourOffset(ledge.u_m, v) - contour_here;
      for (std::size_t i = 0; i < 3; ++i)
        w += amp[i] * std::sin(2 * kPi * v / wavelength[i] + phase[i]);
      ledge.wave_m[k] = static_cast<float>(w);
      ledge.wave_min_m = std::min(ledge.wave_min_m, double(ledge.wave_m[k]));
      ledge.wave_max_m = std::max(ledge.wave_max_m, double(ledge.wave_m[k]));
    }
    ledges.push_back(std::move(ledge));
  }
  return ledges;
}

// A ledge raises the ground on its uphill side by a step of height h, fading linearly to zero
// over the bench: z += h taper(v) (1 - d / bench) for 0 <= d < bench, d = distance uphill from
// the wavy base line. The step is one cell wide: a sharp scarp. Buried by sand where sand lies.
void AddLedges(const std::vector<Ledge>& ledges, const GridSpec& spec, const Frame& frame,
               const SandField& sand, TerrainTruth& truth) {
  for (const Ledge& ledge : ledges) {
    const double taper_m = 0.15 * (ledge.v_hi_m - ledge.v_lo_m);
    const double u_lo = ledge.u_m + ledge.wave_min_m - ledge.bench_m;
    const double u_hi = ledge.u_m + ledge.wave_max_m + ledge.bench_m;
    ForEachCellInUvBox(spec, frame, u_lo, u_hi, ledge.v_lo_m, ledge.v_hi_m,
                       [&](int col, int row, double u, double v) {
                         if (v < ledge.v_lo_m || v > ledge.v_hi_m) return;
                         const double d = ledge.uphill * (u - ledge.u_m - ledge.WaveAt(v));
                         if (d < 0 || d >= ledge.bench_m) return;
                         const double taper = SmoothStep(0.0, taper_m, v - ledge.v_lo_m) *
                                              SmoothStep(0.0, taper_m, ledge.v_hi_m - v);
                         const double cover = sand.CoverAt(col, row);
                         const double h = ledge.height_m * taper * (1.0 - cover);
                         truth.dem.heights_m(col, row) +=
                             static_cast<float>(h * (1.0 - d / ledge.bench_m));
                         SoilClass& cls = truth.classes(col, row);
                         // Bedrock exposure narrows toward the ledge's ends.
                         if (d < ledge.bedrock_m * std::sqrt(taper) && cls != SoilClass::kSand) {
                           cls = SoilClass::kBedrock;
                         }
                       });
  }
}

// ---- rocks (terrain.md §2, §4) ----------------------------------------------------------------

bool OnSand(const TerrainTruth& truth, double x, double y) {
  const GridSpec& spec = truth.classes.spec();
  const int col = std::clamp(spec.ColOf(x), 0, spec.width_px - 1);
  const int row = std::clamp(spec.RowOf(y), 0, spec.height_px - 1);
  return truth.classes(col, row) == SoilClass::kSand;
}

void AddRocks(const Config& c, const std::vector<Crater>& craters, std::uint64_t seed,
              TerrainTruth& truth) {
  const GridSpec& spec = truth.dem.spec();
  RockFieldParams base;
  base.k = c.rock_k;
  base.min_diameter_m = c.min_rock_diameter_m;
  base.max_diameter_m = c.max_rock_diameter_m;
  base.height_per_diameter = c.rock_height_ratio;
  {
    Rng rng(DeriveSeed(seed, kTagRocks));
    for (const Rock& rock : SampleRockField(spec, base, rng)) {
      if (!OnSand(truth, rock.x_m, rock.y_m)) truth.rocks.push_back(rock);
    }
  }
  // Ejecta blocks around fresh craters (terrain.md §4: rock fields of 10-90 % area near
  // craters): extra k = crater_rock_k * freshness, full from 0.8 to 1.5 radii and falling as
  // (1.5 / t)^3 out to the blanket's edge; blocks up to 0.15 D (EST). Craters under 2 m
  // excavate no blocks worth modelling.
  if (c.crater_rock_k <= 0) return;
  Rng rng(DeriveSeed(seed, kTagCraterRocks));
  for (const Crater& crater : craters) {
    const double d = 2 * crater.radius_m;
    RockFieldParams ejecta = base;
    ejecta.k = c.crater_rock_k * crater.freshness;
    ejecta.max_diameter_m = std::min(c.max_rock_diameter_m, 0.15 * d);
    if (d < 2.0 || ejecta.k <= 0.005 || ejecta.max_diameter_m <= ejecta.min_diameter_m) continue;
    const double reach = kEjectaEnd * crater.radius_m;
    const GridSpec box{1, 1, 2 * reach, crater.x_m - reach, crater.y_m - reach};
    for (const Rock& rock : SampleRockField(box, ejecta, rng)) {
      const double t = std::hypot(rock.x_m - crater.x_m, rock.y_m - crater.y_m) / crater.radius_m;
      const double keep = t < 0.8 || t > kEjectaEnd ? 0.0 : t <= 1.5 ? 1.0 : std::pow(1.5 / t, 3.0);
      if (UniformReal(rng) >= keep) continue;
      if (!spec.Contains(rock.x_m, rock.y_m) || OnSand(truth, rock.x_m, rock.y_m)) continue;
      truth.rocks.push_back(rock);
    }
  }
}

// ---- the generator ----------------------------------------------------------------------------

TerrainTruth GenerateJezeroRim(const PresetContext& context) {
  const Config c = ReadConfig(*context.params);
  const GridSpec& spec = context.spec;
  const Frame frame(spec, c.slope_azimuth_deg);
  Rng regional_rng(DeriveSeed(context.seed, kTagRegional));
  const Regional regional(c, spec, frame, regional_rng);
  const std::vector<Crater> craters = SampleCraters(c, spec, context.seed);
  const std::vector<Ledge> ledges = SampleLedges(c, spec, frame, regional, context.seed);

  TerrainTruth truth;
  truth.dem = HeightMap(spec, 0.0f);
  truth.classes = Grid<SoilClass>(spec, context.base_soil);

  // 1. Roughness, coarse levels down to the sand level.
  const PyramidPlan plan(spec);
  const std::vector<double> amplitude = RoughnessAmplitudes(plan, spec, c);
  const auto noise_rng = [&](int level) {
    return Rng(DeriveSeed(context.seed, kTagRoughness + static_cast<std::uint64_t>(level)));
  };
  const SandField no_sand;
  std::vector<float> scratch;
  // Levels coarser than the sand level carry kMargin extra nodes beyond each edge of the map
  // (one more at the far end), and each refinement keeps only the subdivided nodes whose every
  // coarse contributor is present (offset 2 margin nodes): every node there is exactly what an
  // unbounded pyramid would give, so the long waves have no edge effects. The sand level and
  // finer ones cover the map exactly (edge nodes by the linear ghost rule).
  constexpr int kMargin = 2;
  const auto make_level = [&](int level) {
    NodeGrid grid;
    grid.step = plan.Step(level);
    grid.margin = level < plan.sand ? kMargin : 0;
    const int extra = grid.margin > 0 ? 2 * grid.margin + 1 : 0;
    grid.nx = NodeCount(spec.width_px, grid.step) + extra;
    grid.ny = NodeCount(spec.height_px, grid.step) + extra;
    return grid;
  };
  NodeGrid g = make_level(0);
  g.z.assign(static_cast<std::size_t>(g.nx) * static_cast<std::size_t>(g.ny), 0.0f);
  {
    Rng rng = noise_rng(0);
    AddNoise(g.data(), g.nx, g.ny, g.step, amplitude[0], no_sand, rng);
  }
  for (int level = 1; level <= plan.sand; ++level) {
    NodeGrid f = make_level(level);
    f.z.resize(static_cast<std::size_t>(f.nx) * static_cast<std::size_t>(f.ny));
    Refine(g, f.nx, f.ny, 2 * g.margin - f.margin, f.data(), scratch);
    Rng rng = noise_rng(level);
    AddNoise(f.data(), f.nx, f.ny, f.step, amplitude[static_cast<std::size_t>(level)], no_sand,
             rng);
    g = std::move(f);
  }
  MD_DEMAND(g.margin == 0);

  // 2-3. Sand cover from the relief, then the regional slope and the sand fill.
  const SandField sand = MakeSandField(c, spec, g, craters, context.detail_seed);
  for (int j = 0; j < g.ny; ++j) {
    const double y = spec.CellCenterY(j * g.step);
    for (int i = 0; i < g.nx; ++i) {
      const std::size_t k = static_cast<std::size_t>(j) * static_cast<std::size_t>(g.nx) +
                            static_cast<std::size_t>(i);
      g.z[k] +=
          static_cast<float>(regional.Height(spec.CellCenterX(i * g.step), y) + sand.fill_m[k]);
    }
  }

  // 1 (continued). Finer levels, their roughness damped under sand; the last one is the DEM.
  float* dem = truth.dem.heights_m.Values().data();
  if (plan.sand == plan.top) {
    std::copy(g.z.begin(), g.z.end(), dem);
  }
  for (int level = plan.sand + 1; level <= plan.top; ++level) {
    NodeGrid f = make_level(level);
    float* out = dem;
    if (level < plan.top) {
      f.z.resize(static_cast<std::size_t>(f.nx) * static_cast<std::size_t>(f.ny));
      out = f.data();
    }
    Refine(g, f.nx, f.ny, 0, out, scratch);
    Rng rng = noise_rng(level);
    AddNoise(out, f.nx, f.ny, f.step, amplitude[static_cast<std::size_t>(level)], sand, rng);
    if (level < plan.top) g = std::move(f);
  }
  g = NodeGrid{};
  scratch = {};

  // 4-6. Craters, bedforms and sand classes, ledges and bedrock.
  StampCraters(craters, spec, 1, spec.width_px, spec.height_px, dem);
  AddBedforms(c, sand, spec, context.base_soil, truth);
  AddLedges(ledges, spec, frame, sand, truth);

  // 7. Rocks.
  AddRocks(c, craters, context.detail_seed, truth);
  return truth;
}

constexpr PresetDef kJezeroRim = {
    "jezero-rim",
    "procedural Jezero crater rim (terrain.md): regional slope and crest, fBm roughness, "
    "bedrock ledges, craters, Golombek-Rapp rocks, sand with ripples and megaripples",
    kParams, &GenerateJezeroRim};

}  // namespace

const PresetDef& JezeroRimPreset() { return kJezeroRim; }

}  // namespace marsdrive::terrain::internal

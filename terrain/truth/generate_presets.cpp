// The exact validation presets: flat, slope, step. Physics is checked against analytic results
// on these, so their geometry is exact (evaluated in double at cell centres, stored as float).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>

#include "base/check.h"
#include "base/format.h"
#include "base/random.h"
#include "terrain/rocks.h"
#include "terrain/truth/generate_internal.h"

namespace marsdrive::terrain::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Optional rocks on a validation preset (none by default: the geometry stays exact).
constexpr NumberParam kRockK = {"rock_k", 0.0, 0.0, 0.5,
                                "Golombek-Rapp rock area fraction k (terrain.md §2); 0 = no rocks"};
constexpr NumberParam kMinRockDiameter = {"min_rock_diameter_m", 0.10, 0.01, 3.0,
                                          "smallest rock diameter sampled when rock_k > 0 (m)"};
// A single Coulomb friction coefficient for every contact, so physics can be checked against
// analytic limits (e.g. the slope limit atan(mu)); recorded in terrain.json for the simulator.
constexpr NumberParam kMu = {"mu", kNaN, 0.0, 5.0,
                             "fix one Coulomb friction coefficient for every contact (physics "
                             "validation); default: friction per soil class"};

TerrainTruth MakeTruth(const PresetContext& context) {
  TerrainTruth truth;
  truth.dem = HeightMap(context.spec, 0.0f);
  truth.classes = Grid<SoilClass>(context.spec, context.base_soil);
  const double k = Get(*context.params, kRockK);
  if (k > 0) {
    RockFieldParams rock_params;
    rock_params.k = k;
    rock_params.min_diameter_m = Get(*context.params, kMinRockDiameter);
    rock_params.max_diameter_m = std::max(rock_params.max_diameter_m, rock_params.min_diameter_m);
    Rng rng(DeriveSeed(context.detail_seed, kTagUniformRocks));
    truth.rocks = SampleRockField(context.spec, rock_params, rng);
  }
  return truth;
}

// cos and sin of an angle in degrees, exact at multiples of 90 deg (so that a slope rising
// toward +y does not lean by 1e-17 toward x).
void CosSinDeg(double angle_deg, double& c, double& s) {
  const double quarter_turns = angle_deg / 90.0;
  if (quarter_turns == std::round(quarter_turns)) {
    const long q = ((static_cast<long>(std::round(quarter_turns)) % 4) + 4) % 4;
    constexpr double kCos[4] = {1, 0, -1, 0}, kSin[4] = {0, 1, 0, -1};
    c = kCos[q];
    s = kSin[q];
    return;
  }
  const double rad = angle_deg * std::numbers::pi / 180.0;
  c = std::cos(rad);
  s = std::sin(rad);
}

// ---- flat -------------------------------------------------------------------------------------

constexpr NumberParam kFlatParams[] = {kRockK, kMinRockDiameter, kMu};

TerrainTruth GenerateFlat(const PresetContext& context) { return MakeTruth(context); }

// ---- slope ------------------------------------------------------------------------------------

constexpr NumberParam kSlopeAngle = {"angle_deg", 15.0, 0.0, 80.0, "slope angle (deg)"};
constexpr NumberParam kSlopeAzimuth = {
    "azimuth_deg", 0.0, -360.0, 360.0,
    "uphill direction, counter-clockwise from +x (east) like a rover yaw: 0 rises toward +x, "
    "90 toward +y (deg)"};
constexpr NumberParam kSlopeParams[] = {kSlopeAngle, kSlopeAzimuth, kRockK, kMinRockDiameter, kMu};

// z = tan(angle) ((x - x_c) cos(az) + (y - y_c) sin(az)) at every cell centre (x, y), in double,
// where (x_c, y_c) is the map centre: the plane passes through z = 0 there, so heights stay
// small (|z| <= tan(angle) * half the diagonal) whatever the map size.
TerrainTruth GenerateSlope(const PresetContext& context) {
  TerrainTruth truth = MakeTruth(context);
  const double angle_rad = Get(*context.params, kSlopeAngle) * std::numbers::pi / 180.0;
  double cos_az = 1, sin_az = 0;
  CosSinDeg(Get(*context.params, kSlopeAzimuth), cos_az, sin_az);
  const double rise = std::tan(angle_rad);
  const GridSpec& spec = context.spec;
  const double x_c = spec.origin_x_m + 0.5 * spec.WidthM();
  const double y_c = spec.origin_y_m + 0.5 * spec.HeightM();
  for (int row = 0; row < spec.height_px; ++row) {
    const double dy = spec.CellCenterY(row) - y_c;
    std::span<float> out = truth.dem.heights_m.Row(row);
    for (int col = 0; col < spec.width_px; ++col) {
      const double dx = spec.CellCenterX(col) - x_c;
      out[static_cast<std::size_t>(col)] = static_cast<float>(rise * (dx * cos_az + dy * sin_az));
    }
  }
  return truth;
}

// ---- step -------------------------------------------------------------------------------------

constexpr NumberParam kStepHeight = {"height_m", 0.25, -10.0, 10.0,
                                     "step height (m); negative steps down"};
constexpr NumberParam kStepX = {
    "x_m", kNaN, -1e9, 1e9,
    "x of the step edge (m), inside the map [0, size_x]; default (auto): the middle of the map"};
constexpr NumberParam kStepParams[] = {kStepHeight, kStepX, kRockK, kMinRockDiameter, kMu};

// z = 0 for cell centres with x < x_m, z = height_m for x >= x_m: a vertical step across the
// whole width (the bilinear surface between the two cell centres either side is the riser).
TerrainTruth GenerateStep(const PresetContext& context) {
  const GridSpec& spec = context.spec;
  const double height_m = Get(*context.params, kStepHeight);
  const bool x_given = context.params->Has("x_m");
  const double x_m = x_given ? Get(*context.params, kStepX) : spec.origin_x_m + 0.5 * spec.WidthM();
  MD_THROW_UNLESS(x_m >= spec.origin_x_m && x_m <= spec.MaxX(),
                  "parameter x_m: expected a number in [" + base::FormatExact(spec.origin_x_m) +
                      ", " + base::FormatExact(spec.MaxX()) + "] (inside the map), got " +
                      context.params->GetString("x_m", ""));
  TerrainTruth truth = MakeTruth(context);
  if (!x_given) truth.params["x_m"] = base::FormatExact(x_m);
  for (int row = 0; row < spec.height_px; ++row) {
    std::span<float> out = truth.dem.heights_m.Row(row);
    for (int col = 0; col < spec.width_px; ++col) {
      out[static_cast<std::size_t>(col)] =
          spec.CellCenterX(col) >= x_m ? static_cast<float>(height_m) : 0.0f;
    }
  }
  return truth;
}

constexpr PresetDef kValidationPresets[] = {
    {"flat", "z = 0 everywhere (validation)", kFlatParams, &GenerateFlat},
    {"slope",
     "a plane of angle_deg rising toward azimuth_deg, z = 0 at the map centre (validation)",
     kSlopeParams, &GenerateSlope},
    {"step", "z = 0 west of x_m, z = height_m from x_m east: a vertical step (validation)",
     kStepParams, &GenerateStep},
};

}  // namespace

std::span<const PresetDef> ValidationPresets() { return kValidationPresets; }

}  // namespace marsdrive::terrain::internal

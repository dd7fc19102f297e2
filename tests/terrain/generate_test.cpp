#include "terrain/truth/generate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "terrain/rocks.h"
#include "terrain/truth/rock_file.h"

namespace marsdrive::terrain {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

GenerateRequest Request(const std::string& preset, const std::map<std::string, std::string>& params,
                        std::uint64_t seed = 1, double size_x_m = 40, double size_y_m = 40,
                        double resolution_m = 0.1) {
  GenerateRequest request;
  request.preset = preset;
  for (const auto& [key, value] : params) request.params.Set(key, value);
  request.seed = seed;
  request.size_x_m = size_x_m;
  request.size_y_m = size_y_m;
  request.resolution_m = resolution_m;
  return request;
}

std::string ErrorOf(const GenerateRequest& request) {
  try {
    GenerateTerrain(request);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Least-squares plane z = z0 + gx (x - x_c) + gy (y - y_c) over valid cell centres.
struct Plane {
  double z0 = 0, gx = 0, gy = 0;
  double AngleDeg() const { return std::atan(std::hypot(gx, gy)) * kRadToDeg; }
  double AzimuthDeg() const { return std::atan2(gy, gx) * kRadToDeg; }
};
Plane FitPlane(const HeightMap& dem) {
  const GridSpec& spec = dem.spec();
  const double x_c = 0.5 * spec.WidthM(), y_c = 0.5 * spec.HeightM();
  double sxx = 0, syy = 0, sxz = 0, syz = 0, sz = 0, n = 0;
  // Cell centres are symmetric about the centre, so x and y are uncorrelated and zero-mean.
  for (int row = 0; row < spec.height_px; ++row) {
    const double y = spec.CellCenterY(row) - y_c;
    for (int col = 0; col < spec.width_px; ++col) {
      const double x = spec.CellCenterX(col) - x_c;
      const double z = dem.heights_m(col, row);
      sxx += x * x;
      syy += y * y;
      sxz += x * z;
      syz += y * z;
      sz += z;
      n += 1;
    }
  }
  return {sz / n, sxz / sxx, syz / syy};
}

// Slopes (deg) of interior cells by central differences.
std::vector<double> Slopes(const HeightMap& dem) {
  const GridSpec& spec = dem.spec();
  std::vector<double> slopes;
  for (int row = 1; row + 1 < spec.height_px; ++row) {
    for (int col = 1; col + 1 < spec.width_px; ++col) {
      const double gx =
          (dem.heights_m(col + 1, row) - dem.heights_m(col - 1, row)) / (2 * spec.resolution_m);
      const double gy =
          (dem.heights_m(col, row + 1) - dem.heights_m(col, row - 1)) / (2 * spec.resolution_m);
      slopes.push_back(std::atan(std::hypot(gx, gy)) * kRadToDeg);
    }
  }
  return slopes;
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

double ClassFraction(const TerrainTruth& truth, SoilClass soil) {
  const auto values = truth.classes.Values();
  return double(std::count(values.begin(), values.end(), soil)) / values.size();
}

// RMS of z(x + lag) - z(x) over all cells, along x and y together.
double IncrementRms(const HeightMap& dem, int lag) {
  const GridSpec& spec = dem.spec();
  double sum = 0, n = 0;
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      if (col + lag < spec.width_px) {
        const double d = dem.heights_m(col + lag, row) - dem.heights_m(col, row);
        sum += d * d;
        n += 1;
      }
      if (row + lag < spec.height_px) {
        const double d = dem.heights_m(col, row + lag) - dem.heights_m(col, row);
        sum += d * d;
        n += 1;
      }
    }
  }
  return std::sqrt(sum / n);
}

bool SameHeights(const TerrainTruth& a, const TerrainTruth& b) {
  const auto va = a.dem.heights_m.Values(), vb = b.dem.heights_m.Values();
  return va.size() == vb.size() && std::memcmp(va.data(), vb.data(), va.size_bytes()) == 0;
}
bool SameClasses(const TerrainTruth& a, const TerrainTruth& b) {
  const auto va = a.classes.Values(), vb = b.classes.Values();
  return va.size() == vb.size() && std::equal(va.begin(), va.end(), vb.begin());
}

// A jezero-rim with only the layer under test (no slope, crest, craters, ledges, sand, rocks).
std::map<std::string, std::string> Bare(std::map<std::string, std::string> extra) {
  std::map<std::string, std::string> params = {{"slope_deg", "0"},        {"outer_slope_deg", "0"},
                                               {"crest_waviness_m", "0"}, {"crater_density", "0"},
                                               {"ledge_density", "0"},    {"sand_fraction", "0"},
                                               {"rock_k", "0"},           {"roughness_m", "0"}};
  for (const auto& [key, value] : extra) params[key] = value;
  return params;
}

// ---- registry and request checks --------------------------------------------------------------

TEST(Presets, ListsEveryPresetWithCommonParams) {
  std::vector<std::string> names;
  for (const PresetInfo& preset : ListPresets()) {
    names.push_back(preset.name);
    EXPECT_FALSE(preset.help.empty());
    std::vector<std::string> params;
    for (const PresetParamInfo& p : preset.params) {
      params.push_back(p.name);
      EXPECT_FALSE(p.help.empty()) << preset.name << " " << p.name;
      EXPECT_FALSE(p.default_value.empty()) << preset.name << " " << p.name;
    }
    EXPECT_THAT(params, ::testing::Contains("soil")) << preset.name;
    EXPECT_THAT(params, ::testing::Contains("rocks")) << preset.name;
  }
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("jezero-rim", "flat", "slope", "step"));
}

TEST(Presets, EveryListedDefaultIsAccepted) {
  // Passing each listed default explicitly gives the same terrain as leaving it out.
  for (const PresetInfo& preset : ListPresets()) {
    SCOPED_TRACE(preset.name);
    GenerateRequest with_defaults = Request(preset.name, {}, 4, 12, 10, 0.2);
    for (const PresetParamInfo& p : preset.params) {
      if (p.default_value != "auto" && p.default_value != "none") {
        with_defaults.params.Set(p.name, p.default_value);
      }
    }
    const TerrainTruth a = GenerateTerrain(Request(preset.name, {}, 4, 12, 10, 0.2));
    const TerrainTruth b = GenerateTerrain(with_defaults);
    EXPECT_TRUE(SameHeights(a, b));
    EXPECT_EQ(a.rocks, b.rocks);
    EXPECT_EQ(a.params, b.params);  // provenance records the same effective values
  }
}

TEST(GenerateErrors, UnknownPresetListsThePresets) {
  const std::string error = ErrorOf(Request("moon", {}));
  EXPECT_THAT(error, HasSubstr("unknown terrain preset 'moon'"));
  EXPECT_THAT(error, HasSubstr("jezero-rim, flat, slope, step"));
}

TEST(GenerateErrors, UnknownParameter) {
  EXPECT_THAT(ErrorOf(Request("slope", {{"angel_deg", "3"}})),
              HasSubstr("preset slope: unknown parameter 'angel_deg'"));
  EXPECT_THAT(ErrorOf(Request("jezero-rim", {{"slope", "3"}})),
              HasSubstr("preset jezero-rim: unknown parameter 'slope'"));
  // Parameters of another preset are unknown too.
  EXPECT_THAT(ErrorOf(Request("flat", {{"angle_deg", "3"}})),
              HasSubstr("unknown parameter 'angle_deg'"));
}

TEST(GenerateErrors, MalformedOrOutOfRangeValue) {
  EXPECT_THAT(ErrorOf(Request("slope", {{"angle_deg", "steep"}})),
              HasSubstr("parameter angle_deg: expected a finite number, got 'steep'"));
  EXPECT_THAT(ErrorOf(Request("slope", {{"angle_deg", "nan"}})),
              HasSubstr("parameter angle_deg: expected a finite number"));
  EXPECT_THAT(ErrorOf(Request("slope", {{"angle_deg", "95"}})),
              HasSubstr("parameter angle_deg: expected a number in [0, 80], got 95"));
  EXPECT_THAT(ErrorOf(Request("jezero-rim", {{"rock_k", "-0.1"}})),
              HasSubstr("parameter rock_k: expected a number in [0, 0.5]"));
  EXPECT_THAT(ErrorOf(Request("jezero-rim", {{"hurst", "1.5"}})), HasSubstr("parameter hurst"));
  EXPECT_THAT(ErrorOf(Request("jezero-rim", {{"ledge_min_height_m", "2"}})),
              HasSubstr("ledge_min_height_m (2) must not exceed ledge_max_height_m (1)"));
  EXPECT_THAT(ErrorOf(Request("step", {{"x_m", "50"}})),
              HasSubstr("parameter x_m: expected a number in [0, 40] (inside the map), got 50"));
  EXPECT_THAT(ErrorOf(Request("flat", {{"soil", "mud"}})),
              HasSubstr("parameter soil: expected regolith, bedrock or sand, got 'mud'"));
}

TEST(GenerateErrors, BadSizeOrResolution) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 0, 10)),
              HasSubstr("size_x_m: expected a finite number > 0 (m), got 0"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, -3)), HasSubstr("size_y_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, nan, 10)), HasSubstr("size_x_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, inf)), HasSubstr("size_y_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, 10, 0)), HasSubstr("resolution_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, 10, -1)), HasSubstr("resolution_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, 10, nan)), HasSubstr("resolution_m"));
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 10, 10, 20)), HasSubstr("expected at least 2 x 2"));
  // 1 km x 1 km at 1 cm would be 1e10 cells: refused before allocating anything.
  EXPECT_THAT(ErrorOf(Request("flat", {}, 1, 1000, 1000, 0.01)), HasSubstr("more than the limit"));
}

TEST(GenerateErrors, RockFileProblemsNameTheFile) {
  const fs::path dir = fs::path(::testing::TempDir()) / "marsdrive_generate_rocks";
  fs::create_directories(dir);
  EXPECT_THAT(ErrorOf(Request("flat", {{"rocks", (dir / "none.yaml").string()}})),
              AllOf(HasSubstr("none.yaml"), HasSubstr("cannot open")));
  std::ofstream(dir / "outside.yaml")
      << "- {x: 5, y: 5, diameter_m: 1}\n- {x: 45, y: 5, diameter_m: 1}\n";
  EXPECT_THAT(
      ErrorOf(Request("flat", {{"rocks", (dir / "outside.yaml").string()}})),
      HasSubstr("outside.yaml: [1]: rock at (45, 5) is outside the terrain [0, 40] x [0, 40] m"));
  fs::remove_all(dir);
}

// ---- validation presets -----------------------------------------------------------------------

TEST(Flat, IsZeroEverywhereWithTheRequestedGrid) {
  const TerrainTruth truth = GenerateTerrain(Request("flat", {}, 1, 40, 30, 0.1));
  const GridSpec& spec = truth.dem.spec();
  EXPECT_EQ(spec.width_px, 400);
  EXPECT_EQ(spec.height_px, 300);
  EXPECT_EQ(spec.resolution_m, 0.1);
  EXPECT_EQ(spec.origin_x_m, 0.0);
  EXPECT_EQ(spec.origin_y_m, 0.0);
  EXPECT_EQ(truth.classes.spec(), spec);
  EXPECT_FALSE(truth.dem.HasMask());
  for (float z : truth.dem.heights_m.Values()) ASSERT_EQ(z, 0.0f);
  EXPECT_EQ(ClassFraction(truth, SoilClass::kRegolith), 1.0);
  EXPECT_TRUE(truth.rocks.empty());
}

TEST(Flat, SoilParameterSetsTheBaseClass) {
  EXPECT_EQ(
      ClassFraction(GenerateTerrain(Request("flat", {{"soil", "bedrock"}})), SoilClass::kBedrock),
      1.0);
  EXPECT_EQ(ClassFraction(GenerateTerrain(Request("slope", {{"soil", "sand"}})), SoilClass::kSand),
            1.0);
}

TEST(Flat, RockKAddsAGolombekRappField) {
  const TerrainTruth truth = GenerateTerrain(Request("flat", {{"rock_k", "0.1"}}, 1, 40, 40));
  // Expected rocks >= 0.1 m in 1600 m^2: 1.86 / m^2 (terrain.md §2); 4 sigma Poisson.
  const double expected = GolombekRappCount(0.1, 0.1, 3.0) * 1600;
  EXPECT_NEAR(double(truth.rocks.size()), expected, 4 * std::sqrt(expected));
}

TEST(Slope, MeasuresItsAngleAndAzimuth) {
  struct Case {
    double angle_deg, azimuth_deg;
  };
  for (const Case c : {Case{15, 0}, Case{10, 90}, Case{25, 30}, Case{5, -135}, Case{40, 200}}) {
    SCOPED_TRACE(testing::Message() << c.angle_deg << " deg toward " << c.azimuth_deg);
    const TerrainTruth truth =
        GenerateTerrain(Request("slope", {{"angle_deg", std::to_string(c.angle_deg)},
                                          {"azimuth_deg", std::to_string(c.azimuth_deg)}}));
    const Plane plane = FitPlane(truth.dem);
    EXPECT_NEAR(plane.AngleDeg(), c.angle_deg, 0.1);
    const double azimuth_error = std::remainder(plane.AzimuthDeg() - c.azimuth_deg, 360.0);
    EXPECT_NEAR(azimuth_error, 0.0, 0.1);
    EXPECT_NEAR(plane.z0, 0.0, 1e-4);  // z = 0 at the map centre
    // A rover at the centre with yaw = azimuth faces uphill.
    const double yaw = c.azimuth_deg / kRadToDeg;
    EXPECT_GT(truth.dem.HeightAt(20 + std::cos(yaw), 20 + std::sin(yaw)),
              truth.dem.HeightAt(20, 20) + 0.9 * std::tan(c.angle_deg / kRadToDeg));
  }
}

TEST(Slope, DefaultsTo15DegRisingTowardEast) {
  const Plane plane = FitPlane(GenerateTerrain(Request("slope", {})).dem);
  EXPECT_NEAR(plane.AngleDeg(), 15.0, 0.1);
  EXPECT_NEAR(plane.AzimuthDeg(), 0.0, 0.1);
  EXPECT_GT(plane.gx, 0);
}

TEST(Slope, PlaneFitSeesNoSlopeOnFlat) {  // control for the harness above
  const Plane plane = FitPlane(GenerateTerrain(Request("flat", {})).dem);
  EXPECT_EQ(plane.AngleDeg(), 0.0);
}

TEST(Step, HasItsHeightAtItsX) {
  struct Case {
    std::map<std::string, std::string> params;
    double height_m, x_m;
  };
  for (const Case& c :
       {Case{{}, 0.25, 20.0}, Case{{{"height_m", "0.5"}, {"x_m", "12.34"}}, 0.5, 12.34},
        Case{{{"height_m", "-0.1"}, {"x_m", "30"}}, -0.1, 30.0}}) {
    SCOPED_TRACE(c.x_m);
    const TerrainTruth truth = GenerateTerrain(Request("step", c.params));
    const GridSpec& spec = truth.dem.spec();
    for (int row = 0; row < spec.height_px; row += 37) {
      // The riser: the one pair of neighbouring cells whose heights differ.
      int risers = 0;
      for (int col = 1; col < spec.width_px; ++col) {
        const double dz = truth.dem.heights_m(col, row) - truth.dem.heights_m(col - 1, row);
        if (dz == 0) continue;
        ++risers;
        EXPECT_NEAR(dz, c.height_m, 1e-6);            // its height
        EXPECT_LT(spec.CellCenterX(col - 1), c.x_m);  // at the right x:
        EXPECT_GE(spec.CellCenterX(col), c.x_m);      // within one cell
        EXPECT_EQ(truth.dem.heights_m(0, row), 0.0f);
      }
      EXPECT_EQ(risers, 1);
    }
  }
}

TEST(Step, ExplicitRocksArePlacedExactly) {
  const fs::path file = fs::path(::testing::TempDir()) / "marsdrive_step_rocks.json";
  std::ofstream(file) << R"([{"x": 5, "y": 6, "diameter_m": 0.8, "height_m": 0.3},
                             {"x": 39.5, "y": 0.5, "diameter_m": 0.2}])";
  const TerrainTruth truth = GenerateTerrain(Request("step", {{"rocks", file.string()}}));
  EXPECT_EQ(truth.rocks, LoadRockFile(file));
  ASSERT_EQ(truth.rocks.size(), 2u);
  EXPECT_EQ(truth.rocks[0].x_m, 5.0);
  EXPECT_EQ(truth.rocks[0].height_m, 0.3);
  // Appended after generated rocks.
  const TerrainTruth both =
      GenerateTerrain(Request("flat", {{"rocks", file.string()}, {"rock_k", "0.05"}}));
  ASSERT_GT(both.rocks.size(), 2u);
  EXPECT_EQ(both.rocks.back(), truth.rocks.back());
  fs::remove(file);
}

TEST(Provenance, RecordsPresetSeedAndEffectiveParams) {
  const TerrainTruth truth = GenerateTerrain(Request("slope", {{"angle_deg", "12.5"}}, 42));
  EXPECT_EQ(truth.preset, "slope");
  EXPECT_EQ(truth.seed, 42u);
  EXPECT_EQ(truth.params.at("angle_deg"), "12.5");
  EXPECT_EQ(truth.params.at("azimuth_deg"), "0");  // default, recorded
  EXPECT_EQ(truth.params.at("soil"), "regolith");
  EXPECT_FALSE(truth.params.contains("rocks"));
  EXPECT_TRUE(truth.source.empty());
  EXPECT_EQ(GenerateTerrain(Request("step", {})).params.at("x_m"), "20");  // computed default
}

// ---- jezero-rim ---------------------------------------------------------------------------------

TEST(JezeroRim, SameSeedIsBitIdenticalOtherSeedDiffers) {
  const TerrainTruth a = GenerateTerrain(Request("jezero-rim", {}, 7));
  const TerrainTruth b = GenerateTerrain(Request("jezero-rim", {}, 7));
  const TerrainTruth c = GenerateTerrain(Request("jezero-rim", {}, 8));
  EXPECT_TRUE(SameHeights(a, b));
  EXPECT_TRUE(SameClasses(a, b));
  EXPECT_EQ(a.rocks, b.rocks);
  ASSERT_FALSE(a.rocks.empty());
  EXPECT_FALSE(SameHeights(a, c));
  EXPECT_NE(a.rocks, c.rocks);
  EXPECT_EQ(a.preset, "jezero-rim");
  EXPECT_EQ(a.seed, 7u);
}

// The defaults on a 100 m x 100 m tile, several seeds: they measure like the rim.
TEST(JezeroRim, AnyShapeResolutionAndAzimuthGivesFiniteGround) {
  struct Case {
    double size_x_m, size_y_m, resolution_m;
    std::map<std::string, std::string> params;
  };
  const Case cases[] = {
      {0.2, 0.2, 0.1, {}},                           // 2 x 2 cells
      {40, 30, 0.1, {{"slope_azimuth_deg", "90"}}},  // uphill +y
      {50, 10, 1.0, {{"slope_azimuth_deg", "-45"}, {"crest_fraction", "0"}}},
      {30, 30, 2.0, {{"slope_azimuth_deg", "180"}, {"sand_fraction", "0.6"}}},
      {25.3, 7.7, 0.07, {{"ledge_density", "100"}, {"crater_density", "500"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message()
                 << c.size_x_m << " x " << c.size_y_m << " @ " << c.resolution_m);
    const TerrainTruth truth =
        GenerateTerrain(Request("jezero-rim", c.params, 3, c.size_x_m, c.size_y_m, c.resolution_m));
    const GridSpec& spec = truth.dem.spec();
    EXPECT_EQ(spec.width_px, std::lround(c.size_x_m / c.resolution_m));
    EXPECT_EQ(spec.height_px, std::lround(c.size_y_m / c.resolution_m));
    for (float z : truth.dem.heights_m.Values()) ASSERT_TRUE(std::isfinite(z));
    for (SoilClass s : truth.classes.Values()) {
      ASSERT_TRUE(s == SoilClass::kRegolith || s == SoilClass::kBedrock || s == SoilClass::kSand);
    }
    for (const Rock& rock : truth.rocks) ASSERT_TRUE(spec.Contains(rock.x_m, rock.y_m));
  }
}

TEST(JezeroRim, DefaultsMeasureLikeTheRim) {
  for (std::uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    const TerrainTruth truth = GenerateTerrain(Request("jezero-rim", {}, seed, 100, 100, 0.1));
    // Cell-scale slopes: the 10 deg regional slope plus roughness (terrain.md §1: 5-15 deg,
    // patches to 20-25).
    const std::vector<double> slopes = Slopes(truth.dem);
    const double median = Median(slopes);
    EXPECT_GT(median, 7.0);
    EXPECT_LT(median, 16.0);
    // Some sand, in patches, not most of the map; some bedrock.
    const double sand = ClassFraction(truth, SoilClass::kSand);
    EXPECT_GT(sand, 0.05);
    EXPECT_LT(sand, 0.30);
    EXPECT_GT(ClassFraction(truth, SoilClass::kBedrock), 0.0);
    EXPECT_EQ(ClassFraction(truth, SoilClass::kNodata), 0.0);
    // Relief of a rim tile: metres to tens of metres over 100 m.
    const auto [lo, hi] = std::minmax_element(truth.dem.heights_m.Values().begin(),
                                              truth.dem.heights_m.Values().end());
    EXPECT_GT(*hi - *lo, 5.0);
    EXPECT_LT(*hi - *lo, 40.0);
  }
}

TEST(JezeroRim, RegionalSlopeAndAzimuth) {
  // Without the crest on the map, the plane fit of the whole tile is the regional slope, give
  // or take the tilt of the roughness' longest waves (~1 deg over 100 m at the defaults).
  for (const auto& [slope, azimuth] : {std::pair{10.0, 0.0}, std::pair{15.0, 120.0}}) {
    for (std::uint64_t seed : {5, 6}) {
      SCOPED_TRACE(testing::Message() << azimuth << " seed " << seed);
      const TerrainTruth truth =
          GenerateTerrain(Request("jezero-rim",
                                  {{"slope_deg", std::to_string(slope)},
                                   {"slope_azimuth_deg", std::to_string(azimuth)},
                                   {"crest_fraction", "2"}},
                                  seed, 100, 100, 0.2));
      const Plane plane = FitPlane(truth.dem);
      const double rise = std::tan(slope / kRadToDeg), az = azimuth / kRadToDeg;
      const double error =
          std::hypot(plane.gx - rise * std::cos(az), plane.gy - rise * std::sin(az));
      EXPECT_LT(error, std::tan(1.5 / kRadToDeg));
    }
  }
}

TEST(JezeroRim, OuterFlankBeyondTheCrestIsGentler) {
  const TerrainTruth truth = GenerateTerrain(Request("jezero-rim",
                                                     Bare({{"slope_deg", "12"},
                                                           {"outer_slope_deg", "4"},
                                                           {"crest_fraction", "0.5"},
                                                           {"crest_radius_m", "1"}}),
                                                     1, 100, 20, 0.1));
  // Uphill is +x; the crest is at x = 50 m.
  const double inner = (truth.dem.HeightAt(30, 10) - truth.dem.HeightAt(10, 10)) / 20;
  const double outer = (truth.dem.HeightAt(90, 10) - truth.dem.HeightAt(70, 10)) / 20;
  EXPECT_NEAR(std::atan(inner) * kRadToDeg, 12.0, 0.2);
  EXPECT_NEAR(std::atan(outer) * kRadToDeg, -4.0, 0.2);
  EXPECT_GT(truth.dem.HeightAt(50, 10), truth.dem.HeightAt(40, 10));
  EXPECT_GT(truth.dem.HeightAt(50, 10), truth.dem.HeightAt(60, 10));
}

// roughness_m is the expected RMS height difference over 1 m; the structure function grows as
// baseline^H (fBm), a little slower on a finite map (no wavelengths longer than the map).
TEST(JezeroRim, RoughnessHasTheRequestedAmplitudeAndHurstExponent) {
  double previous_exponent = 0;
  for (const double hurst : {0.4, 0.75, 0.95}) {
    SCOPED_TRACE(hurst);
    const TerrainTruth truth = GenerateTerrain(
        Request("jezero-rim", Bare({{"roughness_m", "0.1"}, {"hurst", std::to_string(hurst)}}), 3,
                100, 100, 0.1));
    const double nu_1m = IncrementRms(truth.dem, 10);
    const double nu_4m = IncrementRms(truth.dem, 40);
    EXPECT_NEAR(nu_1m, 0.1, 0.006);
    const double exponent = std::log(nu_4m / nu_1m) / std::log(4.0);
    EXPECT_GT(exponent, hurst - 0.12);
    EXPECT_LT(exponent, hurst + 0.03);
    EXPECT_GT(exponent, previous_exponent + 0.1);  // rougher at long baselines with larger H
    previous_exponent = exponent;
  }
  // Control: no roughness, no relief.
  const TerrainTruth flat = GenerateTerrain(Request("jezero-rim", Bare({}), 3, 20, 20, 0.1));
  EXPECT_EQ(IncrementRms(flat.dem, 10), 0.0);
}

TEST(JezeroRim, LedgesAreSharpStepsWithBedrockAbove) {
  const TerrainTruth truth = GenerateTerrain(
      Request("jezero-rim", Bare({{"ledge_density", "40"}, {"slope_deg", "10"}}), 2, 50, 50, 0.05));
  const double regional_dz = std::tan(10 / kRadToDeg) * 0.05;
  int steps = 0, steps_with_bedrock_above = 0;
  double largest = 0;
  for (int row = 0; row < truth.dem.spec().height_px; row += 10) {
    for (int col = 1; col + 10 < truth.dem.spec().width_px; ++col) {
      const double dz =
          truth.dem.heights_m(col, row) - truth.dem.heights_m(col - 1, row) - regional_dz;
      largest = std::max(largest, dz);
      if (dz < 0.08) continue;  // a scarp: >= 8 cm in one 5 cm cell (> 58 deg)
      ++steps;
      if (truth.classes(col + 2, row) == SoilClass::kBedrock) ++steps_with_bedrock_above;
    }
  }
  EXPECT_GT(steps, 20);
  EXPECT_GT(steps_with_bedrock_above, 0.8 * steps);
  EXPECT_LE(largest, 1.0 + 1e-3);  // ledge_max_height_m
  EXPECT_GT(ClassFraction(truth, SoilClass::kBedrock), 0.02);
  // Control: no ledges, no steps and no bedrock.
  const TerrainTruth none =
      GenerateTerrain(Request("jezero-rim", Bare({{"slope_deg", "10"}}), 2, 20, 20, 0.05));
  EXPECT_EQ(ClassFraction(none, SoilClass::kBedrock), 0.0);
}

TEST(JezeroRim, SandLiesInLowGroundWithBedformsAndNoRocks) {
  const TerrainTruth truth = GenerateTerrain(Request(
      "jezero-rim", {{"sand_fraction", "0.3"}, {"slope_deg", "0"}, {"outer_slope_deg", "0"}}, 4, 80,
      80, 0.1));
  const double sand = ClassFraction(truth, SoilClass::kSand);
  EXPECT_NEAR(sand, 0.3, 0.1);
  // Low ground: sand cells lie lower than the rest, on average.
  double sand_z = 0, other_z = 0, n_sand = 0, n_other = 0;
  const GridSpec& spec = truth.dem.spec();
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      const bool is_sand = truth.classes(col, row) == SoilClass::kSand;
      (is_sand ? sand_z : other_z) += truth.dem.heights_m(col, row);
      (is_sand ? n_sand : n_other) += 1;
    }
  }
  EXPECT_LT(sand_z / n_sand, other_z / n_other);
  ASSERT_FALSE(truth.rocks.empty());
  for (const Rock& rock : truth.rocks) {
    ASSERT_NE(truth.classes(spec.ColOf(rock.x_m), spec.RowOf(rock.y_m)), SoilClass::kSand)
        << rock.x_m << ", " << rock.y_m;
  }
  // Bedforms: the same terrain without ripples differs only where there is sand cover.
  auto flat_sand_params = std::map<std::string, std::string>{{"sand_fraction", "0.3"},
                                                             {"slope_deg", "0"},
                                                             {"outer_slope_deg", "0"},
                                                             {"megaripple_height_m", "0"},
                                                             {"ripple_height_m", "0"}};
  const TerrainTruth flat_sand =
      GenerateTerrain(Request("jezero-rim", flat_sand_params, 4, 80, 80, 0.1));
  double sand_diff2 = 0;
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      const double d = truth.dem.heights_m(col, row) - flat_sand.dem.heights_m(col, row);
      if (truth.classes(col, row) == SoilClass::kSand) sand_diff2 += d * d;
    }
  }
  EXPECT_GT(std::sqrt(sand_diff2 / n_sand), 0.1);  // ~1 m megaripples, 10 cm ripples
  // Control: no sand asked, none made.
  EXPECT_EQ(ClassFraction(GenerateTerrain(Request("jezero-rim", {{"sand_fraction", "0"}}, 4)),
                          SoilClass::kSand),
            0.0);
}

// Rock abundance on the rocky (non-sand) ground is the requested k: the sampled rocks cover
// F(D_min) - F(D_max) of it, within 4 standard deviations (see rocks_test.cpp).
TEST(JezeroRim, RockAbundanceMatchesRockK) {
  for (const double k : {0.05, 0.15}) {
    SCOPED_TRACE(k);
    double rock_area = 0, ground_area = 0, count_05 = 0;
    for (std::uint64_t seed : {1, 2, 3}) {
      const TerrainTruth truth = GenerateTerrain(
          Request("jezero-rim", {{"rock_k", std::to_string(k)}, {"crater_rock_k", "0"}}, seed, 100,
                  100, 0.2));
      ground_area += (1 - ClassFraction(truth, SoilClass::kSand)) * 100 * 100;
      for (const Rock& rock : truth.rocks) {
        rock_area += std::numbers::pi / 4 * rock.diameter_m * rock.diameter_m;
        count_05 += rock.diameter_m >= 0.5;
      }
    }
    const double q = GolombekRappQ(k);
    const double expected = GolombekRappCumulativeArea(k, 0.1) - GolombekRappCumulativeArea(k, 3.0);
    // Variance per m^2 of the covered area: integral of (pi D^2/4)^2 dN/dD = (pi k q / 4) *
    // integral of D^2 e^{-qD} dD, bounded by pi k / (2 q^2).
    const double sigma = std::sqrt(std::numbers::pi * k / (2 * q * q) / ground_area);
    EXPECT_NEAR(rock_area / ground_area, expected, 4 * sigma);
    const double expected_05 = GolombekRappCount(k, 0.5, 3.0) * ground_area;
    EXPECT_NEAR(count_05, expected_05, 4 * std::sqrt(expected_05));
  }
}

TEST(JezeroRim, FreshCratersAddEjectaRocks) {
  // With no background rocks, every rock is an ejecta block near a crater.
  const auto params = [](const char* crater_density) {
    return std::map<std::string, std::string>{{"rock_k", "0"},
                                              {"crater_rock_k", "0.3"},
                                              {"crater_density", crater_density},
                                              {"sand_fraction", "0"}};
  };
  EXPECT_GT(GenerateTerrain(Request("jezero-rim", params("200"), 1, 60, 60, 0.1)).rocks.size(),
            20u);
  EXPECT_TRUE(GenerateTerrain(Request("jezero-rim", params("0"), 1, 60, 60, 0.1)).rocks.empty());
}

TEST(JezeroRim, CratersAreDepressionsWithRaisedRims) {
  const TerrainTruth none = GenerateTerrain(Request("jezero-rim", Bare({}), 9, 60, 60, 0.1));
  const TerrainTruth cratered = GenerateTerrain(
      Request("jezero-rim", Bare({{"crater_density", "300"}, {"crater_min_diameter_m", "2"}}), 9,
              60, 60, 0.1));
  double deepest = 0, highest = 0;
  for (float z : cratered.dem.heights_m.Values()) {
    deepest = std::min(deepest, double(z));
    highest = std::max(highest, double(z));
  }
  EXPECT_LT(deepest, -0.1);  // bowls, d/D 0.05-0.2 (terrain.md §4)
  EXPECT_GT(highest, 0.02);  // rims, <= 0.04 D
  for (float z : none.dem.heights_m.Values()) ASSERT_EQ(z, 0.0f);  // control
}

}  // namespace
}  // namespace marsdrive::terrain

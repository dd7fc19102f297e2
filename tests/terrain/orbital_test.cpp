// Orbital products (terrain/orbital.h): the view of the terrain a ground planner gets. Truths
// are built by hand here (planes, steps, rocks, masks), independent of the generator.

#include "terrain/orbital.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "terrain/truth/orbital_internal.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {
namespace {

using ::testing::HasSubstr;

constexpr double kDegToRad = std::numbers::pi / 180.0;

// A truth of width x height posts at `res`, origin (0, 0), heights z(x, y) at post centres.
TerrainTruth MakeTruth(int width_px, int height_px, double res,
                       const std::function<double(double, double)>& z_m) {
  TerrainTruth truth;
  const GridSpec spec{width_px, height_px, res, 0.0, 0.0};
  truth.dem = HeightMap(spec);
  for (int r = 0; r < height_px; ++r) {
    for (int c = 0; c < width_px; ++c) {
      truth.dem.heights_m(c, r) = static_cast<float>(z_m(spec.CellCenterX(c), spec.CellCenterY(r)));
    }
  }
  truth.classes = Grid<SoilClass>(spec, SoilClass::kRegolith);
  truth.preset = "test";
  return truth;
}

// 40 m x 40 m at 0.1 m: orbital 40 x 40 posts at 1 m, ortho 160 x 160 px at 0.25 m.
TerrainTruth MakeTruth40(const std::function<double(double, double)>& z_m) {
  return MakeTruth(400, 400, 0.1, z_m);
}

double Flat(double, double) { return 0.0; }

// A plane of the given slope whose gradient points towards azimuth_deg (clockwise from north).
std::function<double(double, double)> Plane(double slope_deg, double azimuth_deg) {
  const double g = std::tan(slope_deg * kDegToRad);
  const double ex = std::sin(azimuth_deg * kDegToRad), ey = std::cos(azimuth_deg * kDegToRad);
  return [=](double x, double y) { return g * (ex * x + ey * y); };
}

template <typename T>
bool BitwiseEqual(const Grid<T>& a, const Grid<T>& b) {
  return a.spec() == b.spec() && a.Values().size() == b.Values().size() &&
         std::memcmp(a.Values().data(), b.Values().data(), a.Values().size_bytes()) == 0;
}

bool BitwiseEqual(const OrbitalProducts& a, const OrbitalProducts& b) {
  return BitwiseEqual(a.dem_m, b.dem_m) && BitwiseEqual(a.slope_deg, b.slope_deg) &&
         BitwiseEqual(a.roughness_m, b.roughness_m) && BitwiseEqual(a.step_m, b.step_m) &&
         BitwiseEqual(a.rock_hazard, b.rock_hazard) && BitwiseEqual(a.sand, b.sand) &&
         BitwiseEqual(a.traversable, b.traversable) && BitwiseEqual(a.cost, b.cost) &&
         a.visible_rocks == b.visible_rocks && a.ortho.width_px == b.ortho.width_px &&
         a.ortho.height_px == b.ortho.height_px && a.ortho.resolution_m == b.ortho.resolution_m &&
         a.ortho.rgb == b.ortho.rgb;
}

// Ortho pixel (r, g, b) at map point (x, y).
struct Rgb {
  int r, g, b;
  double Luminance() const { return 0.299 * r + 0.587 * g + 0.114 * b; }
};
Rgb OrthoAt(const OrthoImage& ortho, double x_m, double y_m) {
  const int col = static_cast<int>(std::floor((x_m - ortho.origin_x_m) / ortho.resolution_m));
  const int row_south = static_cast<int>(std::floor((y_m - ortho.origin_y_m) / ortho.resolution_m));
  const int row = ortho.height_px - 1 - row_south;
  EXPECT_TRUE(col >= 0 && col < ortho.width_px && row >= 0 && row < ortho.height_px);
  const std::size_t i = 3 * (static_cast<std::size_t>(row) * ortho.width_px + col);
  return {ortho.rgb[i], ortho.rgb[i + 1], ortho.rgb[i + 2]};
}

// ---------------------------------------------------------------------------------------------
// Grids and parameters

TEST(OrbitalGrid, FineTruthIsAveragedToTheOrbitalResolution) {
  const OrbitalProducts p = MakeOrbitalProducts(MakeTruth(400, 300, 0.05, Flat), OrbitalParams{});
  EXPECT_EQ(p.spec(), (GridSpec{20, 15, 1.0, 0.0, 0.0}));
  for (const Grid<float>* layer :
       {&p.slope_deg, &p.roughness_m, &p.step_m, &p.rock_hazard, &p.sand, &p.cost}) {
    EXPECT_EQ(layer->spec(), p.spec());
  }
  EXPECT_EQ(p.traversable.spec(), p.spec());
}

TEST(OrbitalGrid, CoarseTruthIsNeverUpsampled) {
  for (double res : {10.0, 9.77}) {
    SCOPED_TRACE(res);
    const OrbitalProducts p = MakeOrbitalProducts(MakeTruth(30, 20, res, Plane(10, 0)), {});
    EXPECT_EQ(p.spec(), (GridSpec{30, 20, res, 0.0, 0.0}));
    // Averaging onto the same grid is the identity.
    const TerrainTruth truth = MakeTruth(30, 20, res, Plane(10, 0));
    EXPECT_EQ(p.dem_m(7, 11), truth.dem.heights_m(7, 11));
    EXPECT_NEAR(p.slope_deg(15, 10), 10.0, 1e-3);  // a 3 x 3 footprint at coarse resolution
  }
}

TEST(OrbitalGrid, PartialCellsAtTheEdgesAreLeftOut) {
  // 20.5 m x 10.7 m at 0.1 m: 20 x 10 whole 1 m cells; same origin as the truth.
  const OrbitalProducts p = MakeOrbitalProducts(MakeTruth(205, 107, 0.1, Flat), {});
  EXPECT_EQ(p.spec(), (GridSpec{20, 10, 1.0, 0.0, 0.0}));
}

TEST(OrbitalGrid, KeepsTheTruthOriginAndGeoreference) {
  TerrainTruth truth = MakeTruth(100, 100, 0.1, Flat);
  const GridSpec spec{100, 100, 0.1, -250.0, 1000.0};
  HeightMap dem(spec);
  dem.georef = {"PROJCS[\"test\"]", 4.0e5, -2.0e5};
  truth.dem = dem;
  truth.classes = Grid<SoilClass>(spec);
  const OrbitalProducts p = MakeOrbitalProducts(truth, {});
  EXPECT_EQ(p.spec(), (GridSpec{10, 10, 1.0, -250.0, 1000.0}));
  EXPECT_EQ(p.georef, truth.dem.georef);
  EXPECT_EQ(p.ortho.origin_x_m, -250.0);
  EXPECT_EQ(p.ortho.origin_y_m, 1000.0);
}

TEST(OrbitalGrid, NonIntegerRatioIsAreaWeighted) {
  // 0.3 m posts into 1 m cells: every third cell boundary cuts a post. For a plane the mean is
  // the plane at the cell centre, to within the slope times the part-post offset (< 0.15 m).
  const double g = 0.2;
  const OrbitalProducts p =
      MakeOrbitalProducts(MakeTruth(100, 100, 0.3, [&](double x, double) { return g * x; }), {});
  ASSERT_EQ(p.spec(), (GridSpec{30, 30, 1.0, 0.0, 0.0}));
  for (int c = 0; c < 30; ++c) EXPECT_NEAR(p.dem_m(c, 15), g * (c + 0.5), g * 0.05) << c;
}

TEST(OrbitalGrid, TerrainSmallerThanOneCellIsAnInputError) {
  try {
    (void)MakeOrbitalProducts(MakeTruth(5, 5, 0.1, Flat), {});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("smaller than one 1 m cell"));
  }
}

TEST(OrbitalParamsCheck, RejectsNonPositiveAndNaNValues) {
  const TerrainTruth truth = MakeTruth(40, 40, 0.5, Flat);
  ASSERT_NO_THROW((void)MakeOrbitalProducts(truth, {}));  // control: the defaults are valid
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    double OrbitalParams::*field;
    double value;
    const char* name;
  };
  const std::vector<Case> cases = {
      {&OrbitalParams::resolution_m, 0.0, "resolution_m"},
      {&OrbitalParams::resolution_m, nan, "resolution_m"},
      {&OrbitalParams::ortho_resolution_m, -0.25, "ortho_resolution_m"},
      {&OrbitalParams::rock_detect_diameter_m, 0.0, "rock_detect_diameter_m"},
      {&OrbitalParams::footprint_diameter_m, nan, "footprint_diameter_m"},
      {&OrbitalParams::max_slope_deg, 0.0, "max_slope_deg"},
      {&OrbitalParams::max_slope_deg, 90.0, "max_slope_deg"},
      {&OrbitalParams::max_step_m, -1.0, "max_step_m"},
      {&OrbitalParams::max_rock_height_m, nan, "max_rock_height_m"},
      {&OrbitalParams::sun_azimuth_deg, std::numeric_limits<double>::infinity(), "sun_azimuth_deg"},
      {&OrbitalParams::sun_elevation_deg, 0.0, "sun_elevation_deg"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    OrbitalParams params;
    params.*c.field = c.value;
    try {
      (void)MakeOrbitalProducts(truth, params);
      ADD_FAILURE() << "expected InputError";
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::string("orbital params: ") + c.name + ": expected"));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Slope, roughness, step

TEST(OrbitalSlope, PlaneGivesItsAngleAndNoRoughnessEverywhere) {
  for (double slope_deg : {3.0, 17.3, 28.0}) {
    SCOPED_TRACE(slope_deg);
    const OrbitalProducts p = MakeOrbitalProducts(MakeTruth40(Plane(slope_deg, 30.0)), {});
    // Every cell, edges included (the clipped footprint still fits a plane exactly).
    for (int r = 0; r < p.spec().height_px; ++r) {
      for (int c = 0; c < p.spec().width_px; ++c) {
        ASSERT_NEAR(p.slope_deg(c, r), slope_deg, 0.1) << c << "," << r;
        ASSERT_LT(p.roughness_m(c, r), 1e-3) << c << "," << r;
        ASSERT_LT(p.step_m(c, r), 1e-3) << c << "," << r;  // a slope is not a step
        ASSERT_EQ(p.traversable(c, r), 1) << c << "," << r;
      }
    }
  }
}

TEST(OrbitalSlope, PlaneFarBelowTheDatumIsStillExact) {
  // Jezero lies ~2.5 km below the areoid; float heights there have ~0.2 mm steps.
  const auto plane = Plane(12.0, 250.0);
  const OrbitalProducts p = MakeOrbitalProducts(
      MakeTruth40([&](double x, double y) { return -2500.0 + plane(x, y); }), {});
  EXPECT_NEAR(p.slope_deg(20, 20), 12.0, 0.1);
  EXPECT_LT(p.roughness_m(20, 20), 1e-3);
  EXPECT_LT(p.step_m(20, 20), 1e-3);
  EXPECT_NEAR(p.cost(20, 20), MakeOrbitalProducts(MakeTruth40(plane), {}).cost(20, 20), 1e-3);
}

TEST(OrbitalSlope, RoughnessIsTheRmsResidualAboutThePlane) {
  // A checkerboard of +-h on the 1 m posts: in a 3 x 3 footprint centred on a +h post, 5 posts
  // are +h and 4 are -h; the best plane is flat at h / 9, and the RMS residual h sqrt(80/81).
  const double h = 0.05;
  const OrbitalProducts p = MakeOrbitalProducts(
      MakeTruth40([&](double x, double y) {
        return (static_cast<int>(std::floor(x) + std::floor(y)) % 2 == 0) ? h : -h;
      }),
      {});
  ASSERT_EQ(p.dem_m(20, 20), static_cast<float>(h));
  EXPECT_NEAR(p.slope_deg(20, 20), 0.0, 1e-6);
  EXPECT_NEAR(p.roughness_m(20, 20), h * std::sqrt(80.0 / 81.0), 1e-6);
  EXPECT_NEAR(p.roughness_m(21, 20), h * std::sqrt(80.0 / 81.0), 1e-6);
}

TEST(OrbitalSlope, SteeperThanTheLimitIsNotTraversable) {
  OrbitalParams params;
  params.max_slope_deg = 30.0;
  const OrbitalProducts steep = MakeOrbitalProducts(MakeTruth40(Plane(32.0, 200.0)), params);
  EXPECT_NEAR(steep.slope_deg(20, 20), 32.0, 0.1);
  EXPECT_EQ(steep.traversable(20, 20), 0);
  EXPECT_EQ(steep.cost(20, 20), std::numeric_limits<float>::infinity());
  params.max_slope_deg = 33.0;  // control: the same plane passes a looser limit
  EXPECT_EQ(MakeOrbitalProducts(MakeTruth40(Plane(32.0, 200.0)), params).traversable(20, 20), 1);
}

TEST(OrbitalSlope, BumpsAreRough) {
  // Egg-box relief of 0.2 m amplitude and 4 m wavelength: not a plane.
  const OrbitalProducts p = MakeOrbitalProducts(MakeTruth40([](double x, double y) {
                                                  return 0.2 * std::sin(x * std::numbers::pi / 2) *
                                                         std::sin(y * std::numbers::pi / 2);
                                                }),
                                                {});
  float max_roughness = 0;
  for (float v : p.roughness_m.Values()) max_roughness = std::max(max_roughness, v);
  EXPECT_GT(max_roughness, 0.03);
}

// A 0.5 m vertical step where x crosses 20 m (an orbital cell boundary), on a plane of
// `slope_deg` rising towards the north.
TerrainTruth StepTruth(double step_m, double slope_deg) {
  const double g = std::tan(slope_deg * kDegToRad);
  return MakeTruth40([=](double x, double y) { return (x >= 20.0 ? step_m : 0.0) + g * y; });
}

TEST(OrbitalStep, StepIsFoundNearItAndNowhereElse) {
  for (double slope_deg : {0.0, 20.0}) {
    SCOPED_TRACE(slope_deg);
    const OrbitalProducts p = MakeOrbitalProducts(StepTruth(0.5, slope_deg), {});
    for (int r = 0; r < 40; ++r) {
      // Columns 19 and 20 hold the step.
      EXPECT_NEAR(p.step_m(19, r), 0.5, 0.01) << r;
      EXPECT_NEAR(p.step_m(20, r), 0.5, 0.01) << r;
      EXPECT_EQ(p.traversable(19, r), 0) << r;
      EXPECT_EQ(p.traversable(20, r), 0) << r;
      for (int c : {0, 5, 10, 16, 23, 30, 39}) {
        EXPECT_LT(p.step_m(c, r), 1e-3) << c << "," << r;
        EXPECT_EQ(p.traversable(c, r), 1) << c << "," << r;
      }
    }
  }
}

TEST(OrbitalStep, StepBelowTheLimitIsTraversable) {
  const OrbitalProducts low = MakeOrbitalProducts(StepTruth(0.2, 0.0), {});
  EXPECT_NEAR(low.step_m(19, 20), 0.2, 0.01);
  EXPECT_EQ(low.traversable(19, 20), 1);
  OrbitalParams params;
  params.max_step_m = 0.6;  // control: the 0.5 m step was lethal because of its height
  const OrbitalProducts high = MakeOrbitalProducts(StepTruth(0.5, 0.0), params);
  EXPECT_EQ(high.traversable(19, 20), 1);
  EXPECT_EQ(high.traversable(20, 20), 1);
}

// ---------------------------------------------------------------------------------------------
// Rocks

TerrainTruth FlatWithRock(double diameter_m, double height_m, double x_m = 20.5,
                          double y_m = 20.5) {
  TerrainTruth truth = MakeTruth40(Flat);
  truth.rocks.push_back({x_m, y_m, diameter_m, height_m, 7});
  return truth;
}

TEST(OrbitalRocks, VisibleRockIsABumpAHazardAndListed) {
  const OrbitalProducts p = MakeOrbitalProducts(FlatWithRock(2.0, 1.0), {});
  ASSERT_EQ(p.visible_rocks.size(), 1u);
  EXPECT_EQ(p.visible_rocks[0].diameter_m, 2.0);
  EXPECT_GT(p.dem_m(20, 20), 0.5);  // the rock's cell
  EXPECT_EQ(p.dem_m(10, 10), 0.0f);
  EXPECT_GT(p.rock_hazard(20, 20), 0.2);
  EXPECT_EQ(p.rock_hazard(10, 10), 0.0f);
  // The bump holds the half ellipsoid's volume, 2/3 pi R^2 H.
  double volume_m3 = 0;
  for (float z : p.dem_m.Values()) volume_m3 += z;
  EXPECT_NEAR(volume_m3, 2.0 / 3.0 * std::numbers::pi * 1.0 * 1.0, 0.03);
}

TEST(OrbitalRocks, HazardIsTheCoveredFractionOfTheFootprint) {
  // A 3 m rock centred on a post: its base is the disc inscribed in the 3 x 3 footprint.
  const OrbitalProducts p = MakeOrbitalProducts(FlatWithRock(3.0, 0.1), {});
  EXPECT_NEAR(p.rock_hazard(20, 20), std::numbers::pi / 4, 0.01);
}

TEST(OrbitalRocks, TallVisibleRockIsLethalWhereItsBaseMeetsTheFootprint) {
  OrbitalParams params;
  params.max_step_m = 100.0;  // isolate the rock-height rule from the bump's slope and step
  params.max_slope_deg = 89.0;
  params.max_rock_height_m = 0.35;
  const TerrainTruth truth = FlatWithRock(2.0, 1.0);
  const OrbitalProducts p = MakeOrbitalProducts(truth, params);
  // The base (radius 1 m, centre (20.5, 20.5)) touches cells 19..21; a footprint of 3 x 3
  // posts meets one of those from cells 18..22.
  for (int c = 15; c <= 25; ++c) {
    const bool near = c >= 18 && c <= 22;
    EXPECT_EQ(p.traversable(c, 20), near ? 0 : 1) << c;
    EXPECT_EQ(p.traversable(20, c), near ? 0 : 1) << c;
    EXPECT_EQ(std::isinf(p.cost(c, 20)), near) << c;
  }
  params.max_rock_height_m = 1.5;  // control: a lower rock is not lethal
  const OrbitalProducts low = MakeOrbitalProducts(truth, params);
  for (int c = 15; c <= 25; ++c) EXPECT_EQ(low.traversable(c, 20), 1) << c;
}

TEST(OrbitalRocks, RockBelowTheDetectionSizeChangesNothing) {
  const OrbitalProducts none = MakeOrbitalProducts(MakeTruth40(Flat), {});
  // Control: a 2 m rock does change the products.
  EXPECT_FALSE(BitwiseEqual(none, MakeOrbitalProducts(FlatWithRock(2.0, 1.0), {})));
  const OrbitalProducts small = MakeOrbitalProducts(FlatWithRock(1.0, 0.5), {});
  EXPECT_TRUE(small.visible_rocks.empty());
  EXPECT_TRUE(BitwiseEqual(none, small));
}

TEST(OrbitalRocks, DetectionThresholdIsInclusiveAndConfigurable) {
  EXPECT_EQ(MakeOrbitalProducts(FlatWithRock(1.5, 0.5), {}).visible_rocks.size(), 1u);
  OrbitalParams params;
  params.rock_detect_diameter_m = 0.9;
  EXPECT_EQ(MakeOrbitalProducts(FlatWithRock(1.0, 0.5), params).visible_rocks.size(), 1u);
}

TEST(OrbitalRocks, RocksAtOrOffTheMapEdgeAreClipped) {
  TerrainTruth truth = MakeTruth40(Flat);
  truth.rocks.push_back({-0.2, 20.5, 2.0, 1.0, 1});   // straddles the west edge
  truth.rocks.push_back({1e12, -1e12, 2.0, 1.0, 2});  // far off the map
  const OrbitalProducts p = MakeOrbitalProducts(truth, {});
  EXPECT_EQ(p.visible_rocks.size(), 2u);  // what an orbital rock count lists
  EXPECT_GT(p.dem_m(0, 20), 0.1);
  EXPECT_GT(p.rock_hazard(0, 20), 0.0);
  EXPECT_EQ(p.traversable(0, 20), 0);
  EXPECT_EQ(p.dem_m(39, 0), 0.0f);  // the far rock leaves the nearest corner alone
  EXPECT_EQ(p.rock_hazard(39, 0), 0.0f);
}

// ---------------------------------------------------------------------------------------------
// Nodata

TEST(OrbitalNodata, NodataIsNaNNotTraversableAndInfinitelyCostly) {
  TerrainTruth truth = MakeTruth40(Flat);
  truth.dem.valid = Grid<std::uint8_t>(truth.dem.spec(), std::uint8_t{1});
  for (int r = 0; r < 400; ++r) {
    for (int c = 0; c < 100; ++c) truth.dem.valid(c, r) = 0;  // x < 10 m
  }
  truth.dem.valid(255, 255) = 0;            // one truth post inside orbital cell (25, 25)
  truth.dem.heights_m(255, 255) = 1000.0f;  // ... whose height must not leak in
  const OrbitalProducts p = MakeOrbitalProducts(truth, {});
  constexpr float kInf = std::numeric_limits<float>::infinity();
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 10; ++c) {  // the nodata region
      EXPECT_TRUE(std::isnan(p.dem_m(c, r)));
      EXPECT_TRUE(std::isnan(p.slope_deg(c, r)));
      EXPECT_TRUE(std::isnan(p.roughness_m(c, r)));
      EXPECT_TRUE(std::isnan(p.step_m(c, r)));
      EXPECT_TRUE(std::isnan(p.rock_hazard(c, r)));
      EXPECT_EQ(p.traversable(c, r), 0);
      EXPECT_EQ(p.cost(c, r), kInf);
    }
    // Column 10 has valid heights but its footprint reaches column 9.
    EXPECT_FALSE(std::isnan(p.dem_m(10, r)));
    EXPECT_TRUE(std::isnan(p.slope_deg(10, r)));
    EXPECT_EQ(p.traversable(10, r), 0);
    EXPECT_EQ(p.cost(10, r), kInf);
    EXPECT_EQ(p.traversable(11, r), 1);  // control: one column further is fine
    EXPECT_EQ(p.cost(11, r), 1.0f);
  }
  // A partly valid cell averages its valid part only.
  EXPECT_EQ(p.dem_m(25, 25), 0.0f);
  EXPECT_EQ(p.traversable(25, 25), 1);
  // Nodata is black in the orthoimage.
  const Rgb black = OrthoAt(p.ortho, 5.0, 20.0);
  EXPECT_EQ(black.r + black.g + black.b, 0);
  EXPECT_GT(OrthoAt(p.ortho, 30.0, 20.0).Luminance(), 50);
}

// ---------------------------------------------------------------------------------------------
// Cost

TEST(OrbitalCost, IsOneOnBenignGroundAndGrowsWithSlope) {
  float previous = 0;
  for (double slope_deg : {0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 29.0}) {
    SCOPED_TRACE(slope_deg);
    const OrbitalProducts p = MakeOrbitalProducts(MakeTruth40(Plane(slope_deg, 120.0)), {});
    const float cost = p.cost(20, 20);
    if (slope_deg == 0.0) {
      EXPECT_EQ(cost, 1.0f);
    }
    EXPECT_GT(cost, previous);
    previous = cost;
  }
}

TEST(OrbitalCost, IsAtLeastOneAndInfiniteExactlyWhereNotTraversable) {
  TerrainTruth truth = StepTruth(0.5, 12.0);
  truth.rocks.push_back({8.5, 30.5, 2.5, 1.2, 1});
  truth.rocks.push_back({30.0, 8.0, 1.6, 0.2, 2});
  const OrbitalProducts p = MakeOrbitalProducts(truth, {});
  int lethal = 0, costly = 0;
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 40; ++c) {
      const float cost = p.cost(c, r);
      if (p.traversable(c, r) == 0) {
        EXPECT_EQ(cost, std::numeric_limits<float>::infinity());
        ++lethal;
      } else {
        EXPECT_TRUE(std::isfinite(cost));
        EXPECT_GE(cost, 1.0f);
        if (cost > 1.5f) ++costly;
      }
    }
  }
  EXPECT_GT(lethal, 0);  // controls: the terrain has both kinds of cells
  EXPECT_GT(costly, 0);
}

TEST(OrbitalCost, GrowsWithRockHazard) {
  const OrbitalProducts bare = MakeOrbitalProducts(MakeTruth40(Flat), {});
  // A low, wide, visible rock: no step or slope worth the name, but it covers the footprint.
  const OrbitalProducts rocky = MakeOrbitalProducts(FlatWithRock(3.0, 0.02), {});
  EXPECT_EQ(rocky.traversable(20, 20), 1);
  EXPECT_GT(rocky.cost(20, 20), bare.cost(20, 20) + 1.0f);
}

// Sand east of x = 20 m on a plane of `slope_deg`.
TerrainTruth SandEastOf20(double slope_deg) {
  TerrainTruth truth = MakeTruth40(Plane(slope_deg, 0.0));
  for (int r = 0; r < 400; ++r) {
    for (int c = 200; c < 400; ++c) truth.classes(c, r) = SoilClass::kSand;
  }
  return truth;
}

TEST(OrbitalSand, IsTheSandFractionOfTheFootprint) {
  const OrbitalProducts p = MakeOrbitalProducts(SandEastOf20(0), {});
  EXPECT_EQ(p.sand(30, 20), 1.0f);
  EXPECT_EQ(p.sand(10, 20), 0.0f);
  // The 3 x 3 footprint at column 20 holds columns 19 (regolith), 20 and 21 (sand).
  EXPECT_NEAR(p.sand(20, 20), 2.0 / 3.0, 1e-6);
  EXPECT_NEAR(p.sand(19, 20), 1.0 / 3.0, 1e-6);
  EXPECT_EQ(p.sand(18, 20), 0.0f);
}

TEST(OrbitalCost, SandCostsItsPredictedExtraTravelGrowingWithSlope) {
  const OrbitalParams params;
  const auto sand_extra = [&](double slope_deg) {
    const OrbitalProducts p = MakeOrbitalProducts(SandEastOf20(slope_deg), params);
    EXPECT_NEAR(p.slope_deg(30, 20), slope_deg, 0.01);
    return p.cost(30, 20) - p.cost(10, 20);  // same slope, sand minus regolith
  };
  const auto predicted = [&](double slope_deg) {
    const double slip = params.sand_slip_flat + params.sand_slip_per_deg * slope_deg;
    return 4.0 * slip / (1.0 - slip);
  };
  const double flat = sand_extra(0), ten = sand_extra(10), fifteen = sand_extra(15);
  EXPECT_NEAR(flat, predicted(0), 1e-4);  // 0.76
  EXPECT_NEAR(ten, predicted(10), 1e-3);  // 3.1
  EXPECT_NEAR(fifteen, predicted(15), 2e-3);
  EXPECT_LT(flat, ten);
  EXPECT_LT(ten, fifteen);
  // Control: a planner model that predicts no slip sees no difference.
  OrbitalParams no_slip;
  no_slip.sand_slip_flat = 0;
  no_slip.sand_slip_per_deg = 0;
  const OrbitalProducts p = MakeOrbitalProducts(SandEastOf20(10), no_slip);
  EXPECT_EQ(p.cost(30, 20), p.cost(10, 20));
  no_slip.sand_slip_flat = 1.0;
  EXPECT_THROW(MakeOrbitalProducts(SandEastOf20(0), no_slip), InputError);
}

// ---------------------------------------------------------------------------------------------
// Orthoimage

TEST(OrbitalOrtho, ResolutionIsNeverFinerThanTheTruth) {
  const OrbitalProducts fine = MakeOrbitalProducts(MakeTruth(400, 200, 0.05, Flat), {});
  EXPECT_EQ(fine.ortho.resolution_m, 0.25);
  EXPECT_EQ(fine.ortho.width_px, 80);
  EXPECT_EQ(fine.ortho.height_px, 40);
  EXPECT_EQ(fine.ortho.rgb.size(), 80u * 40u * 3u);
  const OrbitalProducts coarse = MakeOrbitalProducts(MakeTruth(40, 20, 0.5, Flat), {});
  EXPECT_EQ(coarse.ortho.resolution_m, 0.5);
  EXPECT_EQ(coarse.ortho.width_px, 40);
  EXPECT_EQ(coarse.ortho.height_px, 20);
}

TEST(OrbitalOrtho, SoilColoursOnFlatGroundAndNorthIsUp) {
  // North half (y >= 20 m) sand, then regolith, then bedrock at the south.
  TerrainTruth truth = MakeTruth40(Flat);
  for (int r = 0; r < 400; ++r) {
    for (int c = 0; c < 400; ++c) {
      truth.classes(c, r) =
          r >= 200 ? SoilClass::kSand : (r >= 100 ? SoilClass::kRegolith : SoilClass::kBedrock);
    }
  }
  const OrthoImage& ortho = MakeOrbitalProducts(truth, {}).ortho;
  const Rgb sand = OrthoAt(ortho, 20.0, 30.0), regolith = OrthoAt(ortho, 20.0, 15.0),
            bedrock = OrthoAt(ortho, 20.0, 5.0);
  EXPECT_LT(sand.Luminance(), regolith.Luminance());
  EXPECT_LT(regolith.Luminance(), bedrock.Luminance());
  EXPECT_GT(regolith.r, regolith.b + 40);  // ochre: red well above blue
  // Image row 0 is the north edge: sand.
  EXPECT_EQ(ortho.rgb[0], sand.r);
  EXPECT_EQ(ortho.rgb.back(), bedrock.b);
}

TEST(OrbitalOrtho, SlopesFacingTheSunAreBrighter) {
  OrbitalParams params;
  params.sun_azimuth_deg = 315.0;  // light from the north-west
  const auto lum = [&](double rise_towards_deg) {
    return OrthoAt(MakeOrbitalProducts(MakeTruth40(Plane(15.0, rise_towards_deg)), params).ortho,
                   20.0, 20.0)
        .Luminance();
  };
  const double flat =
      OrthoAt(MakeOrbitalProducts(MakeTruth40(Flat), params).ortho, 20, 20).Luminance();
  EXPECT_GT(lum(135.0), flat + 10);  // rises to the south-east: faces the north-west sun
  EXPECT_LT(lum(315.0), flat - 10);  // faces away
}

TEST(OrbitalOrtho, VisibleRockIsDrawnWithAShadowAwayFromTheSun) {
  OrbitalParams params;
  params.sun_azimuth_deg = 315.0;  // shadows fall to the south-east
  const OrthoImage bare = MakeOrbitalProducts(MakeTruth40(Flat), params).ortho;
  const OrthoImage rocky = MakeOrbitalProducts(FlatWithRock(2.0, 1.0, 20.0, 20.0), params).ortho;
  const auto differs = [&](double x, double y) {
    const Rgb a = OrthoAt(bare, x, y), b = OrthoAt(rocky, x, y);
    return a.r != b.r || a.g != b.g || a.b != b.b;
  };
  EXPECT_TRUE(differs(20.0, 20.0));
  EXPECT_TRUE(differs(20.5, 20.1));
  const double d = 1.4 / std::numbers::sqrt2;  // 1.4 m from the centre, just off the base
  EXPECT_LT(OrthoAt(rocky, 20.0 + d, 20.0 - d).Luminance(),
            0.6 * OrthoAt(bare, 20.0 + d, 20.0 - d).Luminance());  // in the shadow
  EXPECT_FALSE(differs(20.0 - d, 20.0 + d));                       // sun side: no shadow
  EXPECT_FALSE(differs(30.0, 30.0));
  // The sunlit side of the rock is brighter than its far side.
  EXPECT_GT(OrthoAt(rocky, 19.6, 20.4).Luminance(), OrthoAt(rocky, 20.4, 19.6).Luminance());
}

TEST(OrbitalOrtho, WrittenPngReadsBackWithTheSamePixels) {
  TerrainTruth truth = FlatWithRock(2.0, 1.0);
  for (int r = 0; r < 400; ++r) truth.classes(r, r) = SoilClass::kSand;  // asymmetric content
  const OrthoImage ortho = MakeOrbitalProducts(truth, {}).ortho;
  const std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / "marsdrive_orbital_test";
  std::filesystem::create_directories(dir);
  const auto path_a = dir / "ortho_a.png", path_b = dir / "ortho_b.png";
  WriteOrthoPng(path_a, ortho);
  WriteOrthoPng(path_b, ortho);
  const OrthoImage back = internal::ReadPngRgb(path_a);
  EXPECT_EQ(back.width_px, ortho.width_px);
  EXPECT_EQ(back.height_px, ortho.height_px);
  EXPECT_TRUE(back.rgb == ortho.rgb);
  // Deterministic bytes.
  const auto bytes = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_GT(bytes(path_a).size(), 8u);
  EXPECT_EQ(bytes(path_a), bytes(path_b));
  std::filesystem::remove_all(dir);
}

TEST(OrbitalOrtho, WriteErrorNamesThePath) {
  const OrthoImage ortho = MakeOrbitalProducts(MakeTruth40(Flat), {}).ortho;
  const std::filesystem::path path = "/nonexistent_marsdrive_dir/sub/ortho.png";
  try {
    WriteOrthoPng(path, ortho);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
  EXPECT_THROW(WriteOrthoPng(std::filesystem::path(testing::TempDir()) / "empty.png", {}),
               InputError);
}

// ---------------------------------------------------------------------------------------------
// Determinism and separation from the truth

TEST(OrbitalProductsValue, TwoCallsGiveIdenticalProducts) {
  TerrainTruth truth = StepTruth(0.3, 8.0);
  truth.rocks.push_back({12.3, 17.9, 2.2, 0.9, 3});
  truth.rocks.push_back({12.9, 18.4, 1.7, 0.6, 4});  // overlapping the first
  truth.rocks.push_back({30.1, 5.2, 0.8, 0.4, 5});
  const OrbitalProducts a = MakeOrbitalProducts(truth, {});
  const OrbitalProducts b = MakeOrbitalProducts(truth, {});
  EXPECT_TRUE(BitwiseEqual(a, b));
}

TEST(OrbitalProductsValue, OutlivesTheTruth) {
  OrbitalProducts p;
  {
    const TerrainTruth truth = FlatWithRock(2.0, 1.0);
    p = MakeOrbitalProducts(truth, {});
  }  // the truth is gone; the products hold values only (ASan would flag a dangling view)
  EXPECT_EQ(p.visible_rocks.size(), 1u);
  EXPECT_GT(p.dem_m(20, 20), 0.5f);
  EXPECT_EQ(p.ortho.rgb.size(), 160u * 160u * 3u);
}

}  // namespace
}  // namespace marsdrive::terrain

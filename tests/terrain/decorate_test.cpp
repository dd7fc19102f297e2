#include "terrain/truth/decorate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "terrain/rocks.h"

namespace marsdrive::terrain {
namespace {

constexpr double kRes = 0.5;

// 100 m x 100 m at 0.5 m: flat, with a 2 m deep pit at (30, 30), a 40-degree cone 5 m high at
// (70, 70), and a nodata block over x in [0, 10), y in [90, 100).
TerrainTruth Scene(bool with_features = true, bool with_nodata = true) {
  const GridSpec spec{200, 200, kRes, 0.0, 0.0};
  TerrainTruth truth;
  truth.dem = HeightMap(spec, 0.0f);
  truth.preset = "import";
  if (with_features) {
    for (int row = 0; row < spec.height_px; ++row) {
      for (int col = 0; col < spec.width_px; ++col) {
        const double x = spec.CellCenterX(col), y = spec.CellCenterY(row);
        const double pit_r2 = (x - 30) * (x - 30) + (y - 30) * (y - 30);
        const double cone_r = std::hypot(x - 70, y - 70);
        const double pit = -2.0 * std::exp(-pit_r2 / (2 * 5.0 * 5.0));
        const double cone = std::max(0.0, 5.0 - std::tan(40.0 * std::numbers::pi / 180) * cone_r);
        truth.dem.heights_m(col, row) = static_cast<float>(pit + cone);
      }
    }
  }
  if (with_nodata) {
    truth.dem.valid = Grid<std::uint8_t>(spec, 1);
    for (int row = 180; row < 200; ++row) {
      for (int col = 0; col < 20; ++col) {
        truth.dem.valid(col, row) = 0;
        truth.dem.heights_m(col, row) = std::numeric_limits<float>::quiet_NaN();
      }
    }
  }
  return truth;
}

SoilClass ClassAt(const TerrainTruth& truth, double x, double y) {
  const GridSpec& spec = truth.classes.spec();
  return truth.classes(spec.ColOf(x), spec.RowOf(y));
}

TEST(DecorateClasses, FollowTheRelief) {
  TerrainTruth truth = Scene();
  DecorateParams params;
  params.rocks_k = 0;
  Rng rng(1);
  DecorateTerrain(truth, params, rng);
  ASSERT_EQ(truth.classes.spec(), truth.dem.spec());
  EXPECT_EQ(ClassAt(truth, 30, 30), SoilClass::kSand);     // low and gentle
  EXPECT_EQ(ClassAt(truth, 73, 70), SoilClass::kBedrock);  // 40 deg flank
  EXPECT_EQ(ClassAt(truth, 70, 66), SoilClass::kBedrock);
  EXPECT_EQ(ClassAt(truth, 50, 10), SoilClass::kRegolith);  // flat ground
  EXPECT_EQ(ClassAt(truth, 90, 30), SoilClass::kRegolith);
  EXPECT_EQ(ClassAt(truth, 5, 95), SoilClass::kNodata);     // no data
  EXPECT_EQ(ClassAt(truth, 12, 95), SoilClass::kRegolith);  // just beside it
  EXPECT_TRUE(truth.rocks.empty());
  // Nodata exactly where dem.valid is 0.
  for (int row = 0; row < 200; ++row) {
    for (int col = 0; col < 200; ++col) {
      ASSERT_EQ(truth.classes(col, row) == SoilClass::kNodata, truth.dem.valid(col, row) == 0);
    }
  }
}

TEST(DecorateClasses, FlatGroundIsAllRegolith) {
  TerrainTruth truth = Scene(/*with_features=*/false, /*with_nodata=*/false);
  DecorateParams params;
  params.rocks_k = 0;
  Rng rng(1);
  DecorateTerrain(truth, params, rng);
  for (SoilClass c : truth.classes.Values()) ASSERT_EQ(c, SoilClass::kRegolith);
}

TEST(DecorateClasses, KeptWhenNotDerivedFromRelief) {
  TerrainTruth truth = Scene();
  truth.classes = Grid<SoilClass>(truth.dem.spec(), SoilClass::kBedrock);
  DecorateParams params;
  params.classes_from_relief = false;
  params.rocks_k = 0;
  Rng rng(1);
  DecorateTerrain(truth, params, rng);
  for (SoilClass c : truth.classes.Values()) ASSERT_EQ(c, SoilClass::kBedrock);
  // With no classes at all, they become regolith, nodata where there is no data.
  TerrainTruth bare = Scene();
  DecorateTerrain(bare, params, rng);
  EXPECT_EQ(ClassAt(bare, 30, 30), SoilClass::kRegolith);
  EXPECT_EQ(ClassAt(bare, 5, 95), SoilClass::kNodata);
}

TEST(DecorateRocks, GolombekRappFieldOffSandAndNodata) {
  TerrainTruth truth = Scene();
  const Rock existing{1.0, 2.0, 0.5, 0.25, 9};
  truth.rocks.push_back(existing);
  DecorateParams params;
  params.rocks_k = 0.15;
  Rng rng(5);
  DecorateTerrain(truth, params, rng);
  ASSERT_GT(truth.rocks.size(), 1000u);
  EXPECT_EQ(truth.rocks.front(), existing);  // appended, not replaced
  const GridSpec& spec = truth.dem.spec();
  double eligible_cells = 0;
  for (SoilClass c : truth.classes.Values()) {
    eligible_cells += c != SoilClass::kSand && c != SoilClass::kNodata;
  }
  for (const Rock& rock : truth.rocks) {
    const SoilClass c = truth.classes(spec.ColOf(rock.x_m), spec.RowOf(rock.y_m));
    ASSERT_NE(c, SoilClass::kSand);
    ASSERT_NE(c, SoilClass::kNodata);
  }
  // Count >= min diameter over the eligible ground: Poisson, 4 standard deviations.
  const double area_m2 = eligible_cells * kRes * kRes;
  const double expected = GolombekRappCount(0.15, params.min_rock_diameter_m, 3.0) * area_m2;
  EXPECT_NEAR(double(truth.rocks.size() - 1), expected, 4 * std::sqrt(expected));
}

TEST(DecorateRocks, MinimumDiameterAndZeroK) {
  TerrainTruth truth = Scene();
  DecorateParams params;
  params.rocks_k = 0.1;
  params.min_rock_diameter_m = 0.5;
  Rng rng(2);
  DecorateTerrain(truth, params, rng);
  ASSERT_FALSE(truth.rocks.empty());
  for (const Rock& rock : truth.rocks) ASSERT_GE(rock.diameter_m, 0.5);
  TerrainTruth none = Scene();
  params.rocks_k = 0;
  DecorateTerrain(none, params, rng);
  EXPECT_TRUE(none.rocks.empty());
}

TEST(DecorateRocks, SameSeedSameResultOtherSeedDiffers) {
  TerrainTruth a = Scene(), b = Scene(), c = Scene();
  DecorateParams params;
  Rng ra(9), rb(9), rc(10);
  DecorateTerrain(a, params, ra);
  DecorateTerrain(b, params, rb);
  DecorateTerrain(c, params, rc);
  ASSERT_FALSE(a.rocks.empty());
  EXPECT_EQ(a.rocks, b.rocks);
  EXPECT_TRUE(
      std::equal(a.classes.Values().begin(), a.classes.Values().end(), b.classes.Values().begin()));
  EXPECT_NE(a.rocks, c.rocks);
}

}  // namespace
}  // namespace marsdrive::terrain

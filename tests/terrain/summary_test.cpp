// Terrain summary statistics against terrains whose answers are known by construction.
#include "terrain/truth/summary.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "terrain/truth/summary_json.h"

namespace marsdrive::terrain {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

TerrainTruth MakeTiltedTruth(double angle_deg, GridSpec spec) {
  TerrainTruth truth;
  truth.dem = HeightMap(spec);
  const double gradient = std::tan(angle_deg * kDegToRad);
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      truth.dem.heights_m(col, row) = static_cast<float>(gradient * spec.CellCenterY(row));
    }
  }
  truth.classes = Grid<SoilClass>(spec, SoilClass::kRegolith);
  return truth;
}

TEST(Summary, HeightsAndSlopesOfAPlane) {
  const GridSpec spec{50, 40, 0.5, 0, 0};
  const TerrainSummary s = ComputeSummary(MakeTiltedTruth(12.0, spec));
  EXPECT_EQ(s.width_px, 50);
  EXPECT_EQ(s.height_px, 40);
  EXPECT_DOUBLE_EQ(s.resolution_m, 0.5);
  const double gradient = std::tan(12.0 * kDegToRad);
  EXPECT_NEAR(s.min_m, gradient * 0.25, 1e-5);
  EXPECT_NEAR(s.max_m, gradient * 19.75, 1e-4);
  EXPECT_NEAR(s.mean_m, gradient * 10.0, 1e-4);
  EXPECT_NEAR(s.slope_deg.p50, 12.0, 1e-3);
  EXPECT_NEAR(s.slope_deg.p95, 12.0, 1e-3);
  EXPECT_NEAR(s.slope_deg.max, 12.0, 1e-3);
  EXPECT_DOUBLE_EQ(s.valid_fraction, 1.0);
}

TEST(Summary, SlopeQuantilesSeeASteepPatch) {
  // 10 % of the map (the northern rows) at 30 deg, the rest flat: p50 flat, max 30.
  const GridSpec spec{20, 100, 1.0, 0, 0};
  TerrainTruth truth = MakeTiltedTruth(0.0, spec);
  const double gradient = std::tan(30.0 * kDegToRad);
  for (int row = 90; row < 100; ++row) {
    for (int col = 0; col < 20; ++col)
      truth.dem.heights_m(col, row) = static_cast<float>(gradient * (row - 89));
  }
  const TerrainSummary s = ComputeSummary(truth);
  EXPECT_NEAR(s.slope_deg.p50, 0.0, 1e-6);
  EXPECT_NEAR(s.slope_deg.max, 30.0, 0.01);
  EXPECT_GT(s.slope_deg.p95, 20.0);
}

TEST(Summary, NodataIsExcludedEverywhere) {
  const GridSpec spec{10, 10, 1.0, 0, 0};
  TerrainTruth truth = MakeTiltedTruth(0.0, spec);
  truth.dem.valid = Grid<std::uint8_t>(spec, 1);
  truth.dem.heights_m(3, 3) = -32767.0f;
  truth.dem.valid(3, 3) = 0;
  truth.classes(3, 3) = SoilClass::kNodata;
  const TerrainSummary s = ComputeSummary(truth);
  EXPECT_DOUBLE_EQ(s.min_m, 0.0);
  EXPECT_DOUBLE_EQ(s.valid_fraction, 0.99);
  EXPECT_DOUBLE_EQ(s.slope_deg.max, 0.0);
  EXPECT_DOUBLE_EQ(s.class_fractions.at("regolith"), 1.0);
}

TEST(Summary, RocksAndClasses) {
  const GridSpec spec{10, 10, 1.0, 0, 0};  // 100 m^2
  TerrainTruth truth = MakeTiltedTruth(0.0, spec);
  truth.rocks = {{1, 1, 2.0, 1.0, 1}, {5, 5, 1.0, 0.5, 2}};
  for (int col = 0; col < 10; ++col) truth.classes(col, 0) = SoilClass::kSand;
  for (int col = 0; col < 5; ++col) truth.classes(col, 9) = SoilClass::kBedrock;
  const TerrainSummary s = ComputeSummary(truth);
  EXPECT_EQ(s.rock_count, 2u);
  EXPECT_NEAR(s.rock_area_fraction, std::numbers::pi / 4 * (4.0 + 1.0) / 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.class_fractions.at("sand"), 0.10);
  EXPECT_DOUBLE_EQ(s.class_fractions.at("bedrock"), 0.05);
  EXPECT_DOUBLE_EQ(s.class_fractions.at("regolith"), 0.85);
}

TEST(Summary, JsonHasTheContractFields) {
  const nlohmann::ordered_json json =
      SummaryToJson(ComputeSummary(MakeTiltedTruth(5, {8, 8, 1, 0, 0})));
  for (const char* key : {"width_px", "height_px", "resolution_m", "min_m", "max_m", "mean_m",
                          "slope_deg", "rock_count", "class_fractions"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_TRUE(json["slope_deg"].contains("p50"));
  EXPECT_TRUE(json["slope_deg"].contains("p95"));
  EXPECT_TRUE(json["slope_deg"].contains("max"));
  EXPECT_NEAR(json["slope_deg"]["p50"].get<double>(), 5.0, 1e-3);
}

}  // namespace
}  // namespace marsdrive::terrain

#include "terrain/rocks.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "terrain/truth/rock_file.h"

namespace marsdrive::terrain {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// ---- the model against terrain.md §2 --------------------------------------------------------

// terrain.md §2 check table, as printed: k, q, N(>=0.10), N(>=0.25), N(>=0.50), N(>=1.0) per
// m^2, F(>=0.5).
struct TableRow {
  double k, q, n010, n025, n050, n100, f050;
};
constexpr TableRow kTable[] = {
    {0.05, 4.83, 1.03, 0.135, 0.0136, 3.7e-4, 0.0045},
    {0.10, 3.31, 1.86, 0.325, 0.0499, 3.1e-3, 0.019},
    {0.15, 2.80, 2.61, 0.502, 0.0896, 7.3e-3, 0.037},
    {0.20, 2.55, 3.33, 0.675, 0.130, 1.2e-2, 0.056},
};

// Half a unit in the last printed digit of a table value (its rounding), e.g. 3.7e-4 -> 5e-6,
// 0.0499 -> 5e-5, 2.61 -> 5e-3. Table values carry 2-3 significant digits.
double HalfUnit(double printed, int significant_digits) {
  const double magnitude = std::floor(std::log10(std::abs(printed)));
  return 0.5 * std::pow(10.0, magnitude - (significant_digits - 1));
}

TEST(GolombekRapp, QMatchesTheTable) {
  for (const TableRow& row : kTable) {
    SCOPED_TRACE(row.k);
    EXPECT_NEAR(GolombekRappQ(row.k), row.q, 0.005 + 1e-12);
  }
}

TEST(GolombekRapp, CumulativeAreaMatchesTheTable) {
  for (const TableRow& row : kTable) {
    SCOPED_TRACE(row.k);
    EXPECT_NEAR(GolombekRappCumulativeArea(row.k, 0.5), row.f050, HalfUnit(row.f050, 2));
    EXPECT_DOUBLE_EQ(GolombekRappCumulativeArea(row.k, 0.0), row.k);  // F(0) = k: all rocks
  }
  EXPECT_EQ(GolombekRappCumulativeArea(0.0, 0.5), 0.0);
}

TEST(GolombekRapp, CountMatchesTheTable) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (const TableRow& row : kTable) {
    SCOPED_TRACE(row.k);
    EXPECT_NEAR(GolombekRappCount(row.k, 0.10, kInf), row.n010, HalfUnit(row.n010, 3));
    EXPECT_NEAR(GolombekRappCount(row.k, 0.25, kInf), row.n025, HalfUnit(row.n025, 3));
    EXPECT_NEAR(GolombekRappCount(row.k, 0.50, kInf), row.n050, HalfUnit(row.n050, 3));
    EXPECT_NEAR(GolombekRappCount(row.k, 1.00, kInf), row.n100, HalfUnit(row.n100, 2));
  }
}

// N(>=D) has a closed form with the exponential integral E1(x) = -Ei(-x):
//   N(>=D) = (4 k q / pi) (exp(-q D) / D - q E1(q D)).
TEST(GolombekRapp, CountAgreesWithTheClosedForm) {
  const auto closed_form = [](double k, double d) {
    const double q = GolombekRappQ(k);
    const double e1 = -std::expint(-q * d);
    return 4 * k * q / std::numbers::pi * (std::exp(-q * d) / d - q * e1);
  };
  for (double k : {0.02, 0.05, 0.1, 0.2, 0.4}) {
    for (double d : {0.01, 0.05, 0.1, 0.5, 1.5, 3.0}) {
      SCOPED_TRACE(testing::Message() << "k " << k << " D " << d);
      const double expected = closed_form(k, d);
      EXPECT_NEAR(GolombekRappCount(k, d, std::numeric_limits<double>::infinity()), expected,
                  1e-7 * expected);
      // A finite upper bound: the difference of two tails.
      EXPECT_NEAR(GolombekRappCount(k, d, 2 * d), expected - closed_form(k, 2 * d),
                  1e-7 * expected);
    }
  }
}

TEST(GolombekRapp, CountIsZeroWithoutRocksOrRange) {
  EXPECT_EQ(GolombekRappCount(0.0, 0.1, 3.0), 0.0);
  EXPECT_EQ(GolombekRappCount(0.1, 0.5, 0.5), 0.0);
  EXPECT_EQ(GolombekRappCount(0.1, 0.5, 0.2), 0.0);
  EXPECT_GT(GolombekRappCount(0.1, 0.5, 0.6), 0.0);  // control
}

// ---- sampling statistics ----------------------------------------------------------------------

// Sums of a field sampled over `seeds` separate 100 m x 100 m tiles.
struct FieldStats {
  double area_m2 = 0;
  std::vector<double> thresholds_m;
  std::vector<double> counts;  // rocks with D >= threshold
  double rock_area_m2 = 0;     // sum of pi D^2 / 4
};

FieldStats SampleStats(const RockFieldParams& params, int seeds,
                       const std::vector<double>& thresholds_m) {
  const GridSpec tile{100, 100, 1.0, 0.0, 0.0};
  FieldStats stats;
  stats.thresholds_m = thresholds_m;
  stats.counts.assign(thresholds_m.size(), 0.0);
  for (int seed = 1; seed <= seeds; ++seed) {
    Rng rng(DeriveSeed(static_cast<std::uint64_t>(seed), 77));
    for (const Rock& rock : SampleRockField(tile, params, rng)) {
      for (std::size_t i = 0; i < thresholds_m.size(); ++i) {
        if (rock.diameter_m >= thresholds_m[i]) stats.counts[i] += 1;
      }
      stats.rock_area_m2 += std::numbers::pi / 4 * rock.diameter_m * rock.diameter_m;
    }
    stats.area_m2 += tile.WidthM() * tile.HeightM();
  }
  return stats;
}

// Integral of f over [a, b] (composite Simpson, for test expectations).
double Integrate(const std::function<double(double)>& f, double a, double b) {
  constexpr int kN = 20000;
  const double h = (b - a) / kN;
  double sum = f(a) + f(b);
  for (int i = 1; i < kN; ++i) sum += (i % 2 ? 4 : 2) * f(a + i * h);
  return sum * h / 3;
}

// Tolerance: counts are Poisson, so we allow 4 standard deviations (sqrt of the expected
// count; a false alarm is ~1 in 16,000 per comparison, and the seeds are fixed anyway) plus
// the table's rounding. Rock area fraction: its variance per unit area is the integral of
// (pi D^2 / 4)^2 dN/dD, and we allow 4 standard deviations of that too.
TEST(SampleRockField, MatchesTheTableForK005To020) {
  for (const TableRow& row : kTable) {
    if (row.k == 0.15) continue;  // the brief asks for 0.05, 0.10, 0.20; 0.15 adds little
    SCOPED_TRACE(row.k);
    RockFieldParams params;
    params.k = row.k;
    params.min_diameter_m = 0.10;
    params.max_diameter_m = 3.0;
    const FieldStats stats = SampleStats(params, /*seeds=*/5, {0.10, 0.25, 0.50, 1.0});
    const double table[] = {row.n010, row.n025, row.n050, row.n100};
    const int digits[] = {3, 3, 3, 2};
    for (std::size_t i = 0; i < 4; ++i) {
      SCOPED_TRACE(stats.thresholds_m[i]);
      // The table is for D_max = infinity; rocks >= 3 m add < 1e-4 of any of these counts.
      const double expected = table[i] * stats.area_m2;
      const double tolerance =
          4 * std::sqrt(expected) + HalfUnit(table[i], digits[i]) * stats.area_m2;
      EXPECT_NEAR(stats.counts[i], expected, tolerance);
    }
    // Area fraction of the sampled rocks: F(D_min) - F(D_max) = k (e^{-q D_min} - e^{-q D_max}).
    const double q = GolombekRappQ(row.k);
    const double expected_fraction =
        GolombekRappCumulativeArea(row.k, 0.10) - GolombekRappCumulativeArea(row.k, 3.0);
    const double variance_per_m2 = Integrate(
        [&](double d) {
          const double a = std::numbers::pi / 4 * d * d;
          return a * a * 4 * row.k * q / (std::numbers::pi * d * d) * std::exp(-q * d);
        },
        0.10, 3.0);
    const double sigma = std::sqrt(variance_per_m2 / stats.area_m2);
    EXPECT_NEAR(stats.rock_area_m2 / stats.area_m2, expected_fraction, 4 * sigma);
  }
}

TEST(SampleRockField, ToleranceSeparatesNeighbouringK) {
  // Control for the test above: a k = 0.10 field fails k = 0.20's expectation.
  RockFieldParams params;
  params.k = 0.10;
  const FieldStats stats = SampleStats(params, 5, {0.5});
  const double expected_for_020 = kTable[3].n050 * stats.area_m2;
  EXPECT_GT(std::abs(stats.counts[0] - expected_for_020), 4 * std::sqrt(expected_for_020));
}

TEST(SampleRockField, LargeMinimumDiameterFollowsTheModelToo) {
  // q D_min > 1 uses the exponential proposal: check the size distribution there.
  RockFieldParams params;
  params.k = 0.20;
  params.min_diameter_m = 1.0;
  params.max_diameter_m = 3.0;
  const FieldStats stats = SampleStats(params, 20, {1.0, 1.5, 2.0});
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(stats.thresholds_m[i]);
    const double expected = GolombekRappCount(0.20, stats.thresholds_m[i], 3.0) * stats.area_m2;
    EXPECT_NEAR(stats.counts[i], expected, 4 * std::sqrt(expected) + 1);
  }
}

TEST(SampleRockField, RocksLieInTheAreaWithinTheSizeAndHeightBounds) {
  const GridSpec area{50, 20, 0.5, 10.0, -5.0};  // 25 m x 10 m from (10, -5)
  RockFieldParams params;
  params.k = 0.2;
  params.min_diameter_m = 0.2;
  params.max_diameter_m = 1.0;
  Rng rng(3);
  const std::vector<Rock> rocks = SampleRockField(area, params, rng);
  ASSERT_GT(rocks.size(), 50u);
  double ratio_sum = 0;
  for (const Rock& rock : rocks) {
    EXPECT_GE(rock.x_m, 10.0);
    EXPECT_LT(rock.x_m, 35.0);
    EXPECT_GE(rock.y_m, -5.0);
    EXPECT_LT(rock.y_m, 5.0);
    EXPECT_GE(rock.diameter_m, 0.2);
    EXPECT_LE(rock.diameter_m, 1.0);
    const double ratio = rock.height_m / rock.diameter_m;  // 0.5 +- 20 % (terrain.md §2)
    EXPECT_GE(ratio, 0.4 - 1e-12);
    EXPECT_LE(ratio, 0.6 + 1e-12);
    ratio_sum += ratio;
  }
  EXPECT_NEAR(ratio_sum / rocks.size(), 0.5, 0.01);
}

TEST(SampleRockField, SameSeedSameRocksOtherSeedDiffers) {
  const GridSpec area{40, 40, 1.0, 0.0, 0.0};
  RockFieldParams params;
  Rng a(11), b(11), c(12);
  const std::vector<Rock> ra = SampleRockField(area, params, a);
  const std::vector<Rock> rb = SampleRockField(area, params, b);
  const std::vector<Rock> rc = SampleRockField(area, params, c);
  ASSERT_FALSE(ra.empty());
  EXPECT_EQ(ra, rb);
  EXPECT_NE(ra, rc);
}

TEST(SampleRockField, ZeroKGivesNoRocks) {
  RockFieldParams params;
  params.k = 0;
  Rng rng(1);
  EXPECT_TRUE(SampleRockField(GridSpec{10, 10, 1.0, 0, 0}, params, rng).empty());
}

// ---- rock files -------------------------------------------------------------------------------

class RockFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("marsdrive_rocks_" +
            std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  // The InputError message of loading `text` as rocks.yaml ("" when it loads).
  std::string ErrorOf(const std::string& text, const std::string& name = "rocks.yaml") {
    try {
      LoadRockFile(Write(name, text));
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(RockFileTest, LoadsYaml) {
  const std::vector<Rock> rocks = LoadRockFile(Write("rocks.yaml", R"(
- {x: 1.5, y: -2, diameter_m: 0.4}
- x: 10
  y: 20
  diameter_m: 1.2
  height_m: 0.3
)"));
  ASSERT_EQ(rocks.size(), 2u);
  EXPECT_EQ(rocks[0].x_m, 1.5);
  EXPECT_EQ(rocks[0].y_m, -2.0);
  EXPECT_EQ(rocks[0].diameter_m, 0.4);
  EXPECT_DOUBLE_EQ(rocks[0].height_m, kRockHeightPerDiameter * 0.4);  // default height
  EXPECT_EQ(rocks[1].height_m, 0.3);
  EXPECT_NE(rocks[0].shape_seed, rocks[1].shape_seed);
}

TEST_F(RockFileTest, LoadsJson) {
  const std::vector<Rock> rocks = LoadRockFile(Write(
      "rocks.json",
      R"([{"x": 3, "y": 4, "diameter_m": 0.5, "height_m": 0.2}, {"x": 1e1, "y": 0, "diameter_m": 2.5e-1}])"));
  ASSERT_EQ(rocks.size(), 2u);
  EXPECT_EQ(rocks[0].x_m, 3.0);
  EXPECT_EQ(rocks[0].height_m, 0.2);
  EXPECT_EQ(rocks[1].x_m, 10.0);
  EXPECT_EQ(rocks[1].diameter_m, 0.25);
}

TEST_F(RockFileTest, EmptyListIsNoRocks) {
  EXPECT_TRUE(LoadRockFile(Write("r.yaml", "[]")).empty());
}

TEST_F(RockFileTest, MissingFile) {
  try {
    LoadRockFile(dir_ / "none.yaml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("none.yaml"));
    EXPECT_THAT(e.what(), HasSubstr("cannot open"));
  }
}

TEST_F(RockFileTest, MalformedYaml) {
  const std::string error = ErrorOf("- {x: 1, y: 2, diameter_m: 0.5\n- [");
  EXPECT_THAT(error, HasSubstr("rocks.yaml: line "));
  EXPECT_THAT(error, HasSubstr("malformed YAML/JSON"));
}

TEST_F(RockFileTest, NotAList) {
  EXPECT_THAT(ErrorOf("x: 1\ny: 2\n"), HasSubstr("rocks.yaml: expected a list of rocks"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("expected a list of rocks"));
  EXPECT_THAT(ErrorOf("- 3\n"), HasSubstr("rocks.yaml: [0]: expected a map"));
}

TEST_F(RockFileTest, MissingField) {
  EXPECT_THAT(ErrorOf("- {x: 1, y: 2, diameter_m: 0.5}\n- {x: 1, y: 2}\n"),
              HasSubstr("rocks.yaml: [1]: missing field 'diameter_m'"));
  EXPECT_THAT(ErrorOf("- {y: 2, diameter_m: 0.5}\n"), HasSubstr("[0]: missing field 'x'"));
}

TEST_F(RockFileTest, NegativeDiameterNamesFileIndexAndField) {
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: 1}\n"
                      "- {x: 1, y: 0, diameter_m: 1}\n"
                      "- {x: 2, y: 0, diameter_m: 1}\n"
                      "- {x: 3, y: 0, diameter_m: -0.2}\n"),
              HasSubstr("rocks.yaml: [3].diameter_m: expected a finite number > 0, got -0.2"));
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: 0}\n"),
              HasSubstr("[0].diameter_m: expected a finite number > 0, got 0"));
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: 1, height_m: -1}\n"),
              HasSubstr("[0].height_m: expected a finite number > 0, got -1"));
}

TEST_F(RockFileTest, NonFiniteValues) {
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: .nan}\n"),
              HasSubstr("[0].diameter_m: expected a finite number > 0, got .nan"));
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: nan}\n"),
              HasSubstr("[0].diameter_m: expected a finite number > 0, got nan"));
  EXPECT_THAT(ErrorOf("- {x: .inf, y: 0, diameter_m: 1}\n"),
              HasSubstr("[0].x: expected a finite number, got .inf"));
  EXPECT_THAT(ErrorOf("- {x: 0, y: -.inf, diameter_m: 1}\n"),
              HasSubstr("[0].y: expected a finite number, got -.inf"));
}

TEST_F(RockFileTest, NotANumber) {
  EXPECT_THAT(ErrorOf("- {x: east, y: 0, diameter_m: 1}\n"),
              HasSubstr("[0].x: expected a finite number, got 'east'"));
  EXPECT_THAT(ErrorOf(R"([{"x": 0, "y": 0, "diameter_m": "1.5"}])", "rocks.json"),
              HasSubstr("rocks.json: [0].diameter_m: expected a finite number > 0, got '1.5'"));
  EXPECT_THAT(ErrorOf("- {x: [1], y: 0, diameter_m: 1}\n"),
              HasSubstr("[0].x: expected a finite number, got a list"));
}

TEST_F(RockFileTest, UnknownKey) {
  EXPECT_THAT(ErrorOf("- {x: 0, y: 0, diameter_m: 1}\n- {x: 0, y: 0, radius_m: 1}\n"),
              HasSubstr("rocks.yaml: [1]: unknown key 'radius_m'"));
}

}  // namespace
}  // namespace marsdrive::terrain

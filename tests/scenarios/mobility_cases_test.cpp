// Case evaluation of `marsdrive validate mobility` (scenarios/mobility_cases.h) on synthetic
// measurements: within / outside per check kind, ids, points, and the step-ensemble rule.
#include "scenarios/mobility_cases.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace marsdrive::scenarios {
namespace {

const std::string kHeader =
    "group,soil,x,x_unit,quantity,check,name,lo,hi,value,source,confidence\n";

MobilityReference Reference(const std::string& rows) {
  return ParseMobilityReference(kHeader + rows, "test.csv");
}

Measurement Uphill(const std::string& soil, double slope, double slip_pct, bool climbed = true) {
  Measurement m;
  m.id = "slip_uphill/" + soil + "/" + std::to_string(static_cast<int>(slope));
  m.group = "slip_uphill";
  m.soil = soil;
  m.slope_deg = slope;
  m.measured["slip_pct"] = slip_pct;
  m.measured["climbed"] = climbed;
  return m;
}

const ValidationCase* Find(const std::vector<ValidationCase>& cases, const std::string& id) {
  for (const ValidationCase& c : cases) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TEST(MobilityCases, RangeIsInclusiveAndOpenEndsAreUnbounded) {
  const MobilityReference ref = Reference(
      "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,P,M\n"
      "slip_uphill,sand,0,deg,slip_pct,range,env,,8,,P,M\n");
  const auto cases = EvaluateCases({Uphill("sand", 10, 30.0), Uphill("sand", 0, 8.5)}, ref);
  ASSERT_EQ(cases.size(), 2u);
  ASSERT_NE(Find(cases, "slip_uphill/sand/10/env"), nullptr);
  EXPECT_EQ(Find(cases, "slip_uphill/sand/10/env")->within, true);  // 30 is the upper end
  EXPECT_EQ(Find(cases, "slip_uphill/sand/0/env")->within, false);  // 8.5 > 8
  EXPECT_FALSE(Find(cases, "slip_uphill/sand/0/env")->range_lo.has_value());
  EXPECT_EQ(*Find(cases, "slip_uphill/sand/0/env")->range_hi, 8.0);
}

TEST(MobilityCases, RangeOrNotClimbedAcceptsAStuckRover) {
  const MobilityReference ref =
      Reference("slip_uphill,sand,20,deg,slip_pct,range_or_not_climbed,env,45,,,P,M\n");
  EXPECT_EQ(EvaluateCases({Uphill("sand", 20, 30, /*climbed=*/true)}, ref)[0].within, false);
  EXPECT_EQ(EvaluateCases({Uphill("sand", 20, 30, /*climbed=*/false)}, ref)[0].within, true);
  EXPECT_EQ(EvaluateCases({Uphill("sand", 20, 50, /*climbed=*/true)}, ref)[0].within, true);
}

TEST(MobilityCases, BelowSandComparesWithSandAtTheSameSlope) {
  const MobilityReference ref =
      Reference("slip_order,regolith,,deg,slip_pct,below_sand,bs,,,,P,T\n");
  const auto cases = EvaluateCases({Uphill("sand", 10, 20), Uphill("sand", 20, 50),
                                    Uphill("regolith", 10, 25), Uphill("regolith", 20, 10)},
                                   ref);
  const ValidationCase* ten = Find(cases, "slip_order/regolith/10/bs");
  const ValidationCase* twenty = Find(cases, "slip_order/regolith/20/bs");
  ASSERT_NE(ten, nullptr);
  ASSERT_NE(twenty, nullptr);
  EXPECT_EQ(ten->within, false);  // 25 >= sand's 20
  EXPECT_EQ(*ten->range_hi, 20.0);
  EXPECT_EQ(twenty->within, true);
  // The uphill measurements themselves have no reference here.
  EXPECT_FALSE(Find(cases, "slip_uphill/regolith/10")->within.has_value());
}

TEST(MobilityCases, AroundGeometricUsesTheMeasuredGeometricAngle) {
  const MobilityReference ref =
      Reference("tip_over,any,,deg,tip_deg,around_geometric,g,-3,3,,P,T\n");
  Measurement m;
  m.id = "tip_over/any";
  m.group = "tip_over";
  m.soil = "any";
  m.measured["tip_deg"] = 47.9;
  m.measured["geometric_deg"] = 50.6;
  auto cases = EvaluateCases({m}, ref);
  EXPECT_EQ(cases[0].within, true);
  EXPECT_DOUBLE_EQ(*cases[0].range_lo, 47.6);
  m.measured["tip_deg"] = 47.5;  // control: just outside
  cases = EvaluateCases({m}, ref);
  EXPECT_EQ(cases[0].within, false);
}

TEST(MobilityCases, MissingQuantityOrRunErrorIsOutside) {
  const MobilityReference ref = Reference("slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,P,M\n");
  Measurement m = Uphill("sand", 10, 12);
  EXPECT_EQ(EvaluateCases({m}, ref)[0].within, true);  // control
  m.error = "boom";
  EXPECT_EQ(EvaluateCases({m}, ref)[0].within, false);
  m = Uphill("sand", 10, 12);
  m.measured["slip_pct"] = nullptr;
  EXPECT_EQ(EvaluateCases({m}, ref)[0].within, false);
}

TEST(MobilityCases, PointsAttachNearbyAndNeverDecide) {
  const MobilityReference ref = Reference(
      "slip_uphill,sand,10.0,deg,slip_pct,point,viper-2021,,,13.5,P,M\n"
      "slip_uphill,sand,15.15,deg,slip_pct,point,viper-2021,,,43.4,P,M\n"
      "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,P,M\n");
  const auto cases = EvaluateCases({Uphill("sand", 10, 12), Uphill("sand", 15, 99)}, ref);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(Find(cases, "slip_uphill/sand/10/env")->points.size(), 1u);
  const ValidationCase* fifteen = Find(cases, "slip_uphill/sand/15");
  ASSERT_NE(fifteen, nullptr);
  EXPECT_EQ(fifteen->points.size(), 1u);
  EXPECT_FALSE(fifteen->within.has_value());  // a point is not a check
}

TEST(MobilityCases, SoilAnyAndEmptyXMatchEveryConfiguration) {
  const MobilityReference ref =
      Reference("dt_convergence,any,,-,slip_diff_pts,range,slip-converged,0,1,,P,T\n");
  Measurement a;
  a.id = "dt_convergence/x/dt1";
  a.group = "dt_convergence";
  a.soil = "sand";
  a.measured["slip_diff_pts"] = 1.5;
  Measurement b = a;
  b.id = "dt_convergence/x/dt2";
  b.measured["slip_diff_pts"] = 0.4;
  const auto cases = EvaluateCases({b, a}, ref);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].id, "dt_convergence/x/dt1/slip-converged");  // sorted by id
  EXPECT_EQ(cases[0].within, false);
  EXPECT_EQ(cases[1].within, true);
}

TEST(TransitionBand, CleanSplitHasNoBand) {
  const TransitionBand band =
      CalcTransitionBand({{0.30, 0.0}, {0.10, 1.0}, {0.20, 1.0}, {0.25, 0.0}, {0.15, 1.0}});
  EXPECT_FALSE(band.lo_m.has_value());
  EXPECT_EQ(band.width_m, 0.0);
  EXPECT_EQ(band.mixed_heights, 0);
}

TEST(TransitionBand, OneMixedHeightIsABandOfZeroWidth) {
  const TransitionBand band = CalcTransitionBand({{0.10, 1.0}, {0.15, 0.5}, {0.20, 0.0}});
  EXPECT_DOUBLE_EQ(*band.lo_m, 0.15);
  EXPECT_DOUBLE_EQ(*band.hi_m, 0.15);
  EXPECT_EQ(band.width_m, 0.0);
  EXPECT_EQ(band.mixed_heights, 1);
}

TEST(TransitionBand, TwoMixedHeightsOrAClimbAboveAFailWidenTheBand) {
  const TransitionBand two = CalcTransitionBand({{0.10, 1.0}, {0.15, 0.75}, {0.20, 0.25}});
  EXPECT_NEAR(two.width_m, 0.05, 1e-12);
  EXPECT_EQ(two.mixed_heights, 2);
  // All-or-nothing at every height, but not monotone: fails 0.15, climbs 0.20.
  const TransitionBand gap =
      CalcTransitionBand({{0.10, 1.0}, {0.15, 0.0}, {0.20, 1.0}, {0.25, 0.0}});
  EXPECT_NEAR(gap.width_m, 0.05, 1e-12);
  EXPECT_EQ(gap.mixed_heights, 0);
}

TEST(TransitionBand, ChecksAgainstTheOneBandReference) {
  const MobilityReference ref =
      Reference("step_ensemble,regolith,,m,band_width_m,range,one-band,0,0.03,,P,T\n");
  Measurement m;
  m.id = "step_ensemble/regolith";
  m.group = "step_ensemble";
  m.soil = "regolith";
  m.measured["band_width_m"] = CalcTransitionBand({{0.10, 1.0}, {0.15, 0.5}, {0.20, 0.0}}).width_m;
  EXPECT_EQ(EvaluateCases({m}, ref)[0].within, true);
  m.measured["band_width_m"] =
      CalcTransitionBand({{0.10, 1.0}, {0.15, 0.5}, {0.20, 0.5}, {0.25, 0.0}}).width_m;
  EXPECT_EQ(EvaluateCases({m}, ref)[0].within, false);
}

}  // namespace
}  // namespace marsdrive::scenarios

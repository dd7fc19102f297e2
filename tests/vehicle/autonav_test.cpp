// AutoNav: ACE-style path-option evaluation on crafted local maps, the option choice, and the
// simulated stereo sensor (occlusion, range-dependent deterministic noise).

#include "vehicle/autonav.h"

#include <cmath>
#include <memory>
#include <numbers>

#include <gtest/gtest.h>

#include "tests/sim/drive_test_util.h"
#include "vehicle/local_map.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::testing {
namespace {

using vehicle::AutoNavDecision;
using vehicle::AutoNavParams;
using vehicle::LocalMap;
using vehicle::OptionCheck;
using vehicle::OptionKind;
using vehicle::PathOption;

// A map centred on the origin, every cell at height h(x, y) (NaN: unknown).
template <typename F>
LocalMap MakeMap(F height, const AutoNavParams& p = {}) {
  LocalMap map(p.cell_m, p.map_size_m);
  map.Recenter(0, 0);
  for (int j = map.j0(); j < map.j0() + map.size_cells(); ++j) {
    for (int i = map.i0(); i < map.i0() + map.size_cells(); ++i) {
      const double h = height(map.CentreOf(i), map.CentreOf(j));
      if (!std::isnan(h)) map.Fuse(i, j, static_cast<float>(h), 1e-4f);
    }
  }
  return map;
}

AutoNavDecision Decide(const LocalMap& map, double target_x, double target_y, double turned_rad = 0,
                       std::vector<vehicle::KeepOutZone> keep_outs = {}) {
  const AutoNavParams params;
  const vehicle::AceEvaluator ace(vehicle::DefaultRoverSpec(), params);
  return vehicle::DecideOnMap(map, ace, params, keep_outs, 0.0, {}, 0, target_x, target_y,
                              turned_rad);
}

// The straight arc of a decision (curvature 0).
const PathOption& Straight(const AutoNavDecision& d) {
  for (const PathOption& o : d.options) {
    if (o.kind == OptionKind::kArc && std::fabs(o.curvature_1pm) < 1e-9) return o;
  }
  ADD_FAILURE() << "no straight option";
  return d.options.front();
}

// A rock of radius r and height h at (x0, y0) on flat ground (a half-ellipsoid cap).
auto RockAt(double x0, double y0, double radius_m, double height_m) {
  return [=](double x, double y) {
    const double q = 1 - ((x - x0) * (x - x0) + (y - y0) * (y - y0)) / (radius_m * radius_m);
    return q > 0 ? height_m * std::sqrt(q) : 0.0;
  };
}

TEST(AutoNavOptions, FlatMapEveryOptionIsSafeAndTheStraightArcWins) {
  const LocalMap map = MakeMap([](double, double) { return 0.0; });
  const AutoNavDecision d = Decide(map, 10, 0);
  ASSERT_GE(d.options.size(), 21u);
  for (const PathOption& o : d.options) {
    SCOPED_TRACE(o.curvature_1pm);
    EXPECT_TRUE(o.safe) << vehicle::ToString(o.failure);
    EXPECT_NEAR(o.max_tilt_rad, 0, 1e-6);
    EXPECT_NEAR(o.min_clearance_m, 0.56, 1e-3);  // rover.md §3 ground clearance
    EXPECT_EQ(o.unknown_fraction, 0);
  }
  ASSERT_GE(d.chosen, 0);
  EXPECT_NEAR(d.options[static_cast<std::size_t>(d.chosen)].curvature_1pm, 0, 1e-9);
  EXPECT_EQ(d.note, "best arc");
}

TEST(AutoNavOptions, RockAheadRejectsTheStraightArcAndTheChoiceBendsAway) {
  // 0.6 m tall, 1.2 m wide, 4 m ahead: taller than the step limit, leaves < 0.15 m clearance.
  const LocalMap map = MakeMap(RockAt(4.0, 0.0, 0.6, 0.6));
  const AutoNavDecision d = Decide(map, 10, 0);
  const PathOption& straight = Straight(d);
  EXPECT_FALSE(straight.safe);
  EXPECT_TRUE(straight.failure == OptionCheck::kStep || straight.failure == OptionCheck::kClearance)
      << vehicle::ToString(straight.failure);
  ASSERT_GE(d.chosen, 0);
  const PathOption& chosen = d.options[static_cast<std::size_t>(d.chosen)];
  EXPECT_TRUE(chosen.safe);
  EXPECT_GT(std::fabs(chosen.curvature_1pm), 0.05);
  EXPECT_GT(chosen.progress_m, 0);
  // Control: the same rock off to the side leaves the straight arc safe.
  const AutoNavDecision aside = Decide(MakeMap(RockAt(3.0, 4.0, 0.6, 0.6)), 10, 0);
  EXPECT_TRUE(Straight(aside).safe);
}

TEST(AutoNavOptions, RockBetweenTheWheelsFailsClearanceNotStep) {
  // 0.5 m tall, 0.5 m wide, on the centre line: the wheels pass beside it, the belly does not
  // clear it by the 0.15 m margin (0.56 - 0.5 = 0.06 m).
  const AutoNavDecision d = Decide(MakeMap(RockAt(2.0, 0.0, 0.25, 0.5)), 10, 0);
  EXPECT_EQ(Straight(d).failure, OptionCheck::kClearance);
  EXPECT_LT(Straight(d).min_clearance_m, 0.15);
  // Control: a 0.3 m rock there is cleared (0.26 m > 0.15 m).
  const AutoNavDecision low = Decide(MakeMap(RockAt(2.0, 0.0, 0.25, 0.3)), 10, 0);
  EXPECT_TRUE(Straight(low).safe);
  EXPECT_NEAR(Straight(low).min_clearance_m, 0.26, 0.02);
}

TEST(AutoNavOptions, CliffAheadIsRejected) {
  const AutoNavDecision d =
      Decide(MakeMap([](double x, double) { return x > 2.5 ? -1.0 : 0.0; }), 10, 0);
  const PathOption& straight = Straight(d);
  EXPECT_FALSE(straight.safe);
  EXPECT_TRUE(straight.failure == OptionCheck::kStep || straight.failure == OptionCheck::kTilt ||
              straight.failure == OptionCheck::kSuspension)
      << vehicle::ToString(straight.failure);
  // Every arc reaches the edge: none is safe, so AutoNav turns away.
  for (const PathOption& o : d.options) {
    if (o.kind == OptionKind::kArc) {
      EXPECT_FALSE(o.safe) << o.curvature_1pm;
    }
  }
}

TEST(AutoNavOptions, UnknownRegionIsRejectedAsUnknown) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const AutoNavDecision d =
      Decide(MakeMap([&](double x, double) { return x > 2.0 ? nan : 0.0; }), 10, 0);
  EXPECT_EQ(Straight(d).failure, OptionCheck::kUnknown);
  EXPECT_GT(Straight(d).failed_pose, 0);  // where the front wheels enter the unknown
  // Control: the same map fully known is safe.
  EXPECT_TRUE(Straight(Decide(MakeMap([](double, double) { return 0.0; }), 10, 0)).safe);
}

TEST(AutoNavOptions, KeepOutIsAHardConstraint) {
  vehicle::KeepOutZone zone{"crater", {{2.5, -0.5}, {3.5, -0.5}, {3.5, 0.5}, {2.5, 0.5}}};
  const LocalMap map = MakeMap([](double, double) { return 0.0; });
  const AutoNavDecision d = Decide(map, 10, 0, 0, {zone});
  // The straight arc crosses the zone.
  EXPECT_EQ(Straight(d).failure, OptionCheck::kKeepOut);
  ASSERT_GE(d.chosen, 0);
  EXPECT_NE(d.options[static_cast<std::size_t>(d.chosen)].curvature_1pm, 0);
}

TEST(AutoNavOptions, BoxedInTurnsToLookThenReportsNoSafePath) {
  // A ring of 0.8 m rocks 2.6-3.3 m from the rover in every direction.
  const auto ring = [](double x, double y) {
    const double r = std::hypot(x, y);
    return r > 2.6 && r < 3.3 ? 0.8 : 0.0;
  };
  const LocalMap map = MakeMap(ring);
  const AutoNavDecision d = Decide(map, 10, 0);
  for (const PathOption& o : d.options) {
    if (o.kind == OptionKind::kArc) {
      EXPECT_FALSE(o.safe) << o.curvature_1pm;
    }
  }
  ASSERT_GE(d.chosen, 0);  // turning in place inside the ring is safe
  EXPECT_EQ(d.options[static_cast<std::size_t>(d.chosen)].kind, OptionKind::kTurnInPlace);
  // Once the rover has turned as far as allowed without progress: no safe path.
  const AutoNavDecision stuck = Decide(map, 10, 0, 1.5 * std::numbers::pi);
  EXPECT_EQ(stuck.chosen, -1);
  EXPECT_EQ(stuck.note, "no safe path");
}

TEST(AutoNavOptions, FacingAwayTurnsTowardTheWaypoint) {
  const LocalMap map = MakeMap([](double, double) { return 0.0; });
  const AutoNavDecision d = Decide(map, -10, 0.5);
  ASSERT_GE(d.chosen, 0);
  const PathOption& o = d.options[static_cast<std::size_t>(d.chosen)];
  EXPECT_EQ(o.kind, OptionKind::kTurnInPlace);
  EXPECT_NEAR(std::fabs(o.turn_rad), std::numbers::pi, 0.1);
}

// ---- sensor -----------------------------------------------------------------------------------

std::shared_ptr<terrain::TerrainTruth> FlatWithRock(double x, double y, double d, double h) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 30, 16, 0.05));
  truth->rocks.push_back({x, y, d, h, 11});
  return truth;
}

TEST(TerrainSensor, CellsBehindATallRockAreUnknown) {
  // Rover at (5, 8) facing +x; mast at about (5.8, 7.44). A 1 m tall rock 3 m ahead of the mast.
  const auto truth = FlatWithRock(8.8, 7.44, 1.0, 1.0);
  const vehicle::RoverPose3 pose{5, 8, 0, 0, 0, 0};
  vehicle::SensorParams sp;
  sp.noise = false;
  LocalMap map(0.1, 16);
  map.Recenter(pose.x_m, pose.y_m);
  vehicle::TerrainSensor sensor(*truth, sp, 1);
  EXPECT_GT(sensor.Observe(pose, 0, map), 1000);
  EXPECT_NEAR(map.HeightAt(8.8, 7.44), 1.0, 0.02);    // the rock's top is seen
  EXPECT_TRUE(std::isnan(map.HeightAt(10.5, 7.44)));  // in its shadow
  EXPECT_TRUE(std::isnan(map.HeightAt(10.0, 7.5)));
  EXPECT_NEAR(map.HeightAt(10.5, 10.0), 0.0, 1e-6);  // beside the shadow: seen
  EXPECT_TRUE(std::isnan(map.HeightAt(2.0, 8.0)));   // behind the rover: out of view
  EXPECT_TRUE(std::isnan(map.HeightAt(13.5, 8.0)));  // beyond the 6 m range
  // Control: without occlusion the shadow is seen.
  sp.occlusion = false;
  LocalMap all(0.1, 16);
  all.Recenter(pose.x_m, pose.y_m);
  vehicle::TerrainSensor open(*truth, sp, 1);
  open.Observe(pose, 0, all);
  EXPECT_NEAR(all.HeightAt(10.5, 7.44), 0.0, 1e-6);
}

TEST(TerrainSensor, SmallRocksAreSeen) {
  const auto truth = FlatWithRock(8.0, 8.5, 0.12, 0.06);
  vehicle::SensorParams sp;
  sp.noise = false;
  LocalMap map(0.1, 16);
  map.Recenter(5, 8);
  vehicle::TerrainSensor sensor(*truth, sp, 1);
  sensor.Observe({5, 8, 0, 0, 0, 0}, 0, map);
  EXPECT_NEAR(map.HeightAt(8.0, 8.5), 0.06, 0.01);
}

// Fraction of cells where two maps differ, and the RMS error of `map` against 0 in a range band.
double RmsError(const LocalMap& map, double mx, double my, double r0, double r1) {
  double sum = 0;
  int n = 0;
  for (int j = map.j0(); j < map.j0() + map.size_cells(); ++j) {
    for (int i = map.i0(); i < map.i0() + map.size_cells(); ++i) {
      const double r = std::hypot(map.CentreOf(i) - mx, map.CentreOf(j) - my);
      const float h = map.HeightOfCell(i, j);
      if (r < r0 || r > r1 || std::isnan(h)) continue;
      sum += static_cast<double>(h) * h;
      ++n;
    }
  }
  return n > 0 ? std::sqrt(sum / n) : 0.0;
}

TEST(TerrainSensor, NoiseIsDeterministicPerSeedAndGrowsWithRange) {
  const auto truth = std::make_shared<terrain::TerrainTruth>(*PresetTerrain("flat", {}, 30, 16));
  const vehicle::RoverPose3 pose{5, 8, 0, 0, 0, 0};
  const auto observe = [&](std::uint64_t seed) {
    LocalMap map(0.1, 16);
    map.Recenter(pose.x_m, pose.y_m);
    vehicle::TerrainSensor sensor(*truth, vehicle::SensorParams{}, seed);
    sensor.Observe(pose, 0, map);
    return map;
  };
  const LocalMap a = observe(7), b = observe(7), c = observe(8);
  int same = 0, differ = 0, known = 0;
  for (int j = a.j0(); j < a.j0() + a.size_cells(); ++j) {
    for (int i = a.i0(); i < a.i0() + a.size_cells(); ++i) {
      const float ha = a.HeightOfCell(i, j);
      if (std::isnan(ha)) continue;
      ++known;
      same += ha == b.HeightOfCell(i, j) ? 1 : 0;
      differ += ha != c.HeightOfCell(i, j) ? 1 : 0;
    }
  }
  ASSERT_GT(known, 1000);
  EXPECT_EQ(same, known);           // same seed: bit-identical
  EXPECT_GT(differ, known * 0.99);  // another seed: other noise
  // sigma = 0.003 + 0.0015 r^2 (mast at ~(5.8, 7.44)): ~0.008 m at 1.5-2 m, ~0.05 m at 5.5-6 m.
  const double near = RmsError(a, 5.8, 7.44, 1.5, 2.0);
  const double far = RmsError(a, 5.8, 7.44, 5.5, 6.0);
  EXPECT_NEAR(near, 0.003 + 0.0015 * 3.1, 0.003);
  EXPECT_NEAR(far, 0.003 + 0.0015 * 33, 0.01);
}

}  // namespace
}  // namespace marsdrive::testing

// AutoNav's cost to go (vehicle/cost_to_go.h) on crafted height maps: traversability of steps,
// the Dijkstra values against a brute-force relaxation, and decisions that follow the route
// to a gap in a wall or stop at a dead end.

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "vehicle/autonav.h"
#include "vehicle/cost_to_go.h"
#include "vehicle/local_map.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::testing {
namespace {

using vehicle::AutoNavDecision;
using vehicle::AutoNavParams;
using vehicle::CellKind;
using vehicle::CostToGo;
using vehicle::LocalMap;
using vehicle::OptionKind;
using vehicle::PathOption;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A map of size_m centred on (cx, cy), every cell at height h(x, y) (NaN: unknown), sigma 1 cm.
template <typename F>
LocalMap MakeMap(F height, double size_m, double cx = 0, double cy = 0) {
  LocalMap map(0.1, size_m);
  map.Recenter(cx, cy);
  for (int j = map.j0(); j < map.j0() + map.size_cells(); ++j) {
    for (int i = map.i0(); i < map.i0() + map.size_cells(); ++i) {
      const double h = height(map.CentreOf(i), map.CentreOf(j));
      if (!std::isnan(h)) map.Fuse(i, j, static_cast<float>(h), 1e-4f);
    }
  }
  return map;
}

CostToGo Solved(const LocalMap& map, double gx, double gy,
                const std::vector<vehicle::KeepOutZone>& keep_outs = {},
                std::optional<vehicle::WorldBounds> world = std::nullopt) {
  CostToGo c(vehicle::CostToGoParams{}, map.cell_m());
  c.Build(map, keep_outs, 0.5, world);
  c.Solve(gx, gy, 0.75);
  return c;
}

TEST(CostToGoCells, StepsAboveTheLimitAreHazardsAndLowerOnesCost) {
  // Scarps across x = 0: 0.5 m (above the 0.35 m step limit) and 0.2 m.
  for (double h : {0.5, 0.2}) {
    SCOPED_TRACE(h);
    const LocalMap map = MakeMap([&](double x, double) { return x > 0 ? h : 0.0; }, 16);
    const CostToGo c = Solved(map, 6, 0);
    const int i = c.LatticeOf(0.05), j = c.LatticeOf(0.0);
    EXPECT_GT(c.StepOf(i, j), 0.95 * h - 0.04);  // less 2 sigma at each extreme
    if (h > 0.35) {
      EXPECT_EQ(c.KindOf(i, j), CellKind::kHazard);
      EXPECT_EQ(c.CellCost(i, j), kInf);
    } else {
      EXPECT_EQ(c.KindOf(i, j), CellKind::kKnown);
      EXPECT_GT(c.CellCost(i, j), 1.2);
    }
    // Control: flat ground 3 m away costs 1 (+ inflation near the 0.5 m scarp only).
    EXPECT_NEAR(c.CellCost(c.LatticeOf(-3.0), j), 1.0, 1e-6);
    EXPECT_EQ(c.StepOf(c.LatticeOf(-3.0), j), 0.0f);
  }
}

// Brute force: relax every edge until nothing changes, with the same seeds and edge rule as
// the documented Dijkstra (vehicle/cost_to_go.h), read through the public cell costs.
std::vector<double> BruteForce(const CostToGo& c, double gx, double gy, double tol) {
  const int nx = c.nx(), ny = c.ny();
  std::vector<double> v(static_cast<std::size_t>(nx * ny), kInf);
  const auto at = [&](int ci, int cj) -> double& {
    return v[static_cast<std::size_t>((cj - c.cj0()) * nx + (ci - c.ci0()))];
  };
  const double r = std::max(tol, c.cell_m());
  for (int cj = c.cj0(); cj < c.cj0() + ny; ++cj) {
    for (int ci = c.ci0(); ci < c.ci0() + nx; ++ci) {
      const double d = std::hypot(c.CentreOf(ci) - gx, c.CentreOf(cj) - gy);
      if (c.Passable(ci, cj) && d <= r) at(ci, cj) = d;
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int cj = c.cj0(); cj < c.cj0() + ny; ++cj) {
      for (int ci = c.ci0(); ci < c.ci0() + nx; ++ci) {
        if (!c.Passable(ci, cj)) continue;
        for (int dj = -1; dj <= 1; ++dj) {
          for (int di = -1; di <= 1; ++di) {
            const int i = ci + di, j = cj + dj;
            if ((di == 0 && dj == 0) || !c.InGrid(i, j) || !c.Passable(i, j)) continue;
            if (di != 0 && dj != 0 && (!c.Passable(ci + di, cj) || !c.Passable(ci, cj + dj))) {
              continue;
            }
            const double w =
                std::hypot(di, dj) * c.cell_m() * 0.5 * (c.CellCost(ci, cj) + c.CellCost(i, j));
            if (at(i, j) + w < at(ci, cj)) {
              at(ci, cj) = at(i, j) + w;
              changed = true;
            }
          }
        }
      }
    }
  }
  return v;
}

TEST(CostToGoSolve, EqualsABruteForceRelaxationOnACraftedMap) {
  // 16 m window: a 0.8 m wall across x = 2 from y = -5 to 8 (map edge above: the world ends at
  // y = 6), a 0.6 m rock, an unseen patch, a 0.2 m bump (costly, passable), a keep-out.
  const auto h = [](double x, double y) {
    if (x > -6 && x < -3 && y > 2 && y < 5) return kNaN;
    if (x > 2 && x < 2.5 && y > -5) return 0.8;
    if (std::hypot(x + 2, y + 3) < 0.4) return 0.6;
    if (std::hypot(x - 5, y + 5) < 0.8) return 0.2;
    return 0.0;
  };
  const LocalMap map = MakeMap(h, 16);
  const vehicle::KeepOutZone zone{"k", {{-7, -7}, {-5, -7}, {-5, -5}, {-7, -5}}};
  const vehicle::WorldBounds world{-20, -20, 20, 6};
  const double gx = 5, gy = 0;
  const CostToGo c = Solved(map, gx, gy, {zone}, world);
  // Preconditions: every kind of cell is there, and the wall makes routes longer than straight.
  int kinds[4] = {0, 0, 0, 0};
  for (int cj = c.cj0(); cj < c.cj0() + c.ny(); ++cj) {
    for (int ci = c.ci0(); ci < c.ci0() + c.nx(); ++ci) ++kinds[static_cast<int>(c.KindOf(ci, cj))];
  }
  for (int k : kinds) EXPECT_GT(k, 0);
  const double behind = c.Value(c.LatticeOf(-1.0), c.LatticeOf(0.0));
  ASSERT_LT(behind, kInf);
  EXPECT_GT(behind, std::hypot(-1.0 - gx, 0.0) + 2.0);  // around the wall, not through it

  const std::vector<double> brute = BruteForce(c, gx, gy, 0.75);
  int compared = 0, unreachable = 0;
  for (int cj = c.cj0(); cj < c.cj0() + c.ny(); ++cj) {
    for (int ci = c.ci0(); ci < c.ci0() + c.nx(); ++ci) {
      const double b = brute[static_cast<std::size_t>((cj - c.cj0()) * c.nx() + (ci - c.ci0()))];
      const double d = c.Value(ci, cj);
      if (b == kInf) {
        EXPECT_EQ(d, kInf) << ci << ", " << cj;
        ++unreachable;
      } else {
        EXPECT_NEAR(d, b, 1e-9) << ci << ", " << cj;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000);
  EXPECT_GT(unreachable, 10);  // hazards, the keep-out, beyond the world
}

TEST(CostToGoSolve, AWaypointOutsideTheWindowIsReachedThroughTheRing) {
  const LocalMap map = MakeMap([](double, double) { return 0.0; }, 16);
  const CostToGo c = Solved(map, 40, 0);
  // Straight-line beyond the window: from the origin the cost is the distance (flat, cost 1),
  // up to the ring's discretisation.
  EXPECT_NEAR(c.CostAt(0, 0), 40.0, 0.3);
  const auto route = c.Route(0, 0, 3.0);
  ASSERT_FALSE(route.empty());
  EXPECT_GT(route.back()[0], 2.5);  // toward +x
  EXPECT_NEAR(route.back()[1], 0.0, 0.5);
}

// ---- decisions on crafted maps --------------------------------------------------------------

// A wall 0.8 m tall across x = 3 (too tall to climb), with a 4 m gap at y in [3, 7].
double WallWithGap(double x, double y) { return x > 3 && x < 3.5 && (y < 3 || y > 7) ? 0.8 : 0.0; }

AutoNavDecision DecideWith(const LocalMap& map, bool guided, double tx, double ty,
                           double turned_rad = 0) {
  const AutoNavParams params;
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  const vehicle::AceEvaluator ace(spec, params);
  vehicle::CostToGoParams cp = params.cost_to_go;
  cp.max_step_m = params.max_step_m;
  cp.max_slope_rad = spec.limits.max_tilt_rad;
  CostToGo c(cp, map.cell_m());
  c.Build(map, {}, params.keep_out_margin_m, std::nullopt);
  c.Solve(tx, ty, 0.75);
  return vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, tx, ty, turned_rad,
                              guided ? &c : nullptr);
}

TEST(AutoNavRoute, FacingAWallTheRoverHeadsForTheGap) {
  const LocalMap map = MakeMap(WallWithGap, 30);
  // Waypoint 5 m behind the wall, a little to the right (away from the gap).
  const AutoNavDecision d = DecideWith(map, true, 8.5, -1);
  ASSERT_GE(d.chosen, 0) << d.note;
  EXPECT_GT(d.cost_to_go_m, 8.5 + 2.0);  // the route goes round through the gap
  ASSERT_FALSE(d.route.empty());
  const PathOption& o = d.options[static_cast<std::size_t>(d.chosen)];
  // Toward the gap (+y): a left arc or a left turn.
  if (o.kind == OptionKind::kArc) {
    EXPECT_GT(o.curvature_1pm, 0.05);
  } else {
    EXPECT_GT(o.turn_rad, 0);
  }
  // Control: by straight-line progress (no cost to go) the rover heads right, toward the
  // waypoint's side of the wall, where there is no way through.
  const AutoNavDecision blind = DecideWith(map, false, 8.5, -1);
  ASSERT_GE(blind.chosen, 0);
  EXPECT_TRUE(std::isnan(blind.cost_to_go_m));
  const PathOption& b = blind.options[static_cast<std::size_t>(blind.chosen)];
  EXPECT_LT(b.kind == OptionKind::kArc ? b.curvature_1pm : b.turn_rad, 0);
}

TEST(AutoNavRoute, ADeadEndIsReportedEvenWithSafeArcs) {
  // A U of 0.8 m walls around the rover, open toward -x; the world ends at x = -4 (the U's
  // mouth), the waypoint is behind its bottom.
  const auto u = [](double x, double y) {
    const bool bottom = x > 4 && x < 4.5 && std::fabs(y) < 5.5;
    const bool arm = x < 4.5 && std::fabs(y) > 5 && std::fabs(y) < 5.5;
    return bottom || arm ? 0.8 : 0.0;
  };
  const LocalMap map = MakeMap(u, 30);
  const AutoNavParams params;
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  const vehicle::AceEvaluator ace(spec, params);
  vehicle::CostToGoParams cp = params.cost_to_go;
  cp.max_step_m = params.max_step_m;
  CostToGo c(cp, map.cell_m());
  c.Build(map, {}, params.keep_out_margin_m, vehicle::WorldBounds{-4, -15, 15, 15});
  c.Solve(8, 0, 0.75);
  const AutoNavDecision d = vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, 8, 0, 0, &c);
  EXPECT_EQ(d.chosen, -1);
  EXPECT_EQ(d.note, "waypoint unreachable in the known map");
  EXPECT_EQ(d.cost_to_go_m, kInf);
  // Control: the same U with the world extending past its mouth: a way round, and a choice.
  CostToGo open(cp, map.cell_m());
  open.Build(map, {}, params.keep_out_margin_m, std::nullopt);
  open.Solve(8, 0, 0.75);
  const AutoNavDecision o = vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, 8, 0, 0, &open);
  EXPECT_GE(o.chosen, 0) << o.note;
  EXPECT_LT(o.cost_to_go_m, kInf);
}

TEST(AutoNavRoute, NoProgressForTooLongIsNoSafePathAndAStallBacksOff) {
  const LocalMap map = MakeMap([](double, double) { return 0.0; }, 16);
  const AutoNavParams params;
  const vehicle::AceEvaluator ace(vehicle::DefaultRoverSpec(), params);
  CostToGo c(params.cost_to_go, map.cell_m());
  c.Build(map, {}, 0.5, std::nullopt);
  c.Solve(5, 0, 0.75);
  vehicle::DriveHistory history;
  history.driven_without_progress_m = params.max_drive_without_progress_m + 1;
  const AutoNavDecision stop =
      vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, 5, 0, 0, &c, &history);
  EXPECT_EQ(stop.chosen, -1);
  EXPECT_EQ(stop.note, "no progress toward the waypoint");
  history.driven_without_progress_m = params.max_drive_without_progress_m - 1;
  const AutoNavDecision go =
      vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, 5, 0, 0, &c, &history);
  EXPECT_GE(go.chosen, 0);  // control
  EXPECT_EQ(go.note, "best arc");
  // Stalled: back off 1 m straight first (the ground behind is flat and known).
  history.stalled = true;
  const AutoNavDecision back =
      vehicle::DecideOnMap(map, ace, params, {}, 0.0, {}, 0, 5, 0, 0, &c, &history);
  ASSERT_GE(back.chosen, 0);
  EXPECT_EQ(back.note, "back off (stalled)");
  EXPECT_NEAR(back.options[static_cast<std::size_t>(back.chosen)].length_m, -params.reverse_m,
              1e-12);
  EXPECT_NEAR(back.options[static_cast<std::size_t>(back.chosen)].poses.back().x_m,
              -params.reverse_m, 1e-9);
}

}  // namespace
}  // namespace marsdrive::testing

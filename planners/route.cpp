#include "planners/route.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace marsdrive::planners {

namespace {

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

double Distance(Point2 a, Point2 b) { return std::hypot(b.x_m - a.x_m, b.y_m - a.y_m); }

// Consecutive misses after which the farthest-visible scan of ShortcutRoute gives up: a blocked
// stretch rarely clears again right after, and this bounds the work on winding routes.
constexpr int kShortcutMaxMisses = 16;

}  // namespace

std::vector<Point2> SubdivideRoute(std::span<const Point2> route, double max_spacing_m) {
  std::vector<Point2> out;
  if (route.empty()) return out;
  out.push_back(route[0]);
  for (std::size_t i = 1; i < route.size(); ++i) {
    const Point2 a = route[i - 1], b = route[i];
    const double length = Distance(a, b);
    const auto pieces = static_cast<int>(std::max(1.0, std::ceil(length / max_spacing_m - 1e-9)));
    for (int k = 1; k < pieces; ++k) {
      const double t = static_cast<double>(k) / pieces;
      out.push_back({a.x_m + t * (b.x_m - a.x_m), a.y_m + t * (b.y_m - a.y_m)});
    }
    out.push_back(b);
  }
  return out;
}

std::vector<Point2> ShortcutRoute(const CostMap& map, std::span<const Point2> route,
                                  double cost_tolerance) {
  if (route.size() <= 2) return {route.begin(), route.end()};
  // Cumulative cost along the input route.
  std::vector<double> cumulative(route.size(), 0.0);
  for (std::size_t k = 1; k < route.size(); ++k) {
    cumulative[k] = cumulative[k - 1] + TraceSegment(map, route[k - 1], route[k]).cost;
  }
  std::vector<Point2> out = {route[0]};
  std::size_t i = 0;
  while (i + 1 < route.size()) {
    std::size_t best = i + 1;
    int misses = 0;
    for (std::size_t j = i + 2; j < route.size(); ++j) {
      const SegmentTrace trace = TraceSegment(map, route[i], route[j]);
      const double replaced = cumulative[j] - cumulative[i];
      if (!trace.blocked && trace.cost <= (1.0 + cost_tolerance) * replaced + 1e-9) {
        best = j;
        misses = 0;
      } else if (++misses > kShortcutMaxMisses) {
        break;
      }
    }
    out.push_back(route[best]);
    i = best;
  }
  return out;
}

std::vector<Point2> RemoveCollinear(std::span<const Point2> route) {
  std::vector<Point2> out;
  for (const Point2& p : route) {
    if (!out.empty() && out.back() == p) continue;
    while (out.size() >= 2) {
      const Point2 a = out[out.size() - 2], b = out.back();
      const double cross = (b.x_m - a.x_m) * (p.y_m - a.y_m) - (b.y_m - a.y_m) * (p.x_m - a.x_m);
      const double dot = (b.x_m - a.x_m) * (p.x_m - b.x_m) + (b.y_m - a.y_m) * (p.y_m - b.y_m);
      const double base = Distance(a, p);
      if (base > 0 && std::abs(cross) / base <= 1e-9 && dot >= 0) {
        out.pop_back();
      } else {
        break;
      }
    }
    out.push_back(p);
  }
  return out;
}

std::vector<ParamSpec> RouteShapingParams(const std::string& smoothing_help) {
  return {
      {.name = "max_spacing_m",
       .type = ParamType::kDouble,
       .default_value = "20",
       .min_value = 0.5,
       .max_value = 10000,
       .help = "longest distance between waypoints (m), capped by the problem's spacing limit"},
      {.name = "smoothing",
       .type = ParamType::kBool,
       .default_value = "true",
       .help = smoothing_help},
      {.name = "smoothing_tolerance",
       .type = ParamType::kDouble,
       .default_value = "0.02",
       .min_value = 0,
       .max_value = 1,
       .help = "a shortcut may cost at most (1 + this) x the path it replaces"},
  };
}

double EffectiveSpacing(const PlanProblem& problem, double param_spacing_m) {
  const double limit = problem.limits.max_waypoint_spacing_m;
  return std::isfinite(limit) && limit > 0 ? std::min(param_spacing_m, limit) : param_spacing_m;
}

std::vector<std::uint32_t> GoalCells(const CostMap& map, const GoalRegion& goal) {
  std::vector<std::uint32_t> cells;
  const terrain::GridSpec& s = map.spec();
  if (!std::isfinite(goal.x_m) || !std::isfinite(goal.y_m) || !(goal.tolerance_m > 0)) {
    return cells;
  }
  const double tol = goal.tolerance_m;
  const int c0 = std::max(0, s.ColOf(goal.x_m - tol)),
            c1 = std::min(s.width_px - 1, s.ColOf(goal.x_m + tol));
  const int r0 = std::max(0, s.RowOf(goal.y_m - tol)),
            r1 = std::min(s.height_px - 1, s.RowOf(goal.y_m + tol));
  const std::optional<CostMap::Cell> own = map.CellAt({goal.x_m, goal.y_m});
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) {
      if (map.Blocked(c, r)) continue;
      const bool is_own = own && own->col == c && own->row == r;
      if (is_own || Distance({s.CellCenterX(c), s.CellCenterY(r)}, {goal.x_m, goal.y_m}) <= tol) {
        cells.push_back(static_cast<std::uint32_t>(s.Index(c, r)));
      }
    }
  }
  return cells;
}

std::optional<PlanResult> CheckEndpoints(const CostMap& map, const PlanProblem& problem) {
  const terrain::GridSpec& s = map.spec();
  const std::string extent = "the map covers x " + Num(s.origin_x_m) + ".." + Num(s.MaxX()) +
                             " m, y " + Num(s.origin_y_m) + ".." + Num(s.MaxY()) + " m";
  const Point2 start{problem.start.x_m, problem.start.y_m};
  const std::string start_text = "start (" + Num(start.x_m) + ", " + Num(start.y_m) + ")";
  const std::optional<CostMap::Cell> cell = map.CellAt(start);
  if (!cell) {
    return PlanResult{.status = PlanStatus::kInvalidStart,
                      .waypoints = {},
                      .reason = start_text + " is off the map: " + extent};
  }
  if (map.Blocked(cell->col, cell->row)) {
    return PlanResult{.status = PlanStatus::kInvalidStart,
                      .waypoints = {},
                      .reason = start_text + " is on a blocked cell: " +
                                map.DescribeBlocked(cell->col, cell->row)};
  }
  const GoalRegion& goal = problem.goal;
  const std::string goal_text = "goal (" + Num(goal.x_m) + ", " + Num(goal.y_m) + ")";
  if (!(goal.tolerance_m > 0) || !std::isfinite(goal.tolerance_m)) {
    return PlanResult{.status = PlanStatus::kInvalidGoal,
                      .waypoints = {},
                      .reason = goal_text + ": tolerance " + Num(goal.tolerance_m) +
                                " m; expected a finite number > 0"};
  }
  if (GoalCells(map, goal).empty()) {
    std::string why;
    if (const std::optional<CostMap::Cell> g = map.CellAt({goal.x_m, goal.y_m})) {
      why = ": the goal cell is " + map.DescribeBlocked(g->col, g->row);
    } else {
      why = ", which is off the map: " + extent;
    }
    return PlanResult{.status = PlanStatus::kInvalidGoal,
                      .waypoints = {},
                      .reason = "no traversable cell within " + Num(goal.tolerance_m) +
                                " m of the " + goal_text + why};
  }
  return std::nullopt;
}

void AddRouteDiagnostics(PlanResult& result, const CostMap& map) {
  SetDiagnostic(result, "length_m", RouteLength(result.waypoints));
  const double cost = RouteCost(map, result.waypoints);
  if (std::isfinite(cost)) {
    SetDiagnostic(result, "cost", cost);
  } else {
    SetDiagnostic(result, "cost", std::string("blocked"));
  }
  SetDiagnostic(result, "waypoint_count", static_cast<std::int64_t>(result.waypoints.size()));
}

double DistanceToGoal(std::span<const Point2> route, const GoalRegion& goal) {
  if (route.empty()) return std::numeric_limits<double>::infinity();
  return Distance(route.back(), {goal.x_m, goal.y_m});
}

}  // namespace marsdrive::planners

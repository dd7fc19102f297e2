#include "planners/cost_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <span>
#include <string>

#include "base/check.h"
#include "base/geometry.h"

namespace marsdrive::planners {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// (Built by appending: g++ 12 warns -Wrestrict, a known false positive, on "(" + string.)
std::string PointText(Point2 p) {
  std::string text = "(";
  text += Num(p.x_m);
  text += ", ";
  text += Num(p.y_m);
  return text + ")";
}

// "'name'", or "#index" for an unnamed keep-out.
std::string KeepOutLabel(const KeepOut& keep_out, std::size_t index) {
  if (!keep_out.name.empty()) return "'" + keep_out.name + "'";
  std::string text = "#";
  return text += std::to_string(index);
}

// The polygon without a repeated closing vertex; InputError for a degenerate one.
std::vector<Point2> CheckedPolygon(const KeepOut& keep_out, std::size_t index) {
  const std::string where = "keep-out " + KeepOutLabel(keep_out, index);
  std::vector<Point2> poly = keep_out.polygon;
  for (const Point2& p : poly) {
    MD_THROW_UNLESS(std::isfinite(p.x_m) && std::isfinite(p.y_m),
                    where + ": expected finite vertex coordinates");
  }
  if (poly.size() >= 2 && poly.front() == poly.back()) poly.pop_back();
  MD_THROW_UNLESS(poly.size() >= 3, where + ": expected a polygon of at least 3 vertices, got " +
                                        std::to_string(poly.size()));
  return poly;
}

double DistanceToSegment(Point2 p, Point2 a, Point2 b) {
  const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x_m - (a.x_m + t * dx), p.y_m - (a.y_m + t * dy));
}

// Distance from p to the polygon's area (0 inside); `vertices` is `poly` as {x, y} pairs.
double DistanceToPolygon(const std::vector<Point2>& poly,
                         std::span<const std::array<double, 2>> vertices, Point2 p) {
  if (base::PointInPolygon(vertices, p.x_m, p.y_m)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    best = std::min(best, DistanceToSegment(p, poly[j], poly[i]));
  }
  return best;
}

}  // namespace

CostMap::CostMap(const PlanProblem& problem) : orbital_(problem.orbital), limits_(problem.limits) {
  MD_THROW_UNLESS(orbital_ != nullptr, "plan problem: no orbital products");
  const terrain::OrbitalProducts& o = *orbital_;
  spec_ = o.spec();
  MD_THROW_UNLESS(spec_.width_px > 0 && spec_.height_px > 0,
                  "plan problem: the orbital products are empty");
  MD_DEMAND(o.cost.spec() == spec_ && o.traversable.spec() == spec_ &&
            o.slope_deg.spec() == spec_ && o.step_m.spec() == spec_);
  const std::size_t n = spec_.CellCount();
  cost_.assign(n, kInf);
  kind_.assign(n, CellKind::kLethal);
  keep_out_of_.assign(n, -1);
  const double max_slope_deg = limits_.max_slope_rad * kRadToDeg;
  const std::span<const float> cost = o.cost.Values();
  const std::span<const std::uint8_t> traversable = o.traversable.Values();
  const std::span<const float> slope = o.slope_deg.Values();
  const std::span<const float> step = o.step_m.Values();
  for (std::size_t i = 0; i < n; ++i) {
    if (traversable[i] == 0 || !std::isfinite(cost[i])) continue;  // lethal
    if (slope[i] > max_slope_deg || step[i] > limits_.max_step_m) {
      kind_[i] = CellKind::kOverLimit;
      continue;
    }
    kind_[i] = CellKind::kFree;
    cost_[i] = std::max(cost[i], 1.0f);
  }

  const double res = spec_.resolution_m;
  const double margin_m = 0.5 * limits_.footprint_diameter_m + 0.5 * std::numbers::sqrt2 * res;
  for (std::size_t k = 0; k < problem.keep_outs.size(); ++k) {
    const std::vector<Point2> poly = CheckedPolygon(problem.keep_outs[k], k);
    std::vector<std::array<double, 2>> vertices;
    vertices.reserve(poly.size());
    for (const Point2& p : poly) vertices.push_back({p.x_m, p.y_m});
    keep_out_names_.push_back(KeepOutLabel(problem.keep_outs[k], k));
    double x0 = poly[0].x_m, x1 = x0, y0 = poly[0].y_m, y1 = y0;
    for (const Point2& p : poly) {
      x0 = std::min(x0, p.x_m), x1 = std::max(x1, p.x_m);
      y0 = std::min(y0, p.y_m), y1 = std::max(y1, p.y_m);
    }
    const int c0 = std::max(0, spec_.ColOf(x0 - margin_m));
    const int c1 = std::min(spec_.width_px - 1, spec_.ColOf(x1 + margin_m));
    const int r0 = std::max(0, spec_.RowOf(y0 - margin_m));
    const int r1 = std::min(spec_.height_px - 1, spec_.RowOf(y1 + margin_m));
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const Point2 centre{spec_.CellCenterX(c), spec_.CellCenterY(r)};
        if (DistanceToPolygon(poly, vertices, centre) > margin_m) continue;
        const std::size_t i = spec_.Index(c, r);
        if (keep_out_of_[i] < 0) keep_out_of_[i] = static_cast<std::int32_t>(k);
        if (kind_[i] == CellKind::kFree) kind_[i] = CellKind::kKeepOut;
        cost_[i] = kInf;
      }
    }
  }

  double min_cost = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    if (kind_[i] != CellKind::kFree) continue;
    ++free_cells_;
    min_cost = std::min(min_cost, static_cast<double>(cost_[i]));
  }
  min_cost_ = free_cells_ > 0 ? min_cost : 1.0;
}

bool CostMap::OnMap(Point2 p) const { return spec_.Contains(p.x_m, p.y_m); }

std::optional<CostMap::Cell> CostMap::CellAt(Point2 p) const {
  if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m) || !OnMap(p)) return std::nullopt;
  const int col = std::min(spec_.ColOf(p.x_m), spec_.width_px - 1);
  const int row = std::min(spec_.RowOf(p.y_m), spec_.height_px - 1);
  return Cell{col, row};
}

bool CostMap::FreeAt(Point2 p) const {
  const std::optional<Cell> cell = CellAt(p);
  return cell && !Blocked(cell->col, cell->row);
}

std::string CostMap::DescribeBlocked(int col, int row) const {
  if (!spec_.ContainsCell(col, row)) return "off the map";
  const std::size_t i = spec_.Index(col, row);
  const terrain::OrbitalProducts& o = *orbital_;
  switch (kind_[i]) {
    case CellKind::kFree:
      return "free";
    case CellKind::kLethal: {
      std::string text = "lethal in the orbital products (";
      const float slope = o.slope_deg(col, row), step = o.step_m(col, row);
      if (std::isnan(slope)) return text + "nodata)";
      return text + "slope " + Num(slope) + " deg, step " + Num(step) + " m, rock hazard " +
             Num(o.rock_hazard(col, row)) + ")";
    }
    case CellKind::kOverLimit: {
      const double max_slope_deg = limits_.max_slope_rad * kRadToDeg;
      if (o.slope_deg(col, row) > max_slope_deg) {
        return "slope " + Num(o.slope_deg(col, row)) + " deg over the " + Num(max_slope_deg) +
               " deg limit";
      }
      return "step " + Num(o.step_m(col, row)) + " m over the " + Num(limits_.max_step_m) +
             " m limit";
    }
    case CellKind::kKeepOut: {
      const std::int32_t k = keep_out_of_[i];
      return "within " + Num(0.5 * limits_.footprint_diameter_m) +
             " m (half the footprint) of keep-out " +
             (k >= 0 ? keep_out_names_[static_cast<std::size_t>(k)] : std::string("?"));
    }
  }
  return "blocked";
}

SegmentTrace TraceSegment(const CostMap& map, Point2 a, Point2 b) {
  SegmentTrace trace;
  trace.length_m = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
  const terrain::GridSpec& spec = map.spec();
  const std::span<const float> costs = map.costs();
  double cost = 0;
  ForEachCellOnSegment(spec, a, b, [&](int col, int row, double length_m) {
    if (!spec.ContainsCell(col, row) || map.Blocked(col, row)) {
      trace.blocked = true;
      if (spec.ContainsCell(col, row)) trace.blocked_col = col, trace.blocked_row = row;
      return false;
    }
    cost += length_m * static_cast<double>(costs[spec.Index(col, row)]);
    return true;
  });
  trace.cost = trace.blocked ? std::numeric_limits<double>::infinity() : cost;
  return trace;
}

double RouteCost(const CostMap& map, std::span<const Point2> route) {
  double cost = 0;
  for (std::size_t i = 1; i < route.size(); ++i)
    cost += TraceSegment(map, route[i - 1], route[i]).cost;
  if (route.size() == 1 && !map.FreeAt(route[0])) return std::numeric_limits<double>::infinity();
  return cost;
}

double RouteLength(std::span<const Point2> route) {
  double length = 0;
  for (std::size_t i = 1; i < route.size(); ++i) {
    length += std::hypot(route[i].x_m - route[i - 1].x_m, route[i].y_m - route[i - 1].y_m);
  }
  return length;
}

std::vector<RouteViolation> CheckRoute(const CostMap& map, const PlanProblem& problem,
                                       std::span<const Point2> route) {
  std::vector<RouteViolation> out;
  if (route.empty()) {
    out.push_back({0, "no waypoints"});
    return out;
  }
  const Point2 start{problem.start.x_m, problem.start.y_m};
  if (std::hypot(route[0].x_m - start.x_m, route[0].y_m - start.y_m) > 1e-3) {
    out.push_back(
        {0, "waypoint 0 " + PointText(route[0]) + " is not the start " + PointText(start)});
  }
  for (std::size_t i = 0; i < route.size(); ++i) {
    const Point2 p = route[i];
    const std::string name = "waypoint " + std::to_string(i) + " " + PointText(p);
    const std::optional<CostMap::Cell> cell = map.CellAt(p);
    if (!cell) {
      out.push_back({static_cast<int>(i), name + ": off the map"});
    } else if (map.Blocked(cell->col, cell->row)) {
      out.push_back({static_cast<int>(i), name + ": " + map.DescribeBlocked(cell->col, cell->row)});
    }
  }
  const double spacing = problem.limits.max_waypoint_spacing_m;
  for (std::size_t i = 1; i < route.size(); ++i) {
    const std::string name = "segment " + std::to_string(i - 1) + "-" + std::to_string(i);
    const SegmentTrace trace = TraceSegment(map, route[i - 1], route[i]);
    if (trace.blocked) {
      const terrain::GridSpec& s = map.spec();
      const std::string where = trace.blocked_col >= 0
                                    ? " at " +
                                          PointText({s.CellCenterX(trace.blocked_col),
                                                     s.CellCenterY(trace.blocked_row)}) +
                                          ": " +
                                          map.DescribeBlocked(trace.blocked_col, trace.blocked_row)
                                    : ": leaves the map";
      out.push_back({static_cast<int>(i - 1), name + " crosses a blocked cell" + where});
    }
    if (trace.length_m > spacing * (1 + 1e-9)) {
      out.push_back({static_cast<int>(i - 1), name + ": " + Num(trace.length_m) +
                                                  " m long; the waypoint spacing limit is " +
                                                  Num(spacing) + " m"});
    }
  }
  return out;
}

std::string SummarizeViolations(const std::vector<RouteViolation>& violations,
                                std::size_t max_items) {
  std::string text;
  for (std::size_t i = 0; i < violations.size() && i < max_items; ++i) {
    text += (i == 0 ? "" : "; ") + violations[i].message;
  }
  if (violations.size() > max_items) {
    text += " (and " + std::to_string(violations.size() - max_items) + " more)";
  }
  return text;
}

}  // namespace marsdrive::planners

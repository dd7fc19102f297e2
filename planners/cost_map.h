#pragma once
// The cost map every planner of this module searches, and the geometry shared by them and by
// route checks: one definition of "what a route costs" and "what a route may not cross".
//
// Cells are those of the orbital products (terrain/grid.h: row 0 south). A cell is blocked when
//   - the orbital products call it lethal (traversable == 0, or cost not finite: steep, a step,
//     a tall visible rock, nodata), kind kLethal;
//   - its slope or step exceeds the problem's RouteLimits (stricter than the products' own),
//     kind kOverLimit;
//   - it lies within half the footprint of a keep-out polygon, kind kKeepOut. The test is
//     conservative: the cell is blocked when its centre is within footprint/2 + half the cell
//     diagonal of the polygon, so every point of a free cell is more than footprint/2 away.
// A free cell costs orbital.cost per metre (>= 1).
//
// The cost of a straight segment is the line integral of the cell costs along it: the sum over
// the cells it passes through of (length inside the cell) x (cell cost). A segment is blocked
// when any cell it passes through is blocked or off the map, including both cells beside a
// grid corner it passes exactly through (a route never squeezes between two blocked cells).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "planners/plan_types.h"
#include "terrain/grid.h"

namespace marsdrive::planners {

enum class CellKind : std::uint8_t { kFree = 0, kLethal = 1, kOverLimit = 2, kKeepOut = 3 };

class CostMap {
 public:
  // Throws InputError when the problem has no orbital products or an invalid keep-out
  // (fewer than 3 vertices, non-finite coordinates).
  explicit CostMap(const PlanProblem& problem);

  const terrain::GridSpec& spec() const { return spec_; }
  // Per-metre cost of every cell, row-major from the south; +inf where blocked.
  std::span<const float> costs() const { return cost_; }
  std::span<const CellKind> kinds() const { return kind_; }
  float Cost(int col, int row) const { return cost_[spec_.Index(col, row)]; }
  CellKind Kind(int col, int row) const { return kind_[spec_.Index(col, row)]; }
  bool Blocked(int col, int row) const { return Kind(col, row) != CellKind::kFree; }
  // The smallest cost of a free cell (>= 1; 1 when every cell is blocked).
  double min_cost() const { return min_cost_; }
  std::size_t free_cells() const { return free_cells_; }

  // Whether the point is on the map, and whether it lies in a free cell (false off the map).
  bool OnMap(Point2 p) const;
  bool FreeAt(Point2 p) const;
  // The cell holding p (the last row/column for points on the north/east edge); nullopt off
  // the map.
  struct Cell {
    int col, row;
  };
  std::optional<Cell> CellAt(Point2 p) const;
  // "lethal (orbital cost +inf)", "slope 34.1 deg over the 30 deg limit", "keep-out 'crater'".
  std::string DescribeBlocked(int col, int row) const;

 private:
  terrain::GridSpec spec_;
  std::vector<float> cost_;
  std::vector<CellKind> kind_;
  std::vector<std::int32_t> keep_out_of_;  // index of the first keep-out blocking a cell, or -1
  // For DescribeBlocked.
  std::shared_ptr<const terrain::OrbitalProducts> orbital_;
  std::vector<std::string> keep_out_names_;
  RouteLimits limits_;
  double min_cost_ = 1.0;
  std::size_t free_cells_ = 0;
};

// The line integral of the cost along segment a-b (see the file comment).
struct SegmentTrace {
  double length_m = 0;
  double cost = 0;  // +inf when blocked
  bool blocked = false;
  int blocked_col = -1, blocked_row = -1;  // the first blocked cell met (-1 off the map)
};
SegmentTrace TraceSegment(const CostMap& map, Point2 a, Point2 b);

// Visits the cells segment a-b passes through, in order, with the length inside each
// (zero-length visits for the two cells beside a grid corner the segment passes through).
// `visit(col, row, length_m)` returns false to stop. Cells may be off the map (col/row outside
// the grid). Exposed for tests.
template <typename Visit>
void ForEachCellOnSegment(const terrain::GridSpec& spec, Point2 a, Point2 b, Visit&& visit);

// Sum of TraceSegment costs (+inf if any segment is blocked), and of lengths.
double RouteCost(const CostMap& map, std::span<const Point2> route);
double RouteLength(std::span<const Point2> route);

// Why a route may not be driven as is.
struct RouteViolation {
  int index = 0;  // waypoint index, or the first waypoint of the segment
  std::string message;
};
// Checks a route against the problem: at least one waypoint, the first at the start (within
// 1 mm), every waypoint on the map and in a free cell, no segment blocked, no segment longer
// than limits.max_waypoint_spacing_m. Reaching the goal is not a violation (see PlanStatus).
std::vector<RouteViolation> CheckRoute(const CostMap& map, const PlanProblem& problem,
                                       std::span<const Point2> route);
// "waypoint 3 (12.5, 40): ...; segment 4-5: ... (and 7 more)": at most `max_items` listed.
std::string SummarizeViolations(const std::vector<RouteViolation>& violations,
                                std::size_t max_items = 5);

// ---------------------------------------------------------------------------------------------
// Implementation of the template.

template <typename Visit>
void ForEachCellOnSegment(const terrain::GridSpec& spec, Point2 a, Point2 b, Visit&& visit) {
  const double res = spec.resolution_m;
  const double u0 = (a.x_m - spec.origin_x_m) / res, v0 = (a.y_m - spec.origin_y_m) / res;
  const double u1 = (b.x_m - spec.origin_x_m) / res, v1 = (b.y_m - spec.origin_y_m) / res;
  const double du = u1 - u0, dv = v1 - v0;
  const double length_m = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
  // Points on the north / east edge belong to the last row / column (as GridSpec::Contains).
  auto cell_of = [](double w, int count) {
    const int c = static_cast<int>(std::floor(w));
    return c == count && w == count ? count - 1 : c;
  };
  int col = cell_of(u0, spec.width_px), row = cell_of(v0, spec.height_px);
  const int end_col = cell_of(u1, spec.width_px), end_row = cell_of(v1, spec.height_px);
  const int step_c = du > 0 ? 1 : -1, step_r = dv > 0 ? 1 : -1;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Parameter t in [0, 1] at which the segment crosses the next column / row boundary.
  const double dt_c = du != 0 ? std::abs(1.0 / du) : kInf;
  const double dt_r = dv != 0 ? std::abs(1.0 / dv) : kInf;
  double t_c = du > 0 ? (col + 1 - u0) * dt_c : du < 0 ? (u0 - col) * dt_c : kInf;
  double t_r = dv > 0 ? (row + 1 - v0) * dt_r : dv < 0 ? (v0 - row) * dt_r : kInf;
  // Crossings closer than this (in t) count as one corner crossing: a grid-aligned route
  // (cell centre to cell centre) meets corners exactly up to rounding.
  constexpr double kCornerEps = 1e-9;
  double t = 0;
  const int max_steps = std::abs(end_col - col) + std::abs(end_row - row) + 2;
  for (int steps = 0; steps <= max_steps; ++steps) {
    const bool last = (col == end_col && row == end_row) || (t_c >= 1.0 && t_r >= 1.0);
    const double t_next = last ? 1.0 : std::min(std::min(t_c, t_r), 1.0);
    if (!visit(col, row, (t_next - t) * length_m)) return;
    if (last) return;
    t = t_next;
    if (std::abs(t_c - t_r) <= kCornerEps) {
      // Through a corner: touch both side cells (zero length), then step diagonally.
      if (!visit(col + step_c, row, 0.0)) return;
      if (!visit(col, row + step_r, 0.0)) return;
      col += step_c, row += step_r;
      t_c += dt_c, t_r += dt_r;
    } else if (t_c < t_r) {
      col += step_c;
      t_c += dt_c;
    } else {
      row += step_r;
      t_r += dt_r;
    }
  }
}

}  // namespace marsdrive::planners

#pragma once
// `astar`: the classical planner. A* on the orbital cost map (planners/cost_map.h), then
// line-of-sight smoothing and waypoint spacing.
//
// Search graph. Nodes are the free cells; each is joined to its 8 or 16 neighbours
// (connectivity=8|16: the 8 king moves, plus the 8 knight moves (+-1, +-2), (+-2, +-1)). An
// edge is the straight segment between the two cell centres and costs its line integral
// (TraceSegment), which for these moves is, with c(.) the per-metre cell cost and L the length:
//   straight (1, 0):  L = res,       cost = L/2 (c(0,0) + c(1,0))
//   diagonal (1, 1):  L = sqrt2 res, cost = L/2 (c(0,0) + c(1,1)); the side cells (1,0) and
//                     (0,1) must be free too (the segment passes through their corner)
//   knight   (1, 2):  L = sqrt5 res, cost = L/4 (c(0,0) + c(0,1) + c(1,1) + c(1,2))
//            (2, 1):  L = sqrt5 res, cost = L/4 (c(0,0) + c(1,0) + c(1,1) + c(2,1))
// (mirrored for the other signs). An edge through any blocked cell does not exist.
// Heuristic: weight x min_cost x max(0, |centre - goal| - R), R the largest distance from the
// goal to a goal cell's centre: admissible and consistent for weight 1 (every edge costs at
// least min_cost per metre), so the search cost is optimal on this graph.
//
// Implementation: flat arrays over the grid padded by two blocked cells (no bounds checks), a
// radix heap (monotone priority queue on the f values' bit patterns) with duplicate entries
// instead of decrease-key, a closed flag per cell; no maps.
// The stop condition is polled every 4096 expansions.
//
// Route. [start, centres of the cell path..., goal (when the goal lies in a free cell in sight
// of the path's last cell centre: the route then ends exactly at the goal)],
// then (smoothing=true) ShortcutRoute with smoothing_tolerance, then SubdivideRoute to
// max_spacing_m (capped by the problem's limit). The unsmoothed route is kept as the
// alternative "raw search path" (collinear cell centres dropped).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "planners/cost_map.h"
#include "planners/planner.h"
#include "planners/registry.h"

namespace marsdrive::planners {

PlannerInfo AstarPlannerInfo();

struct GridSearchResult {
  bool found = false;
  bool stopped = false;              // the stop condition fired first
  std::vector<std::uint32_t> cells;  // flat cell indices (GridSpec::Index), start to goal
  double cost = 0;                   // sum of the edge costs along `cells`
  std::size_t expansions = 0;
  std::size_t pushes = 0;  // heap entries (a cell is pushed again each time its cost improves)
};

// The search alone (exposed for tests and benchmarks). start_cell must be free; goal_cells are
// free cells (GoalCells); `goal` positions the heuristic. connectivity is 8 or 16.
GridSearchResult SearchGrid(const CostMap& map, std::uint32_t start_cell,
                            std::span<const std::uint32_t> goal_cells, Point2 goal,
                            int connectivity, double heuristic_weight = 1.0,
                            const StopCondition* stop = nullptr);

}  // namespace marsdrive::planners

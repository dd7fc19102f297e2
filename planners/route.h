#pragma once
// Route post-processing and checks shared by the planners of this module (and meant for the
// VLM planner's validation loop too).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "planners/cost_map.h"
#include "planners/plan_types.h"
#include "planners/planner.h"

namespace marsdrive::planners {

// Splits every segment longer than `max_spacing_m` into equal parts no longer than it. The
// route's geometry is unchanged (new waypoints lie on the old segments).
std::vector<Point2> SubdivideRoute(std::span<const Point2> route, double max_spacing_m);

// Line-of-sight shortcuts ("string pulling"): from each kept waypoint, jumps to the farthest
// later waypoint whose straight segment is not blocked and costs at most (1 + cost_tolerance)
// times the part of the route it replaces. So the result never crosses a blocked cell, keeps
// the first and last waypoints, and costs at most (1 + cost_tolerance) times the input.
std::vector<Point2> ShortcutRoute(const CostMap& map, std::span<const Point2> route,
                                  double cost_tolerance);

// Drops waypoints lying on the straight line between their neighbours (within 1e-9 m), e.g.
// the cell centres of a straight run of a grid path.
std::vector<Point2> RemoveCollinear(std::span<const Point2> route);

// The parameters every route-producing planner shares, in this order: max_spacing_m,
// smoothing (described by `smoothing_help`), smoothing_tolerance.
std::vector<ParamSpec> RouteShapingParams(const std::string& smoothing_help);

// The spacing a planner uses: its own parameter, capped by the problem's limit.
double EffectiveSpacing(const PlanProblem& problem, double param_spacing_m);

// A kInvalidStart result when the start is not finite, off the map or in a blocked cell; a
// kInvalidGoal result when the tolerance is not > 0 or no free cell lies within tolerance of
// the goal (see GoalCells); nullopt when both are fine.
std::optional<PlanResult> CheckEndpoints(const CostMap& map, const PlanProblem& problem);

// The free cells a route may end in: those whose centre lies within the goal tolerance, plus
// the goal's own cell when it is free (the route then ends exactly at the goal). Flat indices
// (GridSpec::Index), ascending.
std::vector<std::uint32_t> GoalCells(const CostMap& map, const GoalRegion& goal);

// Adds length_m, cost (the orbital cost integral; null when blocked) and waypoint_count.
void AddRouteDiagnostics(PlanResult& result, const CostMap& map);

// Distance from the route's last waypoint to the goal (+inf for an empty route).
double DistanceToGoal(std::span<const Point2> route, const GoalRegion& goal);

}  // namespace marsdrive::planners

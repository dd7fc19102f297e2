#pragma once
// `rrtstar`: a sampling-based planner through OMPL (Debian libompl-dev), RRT* (Karaman &
// Frazzoli 2011, asymptotically optimal), so users can compare classical families on the same
// cost. (BIT* was tried too: with this cost map it left the start only on small maps.)
// It plans in R^2 (the rover's position; heading is left to the drive executive, which turns
// in place) over the map's extent:
//   - a state is valid when its cell is free (planners/cost_map.h: not lethal, within the
//     rover limits, not within half the footprint of a keep-out);
//   - a motion is valid when TraceSegment finds no blocked cell (exact, no sampling step);
//   - the objective is the same line integral of the orbital cost as `astar` (motion cost =
//     TraceSegment cost), with the admissible heuristic min_cost x distance;
//   - the goal is the disc of the goal tolerance (samples: free cell centres inside it).
// Termination: `iterations` (deterministic), the problem's time budget, `max_time_s`, or the
// stop request, whichever comes first; diagnostics say which. The path is then smoothed
// (ShortcutRoute, optional) and spaced (SubdivideRoute) as astar's.
//
// Determinism: OMPL draws every random number from ompl::RNG instances seeded from one
// process-global seed generator. Each plan holds a process-wide mutex, calls
// ompl::RNG::setSeed(seed) and creates every OMPL object afterwards, so the same problem, seed
// and parameters give the same waypoints (when `iterations`, not time, ends the search). The
// cost of that global state: OMPL plans run one at a time within a process (other planners
// still run in parallel). OMPL's console messages are captured into PlanResult::log while the
// mutex is held (OMPL's output handler is global too).

#include "planners/registry.h"

namespace marsdrive::planners {

PlannerInfo RrtStarPlannerInfo();

}  // namespace marsdrive::planners

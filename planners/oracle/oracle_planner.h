#pragma once
// `oracle`: a privileged planner, the upper bound of a scenario (after CARLA's privileged
// agents). It plans on the ground truth: it derives "perfect orbital products" from the truth
// (terrain::MakeOrbitalProducts at a fine resolution, every rock of the truth the rover cannot
// drive over visible, the route's own limits: footprint, slope, step) and runs the ordinary A*
// planner (planners/astar_planner.h) on them, with flight-like waypoint spacing (10 m by default).
// The soil's predicted slip enters through the products' sand-slip cost terms, as for A*.
//
// It is never part of a suite unless named; its runs are marked `privileged: true`. The
// planners registry cannot build it (the registry's library may not see the truth): the
// scenario runner and `marsdrive plan --terrain` do, through MakeOraclePlanner.

#include <memory>
#include <string_view>
#include <vector>

#include "io/params.h"
#include "planners/planner.h"
#include "terrain/orbital.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::planners {

inline constexpr std::string_view kOraclePlannerName = "oracle";

bool IsOraclePlanner(std::string_view name);

PlannerSpecs OracleSpecs();
std::vector<ParamSpec> OracleParams();

// The parameters of the oracle's products: `resolution_m` (never finer than the truth's), every
// rock taller than max_rock_height_m (default 0.35 m, the step limit) visible
// (rock_detect_diameter_m = the smallest such rock's diameter; lower rocks are left to the wheels),
// footprint / slope / step limits and the lethal rock height max_rock_height_m; the rest as
// OrbitalParams.
terrain::OrbitalParams OracleProductParams(const terrain::TerrainTruth& truth,
                                           const RouteLimits& limits, double resolution_m,
                                           double max_rock_height_m = 0.35);

// The oracle on `truth`. Checks `params` against OracleParams (InputError naming the planner and
// the parameter). The products are made on the first Plan call (their time is reported in the
// diagnostics as products_s) and reused by later calls with the same limits.
std::unique_ptr<Planner> MakeOraclePlanner(std::shared_ptr<const terrain::TerrainTruth> truth,
                                           const marsdrive::ParamMap& params = {});

}  // namespace marsdrive::planners

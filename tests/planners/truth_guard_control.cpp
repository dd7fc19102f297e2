// Control for the planners_truth_guard ctest: everything a planner may include (the planners
// headers, the orbital products and their loader) builds under MARSDRIVE_NO_GROUND_TRUTH.
#include "io/params.h"
#include "planners/astar_planner.h"
#include "planners/cost_map.h"
#include "planners/ompl_planner.h"
#include "planners/plan_json.h"
#include "planners/plan_types.h"
#include "planners/planner.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "planners/route_files.h"
#include "planners/scripted_planner.h"
#include "terrain/orbital.h"
#include "terrain/orbital_dir.h"

#ifndef MARSDRIVE_NO_GROUND_TRUTH
#error "the control must be compiled like the planners library, with MARSDRIVE_NO_GROUND_TRUTH"
#endif

int TruthGuardControl() { return static_cast<int>(sizeof(marsdrive::planners::PlanProblem)); }

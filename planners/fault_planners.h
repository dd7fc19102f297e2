#pragma once
// Fault-injection planners for testing the harness itself: a suite must record a planner that
// crashes the process, hangs, or throws as that run's failure and go on with the others.
// They exist only when the environment variable MARSDRIVE_FAULT_PLANNERS=1 is set, so users
// never meet them in `marsdrive planners`.
//   fault-crash  kills its process (abort: SIGABRT, which sanitizers leave alone)
//   fault-hang   sleeps forever, ignoring stop requests and time budgets
//   fault-throw  throws std::runtime_error (RunPlanner turns it into a "crash" plan result)

#include <vector>

#include "planners/registry.h"

namespace marsdrive::planners {

// Empty unless MARSDRIVE_FAULT_PLANNERS=1.
const std::vector<PlannerInfo>& FaultPlanners();

}  // namespace marsdrive::planners

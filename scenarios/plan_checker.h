#pragma once
// A plan check inside a scenario run (a planner entry's `check: {trials: N}`,
// docs/plan-check.md "In suites"): the run asks for the digital twin's verdict on its plan
// before the ground-truth drive. The check lives above this library (scenarios/check/, which
// drives through scenarios' pipeline), so the run receives it as a function: the `marsdrive`
// program passes scenarios/check's (check::CheckPlanForRun).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "planners/plan_types.h"
#include "terrain/orbital.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::scenarios {

struct PlanCheckCall {
  std::shared_ptr<const terrain::OrbitalProducts> orbital;  // what the planner saw
  planners::Pose2 start;
  std::vector<planners::Point2> waypoints;  // the plan
  planners::GoalRegion goal;
  std::vector<planners::KeepOut> keep_outs;
  vehicle::RoverSpec rover;  // with the scenario's limits
  int trials = 0;
  std::uint64_t seed = 1;
  double time_limit_s = 7200;
  std::filesystem::path out;  // the check's directory (check.json, trials/)
};

struct PlanCheckOutcome {
  int trials = 0;
  int goal_count = 0;
  double p_goal = 0;
  std::string verdict;  // "go" | "marginal" | "no_go"
};

using PlanChecker = std::function<PlanCheckOutcome(const PlanCheckCall&)>;

}  // namespace marsdrive::scenarios

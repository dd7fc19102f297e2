#include "planners/registry.h"

#include "planners/astar_planner.h"
#include "planners/ompl_planner.h"
#include "planners/scripted_planner.h"
#include "terrain/check.h"

namespace marsdrive::planners {

const std::vector<PlannerInfo>& ListPlanners() {
  static const std::vector<PlannerInfo> planners = {
      ScriptedPlannerInfo(),
      AstarPlannerInfo(),
      RrtStarPlannerInfo(),
  };
  return planners;
}

const PlannerInfo& FindPlanner(std::string_view name) {
  std::string names;
  for (const PlannerInfo& info : ListPlanners()) {
    if (info.name == name) return info;
    names += (names.empty() ? "" : ", ") + info.name;
  }
  throw InputError("unknown planner '" + std::string(name) + "' (expected one of: " + names + ")");
}

std::unique_ptr<Planner> MakePlanner(std::string_view name, const terrain::ParamMap& params) {
  const PlannerInfo& info = FindPlanner(name);
  return info.make(PlannerParams::Resolve(info.name, info.params, params));
}

}  // namespace marsdrive::planners

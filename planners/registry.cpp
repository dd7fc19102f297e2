#include "planners/registry.h"

#include "base/check.h"
#include "planners/astar_planner.h"
#include "planners/fault_planners.h"
#include "planners/ompl_planner.h"
#include "planners/scripted_planner.h"
#include "planners/vlm/vlm_planner.h"

namespace marsdrive::planners {

const std::vector<PlannerInfo>& ListPlanners() {
  static const std::vector<PlannerInfo> planners = {
      ScriptedPlannerInfo(),
      AstarPlannerInfo(),
      RrtStarPlannerInfo(),
      VlmPlannerInfo(),
  };
  return planners;
}

const PlannerInfo& FindPlanner(std::string_view name) {
  std::string names;
  for (const PlannerInfo& info : ListPlanners()) {
    if (info.name == name) return info;
    names += (names.empty() ? "" : ", ") + info.name;
  }
  for (const PlannerInfo& info : FaultPlanners()) {
    if (info.name == name) return info;
  }
  throw InputError("unknown planner '" + std::string(name) + "' (expected one of: " + names + ")");
}

std::unique_ptr<Planner> MakePlanner(std::string_view name, const marsdrive::ParamMap& params) {
  const PlannerInfo& info = FindPlanner(name);
  return info.make(PlannerParams::Resolve(info.name, info.params, params));
}

std::optional<std::string> UnavailableReason(std::string_view name,
                                             const marsdrive::ParamMap& params) {
  const PlannerInfo& info = FindPlanner(name);
  return info.unavailable_reason ? info.unavailable_reason(params) : std::nullopt;
}

}  // namespace marsdrive::planners

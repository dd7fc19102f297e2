#pragma once
// Planners by name, with their declared parameters: what `marsdrive planners` lists and what
// `marsdrive plan --planner NAME --param k=v` and the suite runner instantiate.
//
// Adding a planner: write a `PlannerInfo XxxPlannerInfo()` next to it and add one line to the
// list in registry.cpp (no static self-registration: static libraries drop unreferenced
// objects, and an explicit list keeps the order stable).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/params.h"
#include "planners/planner.h"

namespace marsdrive::planners {

struct PlannerInfo {
  std::string name{};
  PlannerSpecs specs{};
  std::vector<ParamSpec> params{};
  // Builds the planner from checked parameters. May throw InputError for a parameter whose
  // problem only the planner can see (e.g. an unreadable waypoint file).
  std::function<std::unique_ptr<Planner>(PlannerParams)> make{};
  // Why the planner cannot run here with these parameters (e.g. vlm: no endpoint configured
  // and no cassette), for the suite runner to report the entry as skipped; nullopt when it can.
  // Null for planners that can always run. May throw InputError for malformed parameters.
  std::function<std::optional<std::string>(const marsdrive::ParamMap&)> unavailable_reason{};
};

// Every registered planner, in a fixed order.
const std::vector<PlannerInfo>& ListPlanners();

// Throws InputError("unknown planner 'x' (expected one of: ...)").
const PlannerInfo& FindPlanner(std::string_view name);

// Checks `params` against the planner's declared parameters and builds it. Throws InputError
// naming the planner and parameter (listing the valid parameters for an unknown one).
std::unique_ptr<Planner> MakePlanner(std::string_view name, const marsdrive::ParamMap& params = {});

// The planner's unavailable_reason (nullopt when it has none). Throws InputError for an unknown
// planner or malformed parameters.
std::optional<std::string> UnavailableReason(std::string_view name,
                                             const marsdrive::ParamMap& params = {});

}  // namespace marsdrive::planners

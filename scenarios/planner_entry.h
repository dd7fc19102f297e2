#pragma once
// A planner entry {name, label?, params?, time_budget_s?, check?: {trials}} as scenario and
// suite files write it.

#include "io/yaml_reader.h"
#include "scenarios/scenario.h"

namespace marsdrive::scenarios {

// The most trials a planner entry's `check:` may ask for (each is a whole drive).
inline constexpr int kMaxCheckTrials = 1000;

// Reads the entry `m` holds (registers its keys, runs the reader, checks the label). Throws
// InputError naming the file and key path.
PlannerChoice ReadPlannerEntry(YamlMapReader& m);

// Scenario names, planner names and labels name run directories: unless base::IsSafeName(name),
// throws InputError "<where>expected a name without slashes, ... ([A-Za-z0-9]...), got 'x'"
// (`where` ends in ": ", e.g. YamlMapReader::Where(key)).
void RequireSafeName(const std::string& where, const std::string& name);

// A map of scalar parameters (`key` of `owner`) as a ParamMap.
marsdrive::ParamMap ReadParamMap(const YamlMapReader& owner, const YAML::Node& n,
                                 const std::string& key);

}  // namespace marsdrive::scenarios

#include "scenarios/planner_entry.h"

#include <string>

#include "base/check.h"

namespace marsdrive::scenarios {

marsdrive::ParamMap ReadParamMap(const YamlMapReader& owner, const YAML::Node& n,
                                 const std::string& key) {
  MD_THROW_UNLESS(n.IsMap() || n.IsNull(),
                  owner.Where(key) + "expected a map of parameters, got " + DescribeYaml(n));
  marsdrive::ParamMap params;
  for (const auto& entry : n) {
    const std::string name = entry.first.Scalar();
    MD_THROW_UNLESS(entry.second.IsScalar(), owner.Where(key + "." + name) +
                                                 "expected a number or a string, got " +
                                                 DescribeYaml(entry.second));
    params.Set(name, entry.second.Scalar());
  }
  return params;
}

PlannerChoice ReadPlannerEntry(YamlMapReader& m) {
  PlannerChoice choice;
  double budget = 0;
  m.String("name", choice.name);
  m.String("label", choice.label);
  m.Number("time_budget_s", budget, true);
  m.On("params",
       [&m, &choice](const YAML::Node& n) { choice.params = ReadParamMap(m, n, "params"); });
  m.Require("name");
  m.Run();
  if (choice.label.empty()) choice.label = choice.name;
  if (budget > 0) choice.time_budget_s = budget;
  MD_THROW_UNLESS(
      choice.label.find_first_of("/\\ \t") == std::string::npos,
      m.Where("label") + "expected a label without slashes or spaces, got '" + choice.label + "'");
  return choice;
}

}  // namespace marsdrive::scenarios

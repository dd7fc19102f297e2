#include "scenarios/planner_entry.h"

#include <cstdint>
#include <string>

#include "base/check.h"
#include "base/name.h"
#include "base/text.h"

namespace marsdrive::scenarios {

void RequireSafeName(const std::string& where, const std::string& name) {
  if (base::IsSafeName(name)) return;
  std::string message = where;
  message += "expected a name without slashes, spaces, leading dots or control characters (";
  message += base::kNamePattern;
  message += "; it names a run directory), got ";
  message += base::QuoteExcerpt(name, 40, '\'');
  throw InputError(message);
}

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

namespace {

// `check: {trials: N}` -> N (1 to kMaxCheckTrials).
int ReadCheck(const YamlMapReader& owner, const YAML::Node& n) {
  MD_THROW_UNLESS(n.IsMap(), owner.Where("check") + "expected a map such as {trials: 16}, got " +
                                 DescribeYaml(n));
  YamlMapReader check(n, owner.file(), owner.Path("check"));
  std::uint64_t trials = 0;
  check.Unsigned("trials", trials);
  check.Require("trials");
  check.Run();
  MD_THROW_UNLESS(trials >= 1 && trials <= kMaxCheckTrials,
                  check.Where("trials") + "expected 1 to " + std::to_string(kMaxCheckTrials) +
                      " trials, got " + std::to_string(trials));
  return static_cast<int>(trials);
}

}  // namespace

PlannerChoice ReadPlannerEntry(YamlMapReader& m) {
  PlannerChoice choice;
  double budget = 0;
  m.String("name", choice.name);
  m.String("label", choice.label);
  m.Number("time_budget_s", budget, true);
  m.On("params",
       [&m, &choice](const YAML::Node& n) { choice.params = ReadParamMap(m, n, "params"); });
  m.On("check", [&m, &choice](const YAML::Node& n) { choice.check_trials = ReadCheck(m, n); });
  m.Require("name");
  m.Run();
  RequireSafeName(m.Where("name"), choice.name);
  if (choice.label.empty()) {
    choice.label = choice.name;
  } else {
    RequireSafeName(m.Where("label"), choice.label);
  }
  if (budget > 0) choice.time_budget_s = budget;
  return choice;
}

}  // namespace marsdrive::scenarios

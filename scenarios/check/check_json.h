#pragma once
// check.json (schema marsdrive/check/1), the record of a plan check (docs/plan-check.md
// "check.json"). Field names are a contract; add fields freely, bump the schema to change one.

#include <string>

#include <nlohmann/json.hpp>

#include "scenarios/check/check_rules.h"
#include "scenarios/check/plan_check.h"

namespace marsdrive::check {

inline constexpr const char* kCheckSchema = "marsdrive/check/1";

// What the check was asked, for the record (paths as the user gave them).
struct CheckInputs {
  std::string orbital_dir;
  std::string plan;
  std::string keep_out;
  std::string problem;
};

nlohmann::ordered_json CheckToJson(const CheckRequest& request, const CheckInputs& inputs,
                                   const CheckResult& result, const FlightRules& rules,
                                   const Verdict& verdict);

}  // namespace marsdrive::check

#pragma once
// A whole plan check, written: the trials (plan_check.h), the verdict (Judge), check.json and
// check.html in the request's `out`. Used by `marsdrive check` and by scenario runs whose
// planner entry asks for a check (CheckPlanForRun, scenarios/plan_checker.h).

#include "scenarios/check/check_json.h"
#include "scenarios/check/check_rules.h"
#include "scenarios/check/plan_check.h"
#include "scenarios/plan_checker.h"

namespace marsdrive::check {

struct CheckRun {
  CheckResult result;
  Verdict verdict;
};

CheckRun RunAndWriteCheck(const CheckRequest& request, const CheckInputs& inputs,
                          const FlightRules& rules);

// A scenario run's check: one job (the suite runs runs in parallel), the bundled flight rules,
// no progress line.
scenarios::PlanCheckOutcome CheckPlanForRun(const scenarios::PlanCheckCall& call);

}  // namespace marsdrive::check

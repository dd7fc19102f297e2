#include "scenarios/check/check_run.h"

#include "io/text_file.h"
#include "scenarios/check/check_html.h"

namespace marsdrive::check {

CheckRun RunAndWriteCheck(const CheckRequest& request, const CheckInputs& inputs,
                          const FlightRules& rules) {
  CheckRun run{RunPlanCheck(request), {}};
  run.verdict = Judge(run.result, rules);
  const nlohmann::ordered_json json = CheckToJson(request, inputs, run.result, rules, run.verdict);
  WriteTextFile(request.out / "check.json", json.dump(2) + "\n");
  WriteCheckHtml(request.out, *request.orbital, json);
  return run;
}

scenarios::PlanCheckOutcome CheckPlanForRun(const scenarios::PlanCheckCall& call) {
  CheckRequest request;
  request.orbital = call.orbital;
  request.start = call.start;
  request.waypoints = call.waypoints;
  request.goal = {call.goal.x_m, call.goal.y_m, call.goal.tolerance_m};
  request.keep_outs = call.keep_outs;
  request.rover = call.rover;
  request.trials = call.trials;
  request.jobs = 1;
  request.seed = call.seed;
  request.time_limit_s = call.time_limit_s;
  request.out = call.out;
  const CheckRun run = RunAndWriteCheck(request, {}, LoadFlightRules(BundledFlightRulesPath()));
  const Proportion& goal = run.result.summary.goal;
  return {goal.trials, goal.count, goal.p(), run.verdict.verdict};
}

}  // namespace marsdrive::check

// problem.json (planners/plan_json.h): ParsePlanProblem, and the parsed problem written back.

#include "planners/plan_json.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  fuzz::AcceptInputError([&] {
    const planners::PlanProblem problem =
        planners::ParsePlanProblem(fuzz::Text(data, size), "problem.json");
    (void)planners::PlanProblemToJsonText(problem);
  });
  return 0;
}

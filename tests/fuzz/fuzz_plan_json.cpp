// plan.json (planners/plan_json.h): ParsePlanResult, and the same file given to
// `drive --waypoints` (LoadWaypointFile reads a plan.json's waypoints).

#include "planners/plan_json.h"
#include "planners/route_files.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const std::string text = fuzz::Text(data, size);
  fuzz::AcceptInputError([&] {
    const planners::PlanResult plan = planners::ParsePlanResult(text, "plan.json");
    (void)planners::PlanResultToJsonText(plan);
  });
  const auto file = fuzz::WriteScratchFile("plan.json", data, size);
  fuzz::AcceptInputError([&] { (void)planners::LoadWaypointFile(file); });
  return 0;
}

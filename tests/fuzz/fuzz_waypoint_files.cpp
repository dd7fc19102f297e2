// Waypoint files in CSV and YAML (planners/route_files.h): LoadWaypointFile on the input saved
// under both extensions (GeoJSON and plan.json routes are fuzzed by their own targets).

#include "planners/route_files.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  for (const char* name : {"route.csv", "route.yaml"}) {
    const auto file = fuzz::WriteScratchFile(name, data, size);
    fuzz::AcceptInputError([&] { (void)planners::LoadWaypointFile(file); });
  }
  return 0;
}

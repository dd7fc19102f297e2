// GeoJSON keep-out zones (planners/route_files.h): LoadKeepOutFile, as `plan --keep-out` and
// `drive --keep-out` read them; and the same file as a GeoJSON route (LoadWaypointFile).

#include "planners/route_files.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("keep_out.geojson", data, size);
  fuzz::AcceptInputError([&] { (void)planners::LoadKeepOutFile(file); });
  fuzz::AcceptInputError([&] { (void)planners::LoadWaypointFile(file); });
  return 0;
}

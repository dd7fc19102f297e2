// Rover specifications (vehicle/rover_spec.h): LoadRoverSpec, as `drive --rover` reads them.

#include "tests/fuzz/fuzz_input.h"
#include "vehicle/rover_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("rover.yaml", data, size);
  fuzz::AcceptInputError([&] { (void)vehicle::LoadRoverSpec(file); });
  return 0;
}

// Drive command lists (vehicle/drive_command.h): ParseDriveCommands, as `drive --commands` and
// plan.json's "commands" are read, and where the parsed commands would take the rover.

#include "tests/fuzz/fuzz_input.h"
#include "vehicle/drive_command.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  fuzz::AcceptInputError([&] {
    const auto commands = vehicle::ParseDriveCommands(fuzz::Text(data, size), "--commands");
    (void)vehicle::IdealEndPose({}, commands);
  });
  return 0;
}

// Scenario YAML (scenarios/scenario.h): ParseScenario, named as if it lay beside the bundled
// scenarios, so that relative rock and DEM paths resolve as theirs do.

#include "scenarios/scenario.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  static const std::filesystem::path file =
      std::filesystem::path(MARSDRIVE_SOURCE_DIR) / "scenarios/suites/jezero-rim/fuzz.yaml";
  fuzz::AcceptInputError([&] { (void)scenarios::ParseScenario(fuzz::Text(data, size), file); });
  return 0;
}

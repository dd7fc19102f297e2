// Flight rules (scenarios/check/check_rules.h): LoadFlightRules, as `marsdrive check --rules`
// reads them, and the verdict they give on a fixed summary.

#include "scenarios/check/check_rules.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("rules.yaml", data, size);
  fuzz::AcceptInputError([&] {
    const check::FlightRules rules = check::LoadFlightRules(file);
    check::CheckSummary summary;
    summary.trials = 10;
    summary.goal = {9, 10};
    summary.severe = {1, 10};
    summary.slip_over_limit = {0, 10};
    (void)check::Decide(summary, rules);
  });
  return 0;
}

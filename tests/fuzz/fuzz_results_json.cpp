// results.json (scenarios/results.h) as `marsdrive compare` reads it: LoadResults, then the
// comparison against itself and against an empty suite, its text and JUnit forms, the
// aggregates and the scorecard.

#include "scenarios/compare.h"
#include "scenarios/results.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("results.json", data, size);
  fuzz::AcceptInputError([&] {
    const scenarios::SuiteResults results = scenarios::LoadResults(file);
    const scenarios::SuiteResults empty;
    for (const auto& [baseline, candidate] :
         {std::pair{&results, &results}, std::pair{&results, &empty},
          std::pair{&empty, &results}}) {
      const scenarios::Comparison c = scenarios::Compare(*baseline, *candidate, {});
      (void)scenarios::ComparisonText(c);
      (void)scenarios::ComparisonJunitXml(c);
    }
    (void)scenarios::ScorecardText(scenarios::Aggregate(results.runs));
    (void)scenarios::ResultsToJson(results).dump();
  });
  return 0;
}

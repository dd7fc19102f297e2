// Numbers on the command line: comma-separated lists (app/cli_parse.h: --start, --goal,
// --window), --shard I/N (scenarios/suite.h) and --max-memory sizes (base/memory_budget.h).

#include "app/cli_parse.h"
#include "base/memory_budget.h"
#include "scenarios/suite.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const std::string text = fuzz::Text(data, size);
  (void)app::ParseNumbers(text);
  fuzz::AcceptInputError([&] { (void)scenarios::ParseShard(text); });
  (void)base::ParseByteSize(text);
  return 0;
}

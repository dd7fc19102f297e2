// results.json of a shard as `marsdrive merge` reads it (scenarios/suite_runner.h): MergeResults
// of a shard directory holding the input into a fresh output directory (run directories named
// by the input must lie inside the shard; none exists, so none is copied).

#include "scenarios/suite_runner.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const std::filesystem::path shard = fuzz::ScratchDir() / "shard";
  const std::filesystem::path out = fuzz::ScratchDir() / "merged";
  std::filesystem::create_directories(shard);
  std::filesystem::remove_all(out);
  fuzz::WriteFile(shard / "results.json", data, size);
  fuzz::AcceptInputError([&] { (void)scenarios::MergeResults({shard}, out); });
  return 0;
}

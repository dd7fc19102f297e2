// Suite YAML (scenarios/suite.h): LoadSuite on a file beside a link to the bundled scenarios
// (so "jezero-rim/*.yaml" globs match them), then the run list and a shard of it.

#include "scenarios/suite.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  static const std::filesystem::path file = [] {
    const std::filesystem::path dir = fuzz::ScratchDir() / "suite";
    std::filesystem::create_directories(dir);
    std::error_code ec;
    std::filesystem::create_directory_symlink(
        std::filesystem::path(MARSDRIVE_SOURCE_DIR) / "scenarios/suites/jezero-rim",
        dir / "jezero-rim", ec);
    return dir / "suite.yaml";
  }();
  fuzz::WriteFile(file, data, size);
  fuzz::AcceptInputError([&] {
    const scenarios::Suite suite = scenarios::LoadSuite(file);
    const auto runs = scenarios::ExpandRuns(suite);
    (void)scenarios::SelectShard(runs, scenarios::Shard{2, 3});
  });
  return 0;
}

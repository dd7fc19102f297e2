// Rock lists in YAML (terrain/truth/rock_file.h): LoadRockFile on a .yaml file (yaml-cpp).

#include "terrain/truth/rock_file.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("rocks.yaml", data, size);
  fuzz::AcceptInputError([&] { (void)terrain::LoadRockFile(file); });
  return 0;
}

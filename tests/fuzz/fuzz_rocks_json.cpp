// Rock lists in JSON (terrain/truth/rock_file.h): LoadRockFile on a .json file (the bounded JSON
// reader), as rocks.json of a terrain directory and `terrain.rocks:` files are read.

#include "terrain/truth/rock_file.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("rocks.json", data, size);
  fuzz::AcceptInputError([&] { (void)terrain::LoadRockFile(file); });
  return 0;
}

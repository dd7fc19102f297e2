// check.json (scenarios/check/check_json.h) as check.html and `marsdrive view OUT` read it back:
// the bounded JSON reader, then ReadCheckPage.

#include "io/json_reader.h"
#include "io/text_file.h"
#include "scenarios/check/check_page.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("check.json", data, size);
  fuzz::AcceptInputError([&] {
    const JsonReader reader(file.string());
    (void)check::ReadCheckPage(reader, reader.Parse(ReadTextFile(file)));
  });
  return 0;
}

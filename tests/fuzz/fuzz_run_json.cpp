// run.json (scenarios/run_record.h) as a suite's --resume and the viewer read it: LoadRunRecord,
// the figures compare takes from its metrics, and the record written back.

#include "scenarios/compare.h"
#include "scenarios/run_record.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  const auto file = fuzz::WriteScratchFile("run.json", data, size);
  fuzz::AcceptInputError([&] {
    const scenarios::RunRecord record = scenarios::LoadRunRecord(file);
    (void)scenarios::FiguresOf(record);
    (void)scenarios::RunRecordToJson(record).dump();
  });
  return 0;
}

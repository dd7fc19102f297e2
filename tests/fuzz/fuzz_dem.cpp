// DEM bytes (terrain/truth/dem_import.h): the input as a GDAL in-memory file (/vsimem/), imported
// as `terrain import` does, at its own resolution and, when that works, resampled to 1 m.

#include <cpl_vsi.h>

#include "base/memory_budget.h"
#include "terrain/truth/dem_import.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  // A 1 KB sparse TIFF can claim a 640 km strip: under a 256 MiB cap (as `--max-memory 256M`)
  // the memory pre-check refuses what would take the fuzzer tens of seconds and gigabytes.
  static const bool capped = (base::SetMaxMemoryBytes(std::uint64_t{256} << 20), true);
  (void)capped;
  const char* name = "/vsimem/marsdrive-fuzz-dem.tif";
  // GDAL reads the buffer in place (no copy, not taken over).
  VSIFCloseL(VSIFileFromMemBuffer(name, const_cast<GByte*>(data), static_cast<vsi_l_offset>(size),
                                  /*bTakeOwnership=*/FALSE));
  terrain::ImportRequest request;
  request.file = name;
  fuzz::AcceptInputError([&] {
    (void)terrain::ImportDem(request);
    request.resolution_m = 1.0;
    (void)terrain::ImportDem(request);
  });
  VSIUnlink(name);
  return 0;
}

#pragma once
// GDAL plumbing shared by raster_io.cpp and dem_import.cpp. Internal to marsdrive::terrain: GDAL
// is a PRIVATE dependency, so this header only forward-declares GDAL's types and no public
// header includes it.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "terrain/height_map.h"

class GDALDataset;
class OGRSpatialReference;

namespace marsdrive::terrain::gdal {

// GDALAllRegister(), once per process.
void EnsureRegistered();

// While alive, collects the GDAL errors raised on this thread instead of printing them (GDAL's
// error-handler stack is per thread, so parallel jobs each see only their own messages).
// Captures nest: the innermost one collects; failures it saw are passed on to the enclosing
// one when it ends, so an outer check still sees them.
class ErrorCapture {
 public:
  ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  ErrorCapture(ErrorCapture&&) = delete;
  ErrorCapture& operator=(ErrorCapture&&) = delete;
  ~ErrorCapture();

  bool HasFailure() const { return !failures_.empty(); }
  // The distinct failure messages so far on one line ("; "-joined), or the last warning when
  // there was no failure; empty when GDAL said nothing.
  std::string Message() const;
  void Add(bool failure, const char* message);  // called by the GDAL handler

 private:
  ErrorCapture* parent_ = nullptr;  // the enclosing capture on this thread, if any
  std::vector<std::string> failures_;
  std::string last_warning_;
};

// Throws InputError("PATH: WHAT (GDAL: message)"), the GDAL part only when there is one.
[[noreturn]] void Fail(const std::filesystem::path& path, const std::string& what,
                       const ErrorCapture* errors = nullptr);

struct DatasetCloser {
  void operator()(GDALDataset* dataset) const;
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// Opens any raster GDAL reads, read-only, with at least one band. Throws InputError naming the
// file when it is missing, unreadable or has no band.
DatasetPtr OpenRaster(const std::filesystem::path& path);

// How band 1's raw values become heights in metres: m = (raw * scale + offset) * unit_to_m.
struct HeightEncoding {
  double scale = 1;
  double offset = 0;
  double unit_to_m = 1;
  std::optional<double> nodata;  // raw nodata value
  bool nodata_as_float = false;  // Float32 band: compare nodata in single precision, as GDAL does
  bool floating_point = false;   // band data type is a floating-point type
};
// Reads band 1's scale, offset, unit and nodata. Throws InputError for a unit that is not a
// length marsdrive converts.
HeightEncoding InspectHeightBand(const std::filesystem::path& path, GDALDataset& dataset);

// The raster's placement: a north-up (or south-up) grid of pixel_w x pixel_h CRS units.
struct RasterFrame {
  int width_px = 0;
  int height_px = 0;
  double pixel_w = 1;    // > 0
  double pixel_h = 1;    // > 0 (absolute value of geotransform[5])
  bool north_up = true;  // GDAL row 0 is the northern edge (geotransform[5] < 0)
  double west = 0, south = 0, east = 0, north = 0;  // extent in CRS units
  bool has_geotransform = false;
  bool Square() const;  // pixel_w == pixel_h within 1e-6 relative
};
// Throws InputError for rotated or sheared geotransforms, columns running west, and (when
// `require_square`) non-square pixels.
RasterFrame InspectFrame(const std::filesystem::path& path, GDALDataset& dataset,
                         bool require_square);

// Throws InputError unless `srs` is absent or a CRS whose linear unit is the metre (projected,
// local or engineering); geographic CRSes are rejected with a hint to `terrain import`.
void RequireMetricCrs(const std::filesystem::path& path, const OGRSpatialReference* srs);

// The CRS as single-line WKT2 (2019); empty for nullptr.
std::string CrsWkt(const OGRSpatialReference* srs);

// Reads band 1's pixels [col0, col0 + spec.width_px) x [row0, row0 + spec.height_px) (GDAL's
// row order) into `out`, converting to metres and masking nodata, NaN, +-inf and pixels the
// band's mask (alpha / per-dataset mask) marks invalid. Rows are flipped to marsdrive's
// south-first order when `north_up`. out.valid stays empty when every cell is valid. Masked
// cells hold NaN, never a plausible-looking height.
void ReadHeights(const std::filesystem::path& path, GDALDataset& dataset,
                 const HeightEncoding& encoding, int col0, int row0, bool north_up, HeightMap& out);

}  // namespace marsdrive::terrain::gdal

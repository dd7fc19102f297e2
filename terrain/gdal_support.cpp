#include "terrain/gdal_support.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "base/check.h"
#include "base/format.h"
#include "base/memory_budget.h"

namespace marsdrive::terrain {
namespace gdal {

void EnsureRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

namespace {

void CPL_STDCALL CaptureHandler(CPLErr error_class, CPLErrorNum /*number*/, const char* message) {
  auto* capture = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
  if (capture == nullptr || error_class == CE_None || error_class == CE_Debug) return;
  capture->Add(error_class == CE_Failure || error_class == CE_Fatal, message);
}

std::string OneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  constexpr std::size_t kMaxChars = 400;
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars) + "...";
  return text;
}

}  // namespace

namespace {
thread_local ErrorCapture* t_innermost_capture = nullptr;
}  // namespace

ErrorCapture::ErrorCapture() : parent_(t_innermost_capture) {
  t_innermost_capture = this;
  CPLErrorReset();
  CPLPushErrorHandlerEx(CaptureHandler, this);
}

ErrorCapture::~ErrorCapture() {
  CPLPopErrorHandler();
  t_innermost_capture = parent_;
  if (parent_ != nullptr) {
    for (const std::string& text : failures_) parent_->Add(true, text.c_str());
  }
}

void ErrorCapture::Add(bool failure, const char* message) {
  const std::string text = OneLine(message == nullptr ? "" : message);
  if (!failure) {
    last_warning_ = text;
  } else if (std::find(failures_.begin(), failures_.end(), text) == failures_.end()) {
    failures_.push_back(text);
  }
}

std::string ErrorCapture::Message() const {
  if (failures_.empty()) return last_warning_;
  std::string joined;
  for (const std::string& text : failures_) joined += (joined.empty() ? "" : "; ") + text;
  return OneLine(joined);
}

void Fail(const std::filesystem::path& path, const std::string& what, const ErrorCapture* errors) {
  std::string message = path.string() + ": " + what;
  std::string detail = errors != nullptr ? errors->Message() : "";
  // GDAL repeats the path in most messages; the prefix above already names the file.
  const std::string name = path.string();
  const std::string short_name = path.filename().string();
  for (const std::string& noise : {name + ": ", name}) {
    for (auto at = detail.find(noise); !name.empty() && at != std::string::npos;
         at = detail.find(noise, at)) {
      detail.replace(at, noise.size(), noise == name ? short_name : "");
    }
  }
  if (!detail.empty()) message += " (GDAL: " + detail + ")";
  throw InputError(message);
}

void DatasetCloser::operator()(GDALDataset* dataset) const {
  GDALClose(GDALDataset::ToHandle(dataset));
}

DatasetPtr OpenRaster(const std::filesystem::path& path) {
  EnsureRegistered();
  const std::string name = path.string();
  // GDAL's virtual file systems (/vsizip/..., /vsimem/...) are not on the local disk.
  if (!name.starts_with("/vsi")) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) Fail(path, "no such file");
  }
  ErrorCapture errors;
  GDALDatasetH handle =
      GDALOpenEx(name.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                 nullptr, nullptr);
  if (handle == nullptr) Fail(path, "not a raster GDAL can read", &errors);
  DatasetPtr dataset(GDALDataset::FromHandle(handle));
  if (dataset->GetRasterCount() < 1) Fail(path, "has no raster band", &errors);
  return dataset;
}

namespace {

// Length units a height band may declare, as metres per unit. GDAL has no canonical spelling
// (GeoTIFF writes whatever the producer chose), so accept the usual ones, case-insensitively.
std::optional<double> MetresPerUnit(std::string unit) {
  std::transform(unit.begin(), unit.end(), unit.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto first = unit.find_first_not_of(" \t");
  unit = first == std::string::npos ? ""
                                    : unit.substr(first, unit.find_last_not_of(" \t") - first + 1);
  for (const char* name : {"", "m", "metre", "meter", "metres", "meters"}) {
    if (unit == name) return 1.0;
  }
  for (const char* name : {"km", "kilometre", "kilometer", "kilometres", "kilometers"}) {
    if (unit == name) return 1000.0;
  }
  return std::nullopt;
}

}  // namespace

HeightEncoding InspectHeightBand(const std::filesystem::path& path, GDALDataset& dataset) {
  GDALRasterBand* band = dataset.GetRasterBand(1);
  HeightEncoding encoding;
  int has = 0;
  const double scale = band->GetScale(&has);
  if (has != 0) encoding.scale = scale;
  const double offset = band->GetOffset(&has);
  if (has != 0) encoding.offset = offset;
  MD_THROW_UNLESS(
      std::isfinite(encoding.scale) && encoding.scale != 0 && std::isfinite(encoding.offset),
      path.string() +
          ": band 1 scale/offset: expected finite numbers and a non-zero "
          "scale, got scale " +
          base::FormatExact(encoding.scale) + ", offset " + base::FormatExact(encoding.offset));
  const char* unit = band->GetUnitType();
  const std::string unit_text = unit == nullptr ? "" : unit;
  const std::optional<double> metres = MetresPerUnit(unit_text);
  MD_THROW_UNLESS(metres.has_value(),
                  path.string() + ": band 1 unit '" + unit_text +
                      "' is not a height unit marsdrive converts (expected m, metre, meter, km "
                      "or none)");
  encoding.unit_to_m = *metres;
  const double nodata = band->GetNoDataValue(&has);
  if (has != 0) encoding.nodata = nodata;
  const GDALDataType type = band->GetRasterDataType();
  encoding.nodata_as_float = type == GDT_Float32;
  encoding.floating_point = GDALDataTypeIsFloating(type) != 0;
  return encoding;
}

bool RasterFrame::Square() const {
  return std::abs(pixel_w - pixel_h) <= 1e-6 * std::max(pixel_w, pixel_h);
}

RasterFrame InspectFrame(const std::filesystem::path& path, GDALDataset& dataset,
                         bool require_square) {
  RasterFrame frame;
  frame.width_px = dataset.GetRasterXSize();
  frame.height_px = dataset.GetRasterYSize();
  std::array<double, 6> gt{};
  frame.has_geotransform = dataset.GetGeoTransform(gt.data()) == CE_None;
  if (!frame.has_geotransform) {
    // No geotransform (a bare image): treat it as a north-up grid of 1 x 1 pixels whose
    // lower-left corner is at CRS (0, 0), i.e. pixel size 1 and origin 0.
    frame.east = frame.width_px;
    frame.north = frame.height_px;
    return frame;
  }
  const auto text = [&gt] {
    std::string joined;
    for (double v : gt) joined += (joined.empty() ? "" : ", ") + base::FormatExact(v);
    return "(" + joined + ")";
  };
  // Rotation terms below a millionth of a pixel across the whole raster are rounding noise.
  const double tolerance = 1e-6 * std::max(std::abs(gt[1]), std::abs(gt[5])) /
                           std::max(1, std::max(frame.width_px, frame.height_px));
  MD_THROW_UNLESS(std::abs(gt[2]) <= tolerance && std::abs(gt[4]) <= tolerance,
                  path.string() + ": rotated or sheared geotransform " + text() +
                      "; expected a north-up raster (terms 2 and 4 zero)");
  MD_THROW_UNLESS(gt[1] > 0 && gt[5] != 0 && std::isfinite(gt[0]) && std::isfinite(gt[3]),
                  path.string() + ": geotransform " + text() +
                      ": expected columns running east (term 1 > 0) and a non-zero term 5");
  frame.pixel_w = gt[1];
  frame.pixel_h = std::abs(gt[5]);
  frame.north_up = gt[5] < 0;
  if (require_square) {
    MD_THROW_UNLESS(frame.Square(), path.string() + ": pixels are not square (" +
                                        base::FormatExact(frame.pixel_w) + " x " +
                                        base::FormatExact(frame.pixel_h) +
                                        " CRS units); expected equal width and height");
  }
  frame.west = gt[0];
  frame.east = gt[0] + frame.width_px * gt[1];
  frame.north = frame.north_up ? gt[3] : gt[3] + frame.height_px * gt[5];
  frame.south = frame.north_up ? gt[3] + frame.height_px * gt[5] : gt[3];
  return frame;
}

void RequireMetricCrs(const std::filesystem::path& path, const OGRSpatialReference* srs) {
  if (srs == nullptr) return;
  MD_THROW_UNLESS(srs->IsGeographic() == 0,
                  path.string() +
                      ": geographic CRS (latitude/longitude degrees); expected a projected CRS in "
                      "metres (`marsdrive terrain import` reprojects geographic DEMs)");
  const char* unit_name = nullptr;
  const double metres_per_unit = srs->GetLinearUnits(&unit_name);
  MD_THROW_UNLESS(std::abs(metres_per_unit - 1.0) <= 1e-12,
                  path.string() + ": CRS linear unit '" +
                      std::string(unit_name == nullptr ? "?" : unit_name) +
                      "' is not the metre; expected a CRS in metres");
}

std::string CrsWkt(const OGRSpatialReference* srs) {
  if (srs == nullptr || srs->IsEmpty()) return "";
  char* wkt = nullptr;
  const std::array<const char*, 3> options = {"FORMAT=WKT2_2019", "MULTILINE=NO", nullptr};
  if (srs->exportToWkt(&wkt, options.data()) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    // Fall back to GDAL's default (WKT1) for a CRS WKT2 cannot express.
    wkt = nullptr;
    if (srs->exportToWkt(&wkt) != OGRERR_NONE) wkt = nullptr;
  }
  std::string text = wkt == nullptr ? "" : wkt;
  CPLFree(wkt);
  return text;
}

void ReadHeights(const std::filesystem::path& path, GDALDataset& dataset,
                 const HeightEncoding& encoding, int col0, int row0, bool north_up,
                 HeightMap& out) {
  const int width = out.spec().width_px;
  const int height = out.spec().height_px;
  MD_DEMAND(width > 0 && height > 0 && col0 >= 0 && row0 >= 0 &&
            col0 + width <= dataset.GetRasterXSize() && row0 + height <= dataset.GetRasterYSize());
  GDALRasterBand* band = dataset.GetRasterBand(1);
  // A real mask band (alpha or per-dataset mask), as opposed to one derived from nodata.
  const int mask_flags = band->GetMaskFlags();
  GDALRasterBand* mask =
      (mask_flags & (GMF_ALL_VALID | GMF_NODATA)) == 0 ? band->GetMaskBand() : nullptr;
  const bool has_nodata = encoding.nodata.has_value() && !std::isnan(*encoding.nodata);
  const double nodata = has_nodata ? *encoding.nodata : 0.0;
  const auto nodata_f = static_cast<float>(nodata);
  // Metre heights without scale/offset pass through untouched (bit-exact, even -0.0).
  const bool identity = encoding.scale == 1 && encoding.offset == 0 && encoding.unit_to_m == 1;

  // Chunks of whole rows, about 4 M values (32 MB) at a time, so huge DEMs stream.
  const int chunk_rows = std::clamp((1 << 22) / width, 1, height);
  std::vector<double> raw(static_cast<std::size_t>(width) * static_cast<std::size_t>(chunk_rows));
  std::vector<std::uint8_t> mask_raw(mask != nullptr ? raw.size() : 0);
  Grid<std::uint8_t> valid(out.spec(), 1);
  std::size_t masked = 0;
  constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
  ErrorCapture errors;
  for (int first = 0; first < height; first += chunk_rows) {
    const int rows = std::min(chunk_rows, height - first);
    if (band->RasterIO(GF_Read, col0, row0 + first, width, rows, raw.data(), width, rows,
                       GDT_Float64, 0, 0, nullptr) != CE_None) {
      Fail(path, "cannot read band 1 (truncated or corrupt file?)", &errors);
    }
    if (mask != nullptr && mask->RasterIO(GF_Read, col0, row0 + first, width, rows, mask_raw.data(),
                                          width, rows, GDT_Byte, 0, 0, nullptr) != CE_None) {
      Fail(path, "cannot read the mask of band 1 (truncated or corrupt file?)", &errors);
    }
    for (int i = 0; i < rows; ++i) {
      const int gdal_row = first + i;
      const int row = north_up ? height - 1 - gdal_row : gdal_row;
      const std::span<float> heights = out.heights_m.Row(row);
      const std::span<std::uint8_t> valid_row = valid.Row(row);
      const std::size_t base = static_cast<std::size_t>(i) * static_cast<std::size_t>(width);
      for (int col = 0; col < width; ++col) {
        const double value = raw[base + static_cast<std::size_t>(col)];
        bool ok = !std::isnan(value);
        if (ok && has_nodata) {
          ok = encoding.nodata_as_float ? static_cast<float>(value) != nodata_f : value != nodata;
        }
        if (ok && mask != nullptr) ok = mask_raw[base + static_cast<std::size_t>(col)] != 0;
        const auto metres = static_cast<float>(
            identity ? value : (value * encoding.scale + encoding.offset) * encoding.unit_to_m);
        if (ok && std::isfinite(metres)) {
          heights[col] = metres;
        } else {
          heights[col] = kNan;
          valid_row[col] = 0;
          ++masked;
        }
      }
    }
  }
  out.valid = masked == 0 ? Grid<std::uint8_t>{} : std::move(valid);
}

}  // namespace gdal

}  // namespace marsdrive::terrain

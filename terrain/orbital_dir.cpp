#include "terrain/orbital_dir.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <system_error>
#include <type_traits>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "base/check.h"
#include "base/format.h"
#include "io/json_reader.h"
#include "terrain/gdal_support.h"
#include "terrain/raster_io.h"
#include "terrain/rock_list.h"

namespace marsdrive::terrain {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

Json ReadJson(const fs::path& path) {
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_regular_file(path, ec),
                  path.string() + ": no such file (not a terrain directory, or incomplete)");
  return ParseBoundedJson<Json>(
      ReadBoundedTextFile(path, kJsonMaxBytes, "a terrain directory file"), path.string());
}

// A number > 0 at json[key], named "FILE: orbital.KEY" in errors.
double PositiveNumber(const Json& object, const char* key, const std::string& where) {
  MD_THROW_UNLESS(object.contains(key) && object.at(key).is_number(),
                  where + "." + key + ": expected a number");
  const double value = object.at(key).get<double>();
  MD_THROW_UNLESS(
      std::isfinite(value) && value > 0,
      where + "." + key + ": expected a finite number > 0, got " + std::to_string(value));
  return value;
}

// A slip fraction in [0, 1), or 0 when absent.
double OptionalSlip(const Json& object, const char* key, const std::string& where) {
  if (!object.contains(key)) return 0.0;
  MD_THROW_UNLESS(object.at(key).is_number(), where + "." + key + ": expected a number");
  const double value = object.at(key).get<double>();
  MD_THROW_UNLESS(std::isfinite(value) && value >= 0 && value < 1,
                  where + "." + key + ": expected a slip in [0, 1), got " + std::to_string(value));
  return value;
}

// The map frame's placement in the CRS (terrain.json "crs"), or none for a local frame.
Georeference ReadGeoreference(const Json& meta, const std::string& file) {
  Georeference georef;
  if (!meta.contains("crs") || meta.at("crs").is_null()) return georef;
  const Json& crs = meta.at("crs");
  const std::string where = file + ": crs";
  MD_THROW_UNLESS(crs.is_object() && crs.contains("wkt") && crs.at("wkt").is_string(),
                  where + ": expected null or {wkt, map_origin_in_crs_m}");
  georef.crs_wkt = crs.at("wkt").get<std::string>();
  const Json origin = crs.value("map_origin_in_crs_m", Json());
  MD_THROW_UNLESS(
      origin.is_array() && origin.size() == 2 && origin[0].is_number() && origin[1].is_number(),
      where + ".map_origin_in_crs_m: expected [x, y] in CRS metres");
  georef.crs_offset_x_m = origin[0].get<double>();
  georef.crs_offset_y_m = origin[1].get<double>();
  return georef;
}

std::string SpecText(const GridSpec& s) {
  return std::to_string(s.width_px) + " x " + std::to_string(s.height_px) + " cells at " +
         base::FormatExact(s.resolution_m) + " m, origin (" + base::FormatExact(s.origin_x_m) +
         ", " + base::FormatExact(s.origin_y_m) + ")";
}

// Band 1 of a single-band GeoTIFF of T (float or byte), bit for bit, rows flipped to south
// first. The grid's origin is the raster's lower-left corner in the map frame (CRS coordinates
// minus the map origin's).
template <typename T>
Grid<T> ReadLayer(const fs::path& path, const Georeference& georef) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, std::uint8_t>);
  constexpr GDALDataType kType = std::is_same_v<T, float> ? GDT_Float32 : GDT_Byte;
  const gdal::ErrorCapture quiet;
  const gdal::DatasetPtr dataset = gdal::OpenRaster(path);
  const gdal::RasterFrame frame = gdal::InspectFrame(path, *dataset, /*require_square=*/true);
  GDALRasterBand* band = dataset->GetRasterBand(1);
  const GDALDataType type = band->GetRasterDataType();
  MD_THROW_UNLESS(type == kType, path.string() + ": band 1 is " + GDALGetDataTypeName(type) +
                                     "; expected " + GDALGetDataTypeName(kType));
  RequireRasterMemory(path, frame.width_px, frame.height_px, sizeof(T));
  Grid<T> grid(GridSpec{frame.width_px, frame.height_px, frame.pixel_w,
                        frame.west - georef.crs_offset_x_m, frame.south - georef.crs_offset_y_m});
  gdal::ErrorCapture errors;
  for (int gdal_row = 0; gdal_row < frame.height_px; ++gdal_row) {
    const int row = frame.north_up ? frame.height_px - 1 - gdal_row : gdal_row;
    if (band->RasterIO(GF_Read, 0, gdal_row, frame.width_px, 1, grid.Row(row).data(),
                       frame.width_px, 1, kType, 0, 0, nullptr) != CE_None) {
      gdal::Fail(path, "cannot read band 1 (truncated or corrupt file?)", &errors);
    }
  }
  return grid;
}

template <typename T>
void RequireSameGrid(const Grid<T>& layer, const GridSpec& expected, const fs::path& path) {
  const GridSpec& s = layer.spec();
  // Origins come back through the geotransform (CRS offset + origin): equal to rounding.
  const double tol =
      1e-9 * std::max(1.0, std::abs(expected.origin_x_m) + std::abs(expected.origin_y_m) +
                               expected.WidthM() + expected.HeightM());
  const bool same = s.width_px == expected.width_px && s.height_px == expected.height_px &&
                    std::abs(s.resolution_m - expected.resolution_m) <= 1e-12 * s.resolution_m &&
                    std::abs(s.origin_x_m - expected.origin_x_m) <= tol &&
                    std::abs(s.origin_y_m - expected.origin_y_m) <= tol;
  MD_THROW_UNLESS(same, path.string() + ": expected the grid of orbital/dem.tif (" +
                            SpecText(expected) + "), got " + SpecText(s));
}

template <typename T>
Grid<T> OnGrid(Grid<T> layer, const GridSpec& spec) {
  if (layer.spec() == spec) return layer;
  Grid<T> out(spec);
  std::copy(layer.Values().begin(), layer.Values().end(), out.Values().begin());
  return out;
}

OrthoImage ReadOrtho(const fs::path& path, double resolution_m, double origin_x_m,
                     double origin_y_m) {
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_regular_file(path, ec), path.string() + ": no such file");
  cv::Mat bgr;
  try {
    bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw InputError(path.string() + ": cannot read the orthoimage: " + e.what());
  }
  MD_THROW_UNLESS(!bgr.empty() && bgr.type() == CV_8UC3,
                  path.string() + ": not an image OpenCV can read (expected an 8-bit RGB PNG)");
  OrthoImage ortho;
  ortho.width_px = bgr.cols;
  ortho.height_px = bgr.rows;
  ortho.resolution_m = resolution_m;
  ortho.origin_x_m = origin_x_m;
  ortho.origin_y_m = origin_y_m;
  ortho.rgb.resize(static_cast<std::size_t>(bgr.cols) * static_cast<std::size_t>(bgr.rows) * 3);
  for (int r = 0; r < bgr.rows; ++r) {
    const auto* src = bgr.ptr<std::uint8_t>(r);
    std::uint8_t* dst =
        ortho.rgb.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(bgr.cols) * 3;
    for (int c = 0; c < bgr.cols; ++c) {
      dst[3 * c + 0] = src[3 * c + 2];
      dst[3 * c + 1] = src[3 * c + 1];
      dst[3 * c + 2] = src[3 * c + 0];
    }
  }
  return ortho;
}

}  // namespace

OrbitalProducts LoadOrbitalProducts(const fs::path& dir) {
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_directory(dir, ec), dir.string() + ": not a directory");
  const fs::path meta_path = dir / "terrain.json";
  const std::string meta_name = meta_path.string();
  const Json meta = ReadJson(meta_path);
  MD_THROW_UNLESS(
      meta.is_object() && meta.contains("schema") && meta.at("schema") == kTerrainSchema,
      meta_name + ": schema: expected \"" + kTerrainSchema + "\"");
  MD_THROW_UNLESS(meta.contains("orbital") && meta.at("orbital").is_object(),
                  meta_name + ": orbital: expected an object (orbital product settings)");
  const Json& settings = meta.at("orbital");
  const std::string where = meta_name + ": orbital";

  OrbitalProducts p;
  p.params.resolution_m = PositiveNumber(settings, "resolution_m", where);
  p.params.ortho_resolution_m = PositiveNumber(settings, "ortho_resolution_m", where);
  p.params.rock_detect_diameter_m = PositiveNumber(settings, "rock_detect_diameter_m", where);
  p.params.footprint_diameter_m = PositiveNumber(settings, "footprint_diameter_m", where);
  p.params.max_slope_deg = PositiveNumber(settings, "max_slope_deg", where);
  p.params.max_step_m = PositiveNumber(settings, "max_step_m", where);
  p.params.max_rock_height_m = PositiveNumber(settings, "max_rock_height_m", where);
  // Older directories have no sand settings (and no sand in their cost).
  p.params.sand_slip_flat = OptionalSlip(settings, "sand_slip_flat", where);
  p.params.sand_slip_per_deg = OptionalSlip(settings, "sand_slip_per_deg", where);
  p.georef = ReadGeoreference(meta, meta_name);

  const fs::path orbital = dir / "orbital";
  p.dem_m = ReadLayer<float>(orbital / "dem.tif", p.georef);
  const GridSpec spec = p.dem_m.spec();
  MD_THROW_UNLESS(std::abs(spec.resolution_m - p.params.resolution_m) <= 1e-9 * spec.resolution_m,
                  (orbital / "dem.tif").string() + ": cell size " +
                      base::FormatExact(spec.resolution_m) + " m; " + where +
                      ".resolution_m says " + base::FormatExact(p.params.resolution_m) + " m");
  auto layer = [&](const char* name) {
    const fs::path path = orbital / name;
    Grid<float> grid = ReadLayer<float>(path, p.georef);
    RequireSameGrid(grid, spec, path);
    return OnGrid(std::move(grid), spec);
  };
  p.slope_deg = layer("slope.tif");
  p.roughness_m = layer("roughness.tif");
  p.step_m = layer("step.tif");
  p.rock_hazard = layer("hazard.tif");
  // Directories written before the sand layer existed have none (and no sand in their cost).
  p.sand = fs::exists(orbital / "sand.tif") ? layer("sand.tif") : Grid<float>(spec, 0.0f);
  p.cost = layer("cost.tif");
  {
    const fs::path path = orbital / "traversable.tif";
    Grid<std::uint8_t> grid = ReadLayer<std::uint8_t>(path, p.georef);
    RequireSameGrid(grid, spec, path);
    p.traversable = OnGrid(std::move(grid), spec);
  }
  const fs::path rocks_path = orbital / "visible_rocks.json";
  p.visible_rocks = ParseRockList(ReadBoundedTextFile(rocks_path, kTextFileMaxBytes, "a rock file"),
                                  rocks_path.string());
  if (settings.contains("visible_rock_count") && settings.at("visible_rock_count").is_number()) {
    // A count is a whole number: converting 1e300 to size_t was undefined behaviour (found by
    // tests/fuzz/fuzz_terrain_json).
    MD_THROW_UNLESS(settings.at("visible_rock_count").is_number_unsigned(),
                    where + ".visible_rock_count: expected an integer >= 0, got " +
                        DescribeJson(settings.at("visible_rock_count")));
    const auto expected = settings.at("visible_rock_count").get<std::size_t>();
    MD_THROW_UNLESS(expected == p.visible_rocks.size(),
                    (orbital / "visible_rocks.json").string() + ": " +
                        std::to_string(p.visible_rocks.size()) + " rocks; " + where +
                        ".visible_rock_count says " + std::to_string(expected));
  }
  // The orthoimage shares the DEM's south-west corner (both derive from the truth's origin).
  p.ortho = ReadOrtho(orbital / "ortho.png", p.params.ortho_resolution_m, spec.origin_x_m,
                      spec.origin_y_m);
  return p;
}

}  // namespace marsdrive::terrain

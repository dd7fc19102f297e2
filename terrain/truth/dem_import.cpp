#include "terrain/truth/dem_import.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include "base/check.h"
#include "base/format.h"
#include "base/memory_budget.h"
#include "base/random.h"
#include "terrain/gdal_support.h"
#include "terrain/rocks.h"
#include "terrain/truth/decorate.h"

namespace marsdrive::terrain {
namespace {

using gdal::DatasetPtr;
using gdal::ErrorCapture;
using gdal::Fail;

constexpr std::uint64_t kDecorateSeedTag = 0x696d706f7274;  // "import"
// Refuse results bigger than this many cells (1 GiB of heights) instead of running out of
// memory: a window or resolution typo should be an error message, not an OOM kill.
constexpr double kMaxCells = static_cast<double>(1 << 28);
// Peak resident memory of `terrain import` (docs/limits.md), fitted to measurements on 1 to 4
// million cells and rounded up: per imported cell (the window as doubles, heights, mask,
// classes), per orbital cell (at the default 1 m), per decoration rock.
constexpr double kImportProgramBytes = 100 << 20;  // the program itself, its libraries, GDAL
constexpr double kImportBytesPerCell = 32, kImportBytesPerOrbitalCell = 100,
                 kImportBytesPerRock = 450;

struct Extent {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string Text() const {
    return "x [" + base::FormatExact(x0) + ", " + base::FormatExact(x1) + "], y [" +
           base::FormatExact(y0) + ", " + base::FormatExact(y1) + "]";
  }
};

// The CRS the imported terrain lives in, and the source raster's extent there.
struct Target {
  std::string crs_wkt;        // empty when the source has no CRS
  bool reproject = false;     // geographic source: warp to `crs_wkt`
  std::string reprojection;   // provenance note when reprojecting
  Extent extent;              // source extent in the target CRS, metres
  double native_res_m = 1;    // the source's own post spacing in the target CRS
  bool native_square = true;  // source pixels are square in the target CRS
};

// A local equirectangular projection on the sphere of the source body's semi-major axis, centred
// on the raster and true to scale at its centre latitude: x, y are ground metres east and north
// of the raster centre. For a lat/lon-aligned raster the projected extent is an exact rectangle.
Target LocalEquirectangular(const std::filesystem::path& path, const OGRSpatialReference& geog,
                            const gdal::RasterFrame& frame) {
  MD_THROW_UNLESS(frame.has_geotransform,
                  path.string() + ": geographic CRS but no geotransform; cannot place the raster");
  const double semi_major_m = geog.GetSemiMajor();
  MD_THROW_UNLESS(std::isfinite(semi_major_m) && semi_major_m > 0,
                  path.string() + ": geographic CRS without a usable semi-major axis");
  const double rad_per_unit = geog.GetAngularUnits();
  const double deg_per_unit = rad_per_unit * 180.0 / std::numbers::pi;
  const double lon_c_deg = 0.5 * (frame.west + frame.east) * deg_per_unit;
  const double lat_c_deg = 0.5 * (frame.south + frame.north) * deg_per_unit;
  MD_THROW_UNLESS(std::abs(lat_c_deg) < 89.0,
                  path.string() + ": geographic raster centred at latitude " +
                      base::FormatExact(lat_c_deg) +
                      " deg; an equirectangular projection is unusable this close to a pole "
                      "(reproject it to a polar stereographic CRS first)");

  OGRSpatialReference eqc;
  const ErrorCapture errors;
  if (geog.GetInvFlattening() == 0.0) {
    eqc.CopyGeogCSFrom(&geog);  // already a sphere: keep the body's own datum and names
  } else {
    const char* prime_meridian = nullptr;
    const double prime_meridian_offset = geog.GetPrimeMeridian(&prime_meridian);
    const char* datum_name = geog.GetAttrValue("DATUM");
    const char* geog_name = geog.GetName();
    const std::string datum = datum_name != nullptr ? datum_name : "unknown";
    const std::string name = geog_name != nullptr ? geog_name : "unknown";
    eqc.SetGeogCS((name + " (sphere)").c_str(), (datum + " (sphere)").c_str(),
                  ("sphere R=" + base::FormatExact(semi_major_m)).c_str(), semi_major_m, 0.0,
                  prime_meridian, prime_meridian_offset, SRS_UA_DEGREE,
                  CPLAtof(SRS_UA_DEGREE_CONV));
  }
  eqc.SetProjCS("marsdrive local equirectangular");
  eqc.SetEquirectangular2(lat_c_deg, lon_c_deg, lat_c_deg, 0.0, 0.0);
  eqc.SetLinearUnits(SRS_UL_METER, 1.0);
  eqc.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

  OGRSpatialReference source(geog);
  source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const std::unique_ptr<OGRCoordinateTransformation> to_eqc(
      OGRCreateCoordinateTransformation(&source, &eqc));
  if (!to_eqc)
    Fail(path, "cannot reproject its geographic CRS to a local equirectangular one", &errors);
  std::array<double, 4> x = {frame.west, frame.east, frame.west, frame.east};
  std::array<double, 4> y = {frame.south, frame.south, frame.north, frame.north};
  if (to_eqc->Transform(4, x.data(), y.data()) == FALSE) {
    Fail(path, "cannot reproject its corners to a local equirectangular CRS", &errors);
  }
  Target target;
  target.crs_wkt = gdal::CrsWkt(&eqc);
  target.reproject = true;
  target.reprojection = "local equirectangular, lat_ts = lat_0 = " + base::FormatExact(lat_c_deg) +
                        ", lon_0 = " + base::FormatExact(lon_c_deg) +
                        ", R = " + base::FormatExact(semi_major_m) + " m";
  target.extent = {*std::min_element(x.begin(), x.end()), *std::min_element(y.begin(), y.end()),
                   *std::max_element(x.begin(), x.end()), *std::max_element(y.begin(), y.end())};
  // Native spacing: the north-south post spacing, which the projection keeps exactly.
  target.native_res_m = semi_major_m * frame.pixel_h * rad_per_unit;
  target.native_square = false;
  return target;
}

// The output grid in the target CRS; for a plain crop (no resampling) `col0`/`row0_from_north`
// place it on the source grid, counted from the west and north edges.
struct OutputGrid {
  Extent extent;
  int width_px = 0;
  int height_px = 0;
  double resolution_m = 0;
  bool plain_crop = false;
  int col0 = 0, row0_from_north = 0;
};

OutputGrid PlanOutput(const std::filesystem::path& path, const ImportRequest& request,
                      const Target& target) {
  const Extent& ext = target.extent;
  Extent want = ext;
  const double tolerance = 1e-6 * target.native_res_m;
  if (request.window) {
    const CropWindow& w = *request.window;
    want = {w.x0_m, w.y0_m, w.x1_m, w.y1_m};
    MD_THROW_UNLESS(std::isfinite(w.x0_m) && std::isfinite(w.y0_m) && std::isfinite(w.x1_m) &&
                        std::isfinite(w.y1_m) && w.x0_m < w.x1_m && w.y0_m < w.y1_m,
                    path.string() + ": crop window " + want.Text() +
                        " is empty or inverted; expected x0 < x1 and y0 < y1");
    MD_THROW_UNLESS(want.x0 >= ext.x0 - tolerance && want.x1 <= ext.x1 + tolerance &&
                        want.y0 >= ext.y0 - tolerance && want.y1 <= ext.y1 + tolerance,
                    path.string() + ": crop window " + want.Text() +
                        " is not inside the raster extent " + ext.Text() + " (CRS metres)");
    want = {std::max(want.x0, ext.x0), std::max(want.y0, ext.y0), std::min(want.x1, ext.x1),
            std::min(want.y1, ext.y1)};
  }
  OutputGrid out;
  const bool same_res =
      request.resolution_m &&
      std::abs(*request.resolution_m - target.native_res_m) <= 1e-9 * target.native_res_m;
  const double res = request.resolution_m.value_or(target.native_res_m);
  double cols = 0, rows = 0;
  if (!target.reproject && (!request.resolution_m || same_res)) {
    MD_THROW_UNLESS(target.native_square,
                    path.string() + ": pixels are not square; give a resolution to resample to");
    // The source's own resolution: snap the window outwards to the source's grid lines, so that
    // every output cell is exactly one source pixel (a plain crop, no resampling).
    const double total_cols = std::round((ext.x1 - ext.x0) / res);
    const double total_rows = std::round((ext.y1 - ext.y0) / res);
    constexpr double kSnap = 1e-6;  // of a pixel: window edges on a grid line stay there
    const double c0 = std::clamp(std::floor((want.x0 - ext.x0) / res + kSnap), 0.0, total_cols);
    const double c1 = std::clamp(std::ceil((want.x1 - ext.x0) / res - kSnap), 0.0, total_cols);
    const double r0 = std::clamp(std::floor((ext.y1 - want.y1) / res + kSnap), 0.0, total_rows);
    const double r1 = std::clamp(std::ceil((ext.y1 - want.y0) / res - kSnap), 0.0, total_rows);
    cols = std::max(c1 - c0, 1.0);
    rows = std::max(r1 - r0, 1.0);
    out.extent = {ext.x0 + c0 * res, ext.y1 - (r0 + rows) * res, ext.x0 + (c0 + cols) * res,
                  ext.y1 - r0 * res};
    out.plain_crop = true;
    out.col0 = static_cast<int>(c0);
    out.row0_from_north = static_cast<int>(r0);
  } else {
    // Resampling: the grid starts at the window's south-west corner; a remainder under one
    // cell is dropped at the east and north edges, so every cell lies inside the window.
    cols = std::floor((want.x1 - want.x0) / res + 1e-6);
    rows = std::floor((want.y1 - want.y0) / res + 1e-6);
    MD_THROW_UNLESS(cols >= 1 && rows >= 1, path.string() + ": crop " + want.Text() +
                                                " is smaller than one " + base::FormatExact(res) +
                                                " m cell");
    out.extent = {want.x0, want.y0, want.x0 + cols * res, want.y0 + rows * res};
  }
  MD_THROW_UNLESS(cols * rows <= kMaxCells,
                  path.string() + ": importing " + want.Text() + " at " + base::FormatExact(res) +
                      " m would make " + base::FormatExact(cols) + " x " + base::FormatExact(rows) +
                      " cells; choose a coarser resolution or a smaller window");
  const double area_m2 = cols * rows * res * res;
  const double orbital_m = std::max(res, 1.0);
  const double rocks = request.rocks_k && *request.rocks_k > 0
                           ? area_m2 * GolombekRappCount(std::min(*request.rocks_k, 1.0), 0.1, 10.0)
                           : 0.0;
  const std::string memory = base::CheckMemoryEstimate(
      path.string() + ": importing " + want.Text() + " at " + base::FormatExact(res) + " m (" +
          base::FormatExact(cols) + " x " + base::FormatExact(rows) + " cells)",
      kImportProgramBytes + cols * rows * kImportBytesPerCell +
          area_m2 / (orbital_m * orbital_m) * kImportBytesPerOrbitalCell +
          rocks * kImportBytesPerRock,
      "choose a coarser resolution or a smaller window (or --max-memory)");
  MD_THROW_UNLESS(memory.empty(), memory);
  out.width_px = static_cast<int>(cols);
  out.height_px = static_cast<int>(rows);
  out.resolution_m = res;
  return out;
}

// GDAL's warper with the given arguments (gdalwarp syntax), into an in-memory dataset.
DatasetPtr Warp(const std::filesystem::path& path, GDALDataset& source, CPLStringList& args) {
  const ErrorCapture errors;
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(args.List(), nullptr);
  if (options == nullptr) Fail(path, "cannot set up the resampling", &errors);
  GDALDatasetH source_handle = GDALDataset::ToHandle(&source);
  int usage_error = 0;
  GDALDatasetH warped = GDALWarp("", nullptr, 1, &source_handle, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (warped == nullptr) Fail(path, "cannot resample / reproject", &errors);
  return DatasetPtr(GDALDataset::FromHandle(warped));
}

// Resamples (and for geographic sources reprojects) the source onto `grid`: bilinear when the
// output is as fine as the source or finer (the same surface HeightMap::HeightAt interpolates),
// area-weighted average when it is coarser (bilinear point samples would alias). Both ignore
// nodata pixels and re-weight the valid ones; cells with no valid source are NaN.
HeightMap Resample(const std::filesystem::path& path, GDALDataset& source,
                   const gdal::HeightEncoding& encoding, const gdal::RasterFrame& frame,
                   const Target& target, const OutputGrid& grid) {
  DatasetPtr placed;  // a source without geotransform, placed as ReadHeightRaster does
  GDALDataset* input = &source;
  if (!frame.has_geotransform) {
    const ErrorCapture errors;
    CPLStringList args;
    for (const char* arg : {"-of", "VRT", "-a_ullr", "0"}) args.AddString(arg);
    args.AddString(base::FormatExact(frame.height_px).c_str());
    args.AddString(base::FormatExact(frame.width_px).c_str());
    args.AddString("0");
    GDALTranslateOptions* options = GDALTranslateOptionsNew(args.List(), nullptr);
    int usage_error = 0;
    GDALDatasetH handle = options == nullptr ? nullptr
                                             : GDALTranslate("", GDALDataset::ToHandle(&source),
                                                             options, &usage_error);
    GDALTranslateOptionsFree(options);
    if (handle == nullptr) Fail(path, "cannot place the raster for resampling", &errors);
    placed.reset(GDALDataset::FromHandle(handle));
    input = placed.get();
  }
  const bool coarser = grid.resolution_m > target.native_res_m * (1 + 1e-9);
  CPLStringList args;
  for (const char* arg : {"-of", "MEM", "-ot", "Float64", "-r", coarser ? "average" : "bilinear",
                          "-dstnodata", "nan", "-et", "0", "-wo", "INIT_DEST=NO_DATA"}) {
    args.AddString(arg);
  }
  args.AddString("-te");
  for (double v : {grid.extent.x0, grid.extent.y0, grid.extent.x1, grid.extent.y1}) {
    args.AddString(base::FormatExact(v).c_str());
  }
  args.AddString("-ts");
  args.AddString(std::to_string(grid.width_px).c_str());
  args.AddString(std::to_string(grid.height_px).c_str());
  if (target.reproject) {
    args.AddString("-t_srs");
    args.AddString(target.crs_wkt.c_str());
  }
  // Undeclared NaN holes in a float DEM are nodata too (GDAL would blend them into neighbours).
  if (!encoding.nodata && encoding.floating_point) {
    args.AddString("-srcnodata");
    args.AddString("nan");
  }
  const DatasetPtr warped = Warp(path, *input, args);
  HeightMap map(GridSpec{grid.width_px, grid.height_px, grid.resolution_m, 0.0, 0.0});
  gdal::HeightEncoding warped_encoding = encoding;  // values are still raw: scale them now
  warped_encoding.nodata.reset();                   // NaN marks nodata in the warped output
  warped_encoding.nodata_as_float = false;
  gdal::ReadHeights(path, *warped, warped_encoding, 0, 0, /*north_up=*/true, map);
  return map;
}

// Fills masked cells by GDAL's inverse-distance interpolation from the valid edges
// (GDALFillNodata), searching as far as the grid is wide so that every hole is reached.
void FillNodata(const std::filesystem::path& path, HeightMap& map) {
  const GridSpec& spec = map.spec();
  const ErrorCapture errors;
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  if (mem == nullptr) Fail(path, "cannot fill nodata: GDAL has no MEM driver", &errors);
  const DatasetPtr heights(mem->Create("", spec.width_px, spec.height_px, 1, GDT_Float32, nullptr));
  const DatasetPtr mask(mem->Create("", spec.width_px, spec.height_px, 1, GDT_Byte, nullptr));
  if (!heights || !mask) Fail(path, "cannot fill nodata", &errors);
  // Row order does not matter to the fill, so the south-first rows are copied as they are.
  GDALRasterBand* height_band = heights->GetRasterBand(1);
  GDALRasterBand* mask_band = mask->GetRasterBand(1);
  bool ok =
      height_band->RasterIO(GF_Write, 0, 0, spec.width_px, spec.height_px,
                            map.heights_m.Values().data(), spec.width_px, spec.height_px,
                            GDT_Float32, 0, 0, nullptr) == CE_None &&
      mask_band->RasterIO(GF_Write, 0, 0, spec.width_px, spec.height_px, map.valid.Values().data(),
                          spec.width_px, spec.height_px, GDT_Byte, 0, 0, nullptr) == CE_None;
  const auto search_px = static_cast<double>(spec.width_px + spec.height_px);
  ok = ok && GDALFillNodata(GDALRasterBand::ToHandle(height_band),
                            GDALRasterBand::ToHandle(mask_band), search_px, 0,
                            /*smoothing iterations=*/0, nullptr, nullptr, nullptr) == CE_None;
  std::vector<float> filled(spec.CellCount());
  ok = ok &&
       height_band->RasterIO(GF_Read, 0, 0, spec.width_px, spec.height_px, filled.data(),
                             spec.width_px, spec.height_px, GDT_Float32, 0, 0, nullptr) == CE_None;
  if (!ok) Fail(path, "cannot fill nodata", &errors);
  std::size_t still_masked = 0;
  std::span<float> out = map.heights_m.Values();
  std::span<std::uint8_t> valid = map.valid.Values();
  for (std::size_t i = 0; i < filled.size(); ++i) {
    if (valid[i] != 0) continue;
    if (std::isfinite(filled[i])) {
      out[i] = filled[i];
      valid[i] = 1;
    } else {
      ++still_masked;
    }
  }
  if (still_masked == 0) map.valid = {};
}

std::string WindowText(const CropWindow& w) {
  return base::FormatExact(w.x0_m) + "," + base::FormatExact(w.y0_m) + "," +
         base::FormatExact(w.x1_m) + "," + base::FormatExact(w.y1_m);
}

}  // namespace

TerrainTruth ImportDem(const ImportRequest& request) {
  const std::filesystem::path& path = request.file;
  const ErrorCapture quiet;  // GDAL's warnings (e.g. on lazily read tags) stay off stderr
  if (request.resolution_m) {
    MD_THROW_UNLESS(std::isfinite(*request.resolution_m) && *request.resolution_m > 0,
                    path.string() + ": resolution " + base::FormatExact(*request.resolution_m) +
                        " m: expected a number > 0");
  }
  if (request.rocks_k) {
    MD_THROW_UNLESS(
        std::isfinite(*request.rocks_k) && *request.rocks_k >= 0 && *request.rocks_k <= 1,
        path.string() + ": rocks_k " + base::FormatExact(*request.rocks_k) +
            ": expected a rock area fraction in [0, 1]");
  }
  const DatasetPtr source = gdal::OpenRaster(path);
  const gdal::HeightEncoding encoding = gdal::InspectHeightBand(path, *source);
  const gdal::RasterFrame frame = gdal::InspectFrame(path, *source, /*require_square=*/false);
  const OGRSpatialReference* srs = source->GetSpatialRef();

  Target target;
  if (srs != nullptr && srs->IsGeographic() != 0) {
    target = LocalEquirectangular(path, *srs, frame);
  } else {
    gdal::RequireMetricCrs(path, srs);
    target.crs_wkt = gdal::CrsWkt(srs);
    target.extent = {frame.west, frame.south, frame.east, frame.north};
    target.native_res_m = frame.pixel_w;
    target.native_square = frame.Square();
  }
  const OutputGrid grid = PlanOutput(path, request, target);

  TerrainTruth truth;
  if (grid.plain_crop) {
    // No resampling: read the source pixels themselves (bit-exact heights).
    truth.dem = HeightMap(GridSpec{grid.width_px, grid.height_px, grid.resolution_m, 0.0, 0.0});
    const int gdal_row0 = frame.north_up ? grid.row0_from_north
                                         : frame.height_px - grid.row0_from_north - grid.height_px;
    gdal::ReadHeights(path, *source, encoding, grid.col0, gdal_row0, frame.north_up, truth.dem);
  } else {
    truth.dem = Resample(path, *source, encoding, frame, target, grid);
  }
  // Map origin (0, 0) = the SW corner of the imported grid; its CRS coordinates are the offset.
  truth.dem.georef = {target.crs_wkt, grid.extent.x0, grid.extent.y0};

  if (truth.dem.HasMask()) {
    const auto valid = truth.dem.valid.Values();
    MD_THROW_UNLESS(std::find(valid.begin(), valid.end(), std::uint8_t{1}) != valid.end(),
                    path.string() + ": every cell is nodata" +
                        (request.window ? " in the crop window " + grid.extent.Text() : "") +
                        " (nodata value, NaN or infinite)");
    if (request.fill_nodata) FillNodata(path, truth.dem);
  }

  truth.classes = Grid<SoilClass>(truth.dem.spec(), SoilClass::kRegolith);
  if (truth.dem.HasMask()) {
    const auto valid = truth.dem.valid.Values();
    const auto classes = truth.classes.Values();
    for (std::size_t i = 0; i < valid.size(); ++i) {
      if (valid[i] == 0) classes[i] = SoilClass::kNodata;
    }
  }

  truth.preset = "import";
  truth.source = path.filename().string();
  truth.seed = request.seed;
  truth.params["window"] = request.window ? WindowText(*request.window) : "full";
  truth.params["crop_crs_m"] =
      WindowText({grid.extent.x0, grid.extent.y0, grid.extent.x1, grid.extent.y1});
  truth.params["resolution_m"] = base::FormatExact(grid.resolution_m);
  truth.params["source_resolution_m"] = base::FormatExact(target.native_res_m);
  truth.params["fill_nodata"] = request.fill_nodata ? "true" : "false";
  if (target.reproject) truth.params["reprojection"] = target.reprojection;
  if (request.rocks_k) {
    truth.params["rocks_k"] = base::FormatExact(*request.rocks_k);
    DecorateParams params;
    params.rocks_k = *request.rocks_k;
    Rng rng(DeriveSeed(request.seed, kDecorateSeedTag));
    DecorateTerrain(truth, params, rng);
  }
  return truth;
}

}  // namespace marsdrive::terrain

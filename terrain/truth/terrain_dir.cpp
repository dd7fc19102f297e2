#include "terrain/truth/terrain_dir.h"

#include <atomic>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "base/check.h"
#include "io/json_reader.h"
#include "terrain/raster_io.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/raster_read.h"
#include "terrain/truth/rock_file.h"
#include "terrain/truth/summary_json.h"

namespace marsdrive::terrain {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

constexpr float kNodataHeight = -32767.0f;  // written for masked DEM cells (PDS/HiRISE habit)
constexpr double kClassNodata = 255;

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  MD_THROW_UNLESS(out.good(), path.string() + ": cannot write file");
}

// A JSON list with one rock per line: compact for 10^5 rocks, still readable and diffable.
std::string RocksToJsonText(const std::vector<Rock>& rocks) {
  std::string text = "[\n";
  for (std::size_t i = 0; i < rocks.size(); ++i) {
    const Rock& rock = rocks[i];
    const Json item = {{"x", rock.x_m},
                       {"y", rock.y_m},
                       {"diameter_m", rock.diameter_m},
                       {"height_m", rock.height_m},
                       {"shape_seed", rock.shape_seed}};
    text += item.dump();
    text += i + 1 < rocks.size() ? ",\n" : "\n";
  }
  return text + "]\n";
}

Json GeoTransformJson(const GridSpec& spec, const Georeference& georef) {
  const GeoTransform gt = MakeGeoTransform(spec, georef);
  return Json(std::vector<double>(std::begin(gt.c), std::end(gt.c)));
}

Json CrsJson(const Georeference& georef) {
  if (georef.empty()) return nullptr;
  return {{"wkt", georef.crs_wkt},
          {"map_origin_in_crs_m", {georef.crs_offset_x_m, georef.crs_offset_y_m}}};
}

Json MakeTerrainJson(const TerrainTruth& truth, const OrbitalProducts& orbital,
                     const TerrainSummary& summary, const std::vector<std::string>& files) {
  const GridSpec& spec = truth.dem.spec();
  Json json;
  json["schema"] = kTerrainSchema;
  json["preset"] = truth.preset;
  json["params"] = Json::object();
  for (const auto& [key, value] : truth.params) json["params"][key] = value;
  json["seed"] = truth.seed;
  if (!truth.source.empty()) json["source"] = truth.source;
  json["size_m"] = {spec.WidthM(), spec.HeightM()};
  json["resolution_m"] = spec.resolution_m;
  json["frame"] =
      "map: ENU metres, origin at the south-west corner; rows of the GeoTIFFs run "
      "north to south";
  json["crs"] = CrsJson(truth.dem.georef);
  json["geotransform"] = GeoTransformJson(spec, truth.dem.georef);
  json["summary"] = SummaryToJson(summary);
  const OrbitalParams& op = orbital.params;
  json["orbital"] = {{"resolution_m", orbital.spec().resolution_m},
                     {"ortho_resolution_m", orbital.ortho.resolution_m},
                     {"rock_detect_diameter_m", op.rock_detect_diameter_m},
                     {"footprint_diameter_m", op.footprint_diameter_m},
                     {"max_slope_deg", op.max_slope_deg},
                     {"max_step_m", op.max_step_m},
                     {"max_rock_height_m", op.max_rock_height_m},
                     {"sand_slip_flat", op.sand_slip_flat},
                     {"sand_slip_per_deg", op.sand_slip_per_deg},
                     {"visible_rock_count", orbital.visible_rocks.size()}};
  json["files"] = files;
  return json;
}

// A fresh sibling of `dir` to build into; unique within this process and across processes.
fs::path TempSibling(const fs::path& dir) {
  static std::atomic<unsigned> counter{0};
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  // Appended piecewise: g++ 12 warns (-Wrestrict, a known false positive) on "." + string.
  std::string name = ".";
  name += dir.filename().string();
  name += ".partial-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  return parent / name;
}

Grid<std::uint8_t> ClassCodes(const Grid<SoilClass>& classes) {
  Grid<std::uint8_t> codes(classes.spec());
  auto out = codes.Values();
  auto in = classes.Values();
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = static_cast<std::uint8_t>(in[i]);
  return codes;
}

void WriteContents(const fs::path& dir, const TerrainTruth& truth, const OrbitalProducts& orbital,
                   const TerrainSummary& summary) {
  fs::create_directories(dir / "orbital");
  const Georeference& georef = truth.dem.georef;
  WriteFloatGeoTiff(dir / "truth_dem.tif", truth.dem.heights_m, georef,
                    truth.dem.HasMask() ? std::optional<double>(kNodataHeight) : std::nullopt,
                    truth.dem.HasMask() ? &truth.dem.valid : nullptr);
  WriteByteGeoTiff(dir / "classes.tif", ClassCodes(truth.classes), georef, kClassNodata);
  WriteText(dir / "rocks.json", RocksToJsonText(truth.rocks));

  const Georeference& og = orbital.georef;
  WriteFloatGeoTiff(dir / "orbital/dem.tif", orbital.dem_m, og);
  WriteOrthoPng(dir / "orbital/ortho.png", orbital.ortho);
  WriteFloatGeoTiff(dir / "orbital/slope.tif", orbital.slope_deg, og, std::nullopt, nullptr,
                    "degree");
  WriteFloatGeoTiff(dir / "orbital/roughness.tif", orbital.roughness_m, og);
  WriteFloatGeoTiff(dir / "orbital/step.tif", orbital.step_m, og);
  WriteFloatGeoTiff(dir / "orbital/hazard.tif", orbital.rock_hazard, og, std::nullopt, nullptr, "");
  WriteFloatGeoTiff(dir / "orbital/sand.tif", orbital.sand, og, std::nullopt, nullptr, "");
  WriteFloatGeoTiff(dir / "orbital/cost.tif", orbital.cost, og, std::nullopt, nullptr, "");
  WriteByteGeoTiff(dir / "orbital/traversable.tif", orbital.traversable, og);
  WriteText(dir / "orbital/visible_rocks.json", RocksToJsonText(orbital.visible_rocks));

  const std::vector<std::string> files = {"truth_dem.tif",
                                          "classes.tif",
                                          "rocks.json",
                                          "orbital/dem.tif",
                                          "orbital/ortho.png",
                                          "orbital/slope.tif",
                                          "orbital/roughness.tif",
                                          "orbital/step.tif",
                                          "orbital/hazard.tif",
                                          "orbital/sand.tif",
                                          "orbital/cost.tif",
                                          "orbital/traversable.tif",
                                          "orbital/visible_rocks.json"};
  // terrain.json last: its presence marks a complete directory.
  WriteText(dir / "terrain.json", MakeTerrainJson(truth, orbital, summary, files).dump(2) + "\n");
}

Json ReadJsonFile(const fs::path& path) {
  return ParseBoundedJson<Json>(
      ReadBoundedTextFile(path, kJsonMaxBytes, "a terrain directory file"), path.string());
}

}  // namespace

TerrainSummary WriteTerrainDir(const fs::path& dir, const TerrainTruth& truth,
                               const OrbitalProducts& orbital) {
  MD_THROW_UNLESS(!dir.empty(), "--out: expected a directory path");
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    MD_THROW_UNLESS(fs::is_directory(dir, ec), dir.string() + ": exists and is not a directory");
    MD_THROW_UNLESS(fs::is_empty(dir, ec) || fs::exists(dir / "terrain.json", ec),
                    dir.string() +
                        ": exists and is not a terrain directory (no terrain.json); refusing to "
                        "overwrite it");
  }
  const fs::path temp = TempSibling(dir);
  try {
    const TerrainSummary summary = ComputeSummary(truth);
    WriteContents(temp, truth, orbital, summary);
    fs::remove_all(dir);
    fs::rename(temp, dir);
    return summary;
  } catch (...) {
    fs::remove_all(temp, ec);
    throw;
  }
}

TerrainTruth LoadTerrainDir(const fs::path& dir) {
  MD_THROW_UNLESS(fs::is_directory(dir), dir.string() + ": not a directory");
  const fs::path meta_path = dir / "terrain.json";
  MD_THROW_UNLESS(fs::exists(meta_path),
                  dir.string() + ": no terrain.json (not a terrain directory, or incomplete)");
  const Json meta = ReadJsonFile(meta_path);
  // Compared as JSON values: value("schema", "") would throw for a schema that is no string.
  MD_THROW_UNLESS(
      meta.is_object() && meta.contains("schema") && meta.at("schema") == kTerrainSchema,
      meta_path.string() + ": schema: expected \"" + kTerrainSchema + "\"");

  TerrainTruth truth;
  truth.dem = ReadHeightRaster(dir / "truth_dem.tif");
  const Grid<std::uint8_t> codes = ReadByteRaster(dir / "classes.tif");
  MD_THROW_UNLESS(codes.spec().width_px == truth.dem.spec().width_px &&
                      codes.spec().height_px == truth.dem.spec().height_px,
                  (dir / "classes.tif").string() + ": expected the size of truth_dem.tif");
  truth.classes = Grid<SoilClass>(truth.dem.spec());
  auto out = truth.classes.Values();
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<SoilClass>(codes.Values()[i]);
  truth.rocks = LoadRockFile(dir / "rocks.json");

  try {
    truth.preset = meta.at("preset").get<std::string>();
    truth.seed = meta.at("seed").get<std::uint64_t>();
    for (const auto& [key, value] : meta.at("params").items()) {
      truth.params[key] = value.get<std::string>();
    }
    truth.source = meta.value("source", "");
  } catch (const nlohmann::json::exception& e) {
    throw InputError(meta_path.string() + ": " + e.what());
  }
  return truth;
}

}  // namespace marsdrive::terrain

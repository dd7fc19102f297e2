#include "terrain/truth/generate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include "base/check.h"
#include "base/format.h"
#include "terrain/rocks.h"
#include "terrain/truth/generate_internal.h"
#include "terrain/truth/rock_file.h"

namespace marsdrive::terrain {
namespace {

using internal::NumberParam;
using internal::PresetDef;

// More cells than this is almost certainly a typo in size or resolution (1.6 GB of heights).
constexpr double kMaxCells = 400e6;

const std::vector<const PresetDef*>& AllPresets() {
  static const std::vector<const PresetDef*> presets = [] {
    std::vector<const PresetDef*> all = {&internal::JezeroRimPreset()};
    for (const PresetDef& preset : internal::ValidationPresets()) all.push_back(&preset);
    return all;
  }();
  return presets;
}

std::string PresetNames() {
  std::string names;
  for (const PresetDef* preset : AllPresets()) {
    names += (names.empty() ? "" : ", ") + std::string(preset->name);
  }
  return names;
}

// The parameters every preset takes besides its own.
const std::vector<PresetParamInfo>& CommonParams() {
  static const std::vector<PresetParamInfo> common = {
      {"soil", "regolith",
       "base soil class of the ground: regolith | bedrock | sand (generated ledges and sand "
       "patches are marked on top of it)"},
      {"rocks", "none",
       "YAML or JSON list of rocks {x, y, diameter_m, height_m?} in map metres, placed exactly "
       "and appended to the generated ones"},
      {"detail_seed", "auto",
       "seed of the details a Monte Carlo repeat perturbs (rock placement, sand patch shapes) "
       "while the landforms stay those of the seed; auto: the seed itself"},
  };
  return common;
}

GridSpec MakeSpec(const GenerateRequest& request) {
  const auto check_positive = [](const char* name, double value) {
    MD_THROW_UNLESS(std::isfinite(value) && value > 0,
                    std::string("terrain ") + name + ": expected a finite number > 0 (m), got " +
                        base::FormatExact(value));
  };
  check_positive("size_x_m", request.size_x_m);
  check_positive("size_y_m", request.size_y_m);
  check_positive("resolution_m", request.resolution_m);
  // The extent is rounded to a whole number of cells.
  const double nx = std::round(request.size_x_m / request.resolution_m);
  const double ny = std::round(request.size_y_m / request.resolution_m);
  const std::string what = "terrain size " + base::FormatExact(request.size_x_m) + " x " +
                           base::FormatExact(request.size_y_m) + " m at resolution_m " +
                           base::FormatExact(request.resolution_m) + " gives " +
                           base::FormatExact(nx) + " x " + base::FormatExact(ny) + " cells";
  MD_THROW_UNLESS(nx >= 2 && ny >= 2, what + "; expected at least 2 x 2");
  MD_THROW_UNLESS(nx * ny <= kMaxCells,
                  what + ", more than the limit of " + base::FormatExact(kMaxCells) + " cells");
  GridSpec spec;
  spec.width_px = static_cast<int>(nx);
  spec.height_px = static_cast<int>(ny);
  spec.resolution_m = request.resolution_m;
  return spec;
}

SoilClass ParseBaseSoil(const ParamMap& params) {
  const std::string name = params.GetString("soil", "regolith");
  const std::optional<SoilClass> soil = ParseSoilClass(name);
  MD_THROW_UNLESS(soil.has_value(),
                  "parameter soil: expected regolith, bedrock or sand, got '" + name + "'");
  return *soil;
}

// The common `detail_seed=` parameter (default: the terrain's seed).
std::uint64_t ParseDetailSeed(const ParamMap& params, std::uint64_t seed) {
  const auto text = params.GetOptional("detail_seed");
  if (!text || *text == "auto") return seed;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  MD_THROW_UNLESS(!text->empty() && ec == std::errc() && end == text->data() + text->size(),
                  "parameter detail_seed: expected an integer >= 0, got '" + *text + "'");
  return value;
}

// Rocks from the common `rocks=FILE` parameter; each must stand on the map.
std::vector<Rock> LoadExplicitRocks(const std::string& file, const GridSpec& spec) {
  std::vector<Rock> rocks = LoadRockFile(file);
  for (std::size_t i = 0; i < rocks.size(); ++i) {
    const Rock& rock = rocks[i];
    MD_THROW_UNLESS(spec.Contains(rock.x_m, rock.y_m),
                    file + ": [" + std::to_string(i) + "]: rock at (" +
                        base::FormatExact(rock.x_m) + ", " + base::FormatExact(rock.y_m) +
                        ") is outside the terrain [0, " + base::FormatExact(spec.MaxX()) +
                        "] x [0, " + base::FormatExact(spec.MaxY()) + "] m");
  }
  return rocks;
}

}  // namespace

const std::vector<PresetInfo>& ListPresets() {
  static const std::vector<PresetInfo> presets = [] {
    std::vector<PresetInfo> list;
    for (const PresetDef* preset : AllPresets()) {
      PresetInfo info{std::string(preset->name), std::string(preset->help), {}};
      for (const NumberParam& p : preset->params) {
        // A computed default ("auto") has a range that depends on the map: its help says so.
        const bool computed = std::isnan(p.default_value);
        info.params.push_back(
            {std::string(p.name), computed ? "auto" : base::FormatExact(p.default_value),
             std::string(p.help) + (computed ? ""
                                             : " [" + base::FormatExact(p.min_value) + ", " +
                                                   base::FormatExact(p.max_value) + "]")});
      }
      for (const PresetParamInfo& p : CommonParams()) info.params.push_back(p);
      list.push_back(std::move(info));
    }
    return list;
  }();
  return presets;
}

double EstimateGenerateBytes(const GenerateRequest& request, double orbital_resolution_m) {
  // Peak resident memory of `terrain generate` (generation, orbital products, files), fitted
  // to measurements on 2 to 16 million cells (docs/limits.md) and rounded up: per truth cell
  // (heights, classes, the generator's float layers), per orbital cell (the product layers and
  // the orthoimage), per rock (the list, its JSON text, the orbital copy).
  constexpr double kProgramBytes = 100 << 20;  // the program itself, its libraries and GDAL
  constexpr double kBytesPerTruthCell = 16, kBytesPerOrbitalCell = 100, kBytesPerRock = 400;
  const double area_m2 = request.size_x_m * request.size_y_m;
  const double truth_cells = area_m2 / (request.resolution_m * request.resolution_m);
  const double orbital_m = std::isfinite(orbital_resolution_m) && orbital_resolution_m > 0
                               ? std::max(orbital_resolution_m, request.resolution_m)
                               : request.resolution_m;
  const double orbital_cells = area_m2 / (orbital_m * orbital_m);
  // The background rock field (ejecta near craters come on top and are not counted).
  const bool rim = request.preset == "jezero-rim";
  double rock_k = rim ? 0.10 : 0.0, min_rock_m = 0.10;
  if (const auto k = request.params.GetOptional("rock_k")) std::sscanf(k->c_str(), "%lf", &rock_k);
  if (const auto d = request.params.GetOptional("min_rock_diameter_m"))
    std::sscanf(d->c_str(), "%lf", &min_rock_m);
  double rocks = 0;
  if (std::isfinite(rock_k) && rock_k > 0 && std::isfinite(min_rock_m) && min_rock_m > 0)
    rocks = area_m2 * GolombekRappCount(std::min(rock_k, 0.5), std::max(min_rock_m, 0.01), 10.0);
  return kProgramBytes + truth_cells * kBytesPerTruthCell + orbital_cells * kBytesPerOrbitalCell +
         rocks * kBytesPerRock;
}

TerrainTruth GenerateTerrain(const GenerateRequest& request) {
  const PresetDef* preset = nullptr;
  for (const PresetDef* candidate : AllPresets()) {
    if (candidate->name == request.preset) preset = candidate;
  }
  MD_THROW_UNLESS(preset != nullptr, "unknown terrain preset '" + request.preset +
                                         "' (expected one of: " + PresetNames() + ")");
  std::set<std::string> allowed;
  for (const NumberParam& p : preset->params) allowed.insert(std::string(p.name));
  for (const PresetParamInfo& p : CommonParams()) allowed.insert(p.name);
  request.params.RequireOnly(allowed, "preset " + request.preset);

  const GridSpec spec = MakeSpec(request);
  internal::PresetContext context;
  context.spec = spec;
  context.seed = request.seed;
  context.detail_seed = ParseDetailSeed(request.params, request.seed);
  context.base_soil = ParseBaseSoil(request.params);
  context.params = &request.params;
  // Every numeric parameter is checked before any work, so a typo fails fast.
  for (const NumberParam& p : preset->params) (void)internal::Get(request.params, p);
  std::vector<Rock> explicit_rocks;
  if (const auto file = request.params.GetOptional("rocks")) {
    explicit_rocks = LoadExplicitRocks(*file, spec);
  }

  TerrainTruth truth = preset->generate(context);
  MD_DEMAND(truth.dem.spec() == spec && truth.classes.spec() == spec);
  truth.rocks.insert(truth.rocks.end(), explicit_rocks.begin(), explicit_rocks.end());

  // Provenance: every parameter's effective value (given, or the default), so that the record
  // alone reproduces the terrain.
  truth.preset = request.preset;
  truth.seed = request.seed;
  for (const auto& [key, value] : request.params.values()) truth.params[key] = value;
  for (const NumberParam& p : preset->params) {
    if (!std::isnan(p.default_value))
      truth.params.emplace(p.name, base::FormatExact(p.default_value));
  }
  truth.params.emplace("soil", std::string(ToString(context.base_soil)));
  truth.source.clear();
  return truth;
}

}  // namespace marsdrive::terrain

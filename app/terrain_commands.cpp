#include "app/terrain_commands.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/cli_parse.h"
#include "app/memory_option.h"
#include "app/option_ranges.h"
#include "app/out_dir.h"
#include "base/check.h"
#include "terrain/orbital.h"
#include "terrain/truth/dem_import.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/summary_json.h"
#include "terrain/truth/terrain_dir.h"

namespace marsdrive::app {

namespace fs = std::filesystem;
using namespace marsdrive::terrain;

namespace {

// "200x150" or "200" (square), metres.
std::pair<double, double> ParseSize(const std::string& text) {
  const auto x = text.find_first_of("xX");
  try {
    std::size_t used = 0;
    const double w = std::stod(text.substr(0, x), &used);
    MD_THROW_UNLESS(used == (x == std::string::npos ? text.size() : x), "");
    double h = w;
    if (x != std::string::npos) {
      const std::string rest = text.substr(x + 1);
      h = std::stod(rest, &used);
      MD_THROW_UNLESS(used == rest.size(), "");
    }
    MD_THROW_UNLESS(std::isfinite(w) && std::isfinite(h) && w > 0 && h > 0, "");
    return {w, h};
  } catch (const std::exception&) {
    throw InputError("--size '" + text + "': expected WIDTHxHEIGHT in metres, e.g. 200x200");
  }
}

// "x0,y0,x1,y1" in the DEM's projected CRS metres.
CropWindow ParseWindow(const std::string& text) {
  const auto v = ParseNumbers(text);
  MD_THROW_UNLESS(v && v->size() == 4 && (*v)[0] < (*v)[2] && (*v)[1] < (*v)[3],
                  "--window '" + text + "': expected x0,y0,x1,y1 with x0 < x1 and y0 < y1");
  return {(*v)[0], (*v)[1], (*v)[2], (*v)[3]};
}

void PrintSummaryLine(const fs::path& out, const TerrainSummary& s) {
  std::printf(
      "wrote %s: %d x %d cells at %.3g m, heights %.2f..%.2f m, slope p50 %.1f deg "
      "p95 %.1f deg, %zu rocks\n",
      out.string().c_str(), s.width_px, s.height_px, s.resolution_m, s.min_m, s.max_m,
      s.slope_deg.p50, s.slope_deg.p95, s.rock_count);
}

void PrintHumanSummary(const std::string& path, const TerrainSummary& s) {
  std::printf("%s\n", path.c_str());
  std::printf("  grid        %d x %d cells at %.4g m (%.1f m x %.1f m)\n", s.width_px, s.height_px,
              s.resolution_m, s.width_px * s.resolution_m, s.height_px * s.resolution_m);
  std::printf("  heights     min %.3f m, max %.3f m, mean %.3f m (%.1f %% valid)\n", s.min_m,
              s.max_m, s.mean_m, 100 * s.valid_fraction);
  std::printf("  slope       p50 %.1f deg, p95 %.1f deg, max %.1f deg\n", s.slope_deg.p50,
              s.slope_deg.p95, s.slope_deg.max);
  std::printf("  rocks       %zu (area fraction k = %.3f)\n", s.rock_count, s.rock_area_fraction);
  for (const auto& [name, fraction] : s.class_fractions) {
    std::printf("  %-11s %.1f %%\n", name.c_str(), 100 * fraction);
  }
}

struct GenerateOptions {
  std::string preset = "jezero-rim";
  std::vector<std::string> params;
  std::uint64_t seed = 1;
  std::string size = "200x200";
  double resolution_m = 0.05;
  double orbital_resolution_m = OrbitalParams{}.resolution_m;
  std::string out;
};

struct ImportOptions {
  std::string file;
  std::string out;
  std::string window;
  double resolution_m = 0;
  double rocks_k = -1;
  std::uint64_t seed = 1;
  bool fill_nodata = false;
  double orbital_resolution_m = OrbitalParams{}.resolution_m;
};

struct InfoOptions {
  std::string path;
  bool json = false;
};

std::string PresetHelp() {
  std::string help = "presets and their --param keys:\n";
  for (const PresetInfo& preset : ListPresets()) {
    help += "  " + preset.name + ": " + preset.help + "\n";
    for (const PresetParamInfo& p : preset.params) {
      help += "      " + p.name + " (default " + p.default_value + "): " + p.help + "\n";
    }
  }
  return help;
}

void RunGenerate(const GenerateOptions& o) {
  RequireOutDir(o.out);
  GenerateRequest request;
  request.preset = o.preset;
  request.params = ParamMap::Parse(o.params, "--param");
  request.seed = o.seed;
  std::tie(request.size_x_m, request.size_y_m) = ParseSize(o.size);
  request.resolution_m = o.resolution_m;
  if (std::isfinite(request.resolution_m) && request.resolution_m > 0) {
    const std::string memory =
        base::CheckMemoryEstimate("terrain generate " + o.preset + " of " + o.size + " m at " +
                                      FormatOptionValue(request.resolution_m) + " m",
                                  EstimateGenerateBytes(request, o.orbital_resolution_m),
                                  "a coarser --resolution or a smaller --size (or --max-memory)");
    MD_THROW_UNLESS(memory.empty(), memory);
  }
  const TerrainTruth truth = GenerateTerrain(request);
  OrbitalParams orbital_params;
  orbital_params.resolution_m = o.orbital_resolution_m;
  PrintSummaryLine(o.out,
                   WriteTerrainDir(o.out, truth, MakeOrbitalProducts(truth, orbital_params)));
}

void RunImport(const ImportOptions& o) {
  RequireOutDir(o.out);
  ImportRequest request;
  request.file = o.file;
  if (!o.window.empty()) request.window = ParseWindow(o.window);
  if (o.resolution_m != 0) {
    MD_THROW_UNLESS(o.resolution_m > 0 && std::isfinite(o.resolution_m),
                    "--resolution: expected a number > 0 (metres)");
    request.resolution_m = o.resolution_m;
  }
  if (o.rocks_k >= 0) request.rocks_k = o.rocks_k;
  request.seed = o.seed;
  request.fill_nodata = o.fill_nodata;
  const TerrainTruth truth = ImportDem(request);
  OrbitalParams orbital_params;
  orbital_params.resolution_m = o.orbital_resolution_m;
  PrintSummaryLine(o.out,
                   WriteTerrainDir(o.out, truth, MakeOrbitalProducts(truth, orbital_params)));
}

void RunInfo(const InfoOptions& o) {
  const fs::path path = o.path;
  MD_THROW_UNLESS(fs::exists(path), path.string() + ": no such file or directory");
  TerrainTruth truth;
  if (fs::is_directory(path)) {
    truth = LoadTerrainDir(path);
  } else {
    ImportRequest request;
    request.file = path;
    truth = ImportDem(request);
    truth.classes = {};  // a bare DEM has no soil classes: report none rather than a guess
  }
  const TerrainSummary summary = ComputeSummary(truth);
  if (o.json) {
    std::cout << SummaryToJson(summary).dump(2) << "\n";
  } else {
    PrintHumanSummary(path.string(), summary);
  }
}

}  // namespace

void AddTerrainCommands(CLI::App& app) {
  CLI::App* terrain = app.add_subcommand("terrain", "generate, import and inspect terrain");
  terrain->require_subcommand(1);

  auto generate_options = std::make_shared<GenerateOptions>();
  CLI::App* generate =
      terrain->add_subcommand("generate", "generate procedural terrain into a directory");
  generate->footer(PresetHelp());
  generate->add_option("--preset", generate_options->preset, "jezero-rim | flat | slope | step")
      ->capture_default_str();
  generate->add_option("--param", generate_options->params, "preset parameter key=value")
      ->allow_extra_args(false);
  generate->add_option("--seed", generate_options->seed, "random seed")->capture_default_str();
  generate->add_option("--size", generate_options->size, "WIDTHxHEIGHT in metres")
      ->capture_default_str();
  generate->add_option("--resolution", generate_options->resolution_m, "cell size in metres")
      ->capture_default_str();
  generate
      ->add_option("--orbital-resolution", generate_options->orbital_resolution_m,
                   "orbital DEM post spacing in metres")
      ->capture_default_str();
  generate->add_option("--out", generate_options->out, "output directory")->required();
  AddMaxMemoryOption(generate);
  generate->callback([generate_options] { RunGenerate(*generate_options); });

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = terrain->add_subcommand(
      "import", "import a real DEM (GeoTIFF, PDS3 .IMG, ISIS cube, ...) into a directory");
  import->add_option("file", import_options->file, "DEM file")->required();
  import->add_option("--out", import_options->out, "output directory")->required();
  AddMaxMemoryOption(import);
  import->add_option("--window", import_options->window,
                     "x0,y0,x1,y1 crop window in the DEM's projected coordinates (m)");
  import->add_option("--resolution", import_options->resolution_m,
                     "resample to this cell size (m)");
  import
      ->add_option("--rocks", import_options->rocks_k,
                   "decorate with a Golombek-Rapp rock field of area fraction K (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  import->add_option("--seed", import_options->seed, "random seed for decoration")
      ->capture_default_str();
  import->add_flag("--fill-nodata", import_options->fill_nodata,
                   "fill nodata holes by interpolation instead of masking them");
  import
      ->add_option("--orbital-resolution", import_options->orbital_resolution_m,
                   "orbital DEM post spacing in metres")
      ->capture_default_str();
  import->callback([import_options] { RunImport(*import_options);
});

auto info_options = std::make_shared<InfoOptions>();
CLI::App* info =
    terrain->add_subcommand("info", "summary statistics of a terrain directory or DEM file");
info->add_option("path", info_options->path, "terrain directory or DEM file")->required();
info->add_flag("--json", info_options->json, "print a JSON object");
AddMaxMemoryOption(info);
info->callback([info_options] { RunInfo(*info_options); });
}  // namespace marsdrive::app

}  // namespace marsdrive::app

#pragma once
// Procedural terrain: the Jezero-rim generator and the exact validation presets.

#include <cstdint>
#include <string>
#include <vector>

#include "io/params.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

struct GenerateRequest {
  std::string preset = "jezero-rim";  // jezero-rim | flat | slope | step
  ParamMap params;                    // preset parameters (see ListPresets())
  std::uint64_t seed = 1;
  double size_x_m = 200;       // extent east
  double size_y_m = 200;       // extent north
  double resolution_m = 0.05;  // cell size
};

struct PresetParamInfo {
  std::string name;
  std::string default_value;
  std::string help;
};
struct PresetInfo {
  std::string name;
  std::string help;
  std::vector<PresetParamInfo> params;
};

// Every preset with its parameters and defaults (for `--help` and errors).
const std::vector<PresetInfo>& ListPresets();

// Peak memory of generating `request` and writing it with orbital products at
// `orbital_resolution_m`, in bytes: an estimate from measurements (docs/limits.md), checked
// before anything is allocated.
double EstimateGenerateBytes(const GenerateRequest& request, double orbital_resolution_m);

// Generates ground truth; the map origin (0, 0) is the terrain's south-west corner.
// Throws InputError for an unknown preset, an unknown or malformed parameter, or a bad size.
TerrainTruth GenerateTerrain(const GenerateRequest& request);

}  // namespace marsdrive::terrain

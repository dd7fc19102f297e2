#pragma once
// Internal to the terrain generator (generate*.cpp): how a preset declares its parameters and
// how GenerateTerrain calls it. Not part of the terrain interface; include generate.h instead.

#include <charconv>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/params.h"
#include "terrain/grid.h"
#include "terrain/soil.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain::internal {

// A numeric `--param`: its default (NaN: computed by the preset, e.g. "middle of the map",
// described in the help text) and its accepted closed range.
struct NumberParam {
  std::string_view name;
  double default_value;
  double min_value;
  double max_value;
  std::string_view help;
};

// The value of `p` in `params` (its default when absent); InputError when malformed or out of
// range.
inline double Get(const ParamMap& params, const NumberParam& p) {
  return params.GetDouble(std::string(p.name), p.default_value, p.min_value, p.max_value);
}

// What every preset receives once GenerateTerrain has checked the request.
struct PresetContext {
  GridSpec spec;                  // the map: origin (0, 0) at the south-west corner
  std::uint64_t seed = 1;         // derive one stream per purpose: DeriveSeed(seed, tag)
  std::uint64_t detail_seed = 1;  // rocks and sand shapes: what a Monte Carlo repeat perturbs
  SoilClass base_soil = SoilClass::kRegolith;  // the common `soil=` parameter
  const ParamMap* params = nullptr;            // already checked against the preset's names
};

using PresetFunction = TerrainTruth (*)(const PresetContext&);

struct PresetDef {
  std::string_view name;
  std::string_view help;
  std::span<const NumberParam> params;  // numeric parameters (soil= and rocks= are common)
  PresetFunction generate;
};

// The exact validation presets (generate_presets.cpp): flat, slope, step.
std::span<const PresetDef> ValidationPresets();
// The procedural Jezero-rim generator (generate_jezero_rim.cpp).
const PresetDef& JezeroRimPreset();

// Stream tags for DeriveSeed(seed, tag): one per purpose, never reused for another.
enum SeedTag : std::uint64_t {
  kTagUniformRocks = 1,
  kTagRegional = 10,
  kTagRoughness = 11,  // + pyramid level (up to 32 levels)
  kTagCraters = 50,
  kTagCraterRocks = 51,
  kTagLedges = 52,
  kTagRocks = 53,
  kTagSandWarp = 54,
};

}  // namespace marsdrive::terrain::internal

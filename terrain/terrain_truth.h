#pragma once
// Ground truth: what the physics touches (ARCHITECTURE "two views of the terrain"). Planners
// never see this type; they get OrbitalProducts (terrain/orbital.h).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "terrain/height_map.h"
#include "terrain/rocks.h"
#include "terrain/soil.h"

namespace marsdrive::terrain {

struct TerrainTruth {
  HeightMap dem;                // full-resolution ground heights, rocks NOT included
  Grid<SoilClass> classes;      // same GridSpec as dem
  std::vector<Rock> rocks;      // every rock, each a separate body for the physics

  // Provenance, recorded in terrain.json.
  std::string preset;           // preset name, or "import"
  std::map<std::string, std::string> params;
  std::uint64_t seed = 0;
  std::string source;           // imported file name (empty for procedural)
};

}  // namespace marsdrive::terrain

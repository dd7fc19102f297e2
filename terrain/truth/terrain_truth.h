#pragma once
// Ground truth: what the physics touches (ARCHITECTURE "two views of the terrain"). Planners
// never see this type; they get OrbitalProducts (terrain/orbital.h, terrain/orbital_dir.h).

// The planners library compiles with MARSDRIVE_NO_GROUND_TRUTH (planners/CMakeLists.txt), so a
// planner that includes this header, directly or through generate.h, decorate.h, dem_import.h
// or terrain_dir.h, fails to build (checked by the planners_truth_guard ctest).
#ifdef MARSDRIVE_NO_GROUND_TRUTH
#error \
    "ground truth is off limits here (MARSDRIVE_NO_GROUND_TRUTH): planners may only see orbital products (terrain/orbital.h, terrain/orbital_dir.h)"
#endif

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "terrain/height_map.h"
#include "terrain/rocks.h"
#include "terrain/soil.h"

namespace marsdrive::terrain {

struct TerrainTruth {
  HeightMap dem;            // full-resolution ground heights, rocks NOT included
  Grid<SoilClass> classes;  // same GridSpec as dem
  std::vector<Rock> rocks;  // every rock, each a separate body for the physics

  // Provenance, recorded in terrain.json.
  std::string preset;  // preset name, or "import"
  std::map<std::string, std::string> params;
  std::uint64_t seed = 0;
  std::string source;  // imported file name (empty for procedural)
};

}  // namespace marsdrive::terrain

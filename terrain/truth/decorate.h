#pragma once
// Procedural detail below a DEM's resolution: a real 1 m/post DEM does not show a 0.4 m rock
// or where the sand lies, so imported terrain can be decorated with soil classes derived from
// its relief and a Golombek-Rapp rock field.

#include "base/random.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

struct DecorateParams {
  double rocks_k = 0.10;              // Golombek-Rapp total rock area fraction (terrain.md §2)
  double min_rock_diameter_m = 0.10;  // smaller rocks are left out
  double max_rock_diameter_m = 3.0;   // and larger ones (RockFieldParams' default)
  bool classes_from_relief = true;    // steep/convex -> bedrock, low and gentle -> sand
};

// Soil classes from the relief alone: steep or convex -> bedrock, low and gentle -> sand, else
// regolith; nodata cells -> kNodata.
Grid<SoilClass> ClassesFromRelief(const HeightMap& dem);

// Sets truth.classes from the relief (when asked) and appends a rock field to truth.rocks.
// Rocks are not placed on sand nor on nodata cells.
void DecorateTerrain(TerrainTruth& truth, const DecorateParams& params, Rng& rng);

}  // namespace marsdrive::terrain

#pragma once
// Orbital products read back from a terrain directory (the `orbital/` half of the layout in
// terrain/terrain_dir.h): what a ground planner loads. Reads nothing of the ground truth
// (truth_dem.tif, classes.tif, rocks.json are never opened), and this header includes no truth
// type, so planners can use it (see MARSDRIVE_NO_GROUND_TRUTH in terrain/terrain_truth.h).

#include <filesystem>

#include "terrain/orbital.h"

namespace marsdrive::terrain {

// terrain.json's schema (written with the ground truth by WriteTerrainDir).
inline constexpr const char* kTerrainSchema = "marsdrive/terrain/1";

// Loads DIR/orbital/{dem,slope,roughness,step,hazard,cost}.tif (float32), traversable.tif
// (byte), ortho.png, visible_rocks.json and the "orbital" and "crs" settings of
// DIR/terrain.json. Layers are read bit for bit (NaN nodata and +inf cost included), on the
// grid and georeference the products were made with, so
//   LoadOrbitalProducts(dir) == MakeOrbitalProducts(truth, params)
// for a directory written by WriteTerrainDir(dir, truth, that). The hillshade sun angles are not
// recorded in terrain.json: params.sun_* keep their defaults (the orthoimage already shows them).
// Throws InputError naming the missing or malformed file (and field).
OrbitalProducts LoadOrbitalProducts(const std::filesystem::path& terrain_dir);

}  // namespace marsdrive::terrain

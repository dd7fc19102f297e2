#pragma once
// A terrain directory on disk (the layout of `marsdrive terrain generate|import`):
//   terrain.json        schema marsdrive/terrain/1: preset, params, seed, size, resolution, CRS,
//                       summary statistics, list of files
//   truth_dem.tif       float32 GeoTIFF, ground heights (m)
//   classes.tif         byte GeoTIFF, SoilClass codes (255 = nodata)
//   rocks.json          every rock: x, y, diameter_m, height_m, shape_seed
//   orbital/{dem.tif, ortho.png, slope.tif, roughness.tif, step.tif, hazard.tif, sand.tif,
//            cost.tif}
// Written into a temporary sibling directory and renamed into place, so an interrupted write
// never leaves a directory that looks complete.

#include <filesystem>
#include <string>

#include "terrain/orbital.h"
#include "terrain/orbital_dir.h"  // kTerrainSchema
#include "terrain/truth/summary.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

// Returns the summary it recorded in terrain.json.
TerrainSummary WriteTerrainDir(const std::filesystem::path& dir, const TerrainTruth& truth,
                               const OrbitalProducts& orbital);

// Loads the ground truth back (truth_dem.tif, classes.tif, rocks.json, terrain.json
// provenance). Throws InputError naming the missing or malformed file.
TerrainTruth LoadTerrainDir(const std::filesystem::path& dir);

}  // namespace marsdrive::terrain

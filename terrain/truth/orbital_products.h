#pragma once
// Making orbital products from the ground truth: the one place that reads both (the truth side,
// marsdrive::terrain_truth; the products themselves are plain data in terrain/orbital.h).

#include <filesystem>

#include "terrain/orbital.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

// Derives orbital products from ground truth (the only function that reads both types).
OrbitalProducts MakeOrbitalProducts(const TerrainTruth& truth, const OrbitalParams& params);

// Writes the orthoimage as an 8-bit RGB PNG (deterministic bytes).
void WriteOrthoPng(const std::filesystem::path& path, const OrthoImage& ortho);

}  // namespace marsdrive::terrain

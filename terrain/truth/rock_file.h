#pragma once
// Explicit rock lists (scenario `terrain.rocks` files, a terrain directory's rocks.json): ground
// truth, so on the truth side (marsdrive::terrain_truth), out of planners' reach.

#include <filesystem>
#include <vector>

#include "terrain/rocks.h"

namespace marsdrive::terrain {

// Loads a rock list file (terrain/rock_list.h: YAML, or JSON when the name ends in .json).
// Throws InputError naming the file (missing, too large), the item index and the field.
std::vector<Rock> LoadRockFile(const std::filesystem::path& path);

}  // namespace marsdrive::terrain

#pragma once
// Parsing a rock list (YAML or JSON: a list of maps with `x`, `y`, `diameter_m` and optional
// `height_m`, `shape_seed`): the format of a scenario's `terrain.rocks`, a terrain directory's
// rocks.json (truth) and orbital/visible_rocks.json (what an orbiter sees). Reading a file by
// path is LoadRockFile, on the truth side (terrain/truth/rock_file.h).

#include <string>
#include <vector>

#include "terrain/rocks.h"

namespace marsdrive::terrain {

// JSON when `file` ends in ".json", YAML otherwise. Height defaults to kRockHeightPerDiameter *
// diameter_m. Throws InputError naming `file`, the item index and the field.
std::vector<Rock> ParseRockList(const std::string& text, const std::string& file);

}  // namespace marsdrive::terrain

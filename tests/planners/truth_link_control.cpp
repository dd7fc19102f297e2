// The control for planners_truth_link: a library that reads the ground truth the way a planner
// must not (built WITHOUT MARSDRIVE_NO_GROUND_TRUTH, as if someone dropped the compile guard).
// truth_link_check.sh must find these references, or it would also miss them in the planners.
#include <filesystem>

#include "terrain/truth/rock_file.h"
#include "terrain/truth/terrain_dir.h"

namespace marsdrive::planners::test {

std::size_t CountEveryRock(const std::filesystem::path& terrain_dir) {
  return terrain::LoadTerrainDir(terrain_dir).rocks.size() +
         terrain::LoadRockFile(terrain_dir / "rocks.json").size();
}

}  // namespace marsdrive::planners::test

// Compiled by the planners_truth_guard ctest with the planners library's own compile
// definitions (MARSDRIVE_NO_GROUND_TRUTH): a planner reaching for the ground truth must fail to
// build, with terrain/terrain_truth.h's #error.
#include "terrain/truth/terrain_truth.h"

int TruthGuardProbe() { return static_cast<int>(sizeof(marsdrive::terrain::TerrainTruth)); }

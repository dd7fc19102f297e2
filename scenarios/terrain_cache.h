#pragma once
// Terrains of scenarios, built once and found again by a key hashed from everything that
// determines them (the spec, its seeds, the content of any file it reads, the generator's
// version), so a suite does not regenerate the same terrain for every planner. Safe to share
// between processes: a per-key file lock makes one build while others wait, and a finished
// terrain appears by an atomic rename.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace marsdrive::scenarios {

// Bump when a change to terrain generation or import changes what a spec produces.
// 2: orbital sand layer (orbital/sand.tif) and sand in the cost map.
inline constexpr int kTerrainCacheVersion = 2;

struct TerrainRequest {
  TerrainSpec spec;
  std::uint64_t seed = 1;                    // landforms (the scenario's seed)
  std::optional<std::uint64_t> detail_seed;  // rocks and sand shapes (a suite seed's repeat)
  // Discs cleared of rocks (x, y, radius in map metres): where the rover is parked at the
  // start, whatever rocks a seed scatters.
  std::vector<std::array<double, 3>> clear_discs;
};

// The cache key: 16 hex digits.
std::string TerrainKey(const TerrainRequest& request);

// The cache root the environment names: $MARSDRIVE_CACHE_DIR, else $MARSDRIVE_CACHE (the name
// `marsdrive submit` documents); two names for one folder, terrains in ROOT/terrain. nullopt
// when neither is set.
std::optional<std::filesystem::path> CacheRootFromEnvironment();

// The user's terrain cache: CacheRootFromEnvironment()/terrain, else $XDG_CACHE_HOME/marsdrive/
// terrain, else ~/.cache/marsdrive/terrain, else `fallback`.
std::filesystem::path DefaultTerrainCache(const std::filesystem::path& fallback);

// The terrain directory <cache_root>/<key>, built if missing. Throws InputError for a bad
// spec (unknown preset parameter, unreadable DEM, ...), naming `source` (the scenario file).
std::filesystem::path EnsureTerrain(const TerrainRequest& request,
                                    const std::filesystem::path& cache_root,
                                    const std::string& source);

}  // namespace marsdrive::scenarios

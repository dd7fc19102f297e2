#pragma once
// Colour images of the map layers drawn over the terrain (slope, rock hazard, cost, soil
// classes), made without OpenGL. Row 0 is the SOUTH edge (the grids' order).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "terrain/orbital.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::viewer {

enum class OverlayKind { kSlope = 0, kHazard, kCost, kClasses };
inline constexpr int kOverlayKindCount = 4;
const char* ToString(OverlayKind kind);  // "slope", "hazard", "cost", "classes"
std::optional<OverlayKind> ParseOverlayKind(std::string_view text);

struct RgbaImage {
  terrain::GridSpec spec;          // the cells the pixels cover (row 0 south)
  std::vector<std::uint8_t> rgba;  // width * height * 4
};

// Slope: green 0 deg to red at the rover's slope limit, purple beyond; hazard: transparent to
// orange; cost: blue (1) to red, lethal (inf) dark red; classes: regolith tan, bedrock grey, sand
// yellow. At most max_size pixels a side (classes are downsampled by nearest cell).
RgbaImage MakeOverlayImage(const terrain::OrbitalProducts& orbital,
                           const terrain::TerrainTruth& truth, OverlayKind kind,
                           int max_size = 2048);

}  // namespace marsdrive::viewer

#pragma once
// The orbital map as a picture, drawn once for the VLM prompt (the picture the model plans on)
// and the suite report: the orbital orthoimage (or, without one, a
// hillshade of the orbital DEM) with a labelled metric grid, a scale bar, a north arrow, the
// start and goal markers, the keep-out zones and optionally a slope or hazard overlay, encoded
// as PNG. Orbital products only (PlanProblem::orbital): nothing here sees ground truth.
//
// Layout: the map fills a rectangle inside margins that hold the axis labels; north is up and
// one pixel is `metres_per_px` in both directions. The whole image is at most max_side_px on
// its longer side: big maps are downscaled, small ones enlarged, and the brief states the scale.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "planners/plan_types.h"

namespace marsdrive::planners {

enum class Overlay {
  kNone,
  kSlope,   // orbital slope, green (flat) -> yellow -> red (the rover's slope limit and above)
  kHazard,  // cells the cost map blocks: lethal or over the rover's limits, tinted red
};
const char* ToString(Overlay overlay);  // "none", "slope", "hazard"
std::optional<Overlay> ParseOverlay(std::string_view name);

struct MapRenderOptions {
  int max_side_px = 1024;  // longer side of the whole image, margins included (>= 256)
  Overlay overlay = Overlay::kHazard;
};

// Marker colours (RGB), drawn last and opaque: a marker's centre pixel has exactly this colour.
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};
inline constexpr Rgb kStartColor{0, 255, 0};     // start: green disc
inline constexpr Rgb kGoalColor{255, 0, 255};    // goal: magenta disc, tolerance ring
inline constexpr Rgb kKeepOutColor{255, 48, 0};  // keep-out outline (and a translucent fill)

// Pixel coordinates in the image: u to the right (east), v down (south); (0, 0) is the centre of
// the top-left pixel.
struct Pixel {
  double u = 0, v = 0;
};

struct MapImage {
  std::vector<std::uint8_t> png;  // PNG file bytes (RGB, 8 bit)
  int width_px = 0, height_px = 0;
  // The map rectangle inside the image: its top-left pixel and size.
  int map_left_px = 0, map_top_px = 0, map_width_px = 0, map_height_px = 0;
  double metres_per_px = 1;
  double grid_step_m = 10;  // labelled grid line spacing
  double scale_bar_m = 10;  // length of the scale bar
  // The map extent (metres): x from min_x_m to max_x_m, y from min_y_m to max_y_m.
  double min_x_m = 0, min_y_m = 0, max_x_m = 0, max_y_m = 0;

  Pixel ToPixel(Point2 p) const {
    return {map_left_px + (p.x_m - min_x_m) / metres_per_px - 0.5,
            map_top_px + (max_y_m - p.y_m) / metres_per_px - 0.5};
  }
};

// Throws InputError when the problem has no orbital products (as CostMap does).
MapImage RenderMap(const PlanProblem& problem, const MapRenderOptions& options = {});

}  // namespace marsdrive::planners

#pragma once
// What the renderer draws, as plain data built without OpenGL (viewer/overlays.h,
// viewer/tracks.h): polylines of a constant width in pixels, ground ribbons of a width in
// metres, each tagged with its layer and the time window in which it shows.

#include <array>
#include <limits>
#include <string_view>
#include <vector>

#include "viewer/math3d.h"

namespace marsdrive::viewer {

struct Rgba {
  float r = 0, g = 0, b = 0, a = 1;
};
constexpr Rgba Rgb8(int r, int g, int b, float a = 1.0f) {
  return {static_cast<float>(r) / 255.0f, static_cast<float>(g) / 255.0f,
          static_cast<float>(b) / 255.0f, a};
}

// The palette. Wheel tracks are pale blue and path options black, as in the animations of the
// December 2025 drives.
inline constexpr Rgba kTrackColor = Rgb8(165, 215, 255);
inline constexpr Rgba kCompareTrackColor = Rgb8(255, 150, 60);
inline constexpr Rgba kRouteColor = Rgb8(255, 214, 40);
inline constexpr Rgba kCompareRouteColor = Rgb8(255, 80, 200);
inline constexpr Rgba kAlternativeColor = Rgb8(190, 140, 255, 0.9f);
inline constexpr Rgba kOptionSafeColor = Rgb8(0, 0, 0);
inline constexpr Rgba kOptionChosenColor = Rgb8(40, 255, 90);
inline constexpr Rgba kKeepOutColor = Rgb8(255, 40, 40);
inline constexpr Rgba kGoalColor = Rgb8(60, 255, 230);
inline constexpr Rgba kStartColor = Rgb8(255, 255, 255);
inline constexpr Rgba kSkippedWaypointColor = Rgb8(235, 235, 235);  // a white cross
// A rejected path option, coloured by its reason (vehicle::OptionCheck names).
Rgba RejectedOptionColor(std::string_view reason);
// A hazard marker, coloured by its kind (sim::HazardKind names).
Rgba HazardColor(std::string_view kind);
// A drive's end status (sim::DriveStatus names): green completed; the faults off_map (pink),
// rollover (violet, as its hazard) and sim_fault (red) stand out from the amber of a drive that
// stopped short (stuck, a limit, no safe path, time limit).
Rgba DriveStatusColor(std::string_view status);

// Layers the user can toggle; every drawn item belongs to one.
enum class Layer : int {
  kTerrain = 0,
  kOverlay,  // the slope / hazard / cost layer over the terrain
  kRocks,
  kRover,
  kTracks,
  kRoute,           // planned route and its waypoints, start and goal
  kAlternatives,    // other routes the planner considered
  kPathOptions,     // AutoNav's path options at the current decision
  kAllPathOptions,  // ... at every decision so far
  kKeepOuts,
  kHazards,
  kCompare,  // the second run of a comparison
  kTrials,   // a plan check's trial tracks and failure points (viewer/check_overlays.h)
  kCount,
};
inline constexpr int kLayerCount = static_cast<int>(Layer::kCount);
// "terrain", "overlay", "rocks", "rover", "tracks", "route", "alternatives", "options",
// "all-options", "keep-outs", "hazards", "compare", "trials".
const char* ToString(Layer layer);
std::array<bool, kLayerCount> DefaultLayers();

inline constexpr float kAlways = std::numeric_limits<float>::infinity();

// A polyline drawn `width_px` wide whatever the zoom, visible while t0 <= time < t1.
struct Polyline {
  std::vector<Vec3f> points;
  Rgba color;
  float width_px = 2;
  Layer layer = Layer::kRoute;
  float t0_s = -kAlways, t1_s = kAlways;
};

// A ribbon laid on the ground (wheel tracks): each point appears at its time.
struct Ribbon {
  std::vector<Vec3f> points;
  std::vector<float> times_s;  // one per point, non-decreasing
  float width_m = 0.4f;
  Rgba color;
  Layer layer = Layer::kTracks;
};

}  // namespace marsdrive::viewer

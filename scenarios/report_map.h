#pragma once
// The report's map of one scenario: the orthoimage with its metric grid, keep-outs, start and
// goal (planners/vlm/map_render.h draws those), then per run its planned waypoints, its driven
// track (one colour per planner) and its hazard events, encoded as PNG.
//
// Tracks are drawn 2 px wide without anti-aliasing, so a track pixel has exactly its planner's
// colour (tests check it); planned routes are thinner and lighter; hazards are yellow crosses.
// Optional wide segments go under everything else (the plan check colours its legs by risk).

#include <string>
#include <vector>

#include "planners/map_render.h"
#include "planners/plan_types.h"

namespace marsdrive::scenarios {

using MapColor = planners::Rgb;

inline constexpr MapColor kHazardColor{255, 221, 0};

// Distinct colours for planners, in order of first appearance (cycling after ten).
MapColor PlannerColor(std::size_t index);

struct MapRun {
  MapColor color;
  std::vector<planners::Point2> waypoints;  // planned (empty when none)
  std::vector<planners::Point2> track;      // driven, truth positions
  std::vector<planners::Point2> hazards;    // where hazard events started
};

// A straight band from `from` to `to`, drawn opaque without anti-aliasing.
struct MapSegment {
  planners::Point2 from, to;
  MapColor color;
  int width_px = 7;
};

struct MapScene {
  planners::Pose2 start;
  planners::GoalRegion goal;
  std::vector<planners::KeepOut> keep_outs;
  std::vector<MapRun> runs;               // drawn in order: later runs on top
  std::vector<MapSegment> segments = {};  // drawn first, in order, under the runs
};

// Throws InputError when the products are empty.
planners::MapImage RenderScenarioMap(const terrain::OrbitalProducts& orbital, const MapScene& scene,
                                     int max_side_px = 800);

// The <img> element of a rendered map: the PNG inline (data: URI), its size, and the metric
// frame (data-min-x-m, data-max-y-m, data-metres-per-px, data-map-left-px, data-map-top-px) that
// tests and scripts use to find a map point's pixel. `alt` is escaped.
std::string MapImageHtml(const planners::MapImage& image, const std::string& alt);

}  // namespace marsdrive::scenarios

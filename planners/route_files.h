#pragma once
// Routes and keep-out zones as operators write them, in map coordinates (metres, ENU).

#include <filesystem>
#include <vector>

#include "planners/plan_types.h"

namespace marsdrive::planners {

// Waypoints from a file, by extension:
//   .yaml / .yml       a list of [x, y] or {x: .., y: ..} (or such a list under `waypoints:`)
//   .csv               a header naming columns x and y (any order, others ignored), then one
//                      waypoint per line; blank lines and lines starting with '#' are skipped
//   .geojson / .json   a GeoJSON LineString (bare geometry, a Feature, or the first LineString
//                      of a FeatureCollection), or a marsdrive plan.json (its waypoints)
// Throws InputError naming the file, the item (or line) and what was expected.
std::vector<Point2> LoadWaypointFile(const std::filesystem::path& path);

// Keep-out polygons from GeoJSON: Polygon and MultiPolygon geometries, bare, in a Feature or a
// FeatureCollection (each polygon's exterior ring; holes are ignored, which keeps the rover
// out of them too). The name is properties.name, else properties.id, else "feature N".
// Throws InputError naming the file and the feature.
std::vector<KeepOut> LoadKeepOutFile(const std::filesystem::path& path);

}  // namespace marsdrive::planners

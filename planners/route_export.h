#pragma once
// A plan's route for other tools: GeoJSON, and a small XML route document in the spirit of a
// rover sequence (our own schema, marsdrive/route-xml/1, documented in docs/planners.md).
// `marsdrive plan --out DIR` writes both beside plan.json, for every planner.
//
// Coordinates are map metres (ENU: x east, y north, origin at the terrain's south-west corner),
// not longitude/latitude: GeoJSON readers that assume WGS84 must be told (the collection says
// so in its "crs_note"). LoadWaypointFile reads route.geojson back (its first LineString).

#include <string>

#include "planners/plan_types.h"

namespace marsdrive::planners {

inline constexpr const char* kRouteXmlSchema = "marsdrive/route-xml/1";

// A FeatureCollection: one LineString feature "route" (properties: planner, status, reason,
// waypoint_count, length_m) followed by one Point feature per waypoint (properties: index,
// rationale when the planner gave one). `orbital_dir`: where the map came from (provenance).
std::string RouteGeoJsonText(const PlanResult& result, const std::string& orbital_dir);

// <route_sequence schema="marsdrive/route-xml/1" ...> with the start, the goal and one
// GOTO_WAYPOINT step per waypoint after the start (see docs/planners.md).
std::string RouteXmlText(const PlanResult& result, const PlanProblem& problem,
                         const std::string& orbital_dir);

}  // namespace marsdrive::planners

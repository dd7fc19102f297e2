#pragma once
// What the VLM planner says to the model: the system prompt, the brief that goes with the map
// image (rover limits, map size and scale, coordinate convention, rules, the exact answer
// format), the critique sent back when a route breaks the rules, and the JSON Schema of the
// answer (for the `schema` answer mode). Orbital facts only.

#include <string>
#include <vector>

#include "planners/cost_map.h"
#include "planners/map_render.h"
#include "planners/plan_types.h"

namespace marsdrive::planners::vlm {

struct BriefOptions {
  double segment_m = 10;      // the suggested leg length (the real drives used ~10 m)
  double max_spacing_m = 20;  // the hard limit on a leg (already capped by the problem's)
  int max_rounds = 3;         // revisions the model will be offered
  Overlay overlay = Overlay::kHazard;
};

std::string SystemPrompt();

// The first message's text (it goes after the map image).
std::string MapBrief(const PlanProblem& problem, const MapImage& image,
                     const BriefOptions& options);

// The answer's JSON Schema (waypoints of {x, y, rationale}; no other keys), as text.
std::string RouteAnswerSchemaJson();

// Sent back when the answer could not be read: `error` (from ParseRouteAnswer) and the format.
std::string ParseErrorCritique(int round, const std::string& error);

// Sent back when the route breaks the rules: every violation (which leg or waypoint, where,
// why), the route as checked, numbered from 0 = the start, and the request to revise it.
std::string ViolationCritique(int round, const std::vector<RouteViolation>& violations,
                              const std::vector<Point2>& route);

}  // namespace marsdrive::planners::vlm

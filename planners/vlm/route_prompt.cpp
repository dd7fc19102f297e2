#include "planners/vlm/route_prompt.h"

#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace marsdrive::planners::vlm {

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr std::size_t kMaxListedViolations = 20;

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.6g", std::abs(value) < 1e-12 ? 0.0 : value);
  return text;
}

// "(12.5, 40)", built by appending (g++ 12's -Wrestrict false positive on "(" + string).
std::string Pt(Point2 p) {
  std::string text = "(";
  text += Num(p.x_m);
  text += ", ";
  text += Num(p.y_m);
  return text + ")";
}

constexpr const char* kAnswerFormat =
    "Answer with exactly one JSON object and nothing else, of this form:\n"
    "{\"waypoints\": [{\"x\": 15.0, \"y\": 22.5, \"rationale\": \"why this leg\"}, ...]}\n"
    "- \"x\" and \"y\" are numbers in map metres; \"rationale\" is a short sentence about the "
    "leg that ends at this waypoint (what it avoids or follows).\n"
    "- List the waypoints in driving order. Do not repeat the start; the last waypoint must lie "
    "within the goal tolerance.\n";

}  // namespace

std::string SystemPrompt() {
  return "You are a rover planner for a Mars rover (a Perseverance-class rocker-bogie rover). "
         "You plan drives from orbital data only: an annotated orbital image and the facts in "
         "the brief. You build the route from short straight legs, check each leg against the "
         "hazards you can see, and answer with exactly one JSON object in the format the brief "
         "gives.";
}

std::string MapBrief(const PlanProblem& problem, const MapImage& image,
                     const BriefOptions& options) {
  const terrain::OrbitalProducts& o = *problem.orbital;
  const terrain::GridSpec& s = o.spec();
  const RouteLimits& limits = problem.limits;
  const double margin_m = 0.5 * limits.footprint_diameter_m;
  std::string b;
  b += "Plan a drive for the rover on the orbital map in the image.\n\n";

  b += "MAP AND IMAGE\n";
  b += "- The map covers x " + Num(image.min_x_m) + " to " + Num(image.max_x_m) + " m and y " +
       Num(image.min_y_m) + " to " + Num(image.max_y_m) + " m (" + Num(s.WidthM()) + " m x " +
       Num(s.HeightM()) + " m); the orbital elevation model has " + Num(s.resolution_m) +
       " m cells";
  if (o.ortho.width_px > 0) {
    b += "; the image is an orbital orthoimage (" + Num(o.ortho.resolution_m) +
         " m/pixel originally)";
  } else {
    b += "; the image is a hillshade of the orbital elevation model (light from the north-west)";
  }
  b += ".\n";
  b += "- The image is " + std::to_string(image.width_px) + " x " +
       std::to_string(image.height_px) + " pixels; the map occupies the rectangle from pixel (" +
       std::to_string(image.map_left_px) + ", " + std::to_string(image.map_top_px) + ") over " +
       std::to_string(image.map_width_px) + " x " + std::to_string(image.map_height_px) +
       " pixels, at " + Num(image.metres_per_px) + " m per pixel (the map was " +
       (image.metres_per_px > s.resolution_m ? "downscaled" : "scaled") + " to fit).\n";
  b += "- North is up. Grid lines every " + Num(image.grid_step_m) +
       " m are labelled in metres along the bottom (x) and left (y) edges; the scale bar at the "
       "bottom left is " +
       Num(image.scale_bar_m) + " m long; the arrow at the top right points north.\n";
  b += "- Coordinates: x east, y north, in metres; the origin (" + Num(image.min_x_m) + ", " +
       Num(image.min_y_m) + ") is the south-west (bottom-left) corner of the map.\n";
  switch (options.overlay) {
    case Overlay::kHazard:
      b += "- Red tint: cells the orbital data mark as impassable (too steep, a step or a rock "
           "too tall for the rover, or no data).\n";
      break;
    case Overlay::kSlope:
      b += "- Colour tint: slope from green (flat) through yellow to red (" +
           Num(limits.max_slope_rad * kRadToDeg) + " degrees, the rover's limit, and steeper).\n";
      break;
    case Overlay::kNone:
      break;
  }
  b += "- Green disc START at " + Pt({problem.start.x_m, problem.start.y_m}) + " (rover heading " +
       Num(problem.start.yaw_rad * kRadToDeg) +
       " degrees counter-clockwise from east); magenta disc GOAL at " +
       Pt({problem.goal.x_m, problem.goal.y_m}) + " with a ring of radius " +
       Num(problem.goal.tolerance_m) + " m (the goal tolerance).\n";
  if (!problem.keep_outs.empty()) {
    b += "- Keep-out zones (orange-red outlines), polygons in map metres:\n";
    for (std::size_t k = 0; k < problem.keep_outs.size(); ++k) {
      const KeepOut& z = problem.keep_outs[k];
      b += "  - ";
      if (z.name.empty()) {
        b += '#';
        b += std::to_string(k);
      } else {
        b += z.name;
      }
      b += ":";
      for (const Point2& p : z.polygon) {
        b += ' ';
        b += Pt(p);
      }
      b += "\n";
    }
  }

  b += "\nROVER LIMITS\n";
  b += "- Footprint: a disc of " + Num(limits.footprint_diameter_m) +
       " m diameter; the rover's centre must stay at least " + Num(margin_m) +
       " m from every keep-out zone.\n";
  b += "- Slope at most " + Num(limits.max_slope_rad * kRadToDeg) + " degrees; steps at most " +
       Num(limits.max_step_m) + " m; no rocks taller than the rover can climb.\n";

  b += "\nRULES\n";
  b += "- Build the route from straight legs of about " + Num(options.segment_m) +
       " m; no leg (the first one from the start included) may be longer than " +
       Num(options.max_spacing_m) + " m.\n";
  b += "- Every waypoint and every straight leg between waypoints must stay on the map, off "
       "impassable cells, within the slope and step limits, and out of the keep-out zones with "
       "the margin above.\n";
  b += "- Prefer smooth, gentle ground; avoid boulder fields, outcrops, scarps and sand ripples "
       "you can see in the image, even where they are not marked.\n";
  b += "- The route is checked against the orbital cost map; problems are sent back to you for "
       "a revision (up to " +
       std::to_string(options.max_rounds) + " revisions).\n";

  b += "\nANSWER FORMAT\n";
  b += kAnswerFormat;
  return b;
}

std::string RouteAnswerSchemaJson() {
  return R"({"type": "object",
  "properties": {"waypoints": {"type": "array",
    "description": "waypoints in driving order, without the start; map metres",
    "items": {"type": "object",
      "properties": {"x": {"type": "number", "description": "map x, metres east"},
                     "y": {"type": "number", "description": "map y, metres north"},
                     "rationale": {"type": "string", "description": "why this leg"}},
      "required": ["x", "y", "rationale"], "additionalProperties": false}}},
  "required": ["waypoints"], "additionalProperties": false})";
}

std::string ParseErrorCritique(int round, const std::string& error) {
  std::string text = "Your answer in round " + std::to_string(round) + " could not be used: ";
  text += error;
  text += ".\n";
  text += kAnswerFormat;
  return text;
}

std::string ViolationCritique(int round, const std::vector<RouteViolation>& violations,
                              const std::vector<Point2>& route) {
  std::string text = "Your route in round " + std::to_string(round) +
                     " was checked against the orbital cost map and cannot be driven as is:\n";
  for (std::size_t i = 0; i < violations.size() && i < kMaxListedViolations; ++i) {
    text += "- ";
    text += violations[i].message;
    text += "\n";
  }
  if (violations.size() > kMaxListedViolations) {
    text += "- ... and " + std::to_string(violations.size() - kMaxListedViolations) +
            " more problems\n";
  }
  text +=
      "The route as checked (waypoint 0 is the start; segment i-j is the leg from waypoint i "
      "to waypoint j):";
  for (std::size_t i = 0; i < route.size(); ++i) {
    text += ' ';
    text += std::to_string(i);
    text += ' ';
    text += Pt(route[i]);
    text += i + 1 < route.size() ? ";" : ".";
  }
  text +=
      "\nRevise the route so that it fixes every problem listed and keeps to the rules of "
      "the first message.\n";
  text += kAnswerFormat;
  return text;
}

}  // namespace marsdrive::planners::vlm

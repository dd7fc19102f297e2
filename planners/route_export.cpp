#include "planners/route_export.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <string>

#include <nlohmann/json.hpp>

#include "io/markup_escape.h"
#include "planners/cost_map.h"

namespace marsdrive::planners {

namespace {

using Json = nlohmann::ordered_json;

// Shortest round-trip form ("12.5", "1e-07"), so a route reads back bit for bit.
std::string Num(double value) {
  if (!std::isfinite(value)) return "nan";
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return ec == std::errc() ? std::string(text, end) : "nan";
}

std::string XmlEscape(const std::string& text) { return EscapeMarkup(text, true); }

std::string Attr(const char* name, const std::string& value) {
  std::string text = " ";
  text += name;
  text += "=\"";
  text += XmlEscape(value);
  return text + "\"";
}

double ToDegrees(double rad) { return std::round(rad * 180.0 / std::numbers::pi * 1e12) / 1e12; }

const std::string& RationaleAt(const PlanResult& result, std::size_t i) {
  static const std::string kNone;
  return i < result.rationale.size() ? result.rationale[i] : kNone;
}

}  // namespace

std::string RouteGeoJsonText(const PlanResult& result, const std::string& orbital_dir) {
  Json line = Json::array();
  for (const Point2& p : result.waypoints) line.push_back({p.x_m, p.y_m});
  Json features = Json::array();
  features.push_back({{"type", "Feature"},
                      {"properties",
                       {{"name", "route"},
                        {"planner", result.planner},
                        {"status", ToString(result.status)},
                        {"reason", result.reason},
                        {"waypoint_count", result.waypoints.size()},
                        {"length_m", RouteLength(result.waypoints)}}},
                      {"geometry", {{"type", "LineString"}, {"coordinates", std::move(line)}}}});
  for (std::size_t i = 0; i < result.waypoints.size(); ++i) {
    const Point2& p = result.waypoints[i];
    Json properties = {{"index", i}};
    if (!RationaleAt(result, i).empty()) properties["rationale"] = RationaleAt(result, i);
    features.push_back({{"type", "Feature"},
                        {"properties", std::move(properties)},
                        {"geometry", {{"type", "Point"}, {"coordinates", {p.x_m, p.y_m}}}}});
  }
  const Json doc = {
      {"type", "FeatureCollection"},
      {"crs_note",
       "map frame: metres, x east, y north, origin at the terrain's south-west corner (not "
       "WGS84)"},
      {"orbital_dir", orbital_dir},
      {"features", std::move(features)}};
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string RouteXmlText(const PlanResult& result, const PlanProblem& problem,
                         const std::string& orbital_dir) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<!-- marsdrive route: map metres, x east, y north, origin at the terrain's south-west "
       "corner; see docs/planners.md -->\n";
  x += "<route_sequence";
  x += Attr("schema", kRouteXmlSchema);
  x += Attr("planner", result.planner);
  x += Attr("status", ToString(result.status));
  x += Attr("frame", "map_enu");
  x += Attr("units", "m");
  x += Attr("orbital_dir", orbital_dir);
  x += ">\n";
  // Appended piece by piece: g++ 12 warns -Wrestrict (a false positive) on "literal" + string.
  if (!result.reason.empty()) {
    x += "  <reason>";
    x += XmlEscape(result.reason);
    x += "</reason>\n";
  }
  x += "  <start";
  x += Attr("x", Num(problem.start.x_m));
  x += Attr("y", Num(problem.start.y_m));
  x += Attr("yaw_deg", Num(ToDegrees(problem.start.yaw_rad)));
  x += "/>\n  <goal";
  x += Attr("x", Num(problem.goal.x_m));
  x += Attr("y", Num(problem.goal.y_m));
  x += Attr("tolerance_m", Num(problem.goal.tolerance_m));
  const std::size_t steps = result.waypoints.empty() ? 0 : result.waypoints.size() - 1;
  x += "/>\n  <steps";
  x += Attr("count", std::to_string(steps));
  x += ">\n";
  for (std::size_t i = 1; i < result.waypoints.size(); ++i) {
    const Point2 a = result.waypoints[i - 1], b = result.waypoints[i];
    x += "    <step";
    x += Attr("seq", std::to_string(i));
    x += Attr("command", "GOTO_WAYPOINT");
    x += Attr("x", Num(b.x_m));
    x += Attr("y", Num(b.y_m));
    x += Attr("leg_m", Num(std::hypot(b.x_m - a.x_m, b.y_m - a.y_m)));
    const std::string& why = RationaleAt(result, i);
    if (why.empty()) {
      x += "/>\n";
    } else {
      x += ">\n      <rationale>";
      x += XmlEscape(why);
      x += "</rationale>\n    </step>\n";
    }
  }
  x += "  </steps>\n";
  if (!result.commands.empty()) {
    x += "  <drive_commands>";
    x += XmlEscape(result.commands);
    x += "</drive_commands>\n";
  }
  x += "</route_sequence>\n";
  return x;
}

}  // namespace marsdrive::planners

#include "planners/plan_json.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/check.h"
#include "base/content_hash.h"
#include "io/json_reader.h"
#include "io/list_limits.h"
#include "io/text_file.h"
#include "terrain/orbital_dir.h"

namespace marsdrive::planners {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// ---------------------------------------------------------------------------------------------
// Writing

// Degrees for people: radians -> degrees rounded to 1e-12 deg, so 30 deg does not come back as
// 29.999999999999996 (an error below 1e-14 rad).
double ToDegrees(double rad) { return std::round(rad * kRadToDeg * 1e12) / 1e12; }

Json PointsJson(const std::vector<Point2>& points) {
  Json out = Json::array();
  for (const Point2& p : points) out.push_back({{"x", p.x_m}, {"y", p.y_m}});
  return out;
}

Json ScalarJson(const Scalar& value) {
  struct Visitor {
    Json operator()(bool v) const { return v; }
    Json operator()(std::int64_t v) const { return v; }
    Json operator()(double v) const { return std::isfinite(v) ? Json(v) : Json(nullptr); }
    Json operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, value);
}

Json NamedValuesJson(const std::vector<NamedValue>& values) {
  Json out = Json::object();
  for (const NamedValue& item : values) out[item.name] = ScalarJson(item.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading: every accessor names the source and the JSON path in its error.

class Reader : public JsonReader {
 public:
  using JsonReader::JsonReader;

  // At most `max` points (io/list_limits.h), checked before any is read.
  std::vector<Point2> Points(const Json& list, const std::string& path, std::size_t max,
                             const char* what) const {
    if (const std::string why = ListTooLong(list.size(), max, what); !why.empty()) Fail(path, why);
    std::vector<Point2> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item = path + "[" + std::to_string(i) + "]";
      const Json& p = list[i];
      if (p.is_array()) {
        if (p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
          Fail(item, "expected [x, y], got " + DescribeJson(p));
        }
        out.push_back({p[0].get<double>(), p[1].get<double>()});
      } else {
        out.push_back({Number(p, item, "x"), Number(p, item, "y")});
      }
      if (!std::isfinite(out.back().x_m) || !std::isfinite(out.back().y_m)) {
        Fail(item, "expected finite coordinates");
      }
    }
    return out;
  }
  std::vector<NamedValue> NamedValues(const Json& object, const std::string& path) const {
    std::vector<NamedValue> out;
    if (!object.is_object()) Fail(path, "expected an object");
    for (const auto& [key, v] : object.items()) {
      Scalar value;
      if (v.is_boolean()) {
        value = v.get<bool>();
      } else if (v.is_number_integer()) {
        value = v.get<std::int64_t>();
      } else if (v.is_number()) {
        value = v.get<double>();
      } else if (v.is_null()) {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (v.is_string()) {
        value = v.get<std::string>();
      } else {
        Fail(Join(path, key.c_str()), "expected a number, boolean, string or null");
      }
      out.push_back({key, std::move(value)});
    }
    return out;
  }
};

Json ParseJsonText(const std::string& text, const std::string& source) {
  return JsonReader(source).Parse(text);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Results

std::string PlanResultToJsonText(const PlanResult& result) {
  Json doc;
  doc["schema"] = kPlanSchema;
  doc["planner"] = result.planner;
  doc["params"] = NamedValuesJson(result.params);
  doc["status"] = ToString(result.status);
  doc["reason"] = result.reason;
  doc["waypoints"] = PointsJson(result.waypoints);
  // Model planners only: written when present, so other planners' plan.json is unchanged.
  if (!result.rationale.empty()) doc["rationale"] = result.rationale;
  doc["commands"] = result.commands;
  Json alternatives = Json::array();
  for (const Route& route : result.alternatives) {
    alternatives.push_back({{"label", route.label}, {"waypoints", PointsJson(route.waypoints)}});
  }
  doc["alternatives"] = std::move(alternatives);
  doc["diagnostics"] = NamedValuesJson(result.diagnostics);
  doc["log"] = result.log;
  if (!result.transcript.empty()) {
    Json transcript = Json::array();
    for (const TranscriptEntry& entry : result.transcript)
      transcript.push_back({{"role", entry.role}, {"text", entry.text}});
    doc["transcript"] = std::move(transcript);
  }
  doc["wall_time_s"] = result.wall_time_s;
  // A model's text may hold invalid UTF-8: replaced (U+FFFD), never an exception.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

PlanResult ParsePlanResult(const std::string& text, const std::string& source) {
  const Json doc = ParseJsonText(text, source);
  const Reader r(source);
  r.RequireSchema(doc, kPlanSchema);
  PlanResult result;
  const std::string status = r.String(doc, "", "status");
  const std::optional<PlanStatus> parsed = ParsePlanStatus(status);
  if (!parsed) r.Fail("status", "unknown status \"" + status + "\"");
  result.status = *parsed;
  result.planner = r.StringOr(doc, "", "planner", "");
  if (doc.contains("params")) result.params = r.NamedValues(doc["params"], "params");
  result.reason = r.StringOr(doc, "", "reason", "");
  result.waypoints =
      r.Points(r.Array(doc, "", "waypoints"), "waypoints", kMaxWaypoints, "waypoints");
  result.commands = r.StringOr(doc, "", "commands", "");
  if (doc.contains("rationale")) {
    const Json& list = r.Array(doc, "", "rationale");
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) r.Fail("rationale[" + std::to_string(i) + "]", "expected a string");
      result.rationale.push_back(list[i].get<std::string>());
    }
  }
  if (doc.contains("alternatives")) {
    const Json& list = r.Array(doc, "", "alternatives");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = "alternatives[" + std::to_string(i) + "]";
      result.alternatives.push_back({r.StringOr(list[i], path, "label", ""),
                                     r.Points(r.Array(list[i], path, "waypoints"),
                                              path + ".waypoints", kMaxWaypoints, "waypoints")});
    }
  }
  if (doc.contains("diagnostics")) {
    result.diagnostics = r.NamedValues(doc["diagnostics"], "diagnostics");
  }
  result.log = r.StringOr(doc, "", "log", "");
  if (doc.contains("transcript")) {
    const Json& list = r.Array(doc, "", "transcript");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = "transcript[" + std::to_string(i) + "]";
      result.transcript.push_back(
          {r.String(list[i], path, "role"), r.String(list[i], path, "text")});
    }
  }
  result.wall_time_s = r.NumberOr(doc, "", "wall_time_s", 0.0);
  return result;
}

PlanResult LoadPlanResult(const fs::path& path) {
  return ParsePlanResult(ReadTextFile(path), path.string());
}

// ---------------------------------------------------------------------------------------------
// Problems

std::string OrbitalFingerprint(const terrain::OrbitalProducts& orbital) {
  Fnv1a64 hash;
  const terrain::GridSpec& s = orbital.spec();
  const double spec_values[] = {static_cast<double>(s.width_px), static_cast<double>(s.height_px),
                                s.resolution_m, s.origin_x_m, s.origin_y_m};
  hash.Update(spec_values, sizeof spec_values);
  hash.Update(orbital.cost.Values().data(), orbital.cost.Values().size_bytes());
  hash.Update(orbital.traversable.Values().data(), orbital.traversable.Values().size_bytes());
  return "fnv1a64:" + hash.Hex();
}

std::string PlanProblemToJsonText(const PlanProblem& problem, const std::string& orbital_dir) {
  Json doc;
  doc["schema"] = kPlanProblemSchema;
  doc["orbital_dir"] = orbital_dir;
  if (problem.orbital) {
    const terrain::GridSpec& s = problem.orbital->spec();
    doc["orbital"] = {
        {"width_px", s.width_px},         {"height_px", s.height_px},
        {"resolution_m", s.resolution_m}, {"origin_x_m", s.origin_x_m},
        {"origin_y_m", s.origin_y_m},     {"fingerprint", OrbitalFingerprint(*problem.orbital)}};
  } else {
    doc["orbital"] = nullptr;
  }
  doc["start"] = {{"x", problem.start.x_m},
                  {"y", problem.start.y_m},
                  {"yaw_deg", ToDegrees(problem.start.yaw_rad)}};
  doc["goal"] = {
      {"x", problem.goal.x_m}, {"y", problem.goal.y_m}, {"tolerance_m", problem.goal.tolerance_m}};
  Json keep_outs = Json::array();
  for (const KeepOut& k : problem.keep_outs) {
    Json polygon = Json::array();
    for (const Point2& p : k.polygon) polygon.push_back({p.x_m, p.y_m});
    keep_outs.push_back({{"name", k.name}, {"polygon", std::move(polygon)}});
  }
  doc["keep_outs"] = std::move(keep_outs);
  const RouteLimits& l = problem.limits;
  doc["limits"] = {{"footprint_diameter_m", l.footprint_diameter_m},
                   {"max_slope_deg", ToDegrees(l.max_slope_rad)},
                   {"max_step_m", l.max_step_m},
                   {"max_waypoint_spacing_m", l.max_waypoint_spacing_m}};
  doc["time_budget_s"] = problem.time_budget_s;
  doc["seed"] = problem.seed;
  return doc.dump(2) + "\n";
}

PlanProblem ParsePlanProblem(const std::string& text, const std::string& source) {
  const Json doc = ParseJsonText(text, source);
  const Reader r(source);
  r.RequireSchema(doc, kPlanProblemSchema);
  PlanProblem problem;
  const Json& start = r.Member(doc, "", "start");
  problem.start = {r.Number(start, "start", "x"), r.Number(start, "start", "y"),
                   r.NumberOr(start, "start", "yaw_deg", 0.0) * kDegToRad};
  const Json& goal = r.Member(doc, "", "goal");
  problem.goal = {r.Number(goal, "goal", "x"), r.Number(goal, "goal", "y"),
                  r.NumberOr(goal, "goal", "tolerance_m", GoalRegion{}.tolerance_m)};
  if (!(problem.goal.tolerance_m > 0)) r.Fail("goal.tolerance_m", "expected a number > 0");
  if (doc.contains("keep_outs")) {
    const Json& list = r.Array(doc, "", "keep_outs");
    if (const std::string why = ListTooLong(list.size(), kMaxKeepOuts, "keep-out polygons");
        !why.empty()) {
      r.Fail("keep_outs", why);
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = "keep_outs[" + std::to_string(i) + "]";
      KeepOut k;
      k.name = r.StringOr(list[i], path, "name", "");
      k.polygon = r.Points(r.Array(list[i], path, "polygon"), path + ".polygon",
                           kMaxPolygonVertices, "vertices");
      if (k.polygon.size() < 3) r.Fail(path + ".polygon", "expected at least 3 vertices");
      problem.keep_outs.push_back(std::move(k));
    }
  }
  if (doc.contains("limits")) {
    const Json& l = r.Member(doc, "", "limits");
    RouteLimits& out = problem.limits;
    out.footprint_diameter_m =
        r.NumberOr(l, "limits", "footprint_diameter_m", out.footprint_diameter_m);
    out.max_slope_rad =
        r.NumberOr(l, "limits", "max_slope_deg", out.max_slope_rad * kRadToDeg) * kDegToRad;
    out.max_step_m = r.NumberOr(l, "limits", "max_step_m", out.max_step_m);
    out.max_waypoint_spacing_m =
        r.NumberOr(l, "limits", "max_waypoint_spacing_m", out.max_waypoint_spacing_m);
    if (!(out.footprint_diameter_m > 0)) r.Fail("limits.footprint_diameter_m", "expected > 0");
    if (!(out.max_slope_rad > 0)) r.Fail("limits.max_slope_deg", "expected > 0");
    if (!(out.max_step_m > 0)) r.Fail("limits.max_step_m", "expected > 0");
    if (!(out.max_waypoint_spacing_m >= kMinWaypointSpacing_m &&
          out.max_waypoint_spacing_m <= kMaxWaypointSpacing_m))
      r.Fail("limits.max_waypoint_spacing_m", "expected metres in [0.5, 10000]");
  }
  problem.time_budget_s = r.NumberOr(doc, "", "time_budget_s", problem.time_budget_s);
  if (!(problem.time_budget_s > 0)) r.Fail("time_budget_s", "expected a number > 0");
  if (doc.contains("seed")) {
    const Json& seed = doc["seed"];
    if (!seed.is_number_unsigned()) r.Fail("seed", "expected an integer >= 0");
    problem.seed = seed.get<std::uint64_t>();
  }
  return problem;
}

PlanProblem LoadPlanProblem(const fs::path& path, std::string* orbital_dir) {
  const std::string text = ReadTextFile(path);
  PlanProblem problem = ParsePlanProblem(text, path.string());
  const Reader r(path.string());
  const Json doc = ParseJsonText(text, path.string());
  // "terrain_dir": the field's name before the orbital products had their own target.
  const char* field =
      doc.contains("orbital_dir") || !doc.contains("terrain_dir") ? "orbital_dir" : "terrain_dir";
  const std::string named = r.StringOr(doc, "", field, "");
  MD_THROW_UNLESS(!named.empty(), path.string() + ": " + field +
                                      ": empty (the problem was built in memory; no orbital "
                                      "products to load)");
  fs::path dir = named;
  if (dir.is_relative()) dir = path.parent_path() / dir;
  auto orbital = std::make_shared<terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(dir));
  if (doc.contains("orbital") && doc["orbital"].is_object()) {
    const std::string recorded = r.StringOr(doc["orbital"], "orbital", "fingerprint", "");
    const std::string now = OrbitalFingerprint(*orbital);
    MD_THROW_UNLESS(recorded.empty() || recorded == now,
                    path.string() + ": orbital.fingerprint: the orbital products in " +
                        dir.string() + " changed since the problem was saved (" + recorded +
                        ", now " + now + ")");
  }
  problem.orbital = std::move(orbital);
  if (orbital_dir != nullptr) *orbital_dir = dir.lexically_normal().string();
  return problem;
}

}  // namespace marsdrive::planners

#include "planners/route_files.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/check.h"
#include "base/text.h"
#include "io/json_reader.h"
#include "io/list_limits.h"
#include "io/text_file.h"
#include "io/yaml_structure.h"
#include "planners/plan_json.h"

namespace marsdrive::planners {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (text.size() > 1 && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> SplitCsv(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const std::size_t comma = line.find(',');
    fields.push_back(Trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

std::vector<Point2> ReadYamlWaypoints(const fs::path& path) {
  const std::string name = path.string();
  YAML::Node root;
  try {
    const std::string text = ReadTextFile(path);
    CheckYamlStructure(text, name);  // duplicate keys, alias bombs: before the tree is built
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(name + ": not valid YAML (" + e.what() + ")");
  }
  std::string prefix;
  if (root.IsMap() && root["waypoints"]) {
    root = root["waypoints"];
    prefix = "waypoints";
  }
  MD_THROW_UNLESS(root.IsSequence(),
                  name + ": expected a list of waypoints ([x, y] or {x: .., y: ..})");
  const std::string too_many = ListTooLong(root.size(), kMaxWaypoints, "waypoints");
  MD_THROW_UNLESS(too_many.empty(), name + ": " + (prefix.empty() ? "" : prefix + ": ") + too_many);
  std::vector<Point2> out;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const YAML::Node item = root[i];
    const std::string where = name + ": " + prefix + "[" + std::to_string(i) + "]";
    auto number = [&](const YAML::Node& node, const char* field) {
      std::optional<double> value;
      if (node && node.IsScalar()) value = ParseNumber(node.Scalar());
      MD_THROW_UNLESS(value.has_value(), where + field + ": expected a finite number");
      return *value;
    };
    if (item.IsSequence()) {
      MD_THROW_UNLESS(item.size() == 2,
                      where + ": expected [x, y], got " + std::to_string(item.size()) + " values");
      out.push_back({number(item[0], "[0]"), number(item[1], "[1]")});
    } else if (item.IsMap()) {
      MD_THROW_UNLESS(item["x"] && item["y"], where + ": expected {x: .., y: ..}");
      out.push_back({number(item["x"], ".x"), number(item["y"], ".y")});
    } else {
      throw InputError(where + ": expected [x, y] or {x: .., y: ..}");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

std::vector<Point2> ReadCsvWaypoints(const fs::path& path) {
  const std::string name = path.string();
  std::istringstream in(ReadTextFile(path));
  std::string line;
  int line_number = 0;
  std::optional<std::size_t> x_col, y_col;
  std::size_t columns = 0;
  std::vector<Point2> out;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const std::vector<std::string_view> fields = SplitCsv(trimmed);
    const std::string where = name + ": line " + std::to_string(line_number);
    if (!x_col) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string field = Lower(std::string(fields[i]));
        if (field == "x" || field == "x_m") x_col = i;
        if (field == "y" || field == "y_m") y_col = i;
      }
      MD_THROW_UNLESS(x_col && y_col, where + ": expected a header naming columns x and y, got " +
                                          base::QuoteExcerpt(trimmed, 40, '\''));
      columns = fields.size();
      continue;
    }
    MD_THROW_UNLESS(fields.size() == columns, where + ": expected " + std::to_string(columns) +
                                                  " comma-separated values, got " +
                                                  std::to_string(fields.size()));
    const std::optional<double> x = ParseNumber(fields[*x_col]);
    const std::optional<double> y = ParseNumber(fields[*y_col]);
    MD_THROW_UNLESS(x && y, where + ": expected finite numbers for x and y, got " +
                                base::QuoteExcerpt(fields[*x_col], 40, '\'') + ", " +
                                base::QuoteExcerpt(fields[*y_col], 40, '\''));
    MD_THROW_UNLESS(out.size() < kMaxWaypoints,
                    where + ": " + ListTooLong(out.size() + 1, kMaxWaypoints, "waypoints"));
    out.push_back({*x, *y});
  }
  MD_THROW_UNLESS(x_col.has_value(), name + ": empty (expected a header naming columns x and y)");
  return out;
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

Json ReadJson(const fs::path& path) {
  return ParseBoundedJson<Json>(ReadTextFile(path), path.string());
}

Point2 Position(const Json& p, const std::string& where) {
  MD_THROW_UNLESS(p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number(),
                  where + ": expected a position [x, y], got " + DescribeJson(p));
  const Point2 out{p[0].get<double>(), p[1].get<double>()};
  MD_THROW_UNLESS(std::isfinite(out.x_m) && std::isfinite(out.y_m),
                  where + ": expected finite coordinates");
  return out;
}

// At most `max` positions (io/list_limits.h), checked before any is read.
std::vector<Point2> Positions(const Json& list, const std::string& where, std::size_t max,
                              const char* what) {
  MD_THROW_UNLESS(list.is_array(), where + ": expected a list of positions");
  const std::string too_many = ListTooLong(list.size(), max, what);
  MD_THROW_UNLESS(too_many.empty(), where + ": " + too_many);
  std::vector<Point2> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(Position(list[i], where + "[" + std::to_string(i) + "]"));
  }
  return out;
}

// The geometries of a GeoJSON document with their feature's properties, and where they are
// (for errors: "FILE: features[2].geometry.coordinates[0]").
struct GeometryItem {
  const Json* geometry;
  const Json* properties;  // may be null
  std::string file;
  std::string path;  // JSON path of the geometry; empty for a bare geometry
  std::size_t index;

  std::string Where() const { return path.empty() ? file : file + ": " + path; }
  std::string At(const std::string& field) const {
    return file + ": " + (path.empty() ? field : path + "." + field);
  }
};

std::vector<GeometryItem> Geometries(const Json& doc, const std::string& name) {
  MD_THROW_UNLESS(doc.is_object() && doc.contains("type") && doc["type"].is_string(),
                  name + ": expected a GeoJSON object with a \"type\"");
  const std::string type = doc["type"].get<std::string>();
  std::vector<GeometryItem> out;
  if (type == "FeatureCollection") {
    MD_THROW_UNLESS(doc.contains("features") && doc["features"].is_array(),
                    name + ": features: expected a list");
    const Json& features = doc["features"];
    for (std::size_t i = 0; i < features.size(); ++i) {
      const std::string path = "features[" + std::to_string(i) + "]";
      const Json& f = features[i];
      MD_THROW_UNLESS(f.is_object() && f.contains("geometry"),
                      name + ": " + path + ": expected a Feature with a geometry");
      out.push_back({&f["geometry"], f.contains("properties") ? &f["properties"] : nullptr, name,
                     path + ".geometry", i});
    }
  } else if (type == "Feature") {
    MD_THROW_UNLESS(doc.contains("geometry"), name + ": expected a Feature with a geometry");
    out.push_back({&doc["geometry"], doc.contains("properties") ? &doc["properties"] : nullptr,
                   name, "geometry", 0});
  } else {
    out.push_back({&doc, nullptr, name, "", 0});
  }
  return out;
}

std::string GeometryType(const Json& geometry) {
  return geometry.is_object() && geometry.contains("type") && geometry["type"].is_string()
             ? geometry["type"].get<std::string>()
             : "";
}

std::vector<Point2> ReadGeoJsonWaypoints(const fs::path& path, const Json& doc) {
  const std::string name = path.string();
  for (const GeometryItem& item : Geometries(doc, name)) {
    if (GeometryType(*item.geometry) != "LineString") continue;
    MD_THROW_UNLESS(item.geometry->contains("coordinates"), item.At("coordinates") + ": missing");
    return Positions((*item.geometry)["coordinates"], item.At("coordinates"), kMaxWaypoints,
                     "waypoints");
  }
  throw InputError(name +
                   ": expected a GeoJSON LineString (bare, in a Feature or in a "
                   "FeatureCollection) or a marsdrive plan.json");
}

}  // namespace

std::vector<Point2> LoadWaypointFile(const fs::path& path) {
  const std::string ext = Lower(path.extension().string());
  std::vector<Point2> points;
  if (ext == ".yaml" || ext == ".yml") {
    points = ReadYamlWaypoints(path);
  } else if (ext == ".csv") {
    points = ReadCsvWaypoints(path);
  } else if (ext == ".geojson" || ext == ".json") {
    const Json doc = ReadJson(path);
    // A "schema" that is no string is bad input, not an internal error (json::value threw a
    // type_error for {"schema": 5}, exit 3: found by tests/fuzz/fuzz_plan_json).
    const bool has_schema = doc.is_object() && doc.contains("schema");
    MD_THROW_UNLESS(
        !has_schema || doc.at("schema").is_string(),
        path.string() + ": schema: expected a string, got " + DescribeJson(doc.at("schema")));
    if (has_schema && doc.at("schema") == kPlanSchema) {
      points = ParsePlanResult(doc.dump(), path.string()).waypoints;
    } else {
      points = ReadGeoJsonWaypoints(path, doc);
    }
  } else {
    throw InputError(
        path.string() +
        ": unknown waypoint file type (expected .yaml, .yml, .csv, .geojson or .json)");
  }
  MD_THROW_UNLESS(!points.empty(), path.string() + ": no waypoints");
  return points;
}

std::vector<KeepOut> LoadKeepOutFile(const fs::path& path) {
  const std::string name = path.string();
  const Json doc = ReadJson(path);
  std::vector<KeepOut> out;
  for (const GeometryItem& item : Geometries(doc, name)) {
    std::string label = "feature " + std::to_string(item.index);
    if (item.properties != nullptr && item.properties->is_object()) {
      const Json& p = *item.properties;
      if (p.contains("name") && p["name"].is_string()) {
        label = p["name"].get<std::string>();
      } else if (p.contains("id") && (p["id"].is_string() || p["id"].is_number())) {
        label = p["id"].is_string() ? p["id"].get<std::string>() : p["id"].dump();
      }
    }
    const std::string type = GeometryType(*item.geometry);
    MD_THROW_UNLESS(item.geometry->is_object() && item.geometry->contains("coordinates"),
                    item.Where() + ": expected a Polygon or MultiPolygon with coordinates");
    const Json& coordinates = (*item.geometry)["coordinates"];
    std::vector<const Json*> rings;
    std::vector<std::string> ring_paths;
    if (type == "Polygon") {
      MD_THROW_UNLESS(coordinates.is_array() && !coordinates.empty(),
                      item.At("coordinates") + ": expected a list of rings");
      rings.push_back(&coordinates[0]);
      ring_paths.push_back(item.At("coordinates[0]"));
    } else if (type == "MultiPolygon") {
      MD_THROW_UNLESS(coordinates.is_array(),
                      item.At("coordinates") + ": expected a list of polygons");
      for (std::size_t i = 0; i < coordinates.size(); ++i) {
        MD_THROW_UNLESS(
            coordinates[i].is_array() && !coordinates[i].empty(),
            item.At("coordinates[" + std::to_string(i) + "]") + ": expected a list of rings");
        rings.push_back(&coordinates[i][0]);
        ring_paths.push_back(item.At("coordinates[" + std::to_string(i) + "][0]"));
      }
    } else {
      throw InputError(
          item.Where() + ": expected a Polygon or MultiPolygon, got " +
          (type.empty() ? std::string("no type") : base::QuoteExcerpt(type, 40, '\'')));
    }
    for (std::size_t r = 0; r < rings.size(); ++r) {
      KeepOut keep_out;
      keep_out.name = rings.size() == 1 ? label : label + " #" + std::to_string(r);
      MD_THROW_UNLESS(
          out.size() < kMaxKeepOuts,
          ring_paths[r] + ": " + ListTooLong(out.size() + 1, kMaxKeepOuts, "keep-out polygons"));
      keep_out.polygon = Positions(*rings[r], ring_paths[r], kMaxPolygonVertices, "vertices");
      if (keep_out.polygon.size() >= 2 && keep_out.polygon.front() == keep_out.polygon.back()) {
        keep_out.polygon.pop_back();
      }
      MD_THROW_UNLESS(keep_out.polygon.size() >= 3,
                      ring_paths[r] + ": expected a ring of at least 3 distinct vertices");
      out.push_back(std::move(keep_out));
    }
  }
  return out;
}

}  // namespace marsdrive::planners

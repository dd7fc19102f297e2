#include "terrain/rock_list.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/check.h"
#include "base/text.h"
#include "io/json_reader.h"
#include "io/yaml_reader.h"
#include "io/yaml_structure.h"

namespace marsdrive::terrain {

namespace {

// Parses a plain (unquoted) YAML/JSON scalar as a double; NaN/inf spelled either way (YAML's
// .nan/.inf or strtod's nan/inf) parse, so that the caller can reject them by name.
bool ParseNumber(const YAML::Node& node, double& value) {
  if (!node.IsScalar() || node.Tag() == "!") return false;  // "!": a quoted string
  const std::string& text = node.Scalar();
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  for (const char* inf : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
    if (text == inf) {
      value = std::numeric_limits<double>::infinity();
      return true;
    }
  }
  for (const char* inf : {"-.inf", "-.Inf", "-.INF"}) {
    if (text == inf) {
      value = -std::numeric_limits<double>::infinity();
      return true;
    }
  }
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE;
}

}  // namespace

namespace {

// One field of a rock item as read from either format, before validation.
struct RawField {
  bool is_number = false;
  double value = 0;
  std::string text;  // how to show it in an error
};
using RawRock = std::map<std::string, RawField>;

constexpr const char* kExpectedKeys = "expected x, y, diameter_m and optional height_m, shape_seed";

// Validates one item (same rules for YAML and JSON files) and builds the rock.
Rock MakeRock(const RawRock& raw, const std::string& where, std::size_t index) {
  static const std::set<std::string> kKeys = {"x", "y", "diameter_m", "height_m", "shape_seed"};
  for (const auto& [key, field] : raw) {
    MD_THROW_UNLESS(
        kKeys.contains(key),
        where + ": unknown key " + base::QuoteExcerpt(key, 40, '\'') + " (" + kExpectedKeys + ")");
  }
  // Reads field `key`: a finite number, > 0 when `positive`.
  const auto number = [&](const char* key, bool positive) {
    const auto it = raw.find(key);
    MD_THROW_UNLESS(it != raw.end(), where + ": missing field '" + key + "'");
    const RawField& field = it->second;
    const std::string expected =
        positive ? "expected a finite number > 0, got " : "expected a finite number, got ";
    MD_THROW_UNLESS(field.is_number && std::isfinite(field.value) && (!positive || field.value > 0),
                    where + "." + key + ": " + expected + field.text);
    return field.value;
  };
  Rock rock;
  rock.x_m = number("x", false);
  rock.y_m = number("y", false);
  rock.diameter_m = number("diameter_m", true);
  rock.height_m = raw.contains("height_m") ? number("height_m", true)
                                           : kRockHeightPerDiameter * rock.diameter_m;
  // A rock list written by marsdrive (rocks.json) keeps its shapes; a hand-written one gets a
  // reproducible shape from the item's index alone.
  rock.shape_seed = static_cast<std::uint32_t>(DeriveSeed(0x726f636b66696c65ULL, index) >> 32);
  if (raw.contains("shape_seed")) {
    const double seed = number("shape_seed", false);
    MD_THROW_UNLESS(
        seed >= 0 && seed <= 4294967295.0 && seed == std::floor(seed),
        where + ".shape_seed: expected an integer in [0, 2^32), got " + raw.at("shape_seed").text);
    rock.shape_seed = static_cast<std::uint32_t>(seed);
  }
  return rock;
}

std::string ListExpected(const std::string& file, const std::string& got) {
  return file +
         ": expected a list of rocks (maps with x, y, diameter_m and optional height_m), got " +
         got;
}

// YAML (and JSON, a subset of it) through yaml-cpp: flexible, but slow for big lists.
std::vector<Rock> LoadYamlRocks(const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    CheckYamlStructure(text, file);  // duplicate keys, alias bombs: before the tree is built
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(file + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                     std::to_string(e.mark.column + 1) + ": malformed YAML/JSON: " + e.msg);
  }
  MD_THROW_UNLESS(root.IsSequence(), ListExpected(file, DescribeYamlDocument(root)));
  std::vector<Rock> rocks;
  rocks.reserve(root.size());
  for (std::size_t i = 0; i < root.size(); ++i) {
    const YAML::Node item = root[i];
    const std::string where = file + ": [" + std::to_string(i) + "]";
    MD_THROW_UNLESS(item.IsMap(),
                    where + ": expected a map with x, y, diameter_m, got " + DescribeYaml(item));
    RawRock raw;
    for (const auto& entry : item) {
      const std::string key =
          entry.first.IsScalar() ? entry.first.Scalar() : DescribeYaml(entry.first);
      RawField field;
      field.is_number = ParseNumber(entry.second, field.value);
      field.text = field.is_number ? entry.second.Scalar() : DescribeYaml(entry.second);
      raw[key] = field;
    }
    rocks.push_back(MakeRock(raw, where, i));
  }
  return rocks;
}

// JSON through nlohmann-json: rocks.json of a big terrain holds hundreds of thousands of rocks.
std::vector<Rock> LoadJsonRocks(const std::string& text, const std::string& file) {
  const nlohmann::json root = ParseBoundedJson<nlohmann::json>(text, file);
  MD_THROW_UNLESS(root.is_array(), ListExpected(file, root.type_name()));
  std::vector<Rock> rocks;
  rocks.reserve(root.size());
  for (std::size_t i = 0; i < root.size(); ++i) {
    const nlohmann::json& item = root[i];
    const std::string where = file + ": [" + std::to_string(i) + "]";
    MD_THROW_UNLESS(item.is_object(), where + ": expected a map with x, y, diameter_m, got " +
                                          std::string(item.type_name()));
    RawRock raw;
    for (const auto& [key, value] : item.items()) {
      RawField field;
      field.is_number = value.is_number();
      field.value = field.is_number ? value.get<double>() : 0.0;
      if (value.is_string()) {
        // Quoted as the YAML path shows strings. Built with push_back: g++ 12 warns
        // (-Wrestrict, a false positive) on "'" + string and on assigning "'".
        field.text = base::QuoteExcerpt(value.get<std::string>(), 40, '\'');
      } else {
        field.text = DescribeJson(value);
      }
      raw[key] = field;
    }
    rocks.push_back(MakeRock(raw, where, i));
  }
  return rocks;
}

}  // namespace

std::vector<Rock> ParseRockList(const std::string& text, const std::string& file) {
  const bool json = file.size() >= 5 && file.compare(file.size() - 5, 5, ".json") == 0;
  return json ? LoadJsonRocks(text, file) : LoadYamlRocks(text, file);
}

}  // namespace marsdrive::terrain

#include "terrain/rocks.h"

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

#include "base/text.h"
#include "terrain/check.h"
#include "terrain/json_reader.h"
#include "terrain/yaml_reader.h"
#include "terrain/yaml_structure.h"

namespace marsdrive::terrain {

// ------------------------------------------------------------------------------------------------
// Golombek-Rapp model (terrain.md §2).

double GolombekRappQ(double k) {
  MD_DEMAND(k > 0);
  return 1.79 + 0.152 / k;  // terrain.md §2: q(k) = 1.79 + 0.152 / k
}

double GolombekRappCumulativeArea(double k, double diameter_m) {
  if (k <= 0) return 0.0;
  return k * std::exp(-GolombekRappQ(k) * diameter_m);  // terrain.md §2: F_k(D) = k exp(-q D)
}

double GolombekRappCount(double k, double d_min_m, double d_max_m) {
  MD_DEMAND(d_min_m > 0);
  if (k <= 0 || !(d_max_m > d_min_m)) return 0.0;
  const double q = GolombekRappQ(k);
  // N = integral of (4 k q / (pi D^2)) exp(-q D) dD over [d_min, d_max]. With u = 1/D the
  // integrand becomes (4 k q / pi) exp(-q / u) du on [1/d_max, 1/d_min]: bounded, smooth (all
  // derivatives vanish at u = 0, so d_max = infinity is fine) and monotone. Composite Simpson.
  const double u_lo = std::isinf(d_max_m) ? 0.0 : 1.0 / d_max_m;
  const double u_hi = 1.0 / d_min_m;
  constexpr int kIntervals = 4096;  // even; relative error < 1e-9 for D_min >= 1 mm
  const double h = (u_hi - u_lo) / kIntervals;
  const auto g = [q](double u) { return u <= 0 ? 0.0 : std::exp(-q / u); };
  double sum = g(u_lo) + g(u_hi);
  for (int i = 1; i < kIntervals; ++i) sum += (i % 2 == 1 ? 4.0 : 2.0) * g(u_lo + i * h);
  return 4.0 * k * q / std::numbers::pi * sum * h / 3.0;
}

namespace {

// One diameter from dN/dD ∝ exp(-q D) / D^2 truncated to [d_min, d_max], by exact rejection.
// Two proposals, whichever accepts more often: 1/D^2 (uniform in 1/D) when q d_min < 1, where
// the power law dominates; else an exponential of rate q, where the exponential dominates.
double SampleDiameter(double q, double d_min, double d_max, Rng& rng) {
  if (q * d_min < 1.0) {
    const double u_lo = std::isinf(d_max) ? 0.0 : 1.0 / d_max;
    const double u_hi = 1.0 / d_min;
    for (;;) {
      const double u = UniformReal(rng, u_lo, u_hi);
      const double accept = UniformReal(rng);
      if (u <= 0) continue;
      const double d = std::min(1.0 / u, d_max);
      if (accept < std::exp(-q * (d - d_min))) return d;
    }
  }
  const double tail = std::isinf(d_max) ? 1.0 : -std::expm1(-q * (d_max - d_min));
  for (;;) {
    const double d = std::min(d_min - std::log1p(-UniformReal(rng) * tail) / q, d_max);
    const double accept = UniformReal(rng);
    const double ratio = d_min / d;
    if (accept < ratio * ratio) return d;
  }
}

}  // namespace

std::vector<Rock> SampleRockField(const GridSpec& area, const RockFieldParams& params, Rng& rng) {
  MD_DEMAND(params.min_diameter_m > 0 && params.max_diameter_m >= params.min_diameter_m);
  MD_DEMAND(params.height_per_diameter > 0 && params.height_jitter >= 0 &&
            params.height_jitter < 1);
  std::vector<Rock> rocks;
  if (params.k <= 0 || params.max_diameter_m <= params.min_diameter_m) return rocks;
  const double area_m2 = area.WidthM() * area.HeightM();
  const double mean_count =
      area_m2 * GolombekRappCount(params.k, params.min_diameter_m, params.max_diameter_m);
  const std::int64_t count = PoissonCount(rng, mean_count);
  const double q = GolombekRappQ(params.k);
  rocks.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    Rock rock;
    rock.diameter_m = SampleDiameter(q, params.min_diameter_m, params.max_diameter_m, rng);
    rock.x_m = area.origin_x_m + UniformReal(rng) * area.WidthM();
    rock.y_m = area.origin_y_m + UniformReal(rng) * area.HeightM();
    const double jitter = params.height_jitter * UniformReal(rng, -1.0, 1.0);
    rock.height_m = params.height_per_diameter * rock.diameter_m * (1.0 + jitter);
    rock.shape_seed = static_cast<std::uint32_t>(rng() >> 32);
    rocks.push_back(rock);
  }
  return rocks;
}

// ------------------------------------------------------------------------------------------------
// Rock files.

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

std::vector<Rock> LoadRockFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  MD_THROW_UNLESS(std::filesystem::is_regular_file(path, ec),
                  file + ": cannot open rock file (missing or unreadable)");
  const std::string text = ReadBoundedTextFile(path, kJsonMaxBytes, "a rock file");
  if (path.extension() == ".json") return LoadJsonRocks(text, file);
  return LoadYamlRocks(text, file);
}

}  // namespace marsdrive::terrain

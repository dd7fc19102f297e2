// The bundled suites: every scenario and suite file loads, and validates against the JSON
// Schemas shipped beside them (so the schemas and the loader cannot drift apart), and the full
// suite holds what issue 6 asks of it.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "scenarios/scenario.h"
#include "scenarios/suite.h"
#include "tests/util/command.h"

namespace marsdrive::scenarios {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kSuites = fs::path(MARSDRIVE_SOURCE_DIR) / "scenarios" / "suites";
const fs::path kSchemas = fs::path(MARSDRIVE_SOURCE_DIR) / "scenarios" / "schema";

// YAML as JSON, with YAML 1.2 core-schema typing of plain scalars.
Json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& e : node) out[e.first.Scalar()] = ToJson(e.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& e : node) out.push_back(ToJson(e));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted
      if (std::regex_match(s, std::regex("[-+]?[0-9]+"))) return std::stoll(s);
      if (std::regex_match(s, std::regex("[-+]?([0-9]*\\.[0-9]*|[0-9]+)([eE][-+]?[0-9]+)?")))
        return std::stod(s);
      if (s == "true" || s == "false") return s == "true";
      return s;
    }
    default:
      return nullptr;
  }
}

// The subset of JSON Schema (2020-12) our schemas use. Appends "path: problem" lines.
class SchemaCheck {
 public:
  explicit SchemaCheck(Json root) : root_(std::move(root)) {}
  std::vector<std::string> Check(const Json& value) {
    errors_.clear();
    Visit(root_, value, "$");
    return errors_;
  }

 private:
  static bool HasType(const Json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "number") return v.is_number();
    if (type == "integer") return v.is_number_integer();
    if (type == "boolean") return v.is_boolean();
    return type == "null" && v.is_null();
  }
  void Visit(const Json& schema, const Json& v, const std::string& path) {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];  // "#/$defs/name"
      Visit(root_["$defs"][ref.substr(ref.rfind('/') + 1)], v, path);
      return;
    }
    if (schema.contains("type")) {
      bool ok = false;
      const Json& t = schema["type"];
      for (const Json& one : t.is_array() ? t : Json::array({t})) ok = ok || HasType(v, one);
      if (!ok) return Fail(path, "expected type " + t.dump());
    }
    if (schema.contains("const") && v != schema["const"]) Fail(path, "expected const");
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end()) {
      Fail(path, "not in enum " + schema["enum"].dump());
    }
    if (v.is_number()) {
      const double x = v.get<double>();
      if (schema.contains("minimum") && x < schema["minimum"].get<double>())
        Fail(path, "< minimum");
      if (schema.contains("maximum") && x > schema["maximum"].get<double>())
        Fail(path, "> maximum");
      if (schema.contains("exclusiveMinimum") && x <= schema["exclusiveMinimum"].get<double>())
        Fail(path, "<= exclusiveMinimum");
      if (schema.contains("exclusiveMaximum") && x >= schema["exclusiveMaximum"].get<double>())
        Fail(path, ">= exclusiveMaximum");
    }
    if (v.is_string() && schema.contains("pattern") &&
        !std::regex_search(v.get<std::string>(),
                           std::regex(schema["pattern"].get<std::string>()))) {
      Fail(path, "does not match the pattern");
    }
    if (v.is_array()) {
      if (schema.contains("minItems") && v.size() < schema["minItems"].get<std::size_t>())
        Fail(path, "too few items");
      if (schema.contains("maxItems") && v.size() > schema["maxItems"].get<std::size_t>())
        Fail(path, "too many items");
      if (schema.contains("items")) {
        for (std::size_t i = 0; i < v.size(); ++i) {
          Visit(schema["items"], v[i], path + "[" + std::to_string(i) + "]");
        }
      }
    }
    if (v.is_object()) {
      for (const Json& key : schema.value("required", Json::array())) {
        if (!v.contains(key.get<std::string>())) Fail(path, "missing " + key.get<std::string>());
      }
      const Json properties = schema.value("properties", Json::object());
      for (const auto& [key, item] : v.items()) {
        if (properties.contains(key)) {
          Visit(properties[key], item, path + "." + key);
        } else if (schema.contains("additionalProperties")) {
          const Json& extra = schema["additionalProperties"];
          if (extra.is_boolean()) {
            if (!extra.get<bool>()) Fail(path, "unknown key " + key);
          } else {
            Visit(extra, item, path + "." + key);
          }
        }
      }
    }
    if (schema.contains("oneOf")) {
      int matches = 0;
      for (const Json& option : schema["oneOf"]) {
        SchemaCheck sub(root_);
        sub.Visit(option, v, path);
        matches += sub.errors_.empty() ? 1 : 0;
      }
      if (matches != 1) Fail(path, "matches " + std::to_string(matches) + " of oneOf");
    }
  }
  void Fail(const std::string& path, const std::string& what) {
    errors_.push_back(path + ": " + what);
  }

  Json root_;
  std::vector<std::string> errors_;
};

SchemaCheck LoadSchema(const char* name) {
  return SchemaCheck(Json::parse(testing::ReadWholeFile(kSchemas / name)));
}

std::vector<fs::path> Files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BundledSuites, EveryScenarioLoadsAndValidatesAgainstTheSchema) {
  SchemaCheck schema = LoadSchema("scenario.schema.json");
  const auto files = Files(kSuites / "jezero-rim");
  ASSERT_GE(files.size(), 13u);
  for (const fs::path& file : files) {
    EXPECT_NO_THROW((void)LoadScenario(file)) << file;
    EXPECT_THAT(schema.Check(ToJson(YAML::LoadFile(file.string()))), ::testing::IsEmpty()) << file;
  }
}

TEST(BundledSuites, SuitesLoadAndValidate) {
  SchemaCheck schema = LoadSchema("suite.schema.json");
  for (const fs::path& file : Files(kSuites)) {
    EXPECT_NO_THROW((void)LoadSuite(file)) << file;
    EXPECT_THAT(schema.Check(ToJson(YAML::LoadFile(file.string()))), ::testing::IsEmpty()) << file;
  }
}

TEST(BundledSuites, TheSchemaRejectsWhatTheLoaderRejects) {
  SchemaCheck schema = LoadSchema("scenario.schema.json");
  const Json good = ToJson(YAML::LoadFile((kSuites / "jezero-rim/keep-out-01.yaml").string()));
  ASSERT_THAT(schema.Check(good), ::testing::IsEmpty());
  Json bad = good;
  bad["colour"] = "red";
  EXPECT_THAT(schema.Check(bad), ::testing::Contains(::testing::HasSubstr("unknown key colour")));
  bad = good;
  bad["goal"]["tolerance_m"] = 0;
  EXPECT_FALSE(schema.Check(bad).empty());
  bad = good;
  bad["keep_out"][0].erase(0);
  bad["keep_out"][0].erase(0);
  EXPECT_FALSE(schema.Check(bad).empty());
  bad = good;
  bad["name"] = "a/b";
  EXPECT_FALSE(schema.Check(bad).empty());
}

TEST(BundledSuites, TheFullSuiteCoversWhatTheRimAsksFor) {
  const Suite suite = LoadSuite(kSuites / "jezero-rim.yaml");
  int procedural = 0, dem = 0;
  std::vector<double> lengths;
  for (const Scenario& s : suite.scenarios) {
    (s.terrain.IsDem() ? dem : procedural) += s.terrain.preset == "jezero-rim" || s.terrain.IsDem();
    lengths.push_back(std::hypot(s.goal.x_m - s.start.x_m, s.goal.y_m - s.start.y_m));
  }
  EXPECT_GE(procedural, 10);
  EXPECT_GE(dem, 1);
  // The two long drives: about 210 m and 246 m, the December 2025 AI-planned drives.
  const auto near = [&](double target) {
    return std::count_if(lengths.begin(), lengths.end(),
                         [target](double d) { return std::abs(d - target) < 0.05 * target; });
  };
  EXPECT_GE(near(210), 1);
  EXPECT_GE(near(246), 1);
  std::vector<std::string> planners;
  for (const PlannerChoice& p : suite.planners) planners.push_back(p.name);
  EXPECT_THAT(planners, ::testing::IsSupersetOf({"scripted", "astar", "rrtstar", "vlm"}));
  EXPECT_GE(suite.seeds.size(), 3u);
  // Every kind of ground the issue lists has a scenario.
  std::string names;
  for (const Scenario& s : suite.scenarios) names += s.name + " ";
  for (const char* kind : {"ledges", "boulder", "sand", "cross-slope", "keep-out", "dead-end"}) {
    EXPECT_THAT(names, ::testing::HasSubstr(kind));
  }
}

}  // namespace
}  // namespace marsdrive::scenarios

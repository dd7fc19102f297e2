#pragma once
// Strict reading of JSON documents: every accessor names the source file and the JSON path of
// the field in its InputError, e.g. "run.json: goal.tolerance_m: expected a number > 0".

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "terrain/check.h"

namespace marsdrive {

class JsonReader {
 public:
  using Json = nlohmann::ordered_json;

  explicit JsonReader(std::string source) : source_(std::move(source)) {}
  const std::string& source() const { return source_; }

  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw InputError(source_ + ": " + path + ": " + what);
  }
  // Parses `text`; a syntax error names the source.
  Json Parse(const std::string& text) const {
    try {
      return Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(source_ + ": not valid JSON (" + e.what() + ")");
    }
  }
  // The document must be an object whose "schema" is `schema`.
  void RequireSchema(const Json& doc, const char* schema) const {
    if (!doc.is_object()) Fail("(document)", "expected a JSON object");
    const std::string found = StringOr(doc, "", "schema", "");
    if (found != schema)
      Fail("schema", std::string("expected \"") + schema + "\", got \"" + found + "\"");
  }
  const Json& Member(const Json& object, const std::string& path, const char* key) const {
    if (!object.is_object()) Fail(path, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) Fail(Join(path, key), "missing");
    return *it;
  }
  double Number(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_number()) Fail(Join(path, key), "expected a number, got " + v.dump());
    const double value = v.get<double>();
    if (!std::isfinite(value)) Fail(Join(path, key), "expected a finite number");
    return value;
  }
  double NumberOr(const Json& object, const std::string& path, const char* key,
                  double fallback) const {
    return object.contains(key) ? Number(object, path, key) : fallback;
  }
  std::uint64_t Unsigned(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_number_unsigned()) Fail(Join(path, key), "expected an integer >= 0, got " + v.dump());
    return v.get<std::uint64_t>();
  }
  std::string String(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_string()) Fail(Join(path, key), "expected a string, got " + v.dump());
    return v.get<std::string>();
  }
  std::string StringOr(const Json& object, const std::string& path, const char* key,
                       const std::string& fallback) const {
    return object.contains(key) ? String(object, path, key) : fallback;
  }
  const Json& Array(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_array()) Fail(Join(path, key), "expected a list");
    return v;
  }
  static std::string Join(const std::string& path, const char* key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string Index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  std::string source_;
};

}  // namespace marsdrive

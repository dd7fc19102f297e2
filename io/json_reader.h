#pragma once
// The one way marsdrive reads JSON (plan.json, problem.json, GeoJSON, results.json, run.json,
// rock lists, terrain.json, model answers and HTTP bodies): bounded, then strict.
//   Bounded: a document is checked before any DOM is built, by nlohmann-json's iterative SAX
//   parser (no recursion on the document's depth): at most kJsonMaxBytes bytes, at most
//   kJsonMaxDepth levels of nesting, every number finite (1e999 is not); a violation names the
//   JSON path, e.g. "plan.json: waypoints[2][0]: expected a finite number, got \"1e999\"".
//   Strict: every accessor names the source file and the JSON path of the field in its
//   InputError, e.g. "run.json: goal.tolerance_m: expected a number > 0".
// Values from the input are quoted as short escaped excerpts, never echoed whole.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/check.h"
#include "base/text.h"
#include "io/text_file.h"

namespace marsdrive {

inline constexpr std::size_t kJsonMaxDepth = 64;
inline constexpr std::size_t kJsonMaxBytes = kTextFileMaxBytes;  // 256 MiB

struct JsonLimits {
  std::size_t max_depth = kJsonMaxDepth;
  std::size_t max_bytes = kJsonMaxBytes;
};

// "" when `text` is one valid JSON document within `limits`; else what is wrong, starting with
// the JSON path ("(document)" for the whole), or "not valid JSON (...)" with a short excerpt.
std::string CheckJsonLimits(std::string_view text, const JsonLimits& limits = {});

// Parses `text` after CheckJsonLimits; InputError "SOURCE: PATH: what" on any violation.
template <class J = nlohmann::json>
J ParseBoundedJson(std::string_view text, const std::string& source,
                   const JsonLimits& limits = {}) {
  const std::string error = CheckJsonLimits(text, limits);
  if (!error.empty()) throw InputError(source + ": " + error);
  return J::parse(text);
}

// As ParseBoundedJson, for untrusted text that may be anything (model answers, HTTP bodies):
// a discarded value (is_discarded()) instead of an exception; `why` says what was wrong.
template <class J = nlohmann::json>
J ParseBoundedJsonOrDiscarded(std::string_view text, std::string* why = nullptr,
                              const JsonLimits& limits = {}) {
  std::string error = CheckJsonLimits(text, limits);
  if (why != nullptr) *why = error;
  if (!error.empty()) return J(J::value_t::discarded);
  return J::parse(text, nullptr, /*allow_exceptions=*/false);
}

// What a JSON value is, for messages, without echoing it: numbers, booleans and null as
// written, strings as short escaped excerpts, containers by kind and size.
template <class J>
std::string DescribeJson(const J& v) {
  if (v.is_array()) return "a list of " + std::to_string(v.size());
  if (v.is_object()) return "an object";
  if (v.is_string()) return base::QuoteExcerpt(v.template get_ref<const std::string&>());
  if (v.is_discarded()) return "nothing";
  return v.dump();
}

class JsonReader {
 public:
  using Json = nlohmann::ordered_json;

  explicit JsonReader(std::string source) : source_(std::move(source)) {}
  const std::string& source() const { return source_; }

  [[noreturn]] void Fail(const std::string& path, const std::string& what) const {
    throw InputError(source_ + ": " + path + ": " + what);
  }
  // Parses `text` within the limits (ParseBoundedJson); a violation names the source.
  Json Parse(std::string_view text) const { return ParseBoundedJson<Json>(text, source_); }
  // Reads and parses the file `source` names (at most kJsonMaxBytes bytes).
  Json ParseFile(const std::string& what) const {
    return Parse(ReadBoundedTextFile(source_, kJsonMaxBytes, what));
  }
  // The document must be an object whose "schema" is `schema`.
  void RequireSchema(const Json& doc, const char* schema) const {
    if (!doc.is_object()) Fail("(document)", "expected a JSON object");
    const std::string found = StringOr(doc, "", "schema", "");
    if (found != schema)
      Fail("schema", std::string("expected \"") + schema + "\", got " + base::QuoteExcerpt(found));
  }
  const Json& Member(const Json& object, const std::string& path, const char* key) const {
    if (!object.is_object()) Fail(path, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) Fail(Join(path, key), "missing");
    return *it;
  }
  double Number(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_number()) Fail(Join(path, key), "expected a number, got " + DescribeJson(v));
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
    if (!v.is_number_unsigned())
      Fail(Join(path, key), "expected an integer >= 0, got " + DescribeJson(v));
    return v.get<std::uint64_t>();
  }
  std::string String(const Json& object, const std::string& path, const char* key) const {
    const Json& v = Member(object, path, key);
    if (!v.is_string()) Fail(Join(path, key), "expected a string, got " + DescribeJson(v));
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

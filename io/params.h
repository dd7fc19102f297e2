#pragma once
// Named string parameters (`--param key=value`) with typed, checked access. Every accessor
// names the parameter and the expectation in its InputError; unknown keys are an error too.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace marsdrive {

class ParamMap {
 public:
  ParamMap() = default;
  // Parses "key=value" strings; `context` prefixes error messages (e.g. "--param").
  static ParamMap Parse(const std::vector<std::string>& key_values, const std::string& context);

  void Set(const std::string& key, const std::string& value) { values_[key] = value; }
  bool Has(const std::string& key) const { return values_.contains(key); }
  const std::map<std::string, std::string>& values() const { return values_; }

  // Typed getters: default when absent, InputError when present but malformed or out of range.
  double GetDouble(const std::string& key, double fallback, double min_value,
                   double max_value) const;
  int GetInt(const std::string& key, int fallback, int min_value, int max_value) const;
  std::string GetString(const std::string& key, const std::string& fallback) const;
  std::optional<std::string> GetOptional(const std::string& key) const;

  // Throws InputError naming the first key not in `allowed` and listing the allowed ones.
  void RequireOnly(const std::set<std::string>& allowed, const std::string& owner) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace marsdrive

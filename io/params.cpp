#include "io/params.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "base/check.h"

namespace marsdrive {

ParamMap ParamMap::Parse(const std::vector<std::string>& key_values, const std::string& context) {
  ParamMap params;
  for (const std::string& kv : key_values) {
    const auto eq = kv.find('=');
    MD_THROW_UNLESS(eq != std::string::npos && eq > 0,
                    context + " '" + kv + "': expected key=value");
    params.Set(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return params;
}

namespace {
std::string RangeText(double lo, double hi) {
  std::ostringstream out;
  out << "in [" << lo << ", " << hi << "]";
  return out.str();
}
}  // namespace

double ParamMap::GetDouble(const std::string& key, double fallback, double min_value,
                           double max_value) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  const bool parsed = !text.empty() && end == text.c_str() + text.size() && errno == 0;
  MD_THROW_UNLESS(parsed && std::isfinite(value),
                  "parameter " + key + ": expected a finite number, got '" + text + "'");
  MD_THROW_UNLESS(value >= min_value && value <= max_value,
                  "parameter " + key + ": expected a number " + RangeText(min_value, max_value) +
                      ", got " + text);
  return value;
}

int ParamMap::GetInt(const std::string& key, int fallback, int min_value, int max_value) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  MD_THROW_UNLESS(!text.empty() && end == text.c_str() + text.size() && errno == 0,
                  "parameter " + key + ": expected an integer, got '" + text + "'");
  MD_THROW_UNLESS(value >= min_value && value <= max_value,
                  "parameter " + key + ": expected an integer " + RangeText(min_value, max_value) +
                      ", got " + text);
  return static_cast<int>(value);
}

std::string ParamMap::GetString(const std::string& key, const std::string& fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

std::optional<std::string> ParamMap::GetOptional(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void ParamMap::RequireOnly(const std::set<std::string>& allowed, const std::string& owner) const {
  for (const auto& [key, value] : values_) {
    if (allowed.contains(key)) continue;
    std::string list;
    for (const std::string& name : allowed) list += (list.empty() ? "" : ", ") + name;
    throw InputError(owner + ": unknown parameter '" + key + "' (expected one of: " + list + ")");
  }
}

}  // namespace marsdrive

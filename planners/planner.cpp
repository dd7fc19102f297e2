#include "planners/planner.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <set>

#include "base/check.h"

namespace marsdrive::planners {

namespace {

std::string Number(double value) { return ScalarToString(value); }

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// Parses `text` as the spec's type; InputError "planner NAME: parameter KEY: ...".
Scalar ParseValue(const ParamSpec& spec, const std::string& text, const std::string& where) {
  switch (spec.type) {
    case ParamType::kBool: {
      if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
      if (text == "false" || text == "off" || text == "0" || text == "no") return false;
      throw InputError(where + ": expected true|false (or on|off), got '" + text + "'");
    }
    case ParamType::kInt: {
      char* end = nullptr;
      errno = 0;
      const long long value = std::strtoll(text.c_str(), &end, 10);
      MD_THROW_UNLESS(!text.empty() && end == text.c_str() + text.size() && errno == 0,
                      where + ": expected an integer, got '" + text + "'");
      MD_THROW_UNLESS(static_cast<double>(value) >= spec.min_value &&
                          static_cast<double>(value) <= spec.max_value,
                      where + ": expected an integer in " + spec.RangeText() + ", got " + text);
      return static_cast<std::int64_t>(value);
    }
    case ParamType::kDouble: {
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(text.c_str(), &end);
      MD_THROW_UNLESS(
          !text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(value),
          where + ": expected a finite number, got '" + text + "'");
      MD_THROW_UNLESS(value >= spec.min_value && value <= spec.max_value,
                      where + ": expected a number in " + spec.RangeText() + ", got " + text);
      return value;
    }
    case ParamType::kChoice: {
      MD_THROW_UNLESS(
          std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end(),
          where + ": expected one of " + spec.RangeText() + ", got '" + text + "'");
      return text;
    }
    case ParamType::kString:
      return text;
  }
  throw InputError(where + ": unsupported parameter type");
}

}  // namespace

std::string ParamSpec::RangeText() const {
  switch (type) {
    case ParamType::kBool:
      return "true|false";
    case ParamType::kInt:
    case ParamType::kDouble: {
      std::string text = "[";  // appended: g++ 12 -Wrestrict false positive on "[" + string
      text += Number(min_value);
      text += ", ";
      text += Number(max_value);
      return text + "]";
    }
    case ParamType::kChoice:
      return Joined(choices, "|");
    case ParamType::kString:
      return "text";
  }
  return "";
}

PlannerParams PlannerParams::Resolve(const std::string& planner,
                                     const std::vector<ParamSpec>& specs,
                                     const marsdrive::ParamMap& given) {
  std::set<std::string> declared;
  for (const ParamSpec& spec : specs) declared.insert(spec.name);
  for (const auto& [key, value] : given.values()) {
    if (declared.contains(key)) continue;
    std::vector<std::string> names;
    for (const ParamSpec& spec : specs) names.push_back(spec.name);
    throw InputError("planner " + planner + ": unknown parameter '" + key + "' (" +
                     (names.empty() ? std::string("it takes no parameters")
                                    : "expected one of: " + Joined(names, ", ")) +
                     ")");
  }
  PlannerParams params;
  for (const ParamSpec& spec : specs) {
    const std::string where = "planner " + planner + ": parameter " + spec.name;
    const std::optional<std::string> text = given.GetOptional(spec.name);
    params.values_.push_back({spec.name, ParseValue(spec, text ? *text : spec.default_value,
                                                    text ? where : where + " (default)")});
  }
  return params;
}

const Scalar& PlannerParams::At(const std::string& name) const {
  for (const NamedValue& item : values_) {
    if (item.name == name) return item.value;
  }
  MD_DEMAND(false && "undeclared planner parameter");
  std::abort();
}

bool PlannerParams::Bool(const std::string& name) const {
  const Scalar& value = At(name);
  MD_DEMAND(std::holds_alternative<bool>(value));
  return std::get<bool>(value);
}

std::int64_t PlannerParams::Int(const std::string& name) const {
  const Scalar& value = At(name);
  MD_DEMAND(std::holds_alternative<std::int64_t>(value));
  return std::get<std::int64_t>(value);
}

double PlannerParams::Double(const std::string& name) const {
  const Scalar& value = At(name);
  MD_DEMAND(std::holds_alternative<double>(value));
  return std::get<double>(value);
}

const std::string& PlannerParams::String(const std::string& name) const {
  const Scalar& value = At(name);
  MD_DEMAND(std::holds_alternative<std::string>(value));
  return std::get<std::string>(value);
}

PlanResult RunPlanner(Planner& planner, const PlanProblem& problem, std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  PlanResult result;
  try {
    result = planner.Plan(problem, std::move(stop));
  } catch (const std::exception& e) {
    result = {.status = PlanStatus::kCrash, .waypoints = {}, .reason = e.what()};
  } catch (...) {
    result = {.status = PlanStatus::kCrash, .waypoints = {}, .reason = "unknown exception"};
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  result.wall_time_s = elapsed.count();
  result.planner = planner.Name();
  result.params = planner.ParamValues().values();
  return result;
}

StopCondition::StopCondition(std::stop_token token, double budget_s)
    : token_(std::move(token)), budget_s_(budget_s) {
  const auto now = std::chrono::steady_clock::now();
  // NaN, +inf or a budget beyond a year means "no deadline"; a budget <= 0 is already over.
  if (std::isnan(budget_s) || budget_s > 3.2e7) {
    deadline_ = std::chrono::steady_clock::time_point::max();
  } else {
    deadline_ = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(std::max(0.0, budget_s)));
  }
}

double StopCondition::RemainingS() const {
  if (deadline_ == std::chrono::steady_clock::time_point::max()) {
    return std::numeric_limits<double>::infinity();
  }
  const std::chrono::duration<double> left = deadline_ - std::chrono::steady_clock::now();
  return std::max(0.0, left.count());
}

}  // namespace marsdrive::planners

#include "planners/plan_types.h"

#include <array>
#include <charconv>
#include <numbers>

namespace marsdrive::planners {

namespace {
constexpr std::array<const char*, kPlanStatusCount> kStatusNames = {
    "exact",         "approximate",  "timeout",       "no_path",
    "invalid_start", "invalid_goal", "invalid_route", "crash"};
}  // namespace

const char* ToString(PlanStatus status) {
  const auto i = static_cast<std::size_t>(status);
  return i < kStatusNames.size() ? kStatusNames[i] : "unknown";
}

std::optional<PlanStatus> ParsePlanStatus(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (text == kStatusNames[i]) return static_cast<PlanStatus>(i);
  }
  return std::nullopt;
}

RouteLimits MakeRouteLimits(const terrain::OrbitalParams& params) {
  RouteLimits limits;
  limits.footprint_diameter_m = params.footprint_diameter_m;
  limits.max_slope_rad = params.max_slope_deg * std::numbers::pi / 180.0;
  limits.max_step_m = params.max_step_m;
  return limits;
}

std::string ScalarToString(const Scalar& value) {
  struct Visitor {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::array<char, 32> buffer{};
      const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
      return {buffer.data(), result.ptr};
    }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, value);
}

void SetDiagnostic(PlanResult& result, const std::string& name, Scalar value) {
  for (NamedValue& item : result.diagnostics) {
    if (item.name == name) {
      item.value = std::move(value);
      return;
    }
  }
  result.diagnostics.push_back({name, std::move(value)});
}

const Scalar* FindDiagnostic(const PlanResult& result, std::string_view name) {
  for (const NamedValue& item : result.diagnostics) {
    if (item.name == name) return &item.value;
  }
  return nullptr;
}

}  // namespace marsdrive::planners

#pragma once
// Small parsers shared by the command-line subcommands.

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "base/check.h"

namespace marsdrive::app {

// A comma-separated list of finite numbers (locale-independent; spaces around items and a
// leading '+' allowed); nullopt if any item is malformed or not finite.
inline std::optional<std::vector<double>> ParseNumbers(std::string_view text) {
  std::vector<double> values;
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() > 1 && item.front() == '+') item.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !std::isfinite(value)) {
      return std::nullopt;
    }
    values.push_back(value);
    if (comma == std::string_view::npos) return values;
    text.remove_prefix(comma + 1);
  }
}

// --goal x,y[,tolerance_m]: finite map metres and a tolerance > 0 (absent: the caller's default).
struct GoalText {
  double x_m = 0, y_m = 0;
  std::optional<double> tolerance_m;
};
inline GoalText ParseGoalText(const std::string& text) {
  const auto v = ParseNumbers(text);
  MD_THROW_UNLESS(v && (v->size() == 2 || v->size() == 3) && (v->size() == 2 || (*v)[2] > 0),
                  "--goal '" + text +
                      "': expected x,y[,tolerance_m]: finite map metres and a tolerance > 0, "
                      "e.g. 40,25,1.5");
  GoalText goal{(*v)[0], (*v)[1], std::nullopt};
  if (v->size() == 3) goal.tolerance_m = (*v)[2];
  return goal;
}

// --start x,y[,yaw_deg]: finite map metres and degrees from east (absent: the caller's default).
struct StartText {
  double x_m = 0, y_m = 0;
  std::optional<double> yaw_deg;
};
inline StartText ParseStartText(const std::string& text) {
  const auto v = ParseNumbers(text);
  MD_THROW_UNLESS(v && (v->size() == 2 || v->size() == 3),
                  "--start '" + text +
                      "': expected x,y[,yaw_deg]: finite numbers (map metres, metres, degrees "
                      "from east), e.g. 10,20,90");
  StartText start{(*v)[0], (*v)[1], std::nullopt};
  if (v->size() == 3) start.yaw_deg = (*v)[2];
  return start;
}

}  // namespace marsdrive::app

#pragma once
// Small parsers shared by the command-line subcommands.

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

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

}  // namespace marsdrive::app

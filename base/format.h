#pragma once
// Numbers in messages, written once for every module's reasons and errors: FormatNumber, the
// form std::ostream gives at its default 6 significant digits ("0.25", "1e+06"), for measured
// values; FormatExact, the shortest text that reads back as exactly the value ("0.1",
// "0.30000000000000004"), for echoing what a user gave or a limit it broke; FormatFixed, a
// fixed number of decimals, for tables.

#include <charconv>
#include <cstdio>
#include <sstream>
#include <string>

namespace marsdrive::base {

inline std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

inline std::string FormatExact(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// A fixed number of decimals, as printf's "%.*f" ("0.250"): table cells and CSV columns.
inline std::string FormatFixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace marsdrive::base

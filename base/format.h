#pragma once
// Numbers in messages: the shortest form std::ostream gives at its default 6 significant
// digits ("0.25", "1e+06"), written once for every module's reasons and errors.

#include <sstream>
#include <string>

namespace marsdrive::base {

inline std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace marsdrive::base

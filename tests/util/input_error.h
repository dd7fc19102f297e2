#pragma once
// The message of the InputError an action throws, or "(no error)": tests assert on what a user
// would read.

#include <string>

#include "base/check.h"

namespace marsdrive::testing {

std::string ErrorOf(const auto& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace marsdrive::testing

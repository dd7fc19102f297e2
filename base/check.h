#pragma once
// Error conventions shared by every marsdrive module (STYLE §5 "Errors").
//   InputError      — bad user input (file, field, value): thrown at the input boundary, caught
//                     once by the command line or the suite runner, printed as one line.
//   MD_DEMAND(c)    — an invariant of ours; always checked; aborts with file:line (our bug).
//   MD_THROW_UNLESS — a user-facing precondition; throws InputError naming the condition.

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace marsdrive {

// A problem with what the user gave us. The message names the file / field / parameter,
// what was expected and what was found, e.g.
//   "rocks.yaml: [3].diameter_m: expected a number > 0, got -0.2".
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

namespace internal {
[[noreturn]] inline void DemandFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "marsdrive: internal error: %s:%d: MD_DEMAND(%s) failed\n", file, line,
               condition);
  std::abort();
}
}  // namespace internal

}  // namespace marsdrive

#define MD_DEMAND(condition)                                                               \
  do {                                                                                     \
    if (!(condition)) ::marsdrive::internal::DemandFailed(#condition, __FILE__, __LINE__); \
  } while (false)

#define MD_THROW_UNLESS(condition, message)                   \
  do {                                                        \
    if (!(condition)) throw ::marsdrive::InputError(message); \
  } while (false)

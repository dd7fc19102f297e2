#pragma once
// Valid ranges of the command line's numeric options (docs/limits.md). Outside its range an
// option is refused before any work, with exit 2 and one line naming the option, the value and
// the range: an absurd value must not crash (--dt 1e-12), run for days (--dt 1e-6) or exhaust
// memory (--max-spacing 1e-6).

#include <cmath>
#include <cstdio>
#include <string>

#include "base/check.h"
#include "planners/plan_types.h"

namespace marsdrive::app {

// drive: the physics step, the simulated time limit, and the steps they make together.
inline constexpr double kMinDt_s = 1e-4;
inline constexpr double kMaxDt_s = 0.1;
inline constexpr double kMaxTimeLimit_s = 1e5;  // about 1.1 sols
inline constexpr double kMaxDriveSteps = 2e7;   // --time-limit / --dt
// plan: the longest distance between waypoints (the planners' max_spacing_m range).
inline constexpr double kMinSpacing_m = planners::kMinWaypointSpacing_m;
inline constexpr double kMaxSpacing_m = planners::kMaxWaypointSpacing_m;
// plan: the planner's wall-clock budget.
inline constexpr double kMaxTimeBudget_s = 86400;

inline std::string FormatOptionValue(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// Throws InputError "--dt 1e-12: expected seconds in [0.0001, 0.1]" unless lo <= value <= hi.
inline void RequireInRange(const char* option, double value, double lo, double hi,
                           const char* unit) {
  MD_THROW_UNLESS(std::isfinite(value) && value >= lo && value <= hi,
                  std::string(option) + " " + FormatOptionValue(value) + ": expected " + unit +
                      " in [" + FormatOptionValue(lo) + ", " + FormatOptionValue(hi) + "]");
}

// --dt and --time-limit, each in range and together at most kMaxDriveSteps physics steps.
inline void RequireDriveSteps(double dt_s, double time_limit_s) {
  RequireInRange("--dt", dt_s, kMinDt_s, kMaxDt_s, "seconds");
  RequireInRange("--time-limit", time_limit_s, dt_s, kMaxTimeLimit_s, "simulated seconds");
  const double steps = std::ceil(time_limit_s / dt_s);
  MD_THROW_UNLESS(steps <= kMaxDriveSteps,
                  "--time-limit " + FormatOptionValue(time_limit_s) + " at --dt " +
                      FormatOptionValue(dt_s) + ": " + FormatOptionValue(steps) +
                      " physics steps; expected at most " + FormatOptionValue(kMaxDriveSteps) +
                      " (a larger --dt or a shorter --time-limit)");
}

}  // namespace marsdrive::app

#pragma once
// A plan check's flight rules and its verdict (docs/plan-check.md "Flight rules"): thresholds on
// the proportions of trials that reached the goal, met something severe, and kept slip within
// the rover's limit. `go` needs every go rule; one no_go rule makes it `no_go`; else `marginal`.

#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/check/check_summary.h"

namespace marsdrive::check {

// Probabilities in [0, 1]. p_goal = goal.p(); p_severe = severe.p() (keep_out, rollover,
// body_contact or a drive fault); slip_ok = 1 - slip_over_limit.p() (slip p95 at or below the
// rover's slip limit). Consistent rules leave a `marginal` band between no_go and go:
// no_go_p_goal_below <= go_p_goal_min, no_go_p_severe_above >= go_p_severe_max and
// no_go_slip_ok_below <= go_slip_ok_min (LoadFlightRules checks it).
struct FlightRules {
  double go_p_goal_min = 0.90;         // go needs p_goal >= this
  double go_p_severe_max = 0.02;       // go needs p_severe <= this
  double go_slip_ok_min = 0.95;        // go needs slip_ok >= this
  double no_go_p_goal_below = 0.60;    // no_go when p_goal < this
  double no_go_p_severe_above = 0.10;  // no_go when p_severe > this
  double no_go_slip_ok_below = 0.75;   // no_go when slip_ok < this
  std::string source;                  // the file read, or "default" (check.json records it)
};

// The defaults above, equal to the bundled scenarios/check/flight_rules.yaml (a test keeps them
// equal).
FlightRules DefaultFlightRules();
std::filesystem::path BundledFlightRulesPath();

// Reads a flight-rules file (the shape of flight_rules.yaml): missing keys keep the defaults;
// unknown keys, values outside [0, 1] and inconsistent thresholds throw InputError naming the
// file and the key path, as does a missing or unreadable file.
FlightRules LoadFlightRules(const std::filesystem::path& file);

struct Verdict {
  std::string verdict;               // "go" | "marginal" | "no_go"
  std::vector<std::string> reasons;  // one sentence per rule not met; for go, one that all held
};

// The verdict of `rules` on `summary`. Each reason gives the measured value, its 95 % Wilson
// interval, the threshold and its key, e.g.
//   "p_goal 0.41 (41 of 100 trials, 95 % CI 0.32-0.51) below 0.60 (no_go.p_goal_below); ..."
// and says why: the keep-out zones entered and severe hazards met, the slip limit, how the
// trials that missed the goal ended. Throws InputError for a summary with no trials. Each
// proportion's `trials` must equal summary.trials (our bug otherwise).
Verdict Decide(const CheckSummary& summary, const FlightRules& rules);

}  // namespace marsdrive::check

#pragma once
// What a plan check's trials add up to (scenarios/check/): the proportions its flight rules
// (check_rules.h) decide on. Filled by the check runner from the trials' metrics.

#include <map>
#include <string>
#include <vector>

namespace marsdrive::check {

// How many of `trials` trials had something happen. The 95 % interval is Wilson's
// (base/statistics.h WilsonInterval95).
struct Proportion {
  int count = 0;
  int trials = 0;
  double p() const { return trials > 0 ? static_cast<double>(count) / trials : 0.0; }
};

struct CheckSummary {
  int trials = 0;
  Proportion goal;    // reached the goal
  Proportion severe;  // a keep_out, rollover or body_contact hazard, or a drive fault
  // Trials whose slip p95 (over 1 m windows, sim/metrics.h) exceeded the rover's slip limit.
  Proportion slip_over_limit;
  double slip_limit = 0.4;
  // Trials with at least one event of each hazard kind, by its JSON name (sim::ToString).
  std::map<std::string, Proportion> hazards;
  // Trials that entered each keep-out zone, by zone name.
  std::map<std::string, int> keep_out_zones;
  // How the trials ended: drive status (sim::ToString(DriveStatus)) -> trials.
  std::map<std::string, int> statuses;
};

}  // namespace marsdrive::check

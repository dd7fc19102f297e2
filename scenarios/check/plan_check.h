#pragma once
// `marsdrive check`: a Monte-Carlo digital-twin verdict on a plan (docs/plan-check.md). Each
// trial samples a plausible ground from the orbital products alone (ground_model.h) and drives
// the plan on it with AutoNav and fault protection, as a scenario run does; the trials add up
// to a CheckSummary the flight rules decide on (check_rules.h). The ground truth of a terrain
// directory is never read.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/pose.h"
#include "planners/plan_types.h"
#include "scenarios/check/check_rules.h"
#include "scenarios/check/check_summary.h"
#include "scenarios/check/ground_model.h"
#include "sim/metrics.h"
#include "terrain/orbital.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::check {

struct CheckRequest {
  std::shared_ptr<const terrain::OrbitalProducts> orbital;
  base::Pose2 start;                    // as the operator knows it
  std::vector<base::Point2> waypoints;  // the plan, in order (the start may be the first)
  sim::Goal goal;                       // the drive ends here (appended to the waypoints)
  std::vector<planners::KeepOut> keep_outs;
  vehicle::RoverSpec rover = vehicle::DefaultRoverSpec();
  bool autonav = true;
  int trials = 32;
  int jobs = 1;  // trials in parallel, each with its own world
  std::uint64_t seed = 1;
  double time_limit_s = 7200;  // simulated, per trial (scenarios' default limit)
  GroundUncertainty model;
  std::filesystem::path out;  // trial directories go to out/trials/trial-NNN
  // Called after each trial (from the trial's thread, serialised): trials done so far.
  std::function<void(int done, int total)> on_progress;
};

// One trial's outcome, from its metrics.
struct TrialOutcome {
  int index = 0;
  TrialDraw draw;
  std::string dir;     // relative to out
  std::string status;  // the drive status, or "error" when the trial itself failed
  std::string reason;
  bool goal_reached = false;
  bool severe = false;  // keep_out, rollover, body_contact or a drive fault
  double distance_m = 0, slip_p95 = 0, tilt_max_deg = 0, energy_J = 0, time_s = 0;
  std::optional<double> min_clearance_m;  // AutoNav's bound along the arcs it drove (on only)
  std::map<std::string, int> hazards;     // events by kind
  std::vector<std::string> keep_outs_entered;
  std::string failure;  // "" when the trial succeeded; else what ended it (see LegRisk)
  double fail_x_m = 0, fail_y_m = 0;  // where: the first severe event, else the end
};

// Where the plan fails: one leg per pair of consecutive plan points (start, waypoints, goal).
struct LegRisk {
  base::Point2 from, to;
  int entered = 0;    // trials that got as far as this leg
  int failures = 0;   // trials whose failure lies on this leg (nearest leg to where it failed)
  double p_fail = 0;  // failures / entered
  std::string main_failure;  // the commonest failure here: a severe hazard kind or a status
};

struct CheckResult {
  std::vector<TrialOutcome> trials;
  CheckSummary summary;
  std::vector<LegRisk> legs;
  std::vector<base::Point2> plan_points;  // start, waypoints, goal as driven
  RockAbundance rocks;
  // Flight rules the plan itself breaks, whatever the trials show: a leg through a keep-out.
  std::vector<std::string> plan_violations;
  double wall_time_s = 0;
};

// Checks the request (throws InputError naming the field) and runs every trial. A trial that
// throws is recorded with status "error" and its reason; the others go on.
CheckResult RunPlanCheck(const CheckRequest& request);

// The verdict: the flight rules on the trials (check_rules.h Decide), and no_go whenever the
// plan itself breaks a rule (CheckResult::plan_violations, listed first among the reasons).
Verdict Judge(const CheckResult& result, const FlightRules& rules);

}  // namespace marsdrive::check

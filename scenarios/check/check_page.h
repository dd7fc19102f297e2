#pragma once
// What check.html shows, read back from check.json (check_json.h) with every field checked:
// the page is drawn from the record, not from the run, so it can be redrawn from any check.json.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/json_reader.h"
#include "planners/plan_types.h"

namespace marsdrive::check {

// How a trial ended, for its colour on the map: a severe one is red even if it reached the goal.
enum class TrialKind { kGoal, kFailed, kSevere };

struct PageProportion {
  std::string name;
  double p = 0;
  int count = 0, trials = 0;
  double lo = 0, hi = 1;  // 95 % interval
};

struct PageLeg {
  planners::Point2 from, to;
  int entered = 0, failures = 0;
  double p_fail = 0;
  std::string main_failure;  // "" when none
};

struct PageTrial {
  int index = 0;
  std::uint64_t seed = 0;
  std::string dir, status, reason, failure;
  bool goal_reached = false;
  TrialKind kind = TrialKind::kFailed;
  double distance_m = 0, slip_p95 = 0, tilt_max_deg = 0, time_s = 0;
  std::optional<planners::Point2> failure_at;  // only when the trial failed
};

struct CheckPage {
  std::string verdict;
  std::vector<std::string> reasons;
  PageProportion goal;
  std::vector<PageProportion> hazards;  // check.json order; "severe" last
  double slip_limit = 0;
  std::vector<PageLeg> legs;
  std::vector<PageTrial> trials;
  // Inputs.
  std::string orbital_dir, plan, rules_source;
  int trial_count = 0;
  std::uint64_t seed = 0;
  planners::Pose2 start;
  planners::GoalRegion goal_region;
  std::vector<planners::Point2> plan_points;
  std::vector<planners::KeepOut> keep_outs;  // with polygons when check.json has them
};

// InputError naming `reader`'s source and the field's JSON path for a missing or mistyped field.
CheckPage ReadCheckPage(const JsonReader& reader, const nlohmann::ordered_json& check);

}  // namespace marsdrive::check

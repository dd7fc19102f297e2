#include "planners/scripted_planner.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "base/check.h"
#include "io/text_file.h"
#include "planners/cost_map.h"
#include "planners/plan_json.h"
#include "planners/route.h"
#include "planners/route_files.h"

namespace marsdrive::planners {

namespace fs = std::filesystem;

namespace {

constexpr double kStartSnapM = 1.0;  // a first waypoint this close to the start is the start

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::vector<ParamSpec> ScriptedParams() {
  return {
      {.name = "file",
       .type = ParamType::kString,
       .default_value = "",
       .help = "waypoint file in map coordinates: .yaml/.yml list of [x, y] or {x, y}, .csv with "
               "an x,y header, .geojson LineString, or a plan.json"},
      {.name = "commands",
       .type = ParamType::kString,
       .default_value = "",
       .help = "raw drive commands (\"straight 10; arc 5 90; turn 45\") or a file holding them, "
               "passed to the drive executive as text"},
      {.name = "max_spacing_m",
       .type = ParamType::kDouble,
       .default_value = "20",
       .min_value = 0.1,
       .max_value = 10000,
       .help = "longest segment (m): the straight line's segment length; longer file segments "
               "are split (capped by the problem's spacing limit)"},
      {.name = "validate",
       .type = ParamType::kBool,
       .default_value = "true",
       .help = "report a route crossing blocked cells or keep-outs as invalid_route"},
  };
}

PlannerSpecs ScriptedSpecs() {
  return {.summary =
              "human-scripted: waypoints from a file, raw drive commands, or the straight "
              "line to the goal",
          .optimizing = false,
          .deterministic = true,
          .anytime = false,
          .needs_network = false};
}

class ScriptedPlanner final : public Planner {
 public:
  explicit ScriptedPlanner(PlannerParams params)
      : Planner("scripted", ScriptedSpecs(), ScriptedParams(), std::move(params)) {
    const std::string& file = ParamValues().String("file");
    const std::string& commands = ParamValues().String("commands");
    MD_THROW_UNLESS(file.empty() || commands.empty(),
                    "planner scripted: give file=... or commands=..., not both");
    if (!file.empty()) file_waypoints_ = LoadWaypointFile(file);
    if (!commands.empty()) {
      std::error_code ec;
      commands_ = fs::is_regular_file(commands, ec) ? ReadTextFile(commands) : commands;
      MD_THROW_UNLESS(commands_.find_first_not_of(" \t\r\n;") != std::string::npos,
                      "planner scripted: parameter commands: no drive commands");
    }
  }

  PlanResult Plan(const PlanProblem& problem, std::stop_token /*stop*/) override {
    const CostMap map(problem);
    const Point2 start{problem.start.x_m, problem.start.y_m};
    if (!commands_.empty()) {
      PlanResult result{.status = PlanStatus::kApproximate,
                        .waypoints = {start},
                        .reason =
                            "raw drive commands: the drive executive parses and runs them; "
                            "the planner does not predict where they end"};
      result.commands = commands_;
      SetDiagnostic(result, "source", std::string("commands"));
      return result;
    }
    if (std::optional<PlanResult> invalid = CheckEndpoints(map, problem)) {
      // A file route is checked as given (its own validation names the problem), but the
      // start must be usable, and so must the goal for the straight line.
      if (invalid->status == PlanStatus::kInvalidStart || file_waypoints_.empty()) {
        return std::move(*invalid);
      }
    }
    const double spacing = EffectiveSpacing(problem, ParamValues().Double("max_spacing_m"));
    std::vector<Point2> route = {start};
    std::string source;
    if (file_waypoints_.empty()) {
      route.push_back({problem.goal.x_m, problem.goal.y_m});
      source = "straight line";
    } else {
      const Point2 first = file_waypoints_.front();
      const bool snap = std::hypot(first.x_m - start.x_m, first.y_m - start.y_m) <= kStartSnapM;
      route.insert(route.end(), file_waypoints_.begin() + (snap ? 1 : 0), file_waypoints_.end());
      source = "file " + ParamValues().String("file");
    }
    PlanResult result;
    result.waypoints = SubdivideRoute(route, spacing);
    SetDiagnostic(result, "source", source);
    AddRouteDiagnostics(result, map);

    const std::vector<RouteViolation> violations = CheckRoute(map, problem, result.waypoints);
    SetDiagnostic(result, "violations", static_cast<std::int64_t>(violations.size()));
    const double miss_m = DistanceToGoal(result.waypoints, problem.goal);
    if (!violations.empty() && ParamValues().Bool("validate")) {
      result.status = PlanStatus::kInvalidRoute;
      result.reason =
          "the " + source + " route breaks the limits: " + SummarizeViolations(violations);
    } else if (miss_m <= problem.goal.tolerance_m) {
      result.status = PlanStatus::kExact;
      if (!violations.empty()) {
        result.reason = "validate=false; not checked: " + SummarizeViolations(violations);
      }
    } else {
      result.status = PlanStatus::kApproximate;
      result.reason = "the " + source + " route ends " + Num(miss_m) +
                      " m from the goal (tolerance " + Num(problem.goal.tolerance_m) + " m)";
      if (!violations.empty())
        result.reason += "; validate=false: " + SummarizeViolations(violations);
    }
    return result;
  }

 private:
  std::vector<Point2> file_waypoints_;
  std::string commands_;
};

}  // namespace

PlannerInfo ScriptedPlannerInfo() {
  return {.name = "scripted",
          .specs = ScriptedSpecs(),
          .params = ScriptedParams(),
          .make = [](PlannerParams params) -> std::unique_ptr<Planner> {
            return std::make_unique<ScriptedPlanner>(std::move(params));
          }};
}

}  // namespace marsdrive::planners

#pragma once
// The planner boundary as plain data (ARCHITECTURE "Planner interface"; STYLE §5, after OMPL's
// ProblemDefinition and PlannerStatus): the query a ground planner answers, and its answer.
// A planner sees orbital products only: nothing here can reach the ground truth.

#include <cstdint>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/pose.h"
#include "terrain/orbital.h"

namespace marsdrive::planners {

// How a plan ended. Failure is a value, never an exception escaping a planner.
enum class PlanStatus {
  kExact,         // a route whose last waypoint lies within the goal tolerance
  kApproximate,   // a route that stops short of the goal, or whose end the planner cannot know
                  // (raw drive commands): usable, but check `reason`
  kTimeout,       // stopped (time budget or stop request) before a route was found
  kNoPath,        // no route exists: lethal cells and keep-outs separate start and goal
  kInvalidStart,  // the start is off the map, on a lethal cell or too close to a keep-out
  kInvalidGoal,   // no traversable point of the map lies within the goal tolerance
  kInvalidRoute,  // a given route (scripted file, model answer) breaks the limits; kept as is
  kCrash,         // the planner threw; `reason` holds the message
};
inline constexpr int kPlanStatusCount = 8;

// "exact", "approximate", "timeout", "no_path", "invalid_start", "invalid_goal",
// "invalid_route", "crash" (the names in plan.json).
const char* ToString(PlanStatus status);
std::optional<PlanStatus> ParsePlanStatus(std::string_view text);
// kExact and kApproximate: the waypoints can be driven (`marsdrive plan` exits 0).
inline bool IsSuccess(PlanStatus status) {
  return status == PlanStatus::kExact || status == PlanStatus::kApproximate;
}

// Points and poses in the map frame: the project's one Point2 and Pose2 (base/pose.h).
using base::Point2;
using base::Pose2;
using Waypoint = Point2;

struct GoalRegion {
  double x_m = 0, y_m = 0;
  double tolerance_m = 1.0;  // reached when the rover's centre is within this distance, > 0
  bool operator==(const GoalRegion&) const = default;
};

// A zone the rover must not enter (operators' keep-out): a simple polygon in the map frame,
// either orientation, closing vertex optional. Planners keep the rover's centre at least half
// the footprint away from it.
struct KeepOut {
  std::string name{};
  std::vector<Point2> polygon{};
  bool operator==(const KeepOut&) const = default;
};

// The valid range of RouteLimits::max_waypoint_spacing_m (and of the planners' max_spacing_m):
// a route is subdivided at this spacing, so a tiny one would make millions of waypoints.
inline constexpr double kMinWaypointSpacing_m = 0.5;
inline constexpr double kMaxWaypointSpacing_m = 10000;

// What the route must respect. Defaults: Perseverance (rover.md §1, §4, §7) and the orbital
// products' own limits; MakeRouteLimits() copies the latter from a product set.
struct RouteLimits {
  double footprint_diameter_m = 3.0;  // a disc covering the rover at any heading
  double max_slope_rad = 30.0 * std::numbers::pi / 180.0;  // cells steeper are lethal
  double max_step_m = 0.35;                                // cells with larger steps too
  double max_waypoint_spacing_m = 100.0;  // flight practice: waypoints <= ~100 m apart (§7)
  bool operator==(const RouteLimits&) const = default;
};
RouteLimits MakeRouteLimits(const terrain::OrbitalParams& params);

// The query: separate from any planner, so it can be saved (problem.json) and replayed against
// every planner (OMPL's ProblemDefinition).
struct PlanProblem {
  // All a planner may see; never a path: where the products came from is the caller's business.
  std::shared_ptr<const terrain::OrbitalProducts> orbital{};
  Pose2 start;
  GoalRegion goal;
  std::vector<KeepOut> keep_outs{};
  RouteLimits limits;
  double time_budget_s = 10.0;  // wall-clock budget; planners return what they have when it ends
  std::uint64_t seed = 1;       // for randomised planners (the run's seed)
};

// A parameter or diagnostic value: kept typed so that JSON shows numbers as numbers.
using Scalar = std::variant<bool, std::int64_t, double, std::string>;
std::string ScalarToString(const Scalar& value);  // "true", "16", "0.02", "text"

struct NamedValue {
  std::string name{};
  Scalar value{};
  bool operator==(const NamedValue&) const = default;
};

// Another route the planner considered (the viewer draws them).
struct Route {
  std::string label{};  // e.g. "raw search path"
  std::vector<Waypoint> waypoints{};
  bool operator==(const Route&) const = default;
};

// One message of a model planner's conversation (the VLM planner), secrets removed.
struct TranscriptEntry {
  std::string role{};  // "system", "user" or "assistant"
  std::string text{};  // an image sent is noted in the text ("[image: ...]"), not embedded
  bool operator==(const TranscriptEntry&) const = default;
};

struct [[nodiscard]] PlanResult {
  PlanStatus status = PlanStatus::kCrash;
  std::vector<Waypoint> waypoints{};  // map frame (ENU), metres; [0] is the start position
  std::string reason{};               // why, whenever status != kExact
  double wall_time_s = 0.0;           // measured by RunPlanner; reported, never fed to the sim
  // Raw drive commands ("straight 10; arc 5 90; turn 45", vehicle/drive_command.h syntax) for
  // the drive executive to parse and execute instead of following waypoints; usually empty.
  std::string commands{};
  std::vector<Route> alternatives{};      // other routes considered (kept small)
  std::vector<NamedValue> diagnostics{};  // e.g. length_m, cost, expansions (planner-specific)
  std::string log{};                      // free text (e.g. a library's messages)
  std::string planner{};                  // set by RunPlanner: the planner's name ...
  std::vector<NamedValue> params{};       // ... and every parameter value it used
  // Why each waypoint is there (a model planner's rationale for the leg ending at it): empty,
  // or one entry per waypoint ([0], the start, is usually "").
  std::vector<std::string> rationale{};
  std::vector<TranscriptEntry> transcript{};  // a model planner's conversation; usually empty
};

// Sets (or replaces) diagnostics[name].
void SetDiagnostic(PlanResult& result, const std::string& name, Scalar value);
// The value of diagnostics[name], if any.
const Scalar* FindDiagnostic(const PlanResult& result, std::string_view name);

}  // namespace marsdrive::planners

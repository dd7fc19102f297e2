#pragma once
// problem.json and plan.json: a plan can be saved, inspected and replayed. Field names are a
// contract (other people's baselines read them); bump the schema to change them.
//
// plan.json (schema marsdrive/plan/1):
//   { "schema", "planner", "params": {name: value, ...} (every parameter used),
//     "status": "exact" | "approximate" | "timeout" | "no_path" | "invalid_start" |
//               "invalid_goal" | "invalid_route" | "crash",
//     "reason", "waypoints": [{"x", "y"}, ...] (map frame, metres; [0] is the start),
//     "commands" (raw drive commands, usually ""), "alternatives": [{"label", "waypoints"}],
//     "diagnostics": {name: value, ...}, "log", "wall_time_s" }
//   Model planners (vlm) add, and only then: "rationale": ["", "why waypoint 1", ...] (one per
//   waypoint, after "waypoints") and "transcript": [{"role", "text"}, ...] (after "log").
// problem.json (schema marsdrive/plan-problem/1): the query without the heavy grids:
//   { "schema", "orbital_dir" (where the orbital products come from: a terrain directory, of
//     which only terrain.json and orbital/ are read; older files say "terrain_dir"),
//     "orbital": {width_px, height_px, resolution_m, origin_x_m, origin_y_m, fingerprint},
//     "start": {"x", "y", "yaw_deg"}, "goal": {"x", "y", "tolerance_m"},
//     "keep_outs": [{"name", "polygon": [[x, y], ...]}],
//     "limits": {footprint_diameter_m, max_slope_deg, max_step_m, max_waypoint_spacing_m},
//     "time_budget_s", "seed" }
// Doubles are written in shortest round-trip form (a plan reads back bit for bit); non-finite
// diagnostics are written as null and read back as NaN.

#include <filesystem>
#include <string>

#include "planners/plan_types.h"

namespace marsdrive::planners {

inline constexpr const char* kPlanSchema = "marsdrive/plan/1";
inline constexpr const char* kPlanProblemSchema = "marsdrive/plan-problem/1";

std::string PlanResultToJsonText(const PlanResult& result);
// Throws InputError naming `source` and the field for malformed text.
PlanResult ParsePlanResult(const std::string& text, const std::string& source);
PlanResult LoadPlanResult(const std::filesystem::path& path);

// The problem's orbital products (when present) are recorded by grid and fingerprint only, and
// `orbital_dir` says where to load them from again ("" when built in memory).
std::string PlanProblemToJsonText(const PlanProblem& problem, const std::string& orbital_dir = "");
// The problem with `orbital` left empty. Throws InputError naming `source` and the field.
PlanProblem ParsePlanProblem(const std::string& text, const std::string& source);
// Reads problem.json and loads the orbital products from its orbital_dir (relative to the
// file's folder when relative); `orbital_dir`, when given, receives that directory. Throws
// InputError when the products no longer match the grid or fingerprint recorded (the terrain
// changed since).
PlanProblem LoadPlanProblem(const std::filesystem::path& path, std::string* orbital_dir = nullptr);

// "fnv1a64:0123456789abcdef": a hash of the grid, the cost and traversability layers.
std::string OrbitalFingerprint(const terrain::OrbitalProducts& orbital);

}  // namespace marsdrive::planners

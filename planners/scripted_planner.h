#pragma once
// `scripted`: the human-scripted planner. Carries what an operator wrote:
//   - file=PATH: waypoints from a file (planners/route_files.h: YAML, CSV, GeoJSON LineString,
//     or a plan.json). The start is prepended (or replaces a first waypoint within 1 m of it);
//     segments longer than the spacing are split evenly (same geometry). With validate=true
//     (default) a route that crosses a blocked cell or leaves the map is kInvalidRoute, with
//     every violation in the reason; else it is kExact when it ends within the goal tolerance,
//     kApproximate otherwise.
//   - commands=TEXT (or a file holding them): raw drive commands in the syntax of
//     vehicle/drive_command.h ("straight 10; arc 5 90; turn 45"), carried as text in
//     PlanResult::commands for the drive executive to parse and check. The planner does not
//     interpret them, so the result is kApproximate with waypoints = [start].
//   - neither: the straight line start -> goal in equal segments of at most max_spacing_m
//     (capped by the problem's spacing limit), checked like a file route.

#include "planners/registry.h"

namespace marsdrive::planners {

PlannerInfo ScriptedPlannerInfo();

}  // namespace marsdrive::planners

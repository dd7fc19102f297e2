#pragma once
// `vlm`: waypoints from a vision-language model over HTTP, validated against the orbital cost
// map, critiqued and revised, replayable from cassettes.
//
// One plan:
//   1. the start and goal are checked (CheckEndpoints: no model call for an impossible query);
//   2. the orbital products are rendered (map_render.h: orthoimage or hillshade, metric grid,
//      scale bar, north arrow, start, goal, keep-outs, overlay) and briefed (route_prompt.h:
//      limits, scale, coordinate convention, rules, the exact JSON answer format);
//   3. round 1 asks for a route; each answer is parsed strictly (route_answer.h) and checked
//      with CheckRoute (map, blocked cells incl. slope/step over the limits and keep-outs with
//      half the footprint, spacing <= min(max_spacing_m, the problem's limit)) plus "the last
//      waypoint lies within the goal tolerance". An unreadable answer or a route with
//      violations goes back to the model as a critique naming each problem (which leg or
//      waypoint, where, why), up to max_rounds revisions: at most 1 + max_rounds requests.
//   4. Result: kExact with the first valid route (the start prepended; a first waypoint within
//      1 m of the start replaces it); kApproximate when the last route breaks no rule but ends
//      outside the goal tolerance; kInvalidRoute when no answer was valid (the last route kept,
//      every problem in `reason`); kTimeout when a call timed out or the problem's time budget
//      ran out; kCrash for any other failed call (bad key, unknown model, 5xx after retries,
//      replay miss), the reason naming the cause. Every rejected route is an alternative
//      ("round N"), the per-waypoint rationale goes to PlanResult::rationale, the conversation
//      (image noted, not embedded) to PlanResult::transcript. No API key in any of it.
// Diagnostics: provider, model, requests, rounds, input_tokens, output_tokens, image_px,
// metres_per_px, violations, failure (the call status of a failed call), length_m, cost,
// waypoint_count. Nothing time-dependent, so a replayed plan equals the recorded one.

#include <optional>
#include <string>

#include "planners/registry.h"
#include "planners/vlm/http_client.h"
#include "planners/vlm/model_client.h"

namespace marsdrive::planners {

PlannerInfo VlmPlannerInfo();

namespace vlm {

// How the planner reaches the outside world; tests inject a fake environment and clock.
struct VlmRuntime {
  EnvFn env;               // default (null): the process environment
  HttpClientOptions http;  // retry policy, clock, sleep, log
};

std::unique_ptr<Planner> MakeVlmPlanner(const marsdrive::ParamMap& params, VlmRuntime runtime = {});

// Why the planner cannot run with these parameters here, or nullopt when it can: cache=off or
// record need an endpoint (a key or a base URL in the environment), cache=replay a cassette
// directory holding cassettes, cache=auto either.
std::optional<std::string> VlmUnavailableReason(const PlannerParams& params, const EnvFn& env);

// The model asked for when `model` is empty.
const char* DefaultModel(Provider provider);

}  // namespace vlm
}  // namespace marsdrive::planners

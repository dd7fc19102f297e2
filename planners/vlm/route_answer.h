#pragma once
// Reading a model's route answer strictly. The answer format (the brief states it, the
// `schema` answer mode enforces it):
//
//   {"waypoints": [{"x": 12.5, "y": 40.0, "rationale": "why this leg"}, ...]}
//
// x and y are map metres (x east, y north, origin at the map's south-west corner), in driving
// order, without the start; "rationale" is optional (a string); other keys are ignored.
// The object may come as the whole answer, inside a ``` code fence, or inside prose: exactly
// one JSON object must be found (several, none, or one that does not parse is an error the
// planner sends back to the model as a critique, never a crash).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planners/plan_types.h"

namespace marsdrive::planners::vlm {

inline constexpr std::size_t kMaxAnswerWaypoints = 500;

struct ProposedWaypoint {
  Point2 position;
  std::string rationale;
};

struct RouteAnswer {
  std::vector<ProposedWaypoint> waypoints;
  std::string error;  // why the answer cannot be used; empty when it can
  bool ok() const { return error.empty(); }
};

// The one JSON object in `text`: the whole text if it is one; else the only ```-fenced block
// holding one; else the only balanced {...} in the prose that parses. nullopt with `why` set
// otherwise.
std::optional<std::string> ExtractJsonObject(std::string_view text, std::string& why);

// `structured_json` (a forced tool's input or a JSON-mode answer, ModelResponse) is used when
// given, else the object extracted from `text`.
RouteAnswer ParseRouteAnswer(std::string_view text, std::string_view structured_json);

}  // namespace marsdrive::planners::vlm

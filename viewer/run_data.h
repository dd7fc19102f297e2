#pragma once
// Everything the viewer shows of one run, loaded from its run directory (the layout of
// scenarios/run_record.h): the record, the plan, telemetry, metrics, AutoNav decisions, and the
// terrain it drove on (ground truth for the scene, orbital products for the layers).
// Loaders throw InputError naming the file and what was wrong; nothing here touches OpenGL.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "planners/plan_types.h"
#include "scenarios/run_record.h"
#include "sim/telemetry.h"
#include "terrain/orbital.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::viewer {

// One path option AutoNav evaluated (autonav.json decisions[].options[]).
struct PathOptionView {
  std::string kind;  // "arc" | "turn"
  bool safe = false;
  std::string reason;                    // OptionCheck name ("none" when safe)
  double score = 0;                      // NaN when not scored
  std::vector<planners::Point2> points;  // map frame, metres
};

struct AutoNavDecisionView {
  double time_s = 0;
  double x_m = 0, y_m = 0, yaw_rad = 0;
  int chosen = -1;  // index into options, -1 when none was chosen
  std::string note;
  std::vector<PathOptionView> options;
};

// An intermediate waypoint the executive gave up on (autonav.json skipped_waypoints[]).
struct SkippedWaypointView {
  int index = 0;
  double time_s = 0;
  double x_m = 0, y_m = 0;
  std::string reason;
};

// A hazard event of metrics.json (hazards[]).
struct HazardMarker {
  std::string kind;  // sim::HazardKind name
  std::string part;
  double start_s = 0, duration_s = 0;
  double x_m = 0, y_m = 0;
};

struct RunData {
  std::filesystem::path dir;  // the run directory
  scenarios::RunRecord record;
  std::optional<planners::PlanResult> plan;  // absent when the run made no plan
  sim::Telemetry telemetry;                  // at least one sample
  nlohmann::json metrics;                    // metrics.json (null when absent)
  std::vector<HazardMarker> hazards;
  std::vector<AutoNavDecisionView> decisions;  // empty without autonav.json
  std::vector<SkippedWaypointView> skipped_waypoints;
  std::filesystem::path terrain_dir;  // absolute
};

// The terrain of a run, shared by the runs compared on it.
struct SceneTerrain {
  std::shared_ptr<const terrain::TerrainTruth> truth;
  std::shared_ptr<const terrain::OrbitalProducts> orbital;
};

// `path` is a run directory or its run.json. Throws InputError naming the file for a missing
// run.json, a missing or truncated telemetry.csv and malformed plan/metrics/autonav files.
RunData LoadRunData(const std::filesystem::path& path);
SceneTerrain LoadSceneTerrain(const std::filesystem::path& terrain_dir);

// Parsers of the JSON files (`source` names the file in errors).
std::vector<AutoNavDecisionView> ParseAutoNavDecisions(const nlohmann::json& json,
                                                       const std::string& source);
// Files written before waypoints could be skipped have none.
std::vector<SkippedWaypointView> ParseSkippedWaypoints(const nlohmann::json& autonav,
                                                       const std::string& source);
std::vector<HazardMarker> ParseHazards(const nlohmann::json& metrics, const std::string& source);

}  // namespace marsdrive::viewer

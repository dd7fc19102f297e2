#pragma once
// A scenario file (schema marsdrive/scenario/1, documented field by field in
// docs/scenarios.md, JSON Schema in scenarios/schema/scenario.schema.json): the terrain, start,
// goal, keep-outs, default planner and limits of one drive.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/params.h"
#include "planners/plan_types.h"
#include "terrain/rocks.h"

namespace marsdrive::scenarios {

inline constexpr const char* kScenarioSchema = "marsdrive/scenario/1";

// Procedural terrain ({preset: ...}) or an imported DEM ({dem: ...}).
struct TerrainSpec {
  // Procedural.
  std::string preset;  // jezero-rim | flat | slope | step ("" for a DEM)
  double size_x_m = 0, size_y_m = 0;
  double resolution_m = 0.05;
  marsdrive::ParamMap params;
  std::string rocks_file;            // absolute path of an extra rock list file ("" for none)...
  std::vector<terrain::Rock> rocks;  // ...or rocks listed inline (placed exactly)
  // Imported DEM.
  std::string dem;                              // absolute path ("" for a preset)
  std::optional<std::array<double, 4>> window;  // x0, y0, x1, y1 in the DEM's CRS metres
  std::optional<double> dem_resolution_m;       // resample to this (default: the DEM's own)
  std::optional<double> rocks_k;                // decorate with Golombek-Rapp rocks
  bool fill_nodata = false;

  bool IsDem() const { return !dem.empty(); }
};

struct PlannerChoice {
  std::string name;
  std::string label;  // name unless a suite gives a label (two parameter sets of one planner)
  marsdrive::ParamMap params;
  std::optional<double> time_budget_s;  // the planner's wall-clock budget (else limits.plan_time_s)
  // `check: {trials: N}`: the digital twin's verdict on the plan (N trials) before the drive
  // (scenarios/plan_checker.h); 0: no check.
  int check_trials = 0;
};

struct ScenarioLimits {
  double time_s = 7200;     // simulated time limit of the drive
  double tilt_deg = 30;     // rover tilt limit (fault protection and hazard threshold)
  double slip = 0.4;        // slip limit (metrics' distance over limit, score penalty)
  double plan_time_s = 10;  // the planner's wall-clock budget
};

struct Scenario {
  std::filesystem::path file;  // where it was loaded from (absolute)
  std::string name;
  std::uint64_t seed = 1;  // the terrain's landforms; a suite seed perturbs the details
  TerrainSpec terrain;
  planners::Pose2 start;
  planners::GoalRegion goal;
  std::vector<planners::KeepOut> keep_outs;
  std::optional<PlannerChoice> planner;
  ScenarioLimits limits;
};

// Loads and checks a scenario. Throws InputError naming the file, the key path (e.g.
// "goal.tolerance_m") and what was expected, for unknown keys, wrong types, bad values, a
// start or goal off a procedural map (a DEM's extent is only known once imported: then the
// runner checks, with the same kind of message).
Scenario LoadScenario(const std::filesystem::path& file);
Scenario ParseScenario(const std::string& yaml_text, const std::filesystem::path& file);

}  // namespace marsdrive::scenarios

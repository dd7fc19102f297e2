#pragma once
// run.json (schema marsdrive/run/1): the record of one run of a scenario, written last into the
// run's directory beside the files it names, so that a directory with a run.json is complete.
// The suite's results.json lists these records; the viewer opens a run through it.
//
// Layout of a run directory:
//   run.json        this record
//   plan.json       the planner's result (planners/plan_json.h)
//   metrics.json    the drive's metrics (scenarios/metrics_json.h)
//   telemetry.csv   the drive's telemetry (sim/telemetry_csv.h)
//   autonav.json    AutoNav's decisions (scenarios/autonav_json.h)
// Paths inside the record are relative to the run directory (the terrain usually lives in a
// shared cache beside the runs), so a suite directory can be moved or archived as a whole.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "planners/plan_types.h"

namespace marsdrive::scenarios {

inline constexpr const char* kRunSchema = "marsdrive/run/1";

enum class RunStatus { kOk, kFailed, kSkipped };
const char* ToString(RunStatus status);  // "ok", "failed", "skipped"
std::optional<RunStatus> ParseRunStatus(std::string_view text);

struct RunFiles {
  std::string plan = "plan.json";  // "" when the run did not get that far
  std::string metrics = "metrics.json";
  std::string telemetry = "telemetry.csv";
  std::string autonav = "autonav.json";
  bool operator==(const RunFiles&) const = default;
};

// The digital twin's verdict on the run's plan, made before the drive (a planner entry's
// `check: {trials: N}`, scenarios/plan_checker.h); the check's files are in `dir`.
struct RunCheck {
  int trials = 0;
  int goal_count = 0;
  double p_goal = 0;
  std::string verdict;        // "go" | "marginal" | "no_go"
  std::string dir = "check";  // relative to the run directory
  bool operator==(const RunCheck&) const = default;
};

struct RunRecord {
  std::string id;             // "<scenario>/<planner label>/seed-<n>": unique within a suite
  std::string scenario;       // scenario name
  std::string scenario_file;  // as given to the runner
  std::string planner;        // planner name (registry)
  std::string planner_label;  // name, or the suite's label for this parameter set
  // The planner saw the ground truth (the `oracle`, planners/oracle/oracle_planner.h): an upper
  // bound, not a contender. Written to run.json only when true ("privileged": true).
  bool privileged = false;
  std::vector<planners::NamedValue> planner_params;  // as given (strings), before defaults
  std::uint64_t seed = 1;
  RunStatus status = RunStatus::kFailed;
  std::string reason;  // why, whenever status != ok, or a note (e.g. "goal not reached")
  // What failed (status failed): "plan" (the planner found no route), "input" (bad scenario
  // or parameters), "error" (an exception), "crash" (the run's process died), "timeout" (over
  // the suite's run time limit), or the drive's fault status "off_map", "rollover",
  // "sim_fault" (sim/fault_detect.h; metrics and telemetry are written); "" otherwise.
  std::string failure;
  std::optional<double> score;     // docs/scoring.md; absent for skipped runs
  nlohmann::ordered_json metrics;  // metrics.json's content (null when no drive happened)
  std::string plan_status;         // PlanResult status name ("" when no plan was made)
  std::optional<RunCheck> check;   // when the planner entry asked for one and the plan succeeded
  std::string terrain_dir;         // relative to the run directory
  planners::Pose2 start;
  planners::GoalRegion goal;
  std::vector<planners::KeepOut> keep_outs;
  RunFiles files;
  double wall_time_s = 0;  // whole run, measured (not deterministic; excluded from comparisons)
};

nlohmann::ordered_json RunRecordToJson(const RunRecord& record);
// Throws InputError naming `source` and the field.
RunRecord RunRecordFromJson(const nlohmann::json& json, const std::string& source);
RunRecord LoadRunRecord(const std::filesystem::path& run_json);
// Atomic: written to a temporary name and renamed.
void WriteRunRecord(const std::filesystem::path& run_json, const RunRecord& record);

}  // namespace marsdrive::scenarios

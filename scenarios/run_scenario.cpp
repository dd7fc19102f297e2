#include "scenarios/run_scenario.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "base/check.h"
#include "base/random.h"
#include "io/text_file.h"
#include "planners/oracle/oracle_planner.h"
#include "planners/plan_json.h"
#include "planners/planner.h"
#include "planners/registry.h"
#include "scenarios/drive_pipeline.h"
#include "scenarios/score.h"
#include "scenarios/terrain_cache.h"
#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "terrain/orbital_dir.h"
#include "terrain/truth/terrain_dir.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
// Stream tags for the seeds a suite seed derives (terrain/random.h DeriveSeed).
constexpr std::uint64_t kTagTerrainDetail = 0x7465727261696eULL;  // "terrain"
constexpr std::uint64_t kTagDrive = 0x6472697665ULL;              // "drive"
constexpr std::uint64_t kTagCheck = 0x636865636bULL;              // "check"
// No rock within this distance of the start position: the rover is parked there (a disc
// covering its 3 m footprint, planners' RoverLimits::footprint_diameter_m, plus margin).
constexpr double kStartClearRadiusM = 2.0;

std::string Num(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void CheckOnMap(const terrain::GridSpec& s, const std::string& what, double x, double y,
                const Scenario& scenario) {
  MD_THROW_UNLESS(s.Contains(x, y), scenario.file.string() + ": " + what + ": (" + Num(x) + ", " +
                                        Num(y) + ") is off the map: the terrain covers x " +
                                        Num(s.origin_x_m) + ".." + Num(s.MaxX()) + " m, y " +
                                        Num(s.origin_y_m) + ".." + Num(s.MaxY()) + " m");
}

planners::PlanProblem MakeProblem(const Scenario& scenario, const fs::path& terrain_dir,
                                  std::uint64_t seed) {
  planners::PlanProblem problem;
  problem.orbital =
      std::make_shared<terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(terrain_dir));
  problem.start = scenario.start;
  problem.goal = scenario.goal;
  problem.keep_outs = scenario.keep_outs;
  problem.limits = planners::MakeRouteLimits(problem.orbital->params);
  problem.time_budget_s = scenario.limits.plan_time_s;
  problem.seed = seed;
  CheckOnMap(problem.orbital->spec(), "start", scenario.start.x_m, scenario.start.y_m, scenario);
  CheckOnMap(problem.orbital->spec(), "goal", scenario.goal.x_m, scenario.goal.y_m, scenario);
  return problem;
}

// The rover of a scenario's drive: the default one with the scenario's limits.
vehicle::RoverSpec ScenarioRover(const Scenario& scenario) {
  vehicle::RoverSpec rover = vehicle::DefaultRoverSpec();
  rover.limits.max_tilt_rad = scenario.limits.tilt_deg * kDegToRad;
  rover.limits.slip_limit = scenario.limits.slip;
  return rover;
}

// The digital twin's verdict on the plan (the planner entry's `check:`), in out/check/.
RunCheck CheckPlan(const Scenario& scenario, const planners::PlanProblem& problem,
                   const planners::PlanResult& plan, std::uint64_t drive_seed,
                   const RunOptions& options) {
  const std::string where =
      scenario.file.string() + ": planner " + options.planner->label + ": check: ";
  MD_THROW_UNLESS(options.plan_checker != nullptr,
                  where + "this program cannot check plans (`marsdrive run` and `suite` can)");
  MD_THROW_UNLESS(plan.commands.empty() && !plan.waypoints.empty(),
                  where + "the plan is drive commands, and a check needs waypoints");
  PlanCheckCall call;
  call.orbital = problem.orbital;
  call.start = scenario.start;
  for (const planners::Waypoint& w : plan.waypoints) call.waypoints.push_back({w.x_m, w.y_m});
  call.goal = scenario.goal;
  call.keep_outs = scenario.keep_outs;
  call.rover = ScenarioRover(scenario);
  call.trials = options.planner->check_trials;
  call.seed = marsdrive::DeriveSeed(drive_seed, kTagCheck);
  call.time_limit_s = options.time_limit_s.value_or(scenario.limits.time_s);
  call.out = options.out_dir / "check";
  const PlanCheckOutcome outcome = options.plan_checker(call);
  return {outcome.trials, outcome.goal_count, outcome.p_goal, outcome.verdict, "check"};
}

sim::DriveRequest MakeDrive(const Scenario& scenario, const fs::path& terrain_dir,
                            const planners::PlanResult& plan, std::uint64_t drive_seed,
                            const RunOptions& options) {
  sim::DriveRequest request;
  auto truth = std::make_shared<terrain::TerrainTruth>(terrain::LoadTerrainDir(terrain_dir));
  request.friction_override = sim::FrictionOverride(*truth, terrain_dir.string());
  request.terrain = std::move(truth);
  request.rover = ScenarioRover(scenario);
  request.start = {scenario.start.x_m, scenario.start.y_m, scenario.start.yaw_rad};
  request.seed = drive_seed;
  request.time_limit_s = options.time_limit_s.value_or(scenario.limits.time_s);
  request.on_sample = options.on_sample;
  request.stop = options.stop;
  if (!plan.commands.empty()) {
    request.commands = vehicle::ParseDriveCommands(plan.commands, "plan.json: commands");
    return request;
  }
  for (const planners::Waypoint& w : plan.waypoints) request.waypoints.push_back({w.x_m, w.y_m});
  sim::AppendGoal(request, {scenario.goal.x_m, scenario.goal.y_m, scenario.goal.tolerance_m});
  sim::AddKeepOuts(request, scenario.keep_outs);
  return request;
}

// Plan, drive, measure, score; files into `out`. Throws for bad input and unexpected errors.
void Execute(const Scenario& scenario, const RunOptions& options, RunRecord& record) {
  const fs::path& out = options.out_dir;
  // Seeds: the scenario as written, or a Monte Carlo repeat of it.
  const TerrainRequest terrain_request = RunTerrainRequest(scenario, options.seed);
  const std::uint64_t drive_seed =
      options.seed == 0
          ? scenario.seed
          : marsdrive::DeriveSeed(marsdrive::DeriveSeed(scenario.seed, kTagDrive), options.seed);
  const fs::path terrain_dir =
      EnsureTerrain(terrain_request, options.terrain_cache, scenario.file.string());
  record.terrain_dir = fs::relative(fs::absolute(terrain_dir), fs::absolute(out)).string();

  // Plan: the planner sees orbital products only; the privileged oracle, the ground truth.
  planners::PlanProblem problem = MakeProblem(scenario, terrain_dir, drive_seed);
  if (options.planner->time_budget_s) problem.time_budget_s = *options.planner->time_budget_s;
  const std::unique_ptr<planners::Planner> planner =
      record.privileged
          ? planners::MakeOraclePlanner(
                std::make_shared<terrain::TerrainTruth>(terrain::LoadTerrainDir(terrain_dir)),
                options.planner->params)
          : planners::MakePlanner(record.planner, options.planner->params);
  const planners::PlanResult plan = planners::RunPlanner(*planner, problem, options.stop);
  WriteTextFile(out / "plan.json", planners::PlanResultToJsonText(plan));
  record.files.plan = "plan.json";
  record.plan_status = planners::ToString(plan.status);
  if (!planners::IsSuccess(plan.status)) {
    record.status = RunStatus::kFailed;
    record.reason = "plan " + record.plan_status + ": " + plan.reason;
    record.failure = "plan";
    record.score = 0.0;
    return;
  }

  if (options.planner->check_trials > 0) {
    record.check = CheckPlan(scenario, problem, plan, drive_seed, options);
  }

  // Drive the plan on ground truth with AutoNav.
  const sim::DriveRequest request = MakeDrive(scenario, terrain_dir, plan, drive_seed, options);
  sim::MetricsConfig config = sim::MakeDriveMetricsConfig(request);
  config.goal = sim::Goal{scenario.goal.x_m, scenario.goal.y_m, scenario.goal.tolerance_m};
  RecordedDrive drive = RunAndRecordDrive(request, config, out);
  const sim::DriveResult& result = drive.result;
  const sim::Metrics& metrics = drive.metrics;
  record.files.telemetry = "telemetry.csv";
  record.metrics = std::move(drive.metrics_json);
  record.files.metrics = "metrics.json";
  if (drive.wrote_autonav) record.files.autonav = "autonav.json";
  const double start_goal_m =
      std::hypot(scenario.goal.x_m - scenario.start.x_m, scenario.goal.y_m - scenario.start.y_m);
  record.score = ScoreRun(metrics, start_goal_m).score;
  record.status = RunStatus::kOk;
  if (sim::IsFault(result.status)) {  // off the map, rolled over, or a broken simulation
    record.status = RunStatus::kFailed;
    record.failure = metrics.status;
    record.reason = "drive " + metrics.status + ": " + metrics.reason;
  } else if (!metrics.goal_reached.value_or(false)) {
    record.reason = "goal not reached: drive " + metrics.status +
                    (metrics.reason.empty() ? "" : " (" + metrics.reason + ")");
  }
}

}  // namespace

TerrainRequest RunTerrainRequest(const Scenario& scenario, std::uint64_t seed) {
  TerrainRequest request;
  request.spec = scenario.terrain;
  request.seed = scenario.seed;
  request.clear_discs = {{scenario.start.x_m, scenario.start.y_m, kStartClearRadiusM}};
  if (seed != 0) {
    request.detail_seed =
        marsdrive::DeriveSeed(marsdrive::DeriveSeed(scenario.seed, kTagTerrainDetail), seed);
  }
  return request;
}

RunRecord NewRunRecord(const Scenario& scenario, const PlannerChoice& planner, std::uint64_t seed) {
  RunRecord record;
  record.scenario = scenario.name;
  record.scenario_file = scenario.file.string();
  record.planner = planner.name;
  record.planner_label = planner.label.empty() ? planner.name : planner.label;
  record.privileged = planners::IsOraclePlanner(planner.name);
  for (const auto& [key, value] : planner.params.values()) {
    record.planner_params.push_back({key, value});
  }
  record.seed = seed;
  record.id = RunId(record.scenario, record.planner_label, record.seed);
  record.start = scenario.start;
  record.goal = scenario.goal;
  record.keep_outs = scenario.keep_outs;
  record.files = {"", "", "", ""};
  return record;
}

std::string RunId(const std::string& scenario, const std::string& planner_label,
                  std::uint64_t seed) {
  return scenario + "/" + planner_label + "/seed-" + std::to_string(seed);
}

RunRecord RunScenario(const Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const PlannerChoice choice = options.planner ? *options.planner
                               : scenario.planner
                                   ? *scenario.planner
                                   : PlannerChoice{"astar", "astar", {}, std::nullopt};
  RunRecord record = NewRunRecord(scenario, choice, options.seed);

  RunOptions effective = options;
  effective.planner = choice;
  try {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    MD_THROW_UNLESS(fs::is_directory(options.out_dir, ec),
                    options.out_dir.string() + ": cannot create the run directory");
    // The oracle is not in the registry (it needs the truth) and can always run.
    const auto why =
        record.privileged ? std::nullopt : planners::UnavailableReason(choice.name, choice.params);
    if (why) {
      record.status = RunStatus::kSkipped;
      record.reason = *why;
    } else {
      Execute(scenario, effective, record);
    }
  } catch (const InputError& e) {
    record.status = RunStatus::kFailed;
    record.failure = "input";
    record.reason = e.what();
    record.score = 0.0;
  } catch (const std::exception& e) {
    record.status = RunStatus::kFailed;
    record.failure = "error";
    record.reason = e.what();
    record.score = 0.0;
  }
  record.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WriteRunRecord(options.out_dir / "run.json", record);
  return record;
}

}  // namespace marsdrive::scenarios

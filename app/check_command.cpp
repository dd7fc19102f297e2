#include "app/check_command.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numbers>
#include <optional>
#include <string>

#include <unistd.h>

#include "app/cli_parse.h"
#include "app/option_ranges.h"
#include "app/out_dir.h"
#include "base/check.h"
#include "base/statistics.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "planners/route_files.h"
#include "scenarios/check/check_html.h"
#include "scenarios/check/check_json.h"
#include "scenarios/check/check_rules.h"
#include "scenarios/check/check_run.h"
#include "scenarios/check/plan_check.h"
#include "sim/drive_run.h"
#include "terrain/orbital_dir.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::app {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

struct CheckOptions {
  std::string terrain;
  std::string problem;
  std::string plan;
  std::string out;
  std::string start;
  std::string goal;
  std::string keep_out;
  std::string rules;
  std::string rover;
  std::string autonav;
  int trials = 32;
  int jobs = 1;
  std::uint64_t seed = 1;
  double time_limit_s = check::CheckRequest{}.time_limit_s;
};

// Start, goal and keep-outs: the options, else problem.json's, else the plan's first point,
// its last, and none.
void SetPlace(const CheckOptions& o, const std::optional<planners::PlanProblem>& problem,
              check::CheckRequest& r) {
  const base::Point2 first = r.waypoints.front(), last = r.waypoints.back();
  const double heading = r.waypoints.size() > 1 ? std::atan2(r.waypoints[1].y_m - first.y_m,
                                                             r.waypoints[1].x_m - first.x_m)
                                                : 0.0;
  r.start = problem ? problem->start : base::Pose2{first.x_m, first.y_m, heading};
  if (!o.start.empty()) {
    const StartText s = ParseStartText(o.start);
    r.start = {s.x_m, s.y_m, s.yaw_deg ? *s.yaw_deg * kDegToRad : r.start.yaw_rad};
  }
  r.goal = problem ? sim::Goal{problem->goal.x_m, problem->goal.y_m, problem->goal.tolerance_m}
                   : sim::Goal{last.x_m, last.y_m, sim::Goal{}.tolerance_m};
  if (!o.goal.empty()) {
    const GoalText g = ParseGoalText(o.goal);
    r.goal = {g.x_m, g.y_m, g.tolerance_m.value_or(r.goal.tolerance_m)};
  }
  if (problem) r.keep_outs = problem->keep_outs;
  if (!o.keep_out.empty()) r.keep_outs = planners::LoadKeepOutFile(o.keep_out);
}

// Everything from the command line and the files it names, before any trial runs.
check::CheckRequest MakeRequest(const CheckOptions& o, check::CheckInputs& inputs) {
  MD_THROW_UNLESS(o.terrain.empty() != o.problem.empty(),
                  "check: expected either --terrain DIR or --problem FILE (exactly one of them)");
  MD_THROW_UNLESS(o.autonav.empty() || o.autonav == "on" || o.autonav == "off",
                  "--autonav '" + o.autonav + "': expected on or off");
  MD_THROW_UNLESS(o.trials >= 1, "--trials " + std::to_string(o.trials) + ": expected at least 1");
  MD_THROW_UNLESS(o.jobs >= 1, "--jobs " + std::to_string(o.jobs) + ": expected at least 1");
  check::CheckRequest r;
  for (const planners::Point2& p : planners::LoadWaypointFile(o.plan)) r.waypoints.push_back(p);
  MD_THROW_UNLESS(!r.waypoints.empty(), "--plan " + o.plan + ": no waypoints");
  std::optional<planners::PlanProblem> problem;
  if (!o.problem.empty()) {
    problem = planners::LoadPlanProblem(o.problem, &inputs.orbital_dir);
    r.orbital = problem->orbital;
  } else {
    std::error_code ec;
    MD_THROW_UNLESS(fs::is_directory(o.terrain, ec),
                    "--terrain " + o.terrain + ": no such terrain directory");
    r.orbital = std::make_shared<terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(o.terrain));
    inputs.orbital_dir = o.terrain;
  }
  SetPlace(o, problem, r);
  r.rover = o.rover.empty() ? vehicle::DefaultRoverSpec() : vehicle::LoadRoverSpec(o.rover);
  r.autonav = o.autonav != "off";
  r.trials = o.trials;
  r.jobs = o.jobs;
  r.seed = o.seed;
  RequireDriveSteps(sim::DriveRequest{}.dt_s, o.time_limit_s);
  r.time_limit_s = o.time_limit_s;
  r.out = o.out;
  inputs.plan = o.plan;
  inputs.problem = o.problem;
  inputs.keep_out = o.keep_out;
  return r;
}

std::string Clock(double seconds) {
  const long s = std::lround(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  return text;
}

// "check: 5/32 trials, 1m20s, ETA 6m40s" on stderr: one line rewritten on a terminal, else
// one line per trial.
std::function<void(int, int)> ProgressPrinter() {
  const auto start = std::chrono::steady_clock::now();
  const bool tty = ::isatty(2) != 0;
  return [start, tty](int done, int total) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = elapsed / done * (total - done);
    std::fprintf(stderr, "%scheck: %d/%d trials, %s elapsed, ETA %s%s", tty ? "\r" : "", done,
                 total, Clock(elapsed).c_str(), Clock(eta).c_str(),
                 tty && done < total ? "" : "\n");
  };
}

void PrintVerdict(const check::Verdict& v, const check::CheckSummary& s, const fs::path& out) {
  const base::ProportionInterval ci = base::WilsonInterval95(s.goal.count, s.goal.trials);
  std::printf("check %s: p_goal %.2f (95 %% CI %.2f-%.2f) over %d trials; severe hazards in %d.\n",
              v.verdict.c_str(), s.goal.p(), ci.lo, ci.hi, s.trials, s.severe.count);
  for (const std::string& reason : v.reasons) std::printf("  - %s\n", reason.c_str());
  std::printf("Wrote %s, %s and %d trial directories under %s.\n",
              (out / "check.json").string().c_str(), (out / "check.html").string().c_str(),
              s.trials, (out / "trials").string().c_str());
}

int RunCheckCommand(const CheckOptions& o) {
  RequireOutDir(o.out);
  const check::FlightRules rules = o.rules.empty()
                                       ? check::LoadFlightRules(check::BundledFlightRulesPath())
                                       : check::LoadFlightRules(o.rules);
  check::CheckInputs inputs;
  check::CheckRequest request = MakeRequest(o, inputs);
  request.on_progress = ProgressPrinter();
  const check::CheckRun run = check::RunAndWriteCheck(request, inputs, rules);
  const fs::path out = o.out;
  PrintVerdict(run.verdict, run.result.summary, out);
  return run.verdict.verdict == "go" ? 0 : 1;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "a Monte-Carlo digital-twin verdict on a plan from orbital data alone: each trial drives "
      "it with AutoNav on a plausible ground sampled from the orbital products; writes "
      "check.json and one directory per trial (docs/plan-check.md)");
  cmd->footer(
      "start, goal and keep-outs come from --start/--goal/--keep-out, else from --problem, "
      "else the plan's first and last points.\n"
      "exit status: 0 go; 1 marginal or no_go (check.json written); 2 bad input.");
  cmd->add_option("--terrain", o->terrain,
                  "terrain directory: only its orbital products are read (never the truth)");
  cmd->add_option("--problem", o->problem,
                  "problem.json from `marsdrive plan`: its orbital products, start, goal and "
                  "keep-outs (instead of --terrain)");
  cmd->add_option("--plan", o->plan, "the plan: plan.json or any waypoint file `drive` reads")
      ->required();
  cmd->add_option("--trials", o->trials, "Monte-Carlo trials")->capture_default_str();
  cmd->add_option("--out", o->out, "output directory")->required();
  cmd->add_option("--start", o->start, "x,y[,yaw_deg]: the start pose");
  cmd->add_option("--goal", o->goal, "x,y[,tolerance_m]: the goal");
  cmd->add_option("--keep-out", o->keep_out, "keep-out polygons (GeoJSON)");
  cmd->add_option("--rules", o->rules, "flight rules YAML (default: the bundled rules)");
  cmd->add_option("--jobs", o->jobs, "trials in parallel")->capture_default_str();
  cmd->add_option("--seed", o->seed, "the check's seed")->capture_default_str();
  cmd->add_option("--rover", o->rover, "rover specification YAML (default: perseverance)");
  cmd->add_option("--autonav", o->autonav, "on|off: AutoNav while driving (default on)");
  cmd->add_option("--time-limit", o->time_limit_s, "simulated time limit per trial (s)")
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = RunCheckCommand(*o); });
}

}  // namespace marsdrive::app

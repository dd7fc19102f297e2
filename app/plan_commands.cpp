#include "app/plan_commands.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/cli_parse.h"
#include "app/memory_option.h"
#include "app/option_ranges.h"
#include "app/out_dir.h"
#include "base/check.h"
#include "io/params.h"
#include "io/text_file.h"
#include "planners/oracle/oracle_planner.h"
#include "planners/plan_json.h"
#include "planners/planner.h"
#include "planners/registry.h"
#include "planners/route_export.h"
#include "planners/route_files.h"
#include "terrain/orbital_dir.h"
#include "terrain/truth/terrain_dir.h"

namespace marsdrive::app {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

struct PlanOptions {
  std::string terrain;
  std::string problem;
  std::string planner;
  std::vector<std::string> params;
  std::string start;
  std::string goal;
  std::string keep_out;
  double max_spacing_m = 0;
  double time_budget_s = planners::PlanProblem{}.time_budget_s;
  std::uint64_t seed = planners::PlanProblem{}.seed;
  std::string out;
  bool time_budget_given = false;  // --time-budget / --seed on the command line (they override
  bool seed_given = false;         // a replayed problem's values)
  bool max_spacing_given = false;
};

planners::Pose2 ParseStart(const std::string& text) {
  const StartText parsed = ParseStartText(text);
  return {parsed.x_m, parsed.y_m, parsed.yaw_deg.value_or(0.0) * kDegToRad};
}

planners::GoalRegion ParseGoal(const std::string& text) {
  const GoalText parsed = ParseGoalText(text);
  planners::GoalRegion goal;
  goal.x_m = parsed.x_m;
  goal.y_m = parsed.y_m;
  if (parsed.tolerance_m) goal.tolerance_m = *parsed.tolerance_m;
  return goal;
}

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// Start and goal must lie on the map: anything else is a typo, not a planning outcome.
void CheckOnMap(const planners::PlanProblem& problem, const std::string& source) {
  const terrain::GridSpec& s = problem.orbital->spec();
  const std::string extent = source + " covers x " + Num(s.origin_x_m) + ".." + Num(s.MaxX()) +
                             " m, y " + Num(s.origin_y_m) + ".." + Num(s.MaxY()) + " m";
  MD_THROW_UNLESS(s.Contains(problem.start.x_m, problem.start.y_m),
                  "--start (" + Num(problem.start.x_m) + ", " + Num(problem.start.y_m) +
                      ") is off the map: " + extent);
  MD_THROW_UNLESS(s.Contains(problem.goal.x_m, problem.goal.y_m),
                  "--goal (" + Num(problem.goal.x_m) + ", " + Num(problem.goal.y_m) +
                      ") is off the map: " + extent);
}

// `orbital_dir` receives where the orbital products were loaded from (for problem.json).
planners::PlanProblem MakeProblem(const PlanOptions& o, std::string& orbital_dir) {
  MD_THROW_UNLESS(std::isfinite(o.time_budget_s) && o.time_budget_s > 0,
                  "--time-budget: expected seconds > 0");
  RequireInRange("--time-budget", o.time_budget_s, 0, kMaxTimeBudget_s, "seconds");
  if (o.max_spacing_given)
    RequireInRange("--max-spacing", o.max_spacing_m, kMinSpacing_m, kMaxSpacing_m, "metres");
  if (!o.problem.empty()) {
    planners::PlanProblem problem = planners::LoadPlanProblem(o.problem, &orbital_dir);
    // A replay may change the budget, seed and spacing, not the query itself.
    if (o.time_budget_given) problem.time_budget_s = o.time_budget_s;
    if (o.seed_given) problem.seed = o.seed;
    if (o.max_spacing_given) problem.limits.max_waypoint_spacing_m = o.max_spacing_m;
    CheckOnMap(problem, "the terrain of " + o.problem);
    return problem;
  }
  MD_THROW_UNLESS(!o.terrain.empty(), "--terrain: required (or --problem FILE)");
  MD_THROW_UNLESS(!o.start.empty(), "--start: required (x,y[,yaw_deg])");
  MD_THROW_UNLESS(!o.goal.empty(), "--goal: required (x,y[,tolerance_m])");
  planners::PlanProblem problem;
  // The cheap inputs first, so that a typo fails before a large terrain is loaded.
  problem.start = ParseStart(o.start);
  problem.goal = ParseGoal(o.goal);
  if (!o.keep_out.empty()) problem.keep_outs = planners::LoadKeepOutFile(o.keep_out);
  problem.time_budget_s = o.time_budget_s;
  problem.seed = o.seed;
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_directory(o.terrain, ec),
                  "--terrain " + o.terrain +
                      ": no such terrain directory (make one with `marsdrive terrain generate` "
                      "or `terrain import`)");
  problem.orbital =
      std::make_shared<terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(o.terrain));
  orbital_dir = fs::absolute(o.terrain).lexically_normal().string();
  problem.limits = planners::MakeRouteLimits(problem.orbital->params);
  if (o.max_spacing_given) problem.limits.max_waypoint_spacing_m = o.max_spacing_m;
  CheckOnMap(problem, "terrain " + o.terrain);
  return problem;
}

void PrintResult(const planners::PlanResult& r, const fs::path& out) {
  char summary[64] = "";
  const planners::Scalar* length = planners::FindDiagnostic(r, "length_m");
  if (length != nullptr && std::holds_alternative<double>(*length)) {
    std::snprintf(summary, sizeof summary, ", %.1f m", std::get<double>(*length));
  }
  std::printf(
      "plan %s %s%s%s: %zu waypoints%s, %.3f s. Wrote %s, %s, route.geojson and route.xml.\n",
      r.planner.c_str(), planners::ToString(r.status), r.reason.empty() ? "" : " (",
      r.reason.empty() ? "" : (r.reason + ")").c_str(), r.waypoints.size(), summary, r.wall_time_s,
      (out / "problem.json").string().c_str(), (out / "plan.json").string().c_str());
}

int RunPlanCommand(const PlanOptions& o) {
  RequireOutDir(o.out);
  const marsdrive::ParamMap params = marsdrive::ParamMap::Parse(o.params, "--param");
  const bool oracle = planners::IsOraclePlanner(o.planner);
  std::unique_ptr<planners::Planner> planner;
  if (!oracle) planner = planners::MakePlanner(o.planner, params);
  std::string orbital_dir;
  const planners::PlanProblem problem = MakeProblem(o, orbital_dir);
  if (oracle) {  // privileged: plans on the terrain directory's ground truth
    planner = planners::MakeOraclePlanner(
        std::make_shared<terrain::TerrainTruth>(terrain::LoadTerrainDir(orbital_dir)), params);
  }

  const fs::path out = o.out;
  std::error_code ec;
  fs::create_directories(out, ec);
  MD_THROW_UNLESS(fs::is_directory(out), "--out " + o.out + ": cannot create the directory" +
                                             (ec ? " (" + ec.message() + ")" : ""));
  WriteTextFile(out / "problem.json", planners::PlanProblemToJsonText(problem, orbital_dir));
  const planners::PlanResult result = planners::RunPlanner(*planner, problem);
  WriteTextFile(out / "plan.json", planners::PlanResultToJsonText(result));
  // The route for other tools (planners/route_export.h), failed plans included.
  WriteTextFile(out / "route.geojson", planners::RouteGeoJsonText(result, orbital_dir));
  WriteTextFile(out / "route.xml", planners::RouteXmlText(result, problem, orbital_dir));
  PrintResult(result, out);
  return planners::IsSuccess(result.status) ? 0 : 1;
}

void ListPlanners(bool json) {
  using planners::ParamSpec;
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const planners::PlannerInfo& info : planners::ListPlanners()) {
      nlohmann::ordered_json params = nlohmann::ordered_json::array();
      for (const ParamSpec& p : info.params) {
        params.push_back({{"name", p.name},
                          {"default", p.default_value},
                          {"range", p.RangeText()},
                          {"help", p.help}});
      }
      list.push_back({{"name", info.name},
                      {"summary", info.specs.summary},
                      {"optimizing", info.specs.optimizing},
                      {"deterministic", info.specs.deterministic},
                      {"anytime", info.specs.anytime},
                      {"needs_network", info.specs.needs_network},
                      {"params", std::move(params)}});
    }
    std::cout << list.dump(2) << "\n";
    return;
  }
  for (const planners::PlannerInfo& info : planners::ListPlanners()) {
    std::printf("%s: %s\n", info.name.c_str(), info.specs.summary.c_str());
    for (const ParamSpec& p : info.params) {
      std::printf("    %-20s default %-8s %-14s %s\n", p.name.c_str(),
                  p.default_value.empty() ? "\"\"" : p.default_value.c_str(), p.RangeText().c_str(),
                  p.help.c_str());
    }
  }
}

}  // namespace

void AddPlanCommands(CLI::App& app, int& exit_code) {
  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = app.add_subcommand("planners",
                                      "list the planners and their parameters (name, default, "
                                      "range, help)");
  list->add_flag("--json", *list_json, "print a JSON list");
  list->callback([list_json] { ListPlanners(*list_json); });

  auto o = std::make_shared<PlanOptions>();
  CLI::App* plan = app.add_subcommand(
      "plan",
      "plan a route on a terrain directory's orbital products; writes problem.json, "
      "plan.json, route.geojson and route.xml");
  plan->footer(
      "`marsdrive planners` lists the planners and their --param keys.\n"
      "exit status: 0 exact or approximate plan; 1 the planner failed (plan.json says why); "
      "2 bad input.");
  plan->add_option("--terrain", o->terrain, "terrain directory (marsdrive terrain ...)");
  plan->add_option("--problem", o->problem,
                   "replay a saved problem.json instead of --terrain/--start/--goal/--keep-out "
                   "(--time-budget, --seed, --max-spacing still apply)")
      ->excludes("--terrain");
  plan->add_option("--planner", o->planner,
                   "planner name (see `marsdrive planners`; `oracle`: privileged, plans on the "
                   "terrain directory's ground truth)")
      ->required();
  plan->add_option("--param", o->params, "planner parameter key=value (repeatable)")
      ->allow_extra_args(false);
  plan->add_option("--start", o->start, "start pose x,y[,yaw_deg] (map frame)");
  plan->add_option("--goal", o->goal, "goal x,y[,tolerance_m] (default tolerance 1 m)");
  plan->add_option("--keep-out", o->keep_out, "GeoJSON of keep-out polygons (map coordinates)");
  plan->add_option("--max-spacing", o->max_spacing_m,
                   "longest distance between waypoints (m, 0.5 to 10000; default 100, flight "
                   "practice)");
  plan->add_option("--time-budget", o->time_budget_s, "planner wall-time budget (s, up to 86400)")
      ->capture_default_str();
  plan->add_option("--seed", o->seed, "seed for randomised planners")->capture_default_str();
  plan->add_option("--out", o->out, "output directory")->required();
  AddMaxMemoryOption(plan);
  plan->callback([o, plan, &exit_code] {
    o->time_budget_given = plan->count("--time-budget") > 0;
    o->seed_given = plan->count("--seed") > 0;
    o->max_spacing_given = plan->count("--max-spacing") > 0;
    MD_THROW_UNLESS(
        o->problem.empty() || (o->start.empty() && o->goal.empty() && o->keep_out.empty()),
        "--problem replays a saved problem: drop --start, --goal and --keep-out");
    exit_code = RunPlanCommand(*o);
  });
}

}  // namespace marsdrive::app

#include "app/drive_command.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/cli_parse.h"
#include "app/memory_option.h"
#include "app/option_ranges.h"
#include "app/out_dir.h"
#include "base/check.h"
#include "planners/route_files.h"
#include "scenarios/drive_pipeline.h"
#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "sim/metrics.h"
#include "terrain/truth/terrain_dir.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"
#include "vehicle/waypoint_executive.h"

namespace marsdrive::app {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

struct DriveOptions {
  std::string terrain;
  std::string start;
  std::string commands;
  std::string out;
  std::string rover;
  std::string goal;
  std::string waypoints;
  std::string autonav;
  std::string skip_unreachable;
  std::optional<double> slip_check_m;  // default: sim::DriveRequest's
  std::string keep_out;
  double waypoint_tolerance_m = vehicle::WaypointDriveParams{}.waypoint_tolerance_m;
  std::uint64_t seed = sim::DriveRequest{}.seed;
  double dt_s = sim::DriveRequest{}.dt_s;
  double time_limit_s = sim::DriveRequest{}.time_limit_s;
};

vehicle::Pose2 ParseStart(const std::string& text) {
  const auto v = ParseNumbers(text);
  MD_THROW_UNLESS(v && v->size() == 3, "--start '" + text +
                                           "': expected x,y,yaw_deg: three finite numbers (map "
                                           "metres, metres, degrees from east), e.g. 10,20,90");
  return {(*v)[0], (*v)[1], (*v)[2] * kDegToRad};
}

sim::Goal ParseGoal(const std::string& text) {
  const GoalText parsed = ParseGoalText(text);
  sim::Goal goal;
  goal.x_m = parsed.x_m;
  goal.y_m = parsed.y_m;
  if (parsed.tolerance_m) goal.tolerance_m = *parsed.tolerance_m;
  return goal;
}

// The commands: the named file's contents when --commands names an existing file, else the
// value itself. Returns the text and the source named in error messages.
std::pair<std::string, std::string> CommandsText(const std::string& value) {
  std::error_code ec;
  if (!fs::is_regular_file(value, ec)) return {value, "--commands"};
  std::ifstream in(value, std::ios::binary);
  MD_THROW_UNLESS(in.good(), "--commands " + value + ": cannot read the commands file");
  std::ostringstream text;
  text << in.rdbuf();
  return {text.str(), value};
}

void CheckStartOnMap(const vehicle::Pose2& start, const terrain::TerrainTruth& truth,
                     const std::string& dir) {
  const terrain::GridSpec& s = truth.dem.spec();
  char where[160];
  std::snprintf(where, sizeof where, "--start (%g, %g) m", start.x_m, start.y_m);
  char extent[200];
  std::snprintf(extent, sizeof extent, "terrain %s covers x %g..%g m, y %g..%g m", dir.c_str(),
                s.origin_x_m, s.MaxX(), s.origin_y_m, s.MaxY());
  MD_THROW_UNLESS(s.Contains(start.x_m, start.y_m),
                  std::string(where) + " is off the map: " + extent);
  MD_THROW_UNLESS(std::isfinite(truth.dem.HeightAt(start.x_m, start.y_m)),
                  std::string(where) + " is on a hole (nodata) of the terrain: " + extent);
}

// A ratio in percent rounded to 0.1, without a "-0.0" for tiny negative values.
double Percent(double ratio) { return std::round(1000 * ratio) / 10 + 0.0; }

void PrintSummary(const sim::Metrics& m, const fs::path& out) {
  std::string hazards;
  for (int k = 0; k < sim::kHazardKindCount; ++k) {
    const int n = m.hazard_counts[static_cast<std::size_t>(k)];
    if (n == 0) continue;
    hazards += (hazards.empty() ? "" : ", ") + std::to_string(n) + " " +
               sim::ToString(static_cast<sim::HazardKind>(k));
  }
  if (hazards.empty()) hazards = "none";
  std::string end_ref;
  if (m.has_end_ref) {
    char text[160];
    std::snprintf(text, sizeof text, "; progress %.2f m toward the %s (%.2f, %.2f), %.2f m short",
                  m.progress_m, m.end_ref_is_goal ? "goal" : "commanded end", m.end_ref_x_m,
                  m.end_ref_y_m, m.end_error_m);
    end_ref = text;
  }
  std::printf(
      "drive %s%s%s: %.2f m driven (odometry %.2f m)%s; slip mean %.1f %%, p95 %.1f %%, max "
      "%.1f %% over %d windows; hazards: %s; tilt max %.1f deg; energy %.0f J; %.1f s "
      "simulated in %.2f s (RTF %.0f). Wrote %s and %s.\n",
      m.status.c_str(), m.reason.empty() ? "" : " (",
      m.reason.empty() ? "" : (m.reason + ")").c_str(), m.distance_m, m.odometry_m, end_ref.c_str(),
      Percent(m.slip.mean), Percent(m.slip.p95), Percent(m.slip.max), m.slip.count, hazards.c_str(),
      m.tilt_max_rad * kRadToDeg, m.energy_J, m.sim_time_s, m.wall_time_s, m.rtf,
      (out / "metrics.json").string().c_str(), (out / "telemetry.csv").string().c_str());
}

// An on|off switch: empty (not given, the default), "on" or "off".
void RequireOnOff(const std::string& value, const char* option) {
  MD_THROW_UNLESS(value.empty() || value == "on" || value == "off",
                  std::string(option) + " '" + value + "': expected on or off");
}

// Waypoints (and keep-outs) of a waypoint drive: the file's waypoints, then the goal as the last
// one (appended unless the last waypoint is already within its tolerance).
void SetWaypoints(const DriveOptions& o, const std::optional<sim::Goal>& goal,
                  sim::DriveRequest& request) {
  vehicle::WaypointDriveParams& params = request.waypoint_params;
  RequireOnOff(o.autonav, "--autonav");
  RequireOnOff(o.skip_unreachable, "--skip-unreachable");
  for (const planners::Point2& p : planners::LoadWaypointFile(o.waypoints)) {
    request.waypoints.push_back({p.x_m, p.y_m});
  }
  MD_THROW_UNLESS(!request.waypoints.empty(), "--waypoints " + o.waypoints + ": no waypoints");
  params.autonav = o.autonav != "off";
  MD_THROW_UNLESS(std::isfinite(o.waypoint_tolerance_m) && o.waypoint_tolerance_m > 0,
                  "--waypoint-tolerance: expected metres > 0");
  params.waypoint_tolerance_m = o.waypoint_tolerance_m;
  params.skip_unreachable_waypoints = o.skip_unreachable != "off";
  if (goal) sim::AppendGoal(request, *goal);
  if (!o.keep_out.empty()) sim::AddKeepOuts(request, planners::LoadKeepOutFile(o.keep_out));
}

int RunDriveCommand(const DriveOptions& o) {
  RequireOutDir(o.out);
  // The cheap inputs first, so that a typo fails before a large terrain is loaded.
  sim::DriveRequest request;
  request.start = ParseStart(o.start);
  MD_THROW_UNLESS(o.commands.empty() != o.waypoints.empty(),
                  "drive: expected either --commands or --waypoints (exactly one of them)");
  MD_THROW_UNLESS(
      o.waypoints.empty()
          ? o.autonav.empty() && o.keep_out.empty() && o.skip_unreachable.empty() && !o.slip_check_m
          : true,
      "drive: --autonav, --keep-out, --skip-unreachable and --slip-check apply to --waypoints "
      "drives only");
  if (o.slip_check_m) {
    MD_THROW_UNLESS(std::isfinite(*o.slip_check_m) && *o.slip_check_m >= 0,
                    "--slip-check: expected metres of odometry >= 0 (0: off)");
    request.slip_check_interval_m = *o.slip_check_m;
  }
  std::optional<sim::Goal> goal;
  if (!o.goal.empty()) goal = ParseGoal(o.goal);
  if (o.waypoints.empty()) {
    const auto [text, source] = CommandsText(o.commands);
    request.commands = vehicle::ParseDriveCommands(text, source);
  } else {
    SetWaypoints(o, goal, request);
  }
  request.seed = o.seed;
  RequireDriveSteps(o.dt_s, o.time_limit_s);
  request.dt_s = o.dt_s;
  request.time_limit_s = o.time_limit_s;

  std::error_code ec;
  MD_THROW_UNLESS(fs::is_directory(o.terrain, ec),
                  "--terrain " + o.terrain +
                      ": no such terrain directory (make one with "
                      "`marsdrive terrain generate` or `terrain import`)");
  auto truth = std::make_shared<terrain::TerrainTruth>(terrain::LoadTerrainDir(o.terrain));
  CheckStartOnMap(request.start, *truth, o.terrain);
  request.friction_override = sim::FrictionOverride(*truth, o.terrain);
  request.terrain = std::move(truth);
  request.rover = o.rover.empty() ? vehicle::DefaultRoverSpec() : vehicle::LoadRoverSpec(o.rover);

  const fs::path out = o.out;
  fs::create_directories(out, ec);
  MD_THROW_UNLESS(fs::is_directory(out), "--out " + o.out + ": cannot create the directory" +
                                             (ec ? " (" + ec.message() + ")" : ""));

  sim::MetricsConfig config = sim::MakeDriveMetricsConfig(request);
  if (goal) config.goal = goal;
  const scenarios::RecordedDrive drive = scenarios::RunAndRecordDrive(request, config, out);
  const sim::DriveResult& result = drive.result;
  PrintSummary(drive.metrics, out);
  if (drive.wrote_autonav) {
    std::printf("waypoints reached %d of %d (%zu skipped); AutoNav %s, %zu decisions. Wrote %s.\n",
                result.waypoints_reached, result.waypoint_count, result.skipped_waypoints.size(),
                request.waypoint_params.autonav ? "on" : "off", result.autonav_decisions.size(),
                (out / "autonav.json").string().c_str());
  }
  return result.status == sim::DriveStatus::kCompleted ? 0 : 1;
}

}  // namespace

void AddDriveCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DriveOptions>();
  CLI::App* drive = app.add_subcommand(
      "drive", "drive the rover over a terrain directory; writes metrics.json and telemetry.csv");
  drive->footer(
      "commands (separated by ';' or newlines, '#' starts a comment; angles in degrees, + = "
      "left):\n"
      "  straight DISTANCE_M [SPEED_MPS]     negative distance drives backwards\n"
      "  arc RADIUS_M ANGLE_DEG [SPEED_MPS]  Ackermann arc of the given radius\n"
      "  turn ANGLE_DEG                      turn in place\n"
      "  stop [SECONDS]                      stop (and hold)\n"
      "waypoints (--waypoints FILE instead of --commands): YAML list of [x, y], CSV with x,y "
      "columns, GeoJSON LineString or a plan.json from `marsdrive plan`; the rover follows them "
      "with AutoNav (--autonav on, default) or blind (off) and writes autonav.json too.\n"
      "exit status: 0 completed (every command / the goal reached); 1 stuck, time limit, no safe "
      "path, tilt or slip limit, numerical failure, or a fault: off_map (a wheel left the "
      "terrain), rollover (past the static tip-over angle or upside down), sim_fault (the "
      "simulation went wrong) (metrics written); 2 bad input.");
  drive->add_option("--terrain", options->terrain, "terrain directory (marsdrive terrain ...)")
      ->required();
  drive->add_option("--start", options->start, "start pose x,y,yaw_deg (map frame)")->required();
  drive->add_option("--commands", options->commands,
                    "drive commands, e.g. \"straight 10; arc 5 90; turn 45; stop\", or a file "
                    "holding them");
  drive->add_option("--waypoints", options->waypoints,
                    "waypoint file (YAML, CSV, GeoJSON or plan.json) to follow instead of "
                    "--commands");
  drive->add_option("--autonav", options->autonav,
                    "on|off: AutoNav path selection while following waypoints (default on)");
  drive->add_option("--skip-unreachable", options->skip_unreachable,
                    "on|off: give up on an intermediate waypoint AutoNav finds no safe path to "
                    "and go on to the next (default on)");
  drive->add_option("--slip-check", options->slip_check_m,
                    "stop a waypoint drive when slip over this much wheel odometry exceeds the "
                    "rover's slip limit (m; default 5; 0: off)");
  drive->add_option("--keep-out", options->keep_out,
                    "keep-out polygons (GeoJSON) AutoNav must not enter");
  drive
      ->add_option("--waypoint-tolerance", options->waypoint_tolerance_m,
                   "intermediate waypoints count as reached within this distance (m)")
      ->capture_default_str();
  drive->add_option("--seed", options->seed, "the run's seed (AutoNav sensor noise)")
      ->capture_default_str();
  drive->add_option("--out", options->out, "output directory")->required();
  AddMaxMemoryOption(drive);
  drive->add_option("--rover", options->rover, "rover specification YAML (default: perseverance)");
  drive->add_option("--dt", options->dt_s, "physics time step (s, 1e-4 to 0.1)")
      ->capture_default_str();
  drive
      ->add_option("--time-limit", options->time_limit_s,
                   "simulated time limit (s, up to 1e5 and 2e7 steps of --dt)")
      ->capture_default_str();
  drive->add_option("--goal", options->goal,
                    "x,y[,tolerance_m]: measure progress toward this goal instead of the "
                    "commanded end point; with --waypoints, the final waypoint and its "
                    "tolerance");
  drive->callback([options, &exit_code] { exit_code = RunDriveCommand(*options); });
}

}  // namespace marsdrive::app

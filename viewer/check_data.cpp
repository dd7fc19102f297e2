#include "viewer/check_data.h"

#include <cmath>
#include <memory>
#include <numbers>

#include "base/check.h"
#include "io/json_reader.h"
#include "scenarios/check/check_json.h"
#include "sim/telemetry_csv.h"
#include "terrain/orbital_dir.h"

namespace marsdrive::viewer {

namespace fs = std::filesystem;

namespace {

nlohmann::json ReadJsonFile(const fs::path& path) {
  return ParseBoundedJson<nlohmann::json>(
      ReadBoundedTextFile(path, kJsonMaxBytes, "a trial's JSON file"), path.string());
}

// One sample at the check's start: what a trial that never drove is shown as.
sim::Telemetry StartOnly(const check::CheckPage& page, const terrain::HeightMap& ground) {
  sim::TelemetrySample s;
  const double z = ground.HeightAt(page.start.x_m, page.start.y_m);
  s.position_map_m = {page.start.x_m, page.start.y_m, std::isfinite(z) ? z : 0.0};
  s.yaw_rad = page.start.yaw_rad;
  return {s};
}

scenarios::RunRecord TrialRecord(const CheckData& check, const check::PageTrial& trial) {
  const check::CheckPage& page = check.page;
  scenarios::RunRecord record;
  record.id = "check trial " + std::to_string(trial.index) + " (" + trial.dir + ")";
  record.scenario = check.dir.filename().string();
  record.planner = "checked plan " + page.plan;
  record.planner_label = record.planner;
  record.seed = trial.seed;
  record.status =
      trial.status == "error" ? scenarios::RunStatus::kFailed : scenarios::RunStatus::kOk;
  record.reason = trial.reason;
  record.failure = trial.failure;
  record.plan_status = "exact";
  record.terrain_dir = check.orbital_dir.string();
  record.start = page.start;
  record.goal = page.goal_region;
  record.keep_outs = page.keep_outs;
  return record;
}

}  // namespace

bool IsCheckDir(const fs::path& path) { return fs::is_regular_file(path / "check.json"); }

fs::path ResolveOrbitalDir(const std::string& recorded, const fs::path& check_dir,
                           const fs::path& check_json) {
  MD_THROW_UNLESS(!recorded.empty(), check_json.string() +
                                         ": inputs.orbital_dir: expected the terrain directory "
                                         "the check read, got \"\"");
  const fs::path given(recorded);
  if (given.is_absolute() || fs::is_directory(given)) {
    MD_THROW_UNLESS(fs::is_directory(given),
                    check_json.string() + ": inputs.orbital_dir: '" + recorded +
                        "' is not a directory (the terrain directory the check read)");
    return fs::absolute(given).lexically_normal();
  }
  const fs::path beside = check_dir.parent_path() / given;
  MD_THROW_UNLESS(fs::is_directory(beside),
                  check_json.string() + ": inputs.orbital_dir: '" + recorded +
                      "' found neither from the working directory nor from " +
                      check_dir.parent_path().string() + " (run the viewer where the check ran)");
  return beside.lexically_normal();
}

CheckData LoadCheckData(const fs::path& dir) {
  CheckData check;
  check.dir = fs::absolute(dir).lexically_normal();
  const fs::path json_path = check.dir / "check.json";
  const JsonReader reader(json_path.string());
  const JsonReader::Json doc = reader.ParseFile("check.json");
  reader.RequireSchema(doc, check::kCheckSchema);
  check.page = check::ReadCheckPage(reader, doc);
  check.orbital_dir = ResolveOrbitalDir(check.page.orbital_dir, check.dir, json_path);
  check.tracks = check::LoadTrialTracks(check.dir, check.page);
  return check;
}

SceneTerrain OrbitalSceneTerrain(const fs::path& orbital_dir) {
  auto orbital =
      std::make_shared<const terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(orbital_dir));
  auto stand_in = std::make_shared<terrain::TerrainTruth>();
  stand_in->dem.heights_m = orbital->dem_m;
  stand_in->dem.georef = orbital->georef;
  const terrain::GridSpec& spec = orbital->spec();
  bool any_nodata = false;
  terrain::Grid<std::uint8_t> valid(spec, 1);
  for (int r = 0; r < spec.height_px; ++r) {
    for (int c = 0; c < spec.width_px; ++c) {
      if (std::isfinite(orbital->dem_m(c, r))) continue;
      valid(c, r) = 0, any_nodata = true;
      stand_in->dem.heights_m(c, r) = 0;  // masked: the level of detail fills it
    }
  }
  if (any_nodata) stand_in->dem.valid = std::move(valid);
  stand_in->classes = terrain::Grid<terrain::SoilClass>(spec, terrain::SoilClass::kNodata);
  stand_in->rocks = orbital->visible_rocks;
  stand_in->preset = "orbital products (no ground truth)";
  return {std::move(stand_in), std::move(orbital)};
}

RunData LoadTrialRun(const CheckData& check, int index, const terrain::HeightMap& ground) {
  MD_DEMAND(index >= 0 && static_cast<std::size_t>(index) < check.page.trials.size());
  const check::PageTrial& trial = check.page.trials[static_cast<std::size_t>(index)];
  RunData run;
  run.dir = check.dir / trial.dir;
  run.record = TrialRecord(check, trial);
  run.terrain_dir = check.orbital_dir;
  planners::PlanResult plan;
  plan.status = planners::PlanStatus::kExact;
  plan.waypoints = check.page.plan_points;
  plan.planner = "checked plan";
  run.plan = std::move(plan);
  const std::string& note = check.tracks[static_cast<std::size_t>(index)].note;
  if (note.empty()) run.telemetry = sim::ReadTelemetryCsv(run.dir / "telemetry.csv");
  if (run.telemetry.empty()) {
    run.telemetry = StartOnly(check.page, ground);
    run.record.reason += (run.record.reason.empty() ? "" : "; ") +
                         (note.empty() ? std::string("no telemetry samples") : note);
    return run;  // nothing was driven: metrics and AutoNav files are not looked for
  }
  if (const fs::path metrics = run.dir / "metrics.json"; fs::exists(metrics)) {
    run.metrics = ReadJsonFile(metrics);
    run.hazards = ParseHazards(run.metrics, metrics.string());
  }
  if (const fs::path autonav = run.dir / "autonav.json"; fs::exists(autonav)) {
    const nlohmann::json json = ReadJsonFile(autonav);
    run.decisions = ParseAutoNavDecisions(json, autonav.string());
    run.skipped_waypoints = ParseSkippedWaypoints(json, autonav.string());
  }
  return run;
}

}  // namespace marsdrive::viewer

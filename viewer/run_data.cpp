#include "viewer/run_data.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>

#include "base/check.h"
#include "io/json_reader.h"
#include "planners/plan_json.h"
#include "sim/telemetry_csv.h"
#include "terrain/orbital_dir.h"
#include "terrain/truth/terrain_dir.h"

namespace marsdrive::viewer {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

nlohmann::json ReadJsonFile(const fs::path& path) {
  return ParseBoundedJson<nlohmann::json>(
      ReadBoundedTextFile(path, kJsonMaxBytes, "a run's JSON file"), path.string());
}

double NumberOr(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->get<double>();
}

std::string StringOr(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A named file of the run: "" means the run has none.
std::optional<fs::path> RunFile(const fs::path& dir, const std::string& name) {
  if (name.empty()) return std::nullopt;
  return dir / name;
}

}  // namespace

std::vector<AutoNavDecisionView> ParseAutoNavDecisions(const nlohmann::json& json,
                                                       const std::string& source) {
  std::vector<AutoNavDecisionView> out;
  const auto decisions = json.find("decisions");
  MD_THROW_UNLESS(decisions != json.end() && decisions->is_array(),
                  source + ": decisions: expected an array");
  for (std::size_t i = 0; i < decisions->size(); ++i) {
    const nlohmann::json& d = (*decisions)[i];
    const std::string where = source + ": decisions[" + std::to_string(i) + "]";
    MD_THROW_UNLESS(d.is_object() && d.contains("pose") && d["pose"].is_object(),
                    where + ": expected an object with a pose");
    AutoNavDecisionView view;
    view.time_s = NumberOr(d, "time_s", 0);
    view.x_m = NumberOr(d["pose"], "x", 0);
    view.y_m = NumberOr(d["pose"], "y", 0);
    view.yaw_rad = NumberOr(d["pose"], "yaw_deg", 0) * kDegToRad;
    view.chosen = static_cast<int>(NumberOr(d, "chosen", -1));
    view.note = StringOr(d, "note");
    if (d.contains("options") && d["options"].is_array()) {
      for (const nlohmann::json& o : d["options"]) {
        PathOptionView option;
        option.kind = StringOr(o, "kind");
        option.safe = o.value("safe", false);
        option.reason = StringOr(o, "reason");
        option.score = NumberOr(o, "score", std::numeric_limits<double>::quiet_NaN());
        if (o.contains("points") && o["points"].is_array()) {
          for (const nlohmann::json& p : o["points"]) {
            MD_THROW_UNLESS(p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number(),
                            where + ": options[].points: expected [x, y, yaw_deg] triples");
            option.points.push_back({p[0].get<double>(), p[1].get<double>()});
          }
        }
        view.options.push_back(std::move(option));
      }
    }
    out.push_back(std::move(view));
  }
  return out;
}

std::vector<SkippedWaypointView> ParseSkippedWaypoints(const nlohmann::json& autonav,
                                                       const std::string& source) {
  std::vector<SkippedWaypointView> out;
  const auto skipped = autonav.find("skipped_waypoints");
  if (skipped == autonav.end()) return out;
  const auto waypoints = autonav.find("waypoints");
  MD_THROW_UNLESS(skipped->is_array() && waypoints != autonav.end() && waypoints->is_array(),
                  source + ": skipped_waypoints: expected an array beside a waypoints array");
  for (std::size_t i = 0; i < skipped->size(); ++i) {
    const nlohmann::json& s = (*skipped)[i];
    const int index = s.is_object() ? static_cast<int>(NumberOr(s, "index", -1)) : -1;
    MD_THROW_UNLESS(index >= 0 && static_cast<std::size_t>(index) < waypoints->size(),
                    source + ": skipped_waypoints[" + std::to_string(i) +
                        "].index: expected the index of one of the waypoints");
    const nlohmann::json& w = (*waypoints)[static_cast<std::size_t>(index)];
    out.push_back({index, NumberOr(s, "time_s", 0), NumberOr(w, "x", 0), NumberOr(w, "y", 0),
                   StringOr(s, "reason")});
  }
  return out;
}

std::vector<HazardMarker> ParseHazards(const nlohmann::json& metrics, const std::string& source) {
  std::vector<HazardMarker> out;
  if (!metrics.is_object() || !metrics.contains("hazards")) return out;
  const nlohmann::json& hazards = metrics["hazards"];
  MD_THROW_UNLESS(hazards.is_array(), source + ": hazards: expected an array");
  for (const nlohmann::json& h : hazards) {
    HazardMarker marker;
    marker.kind = StringOr(h, "kind");
    marker.part = StringOr(h, "part");
    marker.start_s = NumberOr(h, "start_s", 0);
    marker.duration_s = NumberOr(h, "duration_s", 0);
    marker.x_m = NumberOr(h, "x", std::numeric_limits<double>::quiet_NaN());
    marker.y_m = NumberOr(h, "y", std::numeric_limits<double>::quiet_NaN());
    if (std::isfinite(marker.x_m) && std::isfinite(marker.y_m)) out.push_back(std::move(marker));
  }
  return out;
}

RunData LoadRunData(const fs::path& path) {
  RunData run;
  const fs::path run_json = fs::is_directory(path) ? path / "run.json" : path;
  MD_THROW_UNLESS(fs::is_regular_file(run_json),
                  run_json.string() +
                      ": no run record here (expected a run directory holding run.json, as "
                      "written by `marsdrive run`)");
  run.dir = fs::absolute(run_json).parent_path();
  run.record = scenarios::LoadRunRecord(run_json);

  const auto telemetry = RunFile(run.dir, run.record.files.telemetry);
  MD_THROW_UNLESS(telemetry.has_value(),
                  run_json.string() + ": files.telemetry: the run has no telemetry (status " +
                      scenarios::ToString(run.record.status) + ": " + run.record.reason + ")");
  MD_THROW_UNLESS(fs::is_regular_file(*telemetry),
                  telemetry->string() + ": telemetry file missing (named by run.json)");
  run.telemetry = sim::ReadTelemetryCsv(*telemetry);
  MD_THROW_UNLESS(!run.telemetry.empty(), telemetry->string() + ": no telemetry samples");

  if (const auto plan = RunFile(run.dir, run.record.files.plan); plan && fs::exists(*plan)) {
    run.plan = planners::LoadPlanResult(*plan);
  }
  if (const auto metrics = RunFile(run.dir, run.record.files.metrics);
      metrics && fs::exists(*metrics)) {
    run.metrics = ReadJsonFile(*metrics);
  } else {
    run.metrics = run.record.metrics;
  }
  run.hazards = ParseHazards(run.metrics, (run.dir / run.record.files.metrics).string());
  if (const auto autonav = RunFile(run.dir, run.record.files.autonav);
      autonav && fs::exists(*autonav)) {
    const nlohmann::json json = ReadJsonFile(*autonav);
    run.decisions = ParseAutoNavDecisions(json, autonav->string());
    run.skipped_waypoints = ParseSkippedWaypoints(json, autonav->string());
  }
  MD_THROW_UNLESS(!run.record.terrain_dir.empty(),
                  run_json.string() + ": terrain_dir: expected the run's terrain directory");
  run.terrain_dir = fs::weakly_canonical(run.dir / run.record.terrain_dir);
  return run;
}

SceneTerrain LoadSceneTerrain(const fs::path& terrain_dir) {
  MD_THROW_UNLESS(fs::is_directory(terrain_dir),
                  terrain_dir.string() + ": terrain directory missing (named by run.json)");
  SceneTerrain scene;
  scene.truth = std::make_shared<const terrain::TerrainTruth>(terrain::LoadTerrainDir(terrain_dir));
  scene.orbital =
      std::make_shared<const terrain::OrbitalProducts>(terrain::LoadOrbitalProducts(terrain_dir));
  return scene;
}

}  // namespace marsdrive::viewer

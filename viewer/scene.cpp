#include "viewer/scene.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/check.h"
#include "viewer/check_overlays.h"
#include "viewer/overlays.h"
#include "viewer/rover_pose.h"

namespace marsdrive::viewer {

HeightFn Scene::Ground() const {
  const LodGrid* grid = &lod;
  return [grid](double x, double y) { return grid->HeightAt(x, y); };
}

Bounds2 RegionOfInterest(const RunData& run, const Bounds2& map, double margin_m) {
  Bounds2 b{run.record.start.x_m, run.record.start.y_m, run.record.start.x_m, run.record.start.y_m};
  auto add = [&](double x, double y, double r) {
    if (!std::isfinite(x) || !std::isfinite(y)) return;
    b.min_x_m = std::min(b.min_x_m, x - r), b.max_x_m = std::max(b.max_x_m, x + r);
    b.min_y_m = std::min(b.min_y_m, y - r), b.max_y_m = std::max(b.max_y_m, y + r);
  };
  add(run.record.goal.x_m, run.record.goal.y_m, run.record.goal.tolerance_m);
  if (run.plan) {
    for (const planners::Waypoint& w : run.plan->waypoints) add(w.x_m, w.y_m, 0);
  }
  for (const sim::TelemetrySample& s : run.telemetry) {
    add(s.position_map_m[0], s.position_map_m[1], 2.0);
  }
  b.min_x_m = std::max(map.min_x_m, b.min_x_m - margin_m);
  b.min_y_m = std::max(map.min_y_m, b.min_y_m - margin_m);
  b.max_x_m = std::min(map.max_x_m, b.max_x_m + margin_m);
  b.max_y_m = std::min(map.max_y_m, b.max_y_m + margin_m);
  if (b.max_x_m <= b.min_x_m || b.max_y_m <= b.min_y_m) return map;
  return b;
}

MapPointInfo InfoAt(const Scene& scene, double x_m, double y_m) {
  MapPointInfo info;
  info.x_m = x_m;
  info.y_m = y_m;
  info.z_m = scene.terrain.truth->dem.HeightAt(x_m, y_m);
  const terrain::OrbitalProducts& o = *scene.terrain.orbital;
  const int c = o.spec().ColOf(x_m), r = o.spec().RowOf(y_m);
  info.slope_deg = std::numeric_limits<double>::quiet_NaN();
  info.cost = std::numeric_limits<double>::quiet_NaN();
  if (o.spec().ContainsCell(c, r)) {
    info.slope_deg = o.slope_deg(c, r);
    info.cost = o.cost(c, r);
  }
  const terrain::Grid<terrain::SoilClass>& classes = scene.terrain.truth->classes;
  const int cc = classes.spec().ColOf(x_m), cr = classes.spec().RowOf(y_m);
  if (classes.spec().ContainsCell(cc, cr))
    info.soil = std::string(terrain::ToString(classes(cc, cr)));
  return info;
}

RoverFrame RoverFrameAt(const sim::Telemetry& telemetry, double t_s) {
  const sim::TelemetrySample s = SampleAt(telemetry, t_s);
  return {{static_cast<float>(s.position_map_m[0]), static_cast<float>(s.position_map_m[1]),
           static_cast<float>(s.position_map_m[2])},
          static_cast<float>(s.yaw_rad)};
}

CameraState SceneCameraState(const Scene& scene, CameraMode mode, double aspect) {
  CameraState s = DefaultCameraState(mode, scene.roi, scene.lod.min_z_m, scene.lod.max_z_m, aspect);
  auto keep_inside = [](double& centre, double half, double lo, double hi) {
    if (hi - lo >= 2 * half) centre = std::clamp(centre, lo + half, hi - half);
  };
  keep_inside(s.centre_x_m, s.half_height_m * aspect, scene.map.min_x_m, scene.map.max_x_m);
  keep_inside(s.centre_y_m, s.half_height_m, scene.map.min_y_m, scene.map.max_y_m);
  return s;
}

CameraView DefaultView(const Scene& scene, CameraMode mode, double t_s, int width_px,
                       int height_px) {
  const CameraState state =
      SceneCameraState(scene, mode, static_cast<double>(width_px) / std::max(1, height_px));
  return MakeCameraView(state, RoverFrameAt(scene.run.telemetry, t_s), scene.lod.min_z_m,
                        scene.lod.max_z_m, width_px, height_px, scene.Ground());
}

void RebuildSceneGeometry(Scene& scene) {
  const SceneOptions& options = scene.options;
  const terrain::GridSpec& g = scene.terrain.truth->dem.spec();
  scene.roi = RegionOfInterest(scene.run, scene.map, 5.0);
  const HeightFn ground = scene.Ground();
  const double spacing = std::max(0.25, g.resolution_m * scene.lod.step);

  scene.tracks = ExtractWheelTracks(scene.spec, scene.run.telemetry);
  scene.ribbons =
      MakeTrackRibbons(scene.tracks, scene.spec.wheel_width_m * 0.8, ground, options.track_lift_m,
                       scene.check ? kOpenedTrialWheelColor : kTrackColor, Layer::kTracks);
  scene.lines = BuildRunOverlays(scene.run, ground, {true, 0.06, spacing});
  scene.t_begin_s = scene.run.telemetry.front().time_s;
  scene.t_end_s = scene.run.telemetry.back().time_s;
  if (scene.compare) {
    const std::vector<WheelTrack> other = ExtractWheelTracks(scene.spec, scene.compare->telemetry);
    for (Ribbon& r :
         MakeTrackRibbons(other, scene.spec.wheel_width_m * 0.8, ground, options.track_lift_m * 1.5,
                          kCompareTrackColor, Layer::kCompare)) {
      scene.ribbons.push_back(std::move(r));
    }
    for (Polyline& p : BuildRunOverlays(*scene.compare, ground, {false, 0.08, spacing})) {
      scene.lines.push_back(std::move(p));
    }
    scene.t_end_s = std::max(scene.t_end_s, scene.compare->telemetry.back().time_s);
  }
  if (scene.check) {
    for (Polyline& p : BuildCheckOverlays(*scene.check, ground, spacing)) {
      scene.lines.push_back(std::move(p));
    }
    scene.roi = CheckRegionOfInterest(scene.check->data, scene.roi, scene.map, 5.0);
  }
}

Scene BuildScene(RunData run, std::optional<RunData> compare, const SceneOptions& options) {
  SceneTerrain terrain = LoadSceneTerrain(run.terrain_dir);
  return BuildScene(std::move(run), std::move(compare), std::move(terrain), options);
}

Scene BuildScene(RunData run, std::optional<RunData> compare, SceneTerrain terrain,
                 const SceneOptions& options) {
  Scene scene;
  if (compare && compare->terrain_dir != run.terrain_dir) {
    const terrain::GridSpec a = terrain.truth->dem.spec();
    const terrain::GridSpec b = LoadSceneTerrain(compare->terrain_dir).truth->dem.spec();
    MD_THROW_UNLESS(a == b, (compare->dir / "run.json").string() +
                                ": terrain_dir: the compared run drove on another terrain (" +
                                compare->terrain_dir.string() + ", not " +
                                run.terrain_dir.string() + ")");
  }
  scene.run = std::move(run);
  scene.compare = std::move(compare);
  scene.terrain = std::move(terrain);
  scene.spec = vehicle::DefaultRoverSpec();
  scene.lod = MakeLodGrid(scene.terrain.truth->dem, options.max_terrain_vertices);
  const terrain::GridSpec& g = scene.terrain.truth->dem.spec();
  scene.map = {g.origin_x_m, g.origin_y_m, g.MaxX(), g.MaxY()};
  scene.options = options;
  RebuildSceneGeometry(scene);
  return scene;
}

Scene BuildCheckScene(CheckData check, const SceneOptions& options, int opened) {
  SceneTerrain terrain = OrbitalSceneTerrain(check.orbital_dir);
  MD_THROW_UNLESS(!check.page.trials.empty(),
                  (check.dir / "check.json").string() + ": trials: expected at least one trial");
  opened = std::clamp(opened, 0, static_cast<int>(check.page.trials.size()) - 1);
  RunData run = LoadTrialRun(check, opened, terrain.truth->dem);
  Scene scene = BuildScene(std::move(run), std::nullopt, std::move(terrain), options);
  scene.check = CheckScene{std::move(check), -1, opened};
  RebuildSceneGeometry(scene);
  return scene;
}

void OpenTrial(Scene& scene, int index) {
  MD_DEMAND(scene.check.has_value());
  scene.run = LoadTrialRun(scene.check->data, index, scene.terrain.truth->dem);
  scene.check->opened = index;
  scene.check->selected = index;
  RebuildSceneGeometry(scene);
}

void SelectTrial(Scene& scene, int index) {
  MD_DEMAND(scene.check.has_value());
  scene.check->selected = index;
  RebuildSceneGeometry(scene);
}

}  // namespace marsdrive::viewer

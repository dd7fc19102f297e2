#pragma once
// A loaded scene: the run (and the run compared with it), their terrain, the decimated terrain
// surface, and every line and ribbon to draw, built once without OpenGL.

#include <optional>
#include <string>
#include <vector>

#include "vehicle/rover_spec.h"
#include "viewer/camera.h"
#include "viewer/check_data.h"
#include "viewer/run_data.h"
#include "viewer/scene_types.h"
#include "viewer/terrain_lod.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {

struct SceneOptions {
  int max_terrain_vertices = 1'000'000;
  double track_lift_m = 0.03;  // tracks float this far above the drawn ground
};

struct Scene {
  RunData run;
  std::optional<RunData> compare;
  std::optional<CheckScene> check;  // a plan check: `run` is its opened trial
  SceneTerrain terrain;
  vehicle::RoverSpec spec;
  LodGrid lod;
  std::vector<WheelTrack> tracks;
  std::vector<Ribbon> ribbons;  // wheel tracks of both runs
  std::vector<Polyline> lines;  // overlays of both runs
  Bounds2 map;                  // the terrain's extent
  Bounds2 roi;                  // what the drive covers (top camera's default view)
  double t_begin_s = 0, t_end_s = 0;
  SceneOptions options;

  // The drawn ground surface (the decimated mesh), for draping and picking.
  HeightFn Ground() const;
};

// Loads the terrain of `run` (and checks that `compare` drove on the same one).
Scene BuildScene(RunData run, std::optional<RunData> compare, const SceneOptions& options);
// As above with the terrain already loaded (live mode, tests).
Scene BuildScene(RunData run, std::optional<RunData> compare, SceneTerrain terrain,
                 const SceneOptions& options);

// A plan check over its orbital terrain, with trial `opened` as the run.
Scene BuildCheckScene(CheckData check, const SceneOptions& options, int opened = 0);
// Makes trial `index` the scene's run (its rover, wheel tracks, AutoNav options, plots) and
// highlights it; the caller reloads what it drew from the scene.
void OpenTrial(Scene& scene, int index);
// Highlights trial `index` (-1: none) among the check's tracks.
void SelectTrial(Scene& scene, int index);

// Recomputes what depends on the runs (tracks, lines, region of interest, time span) after
// they changed (live mode).
void RebuildSceneGeometry(Scene& scene);

// The drive's extent: route, telemetry, start and goal, with a margin, inside the map.
Bounds2 RegionOfInterest(const RunData& run, const Bounds2& map, double margin_m);

// What a click on the map reads: position, ground height, orbital slope and cost, soil class.
struct MapPointInfo {
  double x_m = 0, y_m = 0, z_m = 0;
  double slope_deg = 0;  // orbital slope layer (NaN off the layer)
  double cost = 0;       // orbital cost layer (+inf: lethal)
  std::string soil;      // ground-truth class name ("" off the map)
};
MapPointInfo InfoAt(const Scene& scene, double x_m, double y_m);

// The rover frame the follow camera tracks at time t.
RoverFrame RoverFrameAt(const sim::Telemetry& telemetry, double t_s);

// The default camera state of `mode` for this scene: as DefaultCameraState, with the top view
// kept inside the map where the map is large enough.
CameraState SceneCameraState(const Scene& scene, CameraMode mode, double aspect);

// The camera of `mode` in its default state at time t (what a screenshot shows): the top view
// frames the region of interest, follow sits behind the rover, orbit looks at the drive.
CameraView DefaultView(const Scene& scene, CameraMode mode, double t_s, int width_px,
                       int height_px);

}  // namespace marsdrive::viewer

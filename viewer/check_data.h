#pragma once
// A plan-check directory (written by `marsdrive check --out OUT`: check.json, check.html,
// trials/trial-NNN/) loaded for the viewer. A check has no ground truth: its scene stands on the
// orbital products of inputs.orbital_dir (the orbital DEM as the mesh, the orthoimage as its
// texture, the orbiter's rock list as the rocks), and a trial opens as a run over that terrain.
// Loaders throw InputError naming the file and field; nothing here touches OpenGL.

#include <filesystem>
#include <string>
#include <vector>

#include "scenarios/check/check_map.h"
#include "scenarios/check/check_page.h"
#include "viewer/run_data.h"

namespace marsdrive::viewer {

struct CheckData {
  std::filesystem::path dir;              // the check's output directory, absolute
  check::CheckPage page;                  // check.json, read strictly (check_page.h)
  std::vector<check::TrialTrack> tracks;  // one per page.trials: driven positions, or a note
  std::filesystem::path orbital_dir;      // inputs.orbital_dir, resolved (ResolveOrbitalDir)
};

// A check's interactive state: the trial highlighted in the panel and the one opened as the run.
struct CheckScene {
  CheckData data;
  int selected = -1;  // index into data.page.trials, -1: none highlighted
  int opened = 0;     // the trial shown as the scene's run
};

// `path` holds check.json.
bool IsCheckDir(const std::filesystem::path& path);

// inputs.orbital_dir as recorded: absolute as is; relative, from the working directory (where
// `marsdrive check` usually ran), else from the check directory's parent. InputError naming
// `check_json` and the field when neither holds a directory.
std::filesystem::path ResolveOrbitalDir(const std::string& recorded,
                                        const std::filesystem::path& check_dir,
                                        const std::filesystem::path& check_json);

// Reads DIR/check.json (schema marsdrive/check/1) and every trial's telemetry track.
CheckData LoadCheckData(const std::filesystem::path& dir);

// The orbital products as the scene's terrain: the orbital DEM stands in for the truth DEM
// (nodata masked), the soil classes are unknown (kNodata) and the rocks are the orbiter's.
SceneTerrain OrbitalSceneTerrain(const std::filesystem::path& orbital_dir);

// Trial `index` as a run over the orbital terrain: the check's plan, start, goal and keep-outs,
// the trial's telemetry.csv, metrics.json and autonav.json. A trial without readable telemetry
// (an error trial) gets one sample at the start on `ground`, and says why in record.reason.
RunData LoadTrialRun(const CheckData& check, int index, const terrain::HeightMap& ground);

}  // namespace marsdrive::viewer

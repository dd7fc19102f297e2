#pragma once
// Live mode (`marsdrive view SCENARIO.yaml --live`): runs the scenario (scenarios::RunScenario)
// on a worker thread and feeds its telemetry samples into the scene while the window shows it.

#include <memory>
#include <string>

#include "viewer/scene.h"
#include "viewer/viewer_app.h"

namespace marsdrive::viewer {

class LiveSession {
 public:
  virtual ~LiveSession() = default;
  // Moves what arrived since the last call into `scene` (samples, the plan once made, the whole
  // run record at the end) and rebuilds its geometry; true when the scene changed.
  virtual bool Poll(Scene& scene) = 0;
  virtual std::string Status() const = 0;
  // The run has ended and its files were read back.
  virtual bool Finished() const = 0;
};

int RunLiveViewer(const ViewerOptions& options, const SceneOptions& scene_options);

}  // namespace marsdrive::viewer

#pragma once
// A running drive that feeds the interactive window (viewer/interactive.h); live mode
// (viewer/live_run.h) implements it over a scenario run on a worker thread.

#include <string>

#include "viewer/scene.h"

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

}  // namespace marsdrive::viewer

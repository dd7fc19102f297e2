#include "viewer/live_run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

#include "base/check.h"
#include "planners/plan_json.h"
#include "scenarios/check/check_run.h"
#include "scenarios/run_scenario.h"
#include "scenarios/scenario.h"
#include "scenarios/terrain_cache.h"
#include "viewer/interactive.h"
#include "viewer/live_session.h"

namespace marsdrive::viewer {

namespace fs = std::filesystem;

namespace {

// RunScenario on a worker thread; samples are handed over under a mutex.
class ScenarioLive final : public LiveSession {
 public:
  ScenarioLive(scenarios::Scenario scenario, scenarios::RunOptions options)
      : out_dir_(options.out_dir) {
    options.on_sample = [this](const sim::TelemetrySample& s) {
      const std::lock_guard lock(mutex_);
      pending_.push_back(s);
    };
    worker_ = std::jthread([this, scenario = std::move(scenario),
                            options = std::move(options)](std::stop_token stop) mutable {
      options.stop = stop;
      scenarios::RunRecord record = scenarios::RunScenario(scenario, options);
      const std::lock_guard lock(mutex_);
      record_ = std::move(record);
      done_ = true;
    });
  }
  ScenarioLive(const ScenarioLive&) = delete;
  ScenarioLive& operator=(const ScenarioLive&) = delete;
  ScenarioLive(ScenarioLive&&) = delete;
  ScenarioLive& operator=(ScenarioLive&&) = delete;
  ~ScenarioLive() override {
    worker_.request_stop();  // the planner and the drive poll it
  }

  bool Poll(Scene& scene) override {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll_ < std::chrono::milliseconds(400) && !finished_pending()) return false;
    last_poll_ = now;
    std::vector<sim::TelemetrySample> samples;
    bool done = false;
    std::optional<scenarios::RunRecord> record;
    {
      const std::lock_guard lock(mutex_);
      samples.swap(pending_);
      done = done_ && !reloaded_;
      if (done) record = record_;
    }
    bool changed = false;
    if (!scene.run.plan && fs::exists(out_dir_ / "plan.json")) {
      try {
        scene.run.plan = planners::LoadPlanResult(out_dir_ / "plan.json");
        status_ = "planned; driving";
        changed = true;
      } catch (const InputError&) {
        // Being written: read it at the next poll.
      }
    }
    if (!samples.empty()) {
      if (showing_start_pose_) {  // the first real sample replaces the start-pose sample
        scene.run.telemetry.clear();
        showing_start_pose_ = false;
      }
      scene.run.telemetry.insert(scene.run.telemetry.end(), samples.begin(), samples.end());
      char text[96];
      std::snprintf(text, sizeof text, "driving: t = %.1f s, %.1f m",
                    scene.run.telemetry.back().time_s, scene.run.telemetry.back().truth_distance_m);
      status_ = text;
      changed = true;
    }
    if (done) {
      reloaded_ = true;
      status_ = "finished: ";
      status_ += scenarios::ToString(record->status);
      if (!record->reason.empty()) status_ += " (" + record->reason + ")";
      try {
        RunData full = LoadRunData(out_dir_);
        if (full.terrain_dir != scene.run.terrain_dir) {
          status_ += "; the run drove on " + full.terrain_dir.string() +
                     ", not the terrain shown: open the run directory to see it";
        }
        full.terrain_dir = scene.run.terrain_dir;
        scene.run = std::move(full);
      } catch (const InputError& e) {
        scene.run.record = *record;
        status_ += std::string("; ") + e.what();
      }
      std::printf("marsdrive view: live run %s; files in %s\n", status_.c_str(),
                  out_dir_.string().c_str());
      changed = true;
    }
    if (changed) RebuildSceneGeometry(scene);
    return changed;
  }

  std::string Status() const override { return status_; }
  bool Finished() const override { return reloaded_; }

 private:
  bool finished_pending() {
    const std::lock_guard lock(mutex_);
    return done_ && !reloaded_;
  }

  fs::path out_dir_;
  std::mutex mutex_;
  std::vector<sim::TelemetrySample> pending_;
  std::optional<scenarios::RunRecord> record_;
  bool done_ = false;
  bool reloaded_ = false;
  bool showing_start_pose_ = true;  // telemetry holds only the start pose (RunLiveViewer)
  std::string status_ = "planning";
  std::chrono::steady_clock::time_point last_poll_{};
  std::jthread worker_;  // last: joins before the members it uses die
};

}  // namespace

int RunLiveViewer(const ViewerOptions& options, const SceneOptions& scene_options) {
  MD_THROW_UNLESS(!options.screenshot || options.screenshot_ui,
                  "--live --screenshot: add --ui (the window is captured when the run ends)");
  const scenarios::Scenario scenario = scenarios::LoadScenario(options.input);
  scenarios::RunOptions run;
  run.plan_checker = check::CheckPlanForRun;
  run.out_dir = options.live_out.value_or(fs::temp_directory_path() /
                                          ("marsdrive-live-" + std::to_string(::getpid())));
  run.terrain_cache = scenarios::DefaultTerrainCache(run.out_dir / "terrain");
  std::error_code ec;
  fs::create_directories(run.out_dir, ec);
  MD_THROW_UNLESS(fs::is_directory(run.out_dir),
                  run.out_dir.string() + ": cannot create the live run's directory");
  // The terrain first (RunScenario then finds it in the cache), so that the scene shows at once.
  const scenarios::TerrainRequest request = scenarios::RunTerrainRequest(scenario, run.seed);
  const fs::path terrain_dir =
      scenarios::EnsureTerrain(request, run.terrain_cache, scenario.file.string());
  RunData data;
  data.dir = fs::absolute(run.out_dir);
  data.terrain_dir = fs::absolute(terrain_dir);
  data.record.id = scenario.name + " (live)";
  data.record.scenario = scenario.name;
  data.record.start = scenario.start;
  data.record.goal = scenario.goal;
  data.record.keep_outs = scenario.keep_outs;
  data.record.planner = scenario.planner ? scenario.planner->name : "astar";
  SceneTerrain terrain = LoadSceneTerrain(terrain_dir);
  sim::TelemetrySample start;  // until the first sample: the rover at its start pose
  start.position_map_m = {scenario.start.x_m, scenario.start.y_m,
                          terrain.truth->dem.HeightAt(scenario.start.x_m, scenario.start.y_m)};
  start.yaw_rad = scenario.start.yaw_rad;
  data.telemetry = {start};
  Scene scene = BuildScene(std::move(data), std::nullopt, std::move(terrain), scene_options);
  std::printf("marsdrive view: live run of %s into %s\n", scenario.file.string().c_str(),
              run.out_dir.string().c_str());
  ScenarioLive live(scenario, run);
  return RunInteractive(scene, options, &live);
}

}  // namespace marsdrive::viewer

#include "viewer/viewer_app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "base/check.h"
#include "viewer/gl.h"
#include "viewer/gl_util.h"
#include "viewer/interactive.h"
#include "viewer/live_run.h"
#include "viewer/renderer.h"
#include "viewer/scene.h"
#include "viewer/screenshot.h"
#include "viewer/window.h"

namespace marsdrive::viewer {

namespace {

double ScreenshotTime(const Scene& scene, const ViewerOptions& options) {
  return options.time_s ? std::clamp(*options.time_s, scene.t_begin_s, scene.t_end_s)
                        : scene.t_end_s;
}

// A plan-check directory (holding check.json) or a run, with the run compared with it.
Scene LoadScene(const ViewerOptions& options, const SceneOptions& scene_options) {
  if (IsCheckDir(options.input)) {
    MD_THROW_UNLESS(!options.compare, "--compare: not with a plan-check directory (" +
                                          options.input.string() + " holds check.json)");
    return BuildCheckScene(LoadCheckData(options.input), scene_options);
  }
  RunData run = LoadRunData(options.input);
  std::optional<RunData> compare;
  if (options.compare) compare = LoadRunData(*options.compare);
  return BuildScene(std::move(run), std::move(compare), scene_options);
}

int Screenshot(const Scene& scene, const ViewerOptions& options) {
  Window window(64, 64, false, "marsdrive view (offscreen)");
  Renderer renderer(scene);
  OffscreenTarget target(options.width_px, options.height_px, 4);
  const double t = ScreenshotTime(scene, options);
  RenderSettings settings;
  settings.layers = options.layers;
  settings.overlay = options.overlay;
  settings.hillshade = options.hillshade;
  settings.time_s = t;
  settings.line_width_scale = std::max(1.0f, static_cast<float>(options.height_px) / 720.0f);
  const CameraView camera =
      DefaultView(scene, options.camera, t, options.width_px, options.height_px);
  target.Bind();
  renderer.Draw(camera, settings);
  glFinish();
  WritePng(*options.screenshot, options.width_px, options.height_px, target.ReadRgb());
  std::printf("wrote %s (%dx%d, %s camera, t = %.1f s)\n", options.screenshot->string().c_str(),
              options.width_px, options.height_px, ToString(options.camera), t);
  return 0;
}

int Bench(const Scene& scene, const ViewerOptions& options) {
  Window window(64, 64, false, "marsdrive view (bench)");
  const auto t0 = std::chrono::steady_clock::now();
  Renderer renderer(scene);
  glFinish();
  const double upload_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  OffscreenTarget target(options.width_px, options.height_px, 4);
  RenderSettings settings;
  settings.layers = options.layers;
  double total = 0, worst = 0, best = 1e9;
  for (int i = 0; i < options.bench_frames; ++i) {
    const double f = static_cast<double>(i) / std::max(1, options.bench_frames - 1);
    settings.time_s = scene.t_begin_s + (scene.t_end_s - scene.t_begin_s) * f;
    const CameraView camera =
        DefaultView(scene, options.camera, settings.time_s, options.width_px, options.height_px);
    const auto a = std::chrono::steady_clock::now();
    target.Bind();
    renderer.Draw(camera, settings);
    glFinish();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
    total += dt, worst = std::max(worst, dt), best = std::min(best, dt);
  }
  const Renderer::Stats& s = renderer.stats();
  std::printf(
      "bench: %dx%d %s camera, %d frames: mean %.1f ms, min %.1f ms, max %.1f ms; GPU upload "
      "%.2f s; terrain %dx%d posts (step %d), %d chunks drawn, %zu triangles; %zu of %zu rocks "
      "drawn; %s\n",
      options.width_px, options.height_px, ToString(options.camera), options.bench_frames,
      1e3 * total / std::max(1, options.bench_frames), 1e3 * best, 1e3 * worst, upload_s,
      scene.lod.cols, scene.lod.rows, scene.lod.step, s.chunks_drawn, s.terrain_triangles,
      s.rocks_drawn, s.rock_count, reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  return 0;
}

}  // namespace

int RunViewer(const ViewerOptions& options) {
  SceneOptions scene_options;
  scene_options.max_terrain_vertices = options.max_terrain_vertices;
  if (options.live) return RunLiveViewer(options, scene_options);
  Scene scene = LoadScene(options, scene_options);
  if (options.bench_frames > 0) return Bench(scene, options);
  if (options.screenshot && !options.screenshot_ui) return Screenshot(scene, options);
  return RunInteractive(scene, options, nullptr);
}

}  // namespace marsdrive::viewer

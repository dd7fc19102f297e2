#include "viewer/viewer_app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "viewer/gl.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "terrain/check.h"
#include "viewer/gl_util.h"
#include "viewer/live_run.h"
#include "viewer/panels.h"
#include "viewer/renderer.h"
#include "viewer/rover_pose.h"
#include "viewer/scene.h"
#include "viewer/screenshot.h"
#include "viewer/series.h"

namespace marsdrive::viewer {

namespace {

std::string g_glfw_error;  // the last GLFW error, for DisplayError messages

void OnGlfwError(int code, const char* text) {
  g_glfw_error = "GLFW error ";
  g_glfw_error += std::to_string(code);
  g_glfw_error += ": ";
  g_glfw_error += text;
}

// glfwInit / glfwTerminate, and one window with an OpenGL 3.3 core context made current.
class Window {
 public:
  Window(int width, int height, bool visible, const char* title) {
    glfwSetErrorCallback(OnGlfwError);
    if (!glfwInit()) {
      std::string m = "cannot open a display for OpenGL (is DISPLAY set? headless: run under ";
      m += "xvfb-run -a): ";
      m += g_glfw_error;
      throw DisplayError(m);
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
    glfwWindowHint(GLFW_SAMPLES, 4);
    window_ = glfwCreateWindow(width, height, title, nullptr, nullptr);
    if (window_ == nullptr) {
      glfwTerminate();
      std::string m = "cannot create an OpenGL 3.3 core window: ";
      m += g_glfw_error;
      throw DisplayError(m);
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
  }
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;
  Window(Window&&) = delete;
  Window& operator=(Window&&) = delete;
  ~Window() {
    glfwDestroyWindow(window_);
    glfwTerminate();
  }
  GLFWwindow* get() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
};

double ScreenshotTime(const Scene& scene, const ViewerOptions& options) {
  return options.time_s ? std::clamp(*options.time_s, scene.t_begin_s, scene.t_end_s)
                        : scene.t_end_s;
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

int RunInteractive(Scene& scene, const ViewerOptions& options, LiveSession* live) {
  const bool capture = options.screenshot.has_value();  // the window with its panels, then exit
  Window window(capture ? options.width_px : 1600, capture ? options.height_px : 900, !capture,
                "marsdrive view");
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window.get(), true);
  ImGui_ImplOpenGL3_Init("#version 330");
  {
    auto renderer = std::make_unique<Renderer>(scene);
    RunSeries series = MakeRunSeries(scene.run);
    std::optional<RunSeries> compare_series;
    if (scene.compare) compare_series = MakeRunSeries(*scene.compare);
    UiState ui;
    ui.live = live != nullptr;
    ui.mode = live != nullptr ? CameraMode::kFollow : options.camera;
    ui.render.layers = options.layers;
    ui.render.overlay = options.overlay;
    ui.render.hillshade = options.hillshade;
    ui.time_s = options.time_s.value_or(live != nullptr ? scene.t_end_s : scene.t_begin_s);
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window.get(), &fb_w, &fb_h);
    const double aspect = static_cast<double>(fb_w) / std::max(1, fb_h);
    CameraState top = SceneCameraState(scene, CameraMode::kTop, aspect);
    CameraState orbit = SceneCameraState(scene, CameraMode::kOrbit, aspect);
    CameraState follow = SceneCameraState(scene, CameraMode::kFollow, aspect);
    double last = glfwGetTime();
    double press_x = 0, press_y = 0, prev_x = 0, prev_y = 0;
    bool dragging = false;
    int frame = 0;
    while (!glfwWindowShouldClose(window.get())) {
      glfwPollEvents();
      const double now = glfwGetTime();
      const double dt = now - last;
      last = now;
      const bool at_live_edge = ui.time_s >= scene.t_end_s - 1e-6;
      if (live != nullptr && live->Poll(scene)) {
        renderer->ReloadOverlays();
        series = MakeRunSeries(scene.run);
        if (at_live_edge) ui.time_s = scene.t_end_s;  // follow the drive unless scrubbed back
        ui.live_status = live->Status();
      }
      if (ui.playing) {
        ui.time_s += dt * ui.speed;
        if (ui.time_s >= scene.t_end_s) ui.time_s = scene.t_end_s, ui.playing = live != nullptr;
      }
      glfwGetFramebufferSize(window.get(), &fb_w, &fb_h);
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      ImGuiIO& io = ImGui::GetIO();
      CameraState& cam = ui.mode == CameraMode::kTop     ? top
                         : ui.mode == CameraMode::kOrbit ? orbit
                                                         : follow;
      const RoverFrame rover = RoverFrameAt(scene.run.telemetry, ui.time_s);
      const CameraView view = MakeCameraView(cam, rover, scene.lod.min_z_m, scene.lod.max_z_m,
                                             std::max(1, fb_w), std::max(1, fb_h), scene.Ground());
      // Mouse: drag to pan (top) or turn (orbit, follow), right-drag to pan the orbit target,
      // wheel to zoom, click to read a map point. Keys: space, T, F, O.
      double mx = 0, my = 0;
      glfwGetCursorPos(window.get(), &mx, &my);
      int win_w = 1, win_h = 1;
      glfwGetWindowSize(window.get(), &win_w, &win_h);
      const double sx = static_cast<double>(fb_w) / std::max(1, win_w);
      const double sy = static_cast<double>(fb_h) / std::max(1, win_h);
      if (!io.WantCaptureMouse) {
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) ||
            ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
          press_x = prev_x = mx, press_y = prev_y = my;
          dragging = true;
        }
        const double dx = mx - prev_x, dy = my - prev_y;
        const bool left = ImGui::IsMouseDown(ImGuiMouseButton_Left);
        const bool right = ImGui::IsMouseDown(ImGuiMouseButton_Right);
        if (dragging && (left || right)) {
          if (cam.mode == CameraMode::kTop) {
            const double mpp = 2 * cam.half_height_m / std::max(1, win_h);
            cam.centre_x_m -= dx * mpp, cam.centre_y_m += dy * mpp;
          } else if (cam.mode == CameraMode::kOrbit && right) {
            const float f = cam.distance_m * 0.0015f;
            const Vec3f fwd{std::cos(cam.azimuth_rad), std::sin(cam.azimuth_rad), 0};
            const Vec3f side{-fwd.y, fwd.x, 0};
            cam.target =
                cam.target + side * static_cast<float>(dx * f) + fwd * static_cast<float>(dy * f);
            cam.target.z = static_cast<float>(scene.Ground()(cam.target.x, cam.target.y));
          } else if (cam.mode == CameraMode::kOrbit) {
            cam.azimuth_rad -= static_cast<float>(dx * 0.006);
            cam.elevation_rad =
                std::clamp(cam.elevation_rad + static_cast<float>(dy * 0.006), 0.05f, 1.55f);
          } else {
            cam.follow_azimuth_rad -= static_cast<float>(dx * 0.006);
            cam.follow_height_m =
                std::clamp(cam.follow_height_m + static_cast<float>(dy * 0.03), 0.5f, 40.0f);
          }
        }
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && dragging &&
            std::hypot(mx - press_x, my - press_y) < 3) {
          const Ray ray = PixelRay(view, static_cast<float>(mx * sx), static_cast<float>(my * sy));
          if (const auto hit = IntersectGround(ray, scene.Ground(), scene.map, scene.lod.min_z_m,
                                               scene.lod.max_z_m)) {
            ui.picked = InfoAt(scene, hit->x, hit->y);
          }
        }
        if (!left && !right) dragging = false;
        if (io.MouseWheel != 0) {
          const float k = std::pow(0.9f, io.MouseWheel);
          cam.half_height_m *= k;
          cam.distance_m = std::max(1.0f, cam.distance_m * k);
          cam.follow_distance_m = std::clamp(cam.follow_distance_m * k, 2.0f, 200.0f);
        }
      }
      prev_x = mx, prev_y = my;
      if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ui.playing = !ui.playing;
        if (ImGui::IsKeyPressed('T')) ui.mode = CameraMode::kTop;
        if (ImGui::IsKeyPressed('F')) ui.mode = CameraMode::kFollow;
        if (ImGui::IsKeyPressed('O')) ui.mode = CameraMode::kOrbit;
      }
      ui.render.time_s = ui.time_s;
      DrawPanels(scene, series, compare_series, renderer->stats(), ui);
      ImGui::Render();
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      glViewport(0, 0, fb_w, fb_h);
      glEnable(GL_MULTISAMPLE);
      renderer->Draw(view, ui.render);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      // ImGui lays windows out over the first frames; live: capture once the run has ended.
      if (capture && ++frame >= 6 && (live == nullptr || live->Finished())) {
        std::vector<std::uint8_t> rgb(static_cast<std::size_t>(fb_w) * fb_h * 3);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, fb_w, fb_h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
        std::vector<std::uint8_t> flipped(rgb.size());
        const auto row = static_cast<std::size_t>(fb_w) * 3;
        for (int y = 0; y < fb_h; ++y) {
          std::copy_n(
              rgb.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)), row,
              flipped.begin() +
                  static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(fb_h - 1 - y)));
        }
        WritePng(*options.screenshot, fb_w, fb_h, flipped);
        std::printf("wrote %s (%dx%d, window with panels)\n", options.screenshot->string().c_str(),
                    fb_w, fb_h);
        break;
      }
      glfwSwapBuffers(window.get());
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

int RunViewer(const ViewerOptions& options) {
  SceneOptions scene_options;
  scene_options.max_terrain_vertices = options.max_terrain_vertices;
  if (options.live) return RunLiveViewer(options, scene_options);
  RunData run = LoadRunData(options.input);
  std::optional<RunData> compare;
  if (options.compare) compare = LoadRunData(*options.compare);
  Scene scene = BuildScene(std::move(run), std::move(compare), scene_options);
  if (options.bench_frames > 0) return Bench(scene, options);
  if (options.screenshot && !options.screenshot_ui) return Screenshot(scene, options);
  return RunInteractive(scene, options, nullptr);
}

}  // namespace marsdrive::viewer

#include "viewer/interactive.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "viewer/gl.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "viewer/check_panel.h"
#include "viewer/panels.h"
#include "viewer/renderer.h"
#include "viewer/rover_pose.h"
#include "viewer/screenshot.h"
#include "viewer/series.h"
#include "viewer/window.h"

namespace marsdrive::viewer {
namespace {

// One camera state per mode, kept while the user switches between them.
struct Cameras {
  CameraState top, orbit, follow;
  CameraState& Of(CameraMode mode) {
    return mode == CameraMode::kTop ? top : mode == CameraMode::kOrbit ? orbit : follow;
  }
};

// Where the mouse was pressed and last seen (window pixels), and whether it is dragging.
struct MouseDrag {
  double press_x = 0, press_y = 0, prev_x = 0, prev_y = 0;
  bool dragging = false;
};

// Drag: pan (top), turn (orbit, follow); right-drag pans the orbit target.
void DragCamera(CameraState& cam, const Scene& scene, double dx, double dy, bool right, int win_h) {
  if (cam.mode == CameraMode::kTop) {
    const double mpp = 2 * cam.half_height_m / std::max(1, win_h);
    cam.centre_x_m -= dx * mpp, cam.centre_y_m += dy * mpp;
  } else if (cam.mode == CameraMode::kOrbit && right) {
    const float f = cam.distance_m * 0.0015f;
    const Vec3f fwd{std::cos(cam.azimuth_rad), std::sin(cam.azimuth_rad), 0};
    const Vec3f side{-fwd.y, fwd.x, 0};
    cam.target = cam.target + side * static_cast<float>(dx * f) + fwd * static_cast<float>(dy * f);
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

// Mouse: drag to move the camera, wheel to zoom, click to read a map point.
void HandleMouse(GLFWwindow* window, const Scene& scene, const CameraView& view, CameraState& cam,
                 MouseDrag& mouse, UiState& ui, int fb_w, int fb_h) {
  double mx = 0, my = 0;
  glfwGetCursorPos(window, &mx, &my);
  int win_w = 1, win_h = 1;
  glfwGetWindowSize(window, &win_w, &win_h);
  const double sx = static_cast<double>(fb_w) / std::max(1, win_w);
  const double sy = static_cast<double>(fb_h) / std::max(1, win_h);
  if (!ImGui::GetIO().WantCaptureMouse) {
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) ||
        ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      mouse.press_x = mouse.prev_x = mx, mouse.press_y = mouse.prev_y = my;
      mouse.dragging = true;
    }
    const bool left = ImGui::IsMouseDown(ImGuiMouseButton_Left);
    const bool right = ImGui::IsMouseDown(ImGuiMouseButton_Right);
    if (mouse.dragging && (left || right)) {
      DragCamera(cam, scene, mx - mouse.prev_x, my - mouse.prev_y, right, win_h);
    }
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && mouse.dragging &&
        std::hypot(mx - mouse.press_x, my - mouse.press_y) < 3) {
      const Ray ray = PixelRay(view, static_cast<float>(mx * sx), static_cast<float>(my * sy));
      if (const auto hit = IntersectGround(ray, scene.Ground(), scene.map, scene.lod.min_z_m,
                                           scene.lod.max_z_m)) {
        ui.picked = InfoAt(scene, hit->x, hit->y);
      }
    }
    if (!left && !right) mouse.dragging = false;
    if (const float wheel = ImGui::GetIO().MouseWheel; wheel != 0) {
      const float k = std::pow(0.9f, wheel);
      cam.half_height_m *= k;
      cam.distance_m = std::max(1.0f, cam.distance_m * k);
      cam.follow_distance_m = std::clamp(cam.follow_distance_m * k, 2.0f, 200.0f);
    }
  }
  mouse.prev_x = mx, mouse.prev_y = my;
}

// Keys: space plays and pauses; T, F, O pick the top, follow and orbit cameras.
void HandleKeys(UiState& ui) {
  if (ImGui::GetIO().WantCaptureKeyboard) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ui.playing = !ui.playing;
  if (ImGui::IsKeyPressed('T')) ui.mode = CameraMode::kTop;
  if (ImGui::IsKeyPressed('F')) ui.mode = CameraMode::kFollow;
  if (ImGui::IsKeyPressed('O')) ui.mode = CameraMode::kOrbit;
}

// The back buffer, panels included, as a PNG (rows flipped: OpenGL reads bottom-up).
void CaptureWindow(const std::filesystem::path& png, int fb_w, int fb_h) {
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(fb_w) * fb_h * 3);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, fb_w, fb_h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  std::vector<std::uint8_t> flipped(rgb.size());
  const auto row = static_cast<std::size_t>(fb_w) * 3;
  for (int y = 0; y < fb_h; ++y) {
    std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)), row,
                flipped.begin() +
                    static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(fb_h - 1 - y)));
  }
  WritePng(png, fb_w, fb_h, flipped);
  std::printf("wrote %s (%dx%d, window with panels)\n", png.string().c_str(), fb_w, fb_h);
}

// Highlights or opens the trial the check panel asked for; true when the scene changed.
bool ApplyCheckRequest(Scene& scene, const CheckPanelRequest& request, UiState& ui) {
  if (request.open) {
    OpenTrial(scene, *request.open);
    ui.time_s = scene.t_begin_s;  // replay the opened trial from its start
    ui.playing = true;
    return true;
  }
  if (request.select) SelectTrial(scene, *request.select);
  return request.select.has_value();
}

UiState InitialUi(const Scene& scene, const ViewerOptions& options, bool live) {
  UiState ui;
  ui.live = live;
  ui.mode = live ? CameraMode::kFollow : options.camera;
  ui.render.layers = options.layers;
  ui.render.overlay = options.overlay;
  ui.render.hillshade = options.hillshade;
  ui.time_s = options.time_s.value_or(live ? scene.t_end_s : scene.t_begin_s);
  return ui;
}

// Dear ImGui on the window's OpenGL context, for the lifetime of this object.
class ImGuiContextScope {
 public:
  explicit ImGuiContextScope(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
  }
  ImGuiContextScope(const ImGuiContextScope&) = delete;
  ImGuiContextScope& operator=(const ImGuiContextScope&) = delete;
  ~ImGuiContextScope() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
};

}  // namespace

int RunInteractive(Scene& scene, const ViewerOptions& options, LiveSession* live) {
  const bool capture = options.screenshot.has_value();  // the window with its panels, then exit
  Window window(capture ? options.width_px : 1600, capture ? options.height_px : 900, !capture,
                "marsdrive view");
  ImGuiContextScope imgui(window.get());
  auto renderer = std::make_unique<Renderer>(scene);
  RunSeries series = MakeRunSeries(scene.run);
  std::optional<RunSeries> compare_series;
  if (scene.compare) compare_series = MakeRunSeries(*scene.compare);
  UiState ui = InitialUi(scene, options, live != nullptr);
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window.get(), &fb_w, &fb_h);
  const double aspect = static_cast<double>(fb_w) / std::max(1, fb_h);
  Cameras cameras{SceneCameraState(scene, CameraMode::kTop, aspect),
                  SceneCameraState(scene, CameraMode::kOrbit, aspect),
                  SceneCameraState(scene, CameraMode::kFollow, aspect)};
  MouseDrag mouse;
  double last = glfwGetTime();
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
    CameraState& cam = cameras.Of(ui.mode);
    const RoverFrame rover = RoverFrameAt(scene.run.telemetry, ui.time_s);
    const CameraView view = MakeCameraView(cam, rover, scene.lod.min_z_m, scene.lod.max_z_m,
                                           std::max(1, fb_w), std::max(1, fb_h), scene.Ground());
    HandleMouse(window.get(), scene, view, cam, mouse, ui, fb_w, fb_h);
    HandleKeys(ui);
    ui.render.time_s = ui.time_s;
    DrawPanels(scene, series, compare_series, renderer->stats(), ui);
    if (ApplyCheckRequest(scene, DrawCheckPanel(scene), ui)) {
      renderer->ReloadOverlays();
      series = MakeRunSeries(scene.run);
    }
    ImGui::Render();
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_MULTISAMPLE);
    renderer->Draw(view, ui.render);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // ImGui lays windows out over the first frames; live: capture once the run has ended.
    if (capture && ++frame >= 6 && (live == nullptr || live->Finished())) {
      CaptureWindow(*options.screenshot, fb_w, fb_h);
      break;
    }
    glfwSwapBuffers(window.get());
  }
  renderer.reset();  // GL objects go before the context
  return 0;
}

}  // namespace marsdrive::viewer

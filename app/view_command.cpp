#include "app/view_command.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "base/check.h"

#ifdef MARSDRIVE_HAVE_VIEWER
#include "app/cli_parse.h"
#include "viewer/viewer_app.h"
#endif

namespace marsdrive::app {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

struct ViewCliOptions {
  std::string input;
  std::string compare;
  bool live = false;
  std::string screenshot;
  std::optional<double> time_s;
  std::string camera = "top";
  std::string size = "1280x720";
  std::string layers;
  std::string hide;
  std::string overlay;
  bool hillshade = false;
  bool ui = false;
  int max_vertices = 1'000'000;
  int bench_frames = 0;
  std::string out;
};

#ifdef MARSDRIVE_HAVE_VIEWER
viewer::ViewerOptions ToViewerOptions(const ViewCliOptions& o) {
  viewer::ViewerOptions v;
  v.input = o.input;
  if (!o.compare.empty()) v.compare = o.compare;
  v.live = o.live;
  if (!o.screenshot.empty()) v.screenshot = o.screenshot;
  v.time_s = o.time_s;
  const auto camera = viewer::ParseCameraMode(o.camera);
  MD_THROW_UNLESS(camera, "--camera '" + o.camera + "': expected top, follow or orbit");
  v.camera = *camera;
  int w = 0, h = 0;
  char x = 0;
  MD_THROW_UNLESS(
      std::sscanf(o.size.c_str(), "%d%c%d", &w, &x, &h) == 3 && x == 'x' && w >= 16 && h >= 16 &&
          w <= 8192 && h <= 8192,
      "--size '" + o.size + "': expected WIDTHxHEIGHT in pixels (16..8192), e.g. 1280x720");
  v.width_px = w;
  v.height_px = h;
  auto parse_layers = [](const std::string& list, const char* option, bool value,
                         std::array<bool, viewer::kLayerCount>& layers) {
    std::size_t begin = 0;
    while (begin <= list.size()) {
      const std::size_t end = std::min(list.find(',', begin), list.size());
      const std::string name = list.substr(begin, end - begin);
      bool found = false;
      for (int l = 0; l < viewer::kLayerCount; ++l) {
        if (name == viewer::ToString(static_cast<viewer::Layer>(l))) {
          layers[static_cast<std::size_t>(l)] = value;
          found = true;
        }
      }
      std::string message = option;
      message += " '";
      message += list;
      message += "': unknown layer '";
      message += name;
      message +=
          "' (layers: terrain, overlay, rocks, rover, tracks, route, alternatives, "
          "options, all-options, keep-outs, hazards, compare, trials)";
      MD_THROW_UNLESS(found, message);
      begin = end + 1;
    }
  };
  if (!o.layers.empty()) {
    v.layers.fill(false);
    parse_layers(o.layers, "--layers", true, v.layers);
  }
  if (!o.hide.empty()) parse_layers(o.hide, "--hide", false, v.layers);
  if (!o.overlay.empty()) {
    const auto overlay = viewer::ParseOverlayKind(o.overlay);
    MD_THROW_UNLESS(overlay,
                    "--overlay '" + o.overlay + "': expected slope, hazard, cost or classes");
    v.overlay = *overlay;
    v.layers[static_cast<std::size_t>(viewer::Layer::kOverlay)] = true;
  }
  v.hillshade = o.hillshade;
  v.screenshot_ui = o.ui;
  MD_THROW_UNLESS(o.max_vertices >= 1000, "--max-vertices: expected >= 1000");
  v.max_terrain_vertices = o.max_vertices;
  v.bench_frames = o.bench_frames;
  if (!o.out.empty()) v.live_out = o.out;
  return v;
}
#endif

}  // namespace

void AddViewCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ViewCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "view",
      "Show a run (its run directory) in the 3D viewer: terrain, route and alternatives, AutoNav "
      "path options, wheel tracks, hazards, telemetry plots; or render one frame to a PNG");
  cmd->add_option(
         "input", options->input,
         "run directory (holding run.json), plan-check directory (holding check.json: every "
         "trial over the orbital terrain), or a scenario file with --live")
      ->required();
  cmd->add_option("--compare", options->compare, "a second run directory on the same terrain");
  cmd->add_flag("--live", options->live, "simulate the scenario while watching it");
  cmd->add_option("--out", options->out,
                  "--live: the run directory (default: a temporary one); the terrain is cached "
                  "as `marsdrive run` caches it");
  cmd->add_option("--screenshot", options->screenshot,
                  "render one frame into this PNG and exit (headless: run under xvfb-run -a)");
  cmd->add_flag("--ui", options->ui, "--screenshot: the interactive window, panels included");
  cmd->add_option("--time", options->time_s, "screenshot time, s (default: the end of the drive)");
  cmd->add_option("--camera", options->camera, "top | follow | orbit (default top)");
  cmd->add_option("--size", options->size, "screenshot size WIDTHxHEIGHT (default 1280x720)");
  cmd->add_option("--layers", options->layers,
                  "comma-separated layers to show (default all but overlay and all-options)");
  cmd->add_option("--hide", options->hide, "comma-separated layers to hide");
  cmd->add_option("--overlay", options->overlay,
                  "slope | hazard | cost | classes over the terrain");
  cmd->add_flag("--hillshade", options->hillshade, "hillshade instead of the orthoimage");
  cmd->add_option("--max-vertices", options->max_vertices,
                  "terrain mesh budget (posts; default 1000000)");
  cmd->add_option("--bench-frames", options->bench_frames,
                  "render this many offscreen frames and print frame times");
  cmd->callback([options, &exit_code]() {
#ifdef MARSDRIVE_HAVE_VIEWER
    try {
      exit_code = viewer::RunViewer(ToViewerOptions(*options));
    } catch (const viewer::DisplayError& e) {
      std::fprintf(stderr, "marsdrive: error: view: %s\n", e.what());
      exit_code = kExitFailed;
    }
#else
    (void)kExitFailed;
    std::fprintf(stderr,
                 "marsdrive: error: view: the viewer was not built (it needs OpenGL, GLFW 3 and "
                 "Dear ImGui: Debian packages libgl-dev libglfw3-dev libimgui-dev; reconfigure "
                 "with CMake once installed)\n");
    exit_code = kExitBadInput;
#endif
  });
}

}  // namespace marsdrive::app

// Headless screenshots (`marsdrive view RUN --screenshot`) under xvfb-run: the PNG has the size
// asked for, is not blank, and shows the wheel tracks in their colour exactly where the
// renderer's camera math puts them (and not there when the tracks are hidden: the control).
// Skipped, saying why, where no X server can be started.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/util/command.h"
#include "tests/viewer/sample_check.h"
#include "tests/viewer/sample_run.h"
#include "viewer/camera.h"
#include "viewer/check_overlays.h"
#include "viewer/scene.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::RunCommand;
using testing::TempDir;

constexpr int kWidth = 640, kHeight = 360;

std::string Xvfb() { return "xvfb-run -a -s \"-screen 0 1280x1024x24\" "; }

bool HaveXvfb() { return RunCommand("command -v xvfb-run >/dev/null").exit_code == 0; }

// Runs `marsdrive view ARGS` under xvfb-run; skips the test when no display can be had.
#define VIEW_OR_SKIP(result, args)                                                               \
  if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run not found: install xvfb to run the viewer tests";   \
  const testing::CommandResult result =                                                          \
      RunCommand(Xvfb() + std::string(MARSDRIVE_BINARY) + " view " + (args));                    \
  if (result.exit_code != 0 && (result.err.find("cannot open a display") != std::string::npos || \
                                result.err.find("xvfb-run: error") != std::string::npos ||       \
                                result.err.find("OpenGL 3.3") != std::string::npos))             \
  GTEST_SKIP() << "no X server / OpenGL 3.3 under xvfb-run: " << result.err

cv::Vec3b Rgb8(viewer::Rgba c) {
  return {static_cast<unsigned char>(std::lround(c.r * 255)),
          static_cast<unsigned char>(std::lround(c.g * 255)),
          static_cast<unsigned char>(std::lround(c.b * 255))};
}

bool Near(const cv::Vec3b& bgr, const cv::Vec3b& rgb, int tolerance) {
  return std::abs(bgr[2] - rgb[0]) <= tolerance && std::abs(bgr[1] - rgb[1]) <= tolerance &&
         std::abs(bgr[0] - rgb[2]) <= tolerance;
}

// Fraction of the projected track points with a track-coloured pixel within 1 px.
double TrackColourFraction(const cv::Mat& image, const viewer::Scene& scene,
                           const viewer::CameraView& camera, int* checked) {
  const cv::Vec3b track = Rgb8(viewer::kTrackColor);
  int n = 0, hits = 0;
  for (const viewer::Ribbon& r : scene.ribbons) {
    if (r.layer != viewer::Layer::kTracks) continue;
    for (std::size_t i = 1; i < r.points.size(); i += 7) {
      const auto px = viewer::ProjectToPixel(camera, r.points[i]);
      if (!px || px->x < 2 || px->y < 2 || px->x > kWidth - 3 || px->y > kHeight - 3) continue;
      ++n;
      bool hit = false;
      for (int dy = -1; dy <= 1 && !hit; ++dy) {
        for (int dx = -1; dx <= 1 && !hit; ++dx) {
          hit =
              Near(image.at<cv::Vec3b>(static_cast<int>(px->y) + dy, static_cast<int>(px->x) + dx),
                   track, 12);
        }
      }
      hits += hit;
    }
  }
  *checked = n;
  return n > 0 ? static_cast<double>(hits) / n : 0.0;
}

class ViewerScreenshot : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run_dir_ = testing::SampleRunDir(); }
  static inline fs::path run_dir_;
};

TEST_F(ViewerScreenshot, WritesPngOfRequestedSizeThatIsNotBlank) {
  TempDir tmp("viewer-shot");
  const fs::path png = tmp / "top.png";
  VIEW_OR_SKIP(r, run_dir_.string() + " --screenshot " + png.string() + " --size 320x200");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Mat image = cv::imread(png.string(), cv::IMREAD_COLOR);
  ASSERT_FALSE(image.empty()) << png;
  EXPECT_EQ(image.cols, 320);
  EXPECT_EQ(image.rows, 200);
  cv::Scalar mean, stddev;
  cv::meanStdDev(image, mean, stddev);
  EXPECT_GT(stddev[0] + stddev[1] + stddev[2], 30.0) << "a blank or uniform image";
}

TEST_F(ViewerScreenshot, TracksAppearWhereTheCameraProjectsThem) {
  TempDir tmp("viewer-track");
  const fs::path shown = tmp / "tracks.png", hidden = tmp / "no-tracks.png";
  const std::string common = run_dir_.string() + " --camera top --size " + std::to_string(kWidth) +
                             "x" + std::to_string(kHeight);
  {
    VIEW_OR_SKIP(r, common + " --screenshot " + shown.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  {
    VIEW_OR_SKIP(r, common + " --hide tracks --screenshot " + hidden.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const viewer::Scene scene =
      viewer::BuildScene(viewer::LoadRunData(run_dir_), std::nullopt, viewer::SceneOptions{});
  const viewer::CameraView camera =
      viewer::DefaultView(scene, viewer::CameraMode::kTop, scene.t_end_s, kWidth, kHeight);
  int checked = 0;
  const double with = TrackColourFraction(cv::imread(shown.string()), scene, camera, &checked);
  ASSERT_GT(checked, 20) << "too few track points inside the image";
  int checked_hidden = 0;
  const double without =
      TrackColourFraction(cv::imread(hidden.string()), scene, camera, &checked_hidden);
  std::printf("track colour at %d projected points: %.2f with tracks, %.2f without\n", checked,
              with, without);
  EXPECT_GT(with, 0.75) << "track colour missing at the projected track points";
  EXPECT_LT(without, 0.05) << "the control: no track colour there without tracks";
}

TEST_F(ViewerScreenshot, FollowAndOrbitCamerasRender) {
  TempDir tmp("viewer-cams");
  for (const char* camera : {"follow", "orbit"}) {
    SCOPED_TRACE(camera);
    const fs::path png = tmp / (std::string(camera) + ".png");
    VIEW_OR_SKIP(r, run_dir_.string() + " --camera " + camera + " --time 100 --overlay slope" +
                        " --size 320x200 --screenshot " + png.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const cv::Mat image = cv::imread(png.string());
    ASSERT_EQ(image.cols, 320);
    cv::Scalar mean, stddev;
    cv::meanStdDev(image, mean, stddev);
    EXPECT_GT(stddev[0] + stddev[1] + stddev[2], 30.0);
  }
}

// Fraction of the projected track points with a pixel of `colour` within 1 px.
double ColourFraction(const cv::Mat& image, const viewer::Scene& scene,
                      const viewer::CameraView& camera, viewer::Rgba colour) {
  const cv::Vec3b want = Rgb8(colour);
  int n = 0, hits = 0;
  for (const viewer::Ribbon& r : scene.ribbons) {
    if (r.layer != viewer::Layer::kTracks) continue;
    for (std::size_t i = 1; i < r.points.size(); i += 7) {
      const auto px = viewer::ProjectToPixel(camera, r.points[i]);
      if (!px || px->x < 2 || px->y < 2 || px->x > kWidth - 3 || px->y > kHeight - 3) continue;
      ++n;
      bool hit = false;
      for (int dy = -1; dy <= 1 && !hit; ++dy) {
        for (int dx = -1; dx <= 1 && !hit; ++dx) {
          hit =
              Near(image.at<cv::Vec3b>(static_cast<int>(px->y) + dy, static_cast<int>(px->x) + dx),
                   want, 12);
        }
      }
      hits += hit;
    }
  }
  return n > 0 ? static_cast<double>(hits) / n : 0.0;
}

// A run compared with itself: its tracks are drawn again, in the compared run's colour, over
// the first run's.
TEST_F(ViewerScreenshot, ComparedRunIsOverlaid) {
  TempDir tmp("viewer-compare");
  const fs::path png = tmp / "compare.png";
  VIEW_OR_SKIP(r, run_dir_.string() + " --compare " + run_dir_.string() + " --size " +
                      std::to_string(kWidth) + "x" + std::to_string(kHeight) + " --screenshot " +
                      png.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const viewer::Scene scene =
      viewer::BuildScene(viewer::LoadRunData(run_dir_), std::nullopt, viewer::SceneOptions{});
  const viewer::CameraView camera =
      viewer::DefaultView(scene, viewer::CameraMode::kTop, scene.t_end_s, kWidth, kHeight);
  const cv::Mat image = cv::imread(png.string());
  EXPECT_GT(ColourFraction(image, scene, camera, viewer::kCompareTrackColor), 0.6);
  EXPECT_LT(ColourFraction(image, scene, camera, viewer::kTrackColor), 0.2);
}

// The interactive window with its ImGui panels, captured after a few frames.
TEST_F(ViewerScreenshot, WindowWithPanelsRenders) {
  TempDir tmp("viewer-ui");
  const fs::path png = tmp / "ui.png";
  VIEW_OR_SKIP(r, run_dir_.string() + " --ui --camera orbit --time 200 --size 800x600" +
                      " --screenshot " + png.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Mat image = cv::imread(png.string());
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(image.cols, 800);
  EXPECT_EQ(image.rows, 600);
  // ImGui's dark panel title bars: a dark, blue-ish, uniform strip at the top left.
  const cv::Vec3b title = image.at<cv::Vec3b>(15, 100);
  EXPECT_LT(title[2], 80) << "no panel at the top left";
}

// Live mode runs the scenario while showing it; the window is captured when the run ends.
TEST(ViewerLive, RunsTheScenarioAndWritesItsRunDirectory) {
  TempDir tmp("viewer-live");
  std::ofstream(tmp / "tiny.yaml")
      << "schema: marsdrive/scenario/1\n"
         "name: tiny\n"
         "seed: 3\n"
         "terrain: {preset: flat, size_m: [16, 10], resolution_m: 0.1}\n"
         "start: {x: 3, y: 5, yaw_deg: 0}\n"
         "goal: {x: 9, y: 5, tolerance_m: 1.0}\n"
         "limits: {time_s: 600}\n";
  const fs::path png = tmp / "live.png";
  const std::string env = "MARSDRIVE_CACHE_DIR=" + (tmp / "cache").string() + " ";
  if (!HaveXvfb()) GTEST_SKIP() << "xvfb-run not found: install xvfb to run the viewer tests";
  const auto r = RunCommand(
      env + Xvfb() + MARSDRIVE_BINARY + " view " + (tmp / "tiny.yaml").string() + " --live --out " +
      (tmp / "run").string() + " --ui --size 640x400 --screenshot " + png.string());
  if (r.exit_code != 0 && r.err.find("cannot open a display") != std::string::npos)
    GTEST_SKIP() << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("live run finished: ok"));
  EXPECT_TRUE(fs::exists(tmp / "run" / "run.json"));
  EXPECT_TRUE(fs::exists(tmp / "run" / "telemetry.csv"));
  EXPECT_FALSE(cv::imread(png.string()).empty());
}

// A click on the map: the ground point under a pixel of the default orbit view, and what the
// panel reads there (no display needed).
TEST_F(ViewerScreenshot, ClickReadsTheMapPointUnderThePixel) {
  const viewer::Scene scene =
      viewer::BuildScene(viewer::LoadRunData(run_dir_), std::nullopt, viewer::SceneOptions{});
  const viewer::CameraView camera =
      viewer::DefaultView(scene, viewer::CameraMode::kOrbit, 100, kWidth, kHeight);
  const viewer::HeightFn ground = scene.Ground();
  for (const auto& [x, y] : {std::pair{10.0, 8.0}, std::pair{20.0, 12.5}}) {
    const viewer::Vec3f p{static_cast<float>(x), static_cast<float>(y),
                          static_cast<float>(ground(x, y))};
    const auto px = viewer::ProjectToPixel(camera, p);
    ASSERT_TRUE(px);
    const auto hit = viewer::IntersectGround(viewer::PixelRay(camera, px->x, px->y), ground,
                                             scene.map, scene.lod.min_z_m, scene.lod.max_z_m);
    ASSERT_TRUE(hit);
    EXPECT_NEAR(hit->x, x, 0.05);
    EXPECT_NEAR(hit->y, y, 0.05);
    const viewer::MapPointInfo info = viewer::InfoAt(scene, hit->x, hit->y);
    EXPECT_NEAR(info.z_m, scene.terrain.truth->dem.HeightAt(hit->x, hit->y), 1e-9);
    EXPECT_TRUE(std::isfinite(info.slope_deg));
    EXPECT_THAT(info.soil, ::testing::AnyOf("regolith", "bedrock", "sand"));
  }
}

// ------------------------------------------------------------------------ bad input --

// Copies the sample run (not its terrain) into `dir`, pointing at the sample's terrain.
void CopyRun(const fs::path& from, const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(from))
    fs::copy_file(e.path(), dir / e.path().filename());
  scenarios::RunRecord record = scenarios::LoadRunRecord(dir / "run.json");
  record.terrain_dir = fs::absolute(from / record.terrain_dir).lexically_normal().string();
  scenarios::WriteRunRecord(dir / "run.json", record);
}

TEST_F(ViewerScreenshot, TruncatedTelemetryIsAnErrorNamingTheFile) {
  TempDir tmp("viewer-trunc");
  CopyRun(run_dir_, tmp / "run");
  const fs::path csv = tmp / "run" / "telemetry.csv";
  const std::string text = testing::ReadWholeFile(csv);
  std::ofstream(csv, std::ios::binary | std::ios::trunc) << text.substr(0, text.size() * 2 / 3);
  const auto r =
      Marsdrive("view " + (tmp / "run").string() + " --screenshot " + (tmp / "x.png").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("telemetry.csv"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_FALSE(fs::exists(tmp / "x.png"));
}

TEST_F(ViewerScreenshot, MissingTelemetryIsAnErrorNamingTheFile) {
  TempDir tmp("viewer-missing");
  CopyRun(run_dir_, tmp / "run");
  fs::remove(tmp / "run" / "telemetry.csv");
  const auto r =
      Marsdrive("view " + (tmp / "run").string() + " --screenshot " + (tmp / "x.png").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("telemetry.csv"));
  EXPECT_THAT(r.err, HasSubstr("missing"));
}

TEST_F(ViewerScreenshot, NotARunDirectoryIsAnError) {
  TempDir tmp("viewer-notrun");
  const auto r =
      Marsdrive("view " + tmp.path().string() + " --screenshot " + (tmp / "x.png").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("run.json"));
}

TEST_F(ViewerScreenshot, BadOptionsAreErrors) {
  for (const char* args : {" --camera side", " --size 12x", " --hide wheels", " --overlay dust"}) {
    SCOPED_TRACE(args);
    const auto r = Marsdrive("view " + run_dir_.string() + args + " --screenshot /dev/null");
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
}

// ------------------------------------------------------------------- plan checks --

// Fraction of the projected points of the check's trial tracks with a pixel of `colour` within
// 1 px.
double TrialTrackFraction(const cv::Mat& image, const viewer::Scene& scene,
                          const viewer::CameraView& camera, viewer::Rgba colour) {
  const cv::Vec3b want = Rgb8(colour);
  int n = 0, hits = 0;
  for (const viewer::Polyline& p : scene.lines) {
    if (p.layer != viewer::Layer::kTrials || p.points.size() < 20) continue;  // not a cross
    for (std::size_t i = 0; i < p.points.size(); i += 5) {
      const auto px = viewer::ProjectToPixel(camera, p.points[i]);
      if (!px || px->x < 2 || px->y < 2 || px->x > kWidth - 3 || px->y > kHeight - 3) continue;
      ++n;
      bool hit = false;
      for (int dy = -1; dy <= 1 && !hit; ++dy) {
        for (int dx = -1; dx <= 1 && !hit; ++dx) {
          hit =
              Near(image.at<cv::Vec3b>(static_cast<int>(px->y) + dy, static_cast<int>(px->x) + dx),
                   want, 12);
        }
      }
      hits += hit;
    }
  }
  EXPECT_GT(n, 20) << "too few trial track points inside the image";
  return n > 0 ? static_cast<double>(hits) / n : 0.0;
}

// Both trials of the sample check reach the goal: their tracks are check.html's green where the
// camera puts them, and not with --hide trials (the control).
TEST(ViewerCheck, TrialTracksAreDrawnInTheirOutcomeColour) {
  const fs::path check_dir = testing::SampleCheckDir();
  TempDir tmp("viewer-check-shot");
  const fs::path shown = tmp / "check.png", hidden = tmp / "no-trials.png";
  const std::string common =
      check_dir.string() + " --size " + std::to_string(kWidth) + "x" + std::to_string(kHeight);
  {
    VIEW_OR_SKIP(r, common + " --screenshot " + shown.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  {
    VIEW_OR_SKIP(r, common + " --hide trials --screenshot " + hidden.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const viewer::Scene scene =
      viewer::BuildCheckScene(viewer::LoadCheckData(check_dir), viewer::SceneOptions{});
  const viewer::CameraView camera =
      viewer::DefaultView(scene, viewer::CameraMode::kTop, scene.t_end_s, kWidth, kHeight);
  const viewer::Rgba green = viewer::TrialTrackColor(check::TrialKind::kGoal);
  const double with = TrialTrackFraction(cv::imread(shown.string()), scene, camera, green);
  const double without = TrialTrackFraction(cv::imread(hidden.string()), scene, camera, green);
  std::printf("green at the trial tracks' points: %.2f shown, %.2f hidden\n", with, without);
  EXPECT_GT(with, 0.6);
  EXPECT_LT(without, 0.05);
}

TEST(ViewerCheck, WindowWithThePlanCheckPanelRenders) {
  const fs::path check_dir = testing::SampleCheckDir();
  TempDir tmp("viewer-check-ui");
  const fs::path png = tmp / "ui.png";
  VIEW_OR_SKIP(r, check_dir.string() + " --ui --size 1280x900 --screenshot " + png.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const cv::Mat image = cv::imread(png.string());
  ASSERT_EQ(image.cols, 1280);
  cv::Scalar mean, stddev;
  cv::meanStdDev(image, mean, stddev);
  EXPECT_GT(stddev[0] + stddev[1] + stddev[2], 30.0);
}

TEST(ViewerCheck, MissingOrbitalDirIsOneLineNamingTheField) {
  const fs::path check_dir = testing::SampleCheckDir();
  TempDir tmp("viewer-check-bad");
  fs::create_directories(tmp / "check");
  fs::copy(check_dir, tmp / "check", fs::copy_options::recursive);
  std::ifstream in(tmp / "check" / "check.json");
  nlohmann::ordered_json check = nlohmann::ordered_json::parse(in);
  check["inputs"]["orbital_dir"] = (tmp / "no-such-terrain").string();
  std::ofstream(tmp / "check" / "check.json", std::ios::trunc) << check.dump(1);
  const auto r =
      Marsdrive("view " + (tmp / "check").string() + " --screenshot " + (tmp / "x.png").string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("check.json: inputs.orbital_dir"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_FALSE(fs::exists(tmp / "x.png"));
}

}  // namespace
}  // namespace marsdrive

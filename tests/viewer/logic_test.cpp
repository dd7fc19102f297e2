// The viewer's logic without OpenGL: terrain level of detail, cameras and projection, rover
// kinematics, wheel tracks, overlays, plot series and the loaders' errors.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "sim/telemetry_csv.h"
#include "tests/util/command.h"
#include "viewer/camera.h"
#include "viewer/layer_images.h"
#include "viewer/overlays.h"
#include "viewer/rover_pose.h"
#include "viewer/run_data.h"
#include "viewer/series.h"
#include "viewer/terrain_lod.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

terrain::HeightMap Plane(int w, int h, double res) {
  terrain::HeightMap dem(terrain::GridSpec{w, h, res, 10.0, 20.0});
  for (int r = 0; r < h; ++r) {
    for (int c = 0; c < w; ++c) {
      dem.heights_m(c, r) =
          static_cast<float>(0.1 * dem.spec().CellCenterX(c) - 0.05 * dem.spec().CellCenterY(r));
    }
  }
  return dem;
}

// ------------------------------------------------------------------ level of detail --

TEST(TerrainLod, DecimatesWithinTheVertexBudgetAndKeepsTheEdges) {
  const terrain::HeightMap dem = Plane(401, 301, 0.05);
  const LodGrid full = MakeLodGrid(dem, 1'000'000);
  EXPECT_EQ(full.step, 1);  // control: under budget, nothing is dropped
  EXPECT_EQ(full.VertexCount(), 401u * 301u);
  const LodGrid lod = MakeLodGrid(dem, 10'000);
  EXPECT_GT(lod.step, 1);
  EXPECT_LE(lod.VertexCount(), 10'000u);
  EXPECT_EQ(lod.SourceCol(lod.cols - 1), 400);  // the last column and row are kept
  EXPECT_EQ(lod.SourceRow(lod.rows - 1), 300);
  for (int r : {0, 7, lod.rows - 1}) {
    for (int c : {0, 5, lod.cols - 1}) {
      const Vec3f p = lod.Post(c, r);
      EXPECT_FLOAT_EQ(p.z, dem.heights_m(lod.SourceCol(c), lod.SourceRow(r)));
    }
  }
}

TEST(TerrainLod, SurfaceHeightFollowsThePosts) {
  const terrain::HeightMap dem = Plane(201, 101, 0.1);
  const LodGrid lod = MakeLodGrid(dem, 2'000);
  for (double x : {10.2, 13.77, 29.9}) {
    for (double y : {20.1, 24.4, 29.95}) {
      EXPECT_NEAR(lod.HeightAt(x, y), 0.1 * x - 0.05 * y, 1e-4) << x << ", " << y;
    }
  }
}

TEST(TerrainLod, ChunksCoverTheGridAndCoarserLevelsHaveFewerTriangles) {
  const LodGrid lod = MakeLodGrid(Plane(300, 200, 0.05), 1'000'000);
  const std::vector<TerrainChunk> chunks = MakeChunks(lod, 64);
  long quads = 0;
  for (const TerrainChunk& c : chunks) quads += static_cast<long>(c.cols - 1) * (c.rows - 1);
  EXPECT_EQ(quads, static_cast<long>(lod.cols - 1) * (lod.rows - 1));
  const ChunkMesh mesh = BuildChunkMesh(lod, chunks.front());
  for (int l = 1; l < kLodLevels; ++l) {
    EXPECT_LT(mesh.indices[static_cast<std::size_t>(l)].size(),
              mesh.indices[static_cast<std::size_t>(l - 1)].size());
  }
  const std::size_t vertices = mesh.vertices.size() / 6;
  for (const auto& level : mesh.indices) {
    for (std::uint32_t i : level) ASSERT_LT(i, vertices);
  }
}

TEST(TerrainLod, LevelGrowsWithPixelSize) {
  EXPECT_EQ(ChooseLodLevel(0.05, 0.01), 0);
  EXPECT_EQ(ChooseLodLevel(0.05, 0.05), 1);
  EXPECT_EQ(ChooseLodLevel(0.05, 0.2), 3);
  EXPECT_EQ(ChooseLodLevel(0.05, 100.0), kLodLevels - 1);
}

// ------------------------------------------------------------------------- cameras --

TEST(Camera, TopViewFramesTheRegionNorthUp) {
  const Bounds2 roi{0, 0, 40, 20};
  const CameraState s = DefaultCameraState(CameraMode::kTop, roi, 0, 5, 2.0);
  const CameraView cam = MakeCameraView(s, {}, 0, 5, 800, 400);
  const auto centre = ProjectToPixel(cam, {20, 10, 2});
  ASSERT_TRUE(centre);
  EXPECT_NEAR(centre->x, 400, 0.5);
  EXPECT_NEAR(centre->y, 200, 0.5);
  const auto north_east = ProjectToPixel(cam, {40, 20, 0});
  ASSERT_TRUE(north_east);
  EXPECT_NEAR(north_east->x, 800, 0.5);  // east is right, north is up (row 0)
  EXPECT_NEAR(north_east->y, 0, 0.5);
}

TEST(Camera, ClickedPixelFindsTheGroundPointDrawnThere) {
  const HeightFn ground = [](double x, double y) { return 0.2 * std::sin(x) + 0.05 * y; };
  CameraState s = DefaultCameraState(CameraMode::kOrbit, {0, 0, 30, 30}, -1, 3, 1.6);
  const CameraView cam = MakeCameraView(s, {}, -1, 3, 640, 400, ground);
  for (const Vec3f p : {Vec3f{12, 14, 0}, Vec3f{20, 8, 0}}) {
    const Vec3f on_ground{p.x, p.y, static_cast<float>(ground(p.x, p.y))};
    const auto px = ProjectToPixel(cam, on_ground);
    ASSERT_TRUE(px);
    const auto hit = IntersectGround(PixelRay(cam, px->x, px->y), ground, {0, 0, 30, 30}, -1, 3);
    ASSERT_TRUE(hit);
    EXPECT_NEAR(hit->x, on_ground.x, 0.02);
    EXPECT_NEAR(hit->y, on_ground.y, 0.02);
  }
}

TEST(Camera, FollowCameraLooksAtTheRoverFromBehind) {
  const RoverFrame rover{{10, 10, 1}, static_cast<float>(std::numbers::pi / 2)};  // north
  const CameraView cam = MakeCameraView(
      DefaultCameraState(CameraMode::kFollow, {0, 0, 20, 20}, 0, 2, 1.5), rover, 0, 2, 600, 400);
  EXPECT_LT(cam.eye.y, 10.0f);  // south of a rover heading north
  const auto px = ProjectToPixel(cam, rover.position);
  ASSERT_TRUE(px);
  EXPECT_NEAR(px->x, 300, 1.0);
  EXPECT_FALSE(ProjectToPixel(cam, {10, -200, 0}));  // far behind the camera
  EXPECT_EQ(ParseCameraMode("follow"), CameraMode::kFollow);
  EXPECT_FALSE(ParseCameraMode("side"));
}

// ---------------------------------------------------------------------- kinematics --

TEST(RoverPose, NominalPosePutsWheelsWhereTheSpecSays) {
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  sim::TelemetrySample s;
  s.position_map_m = {5, 6, 1};
  const RoverPose pose = CalcRoverPose(spec, s);
  const vehicle::Vec3 expected[3] = {spec.front_wheel_m, spec.middle_wheel_m, spec.rear_wheel_m};
  for (int k = 0; k < 3; ++k) {
    for (int side = 0; side < 2; ++side) {
      const Vec3f c = pose.wheel_centre_map[static_cast<std::size_t>(side * 3 + k)];
      EXPECT_NEAR(c.x, 5 + expected[k].x, 1e-5);
      EXPECT_NEAR(c.y, 6 + (side == 0 ? 1 : -1) * expected[k].y, 1e-5);
      EXPECT_NEAR(c.z, 1 + expected[k].z, 1e-5);
    }
  }
}

TEST(RoverPose, RockerFrontUpRaisesTheFrontWheelAndYawTurnsTheRover) {
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  sim::TelemetrySample s;
  const float front_z = CalcRoverPose(spec, s).wheel_centre_map[0].z;
  s.rocker_left_rad = 0.2;
  const RoverPose raised = CalcRoverPose(spec, s);
  EXPECT_GT(raised.wheel_centre_map[0].z, front_z + 0.05f);  // left front up
  EXPECT_NEAR(raised.wheel_centre_map[3].z, front_z, 1e-5);  // right front unchanged
  s = {};
  s.yaw_rad = std::numbers::pi / 2;
  const RoverPose turned = CalcRoverPose(spec, s);
  EXPECT_NEAR(turned.wheel_centre_map[0].y, spec.front_wheel_m.x, 1e-5);  // front points north
}

TEST(RoverPose, SampleAtInterpolatesAndClamps) {
  sim::Telemetry t(2);
  t[0].time_s = 0, t[1].time_s = 2;
  t[1].position_map_m = {2, 4, 0};
  t[0].yaw_rad = 3.1, t[1].yaw_rad = -3.1;  // across +-pi: the short way round
  const sim::TelemetrySample mid = SampleAt(t, 1.0);
  EXPECT_DOUBLE_EQ(mid.position_map_m[0], 1.0);
  EXPECT_DOUBLE_EQ(mid.position_map_m[1], 2.0);
  EXPECT_NEAR(std::abs(mid.yaw_rad), std::numbers::pi, 1e-6);
  EXPECT_DOUBLE_EQ(SampleAt(t, -5).time_s, 0.0);
  EXPECT_DOUBLE_EQ(SampleAt(t, 9).position_map_m[0], 2.0);
}

// -------------------------------------------------------------------------- tracks --

sim::Telemetry StraightDrive(int samples, double step_m) {
  sim::Telemetry t(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    sim::TelemetrySample& s = t[static_cast<std::size_t>(i)];
    s.time_s = i;
    s.position_map_m = {i * step_m, 0, 0};
    for (sim::WheelSample& w : s.wheels) w.in_contact = true;
  }
  return t;
}

TEST(Tracks, OneTrackPerContactRunUnderEachWheel) {
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  sim::Telemetry t = StraightDrive(40, 0.1);
  for (int i = 15; i < 20; ++i) t[static_cast<std::size_t>(i)].wheels[0].in_contact = false;
  const std::vector<WheelTrack> tracks = ExtractWheelTracks(spec, t);
  ASSERT_EQ(tracks.size(), 7u);  // the left front wheel's track is cut in two
  int lf = 0;
  for (const WheelTrack& w : tracks) {
    if (w.wheel == 0) ++lf;
    for (const Vec3f& p : w.points) EXPECT_NEAR(p.z, 0, 1e-3);  // on the ground, below the hub
  }
  EXPECT_EQ(lf, 2);
  const WheelTrack& rf =
      *std::find_if(tracks.begin(), tracks.end(), [](const WheelTrack& w) { return w.wheel == 3; });
  EXPECT_NEAR(rf.points.front().y, -spec.front_wheel_m.y, 1e-5);
  EXPECT_EQ(rf.points.size(), 40u);
  EXPECT_EQ(ExtractWheelTracks(spec, t, 0.25).front().points.size() < 40u, true);
}

TEST(Tracks, RibbonsLieOnTheGround) {
  const std::vector<WheelTrack> tracks =
      ExtractWheelTracks(vehicle::DefaultRoverSpec(), StraightDrive(10, 0.2));
  const auto ribbons = MakeTrackRibbons(
      tracks, 0.3, [](double x, double) { return 0.5 * x; }, 0.03, kTrackColor, Layer::kTracks);
  ASSERT_EQ(ribbons.size(), 6u);
  for (const Vec3f& p : ribbons[0].points) EXPECT_NEAR(p.z, 0.5 * p.x + 0.03, 1e-5);
}

// ------------------------------------------------------------------------ overlays --

TEST(Overlays, DrapedLinesFollowTheGroundAtTheSpacingAsked) {
  const HeightFn ground = [](double x, double y) { return x + 2 * y; };
  const std::vector<Vec3f> pts = DrapePolyline({{0, 0}, {10, 0}, {10, 1}}, ground, 0.1, 0.25);
  ASSERT_EQ(pts.size(), 1u + 40u + 4u);
  for (std::size_t i = 1; i < pts.size(); ++i) EXPECT_LE(Length(pts[i] - pts[i - 1]), 0.6f);
  for (const Vec3f& p : pts) EXPECT_NEAR(p.z, p.x + 2 * p.y + 0.1, 1e-4);
  EXPECT_FLOAT_EQ(pts.back().x, 10);
  EXPECT_FLOAT_EQ(pts.back().y, 1);
}

RunData RunWithDecisions() {
  RunData run;
  run.telemetry = StraightDrive(5, 0.1);
  run.record.goal = {20, 0, 1};
  for (double t : {0.0, 10.0}) {
    AutoNavDecisionView d;
    d.time_s = t;
    d.chosen = 1;
    d.options.push_back({"arc", false, "step", 0, {{0, 0}, {1, 1}}});
    d.options.push_back({"arc", true, "none", 1, {{0, 0}, {1, 0}}});
    d.options.push_back({"arc", true, "none", 0.5, {{0, 0}, {1, -1}}});
    run.decisions.push_back(d);
  }
  return run;
}

TEST(Overlays, PathOptionsShowChosenAndRejectedDuringTheirDecision) {
  const RunData run = RunWithDecisions();
  const auto lines = BuildRunOverlays(run, [](double, double) { return 0.0; }, {});
  int current = 0, chosen = 0, rejected = 0;
  for (const Polyline& p : lines) {
    if (p.layer != Layer::kPathOptions) continue;
    ++current;
    if (p.t0_s == 0.0f) {
      EXPECT_FLOAT_EQ(p.t1_s, 10.0f);
    }
    if (p.color.g == kOptionChosenColor.g && p.color.r == kOptionChosenColor.r) ++chosen;
    const Rgba step = RejectedOptionColor("step");
    if (p.color.r == step.r && p.color.g == step.g && p.color.b == step.b) ++rejected;
  }
  EXPECT_EQ(current, 6);
  EXPECT_EQ(chosen, 2);
  EXPECT_EQ(rejected, 2);
  EXPECT_EQ(DecisionAt(run.decisions, -1), -1);
  EXPECT_EQ(DecisionAt(run.decisions, 0), 0);
  EXPECT_EQ(DecisionAt(run.decisions, 12), 1);
}

TEST(Overlays, ASkippedWaypointIsCrossedFromWhenItWasGivenUp) {
  const nlohmann::json autonav = {
      {"waypoints", {{{"x", 1}, {"y", 2}}, {{"x", 5}, {"y", 6}}}},
      {"skipped_waypoints", {{{"index", 1}, {"time_s", 42.5}, {"reason", "unreachable"}}}}};
  RunData run;
  run.skipped_waypoints = ParseSkippedWaypoints(autonav, "autonav.json");
  ASSERT_EQ(run.skipped_waypoints.size(), 1u);
  EXPECT_EQ(run.skipped_waypoints[0].x_m, 5);
  EXPECT_EQ(run.skipped_waypoints[0].reason, "unreachable");
  int crosses = 0;
  for (const Polyline& p : BuildRunOverlays(run, [](double, double) { return 0.0; }, {})) {
    if (p.color.r != kSkippedWaypointColor.r || p.color.g != kSkippedWaypointColor.g) continue;
    ++crosses;
    EXPECT_FLOAT_EQ(p.t0_s, 42.5f);
    EXPECT_NEAR(p.points.front().x + p.points.back().x, 10.0, 1e-5);  // centred on (5, 6)
  }
  EXPECT_EQ(crosses, 2);
  // Files from before skipping have no list: nothing to draw.
  EXPECT_TRUE(ParseSkippedWaypoints({{"waypoints", nlohmann::json::array()}}, "a.json").empty());
}

bool SameColor(const Rgba& a, const Rgba& b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

TEST(Colors, EveryHazardKindAndDriveFaultHasItsOwnColor) {
  const Rgba unknown = HazardColor("no such kind");
  std::vector<Rgba> kinds;
  for (const char* k :
       {"body_contact", "wheel_on_rock", "tilt", "suspension", "keep_out", "stuck", "rollover"}) {
    SCOPED_TRACE(k);
    kinds.push_back(HazardColor(k));
    EXPECT_FALSE(SameColor(kinds.back(), unknown));
  }
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    for (std::size_t j = i + 1; j < kinds.size(); ++j) EXPECT_FALSE(SameColor(kinds[i], kinds[j]));
  }
  // The faults stand out from a completed drive and from one that merely stopped short.
  const Rgba completed = DriveStatusColor("completed"), stuck = DriveStatusColor("stuck");
  EXPECT_FALSE(SameColor(completed, stuck));
  for (const char* fault : {"off_map", "rollover", "sim_fault"}) {
    SCOPED_TRACE(fault);
    EXPECT_FALSE(SameColor(DriveStatusColor(fault), completed));
    EXPECT_FALSE(SameColor(DriveStatusColor(fault), stuck));
  }
  EXPECT_FALSE(SameColor(DriveStatusColor("off_map"), DriveStatusColor("sim_fault")));
}

// -------------------------------------------------------------------- series, maps --

TEST(Series, ResamplesLinearlyOnADistanceAxis) {
  const std::vector<float> x = {0, 1, 1, 3}, y = {0, 10, 10, 30};
  const std::vector<float> r = ResampleOnAxis(x, y, 4);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_FLOAT_EQ(r[0], 0);
  EXPECT_FLOAT_EQ(r[1], 10);
  EXPECT_FLOAT_EQ(r[2], 20);
  EXPECT_FLOAT_EQ(r[3], 30);
  const RunSeries s = MakeRunSeries(RunWithDecisions());
  ASSERT_EQ(s.series.size(), 5u);
  EXPECT_EQ(s.series[4].name, "progress");
  EXPECT_NEAR(s.series[4].values.back(), 0.4, 1e-5);  // 0.4 m nearer the goal
}

TEST(LayerImages, SlopeOverLimitIsMarkedAndNamesParse) {
  terrain::OrbitalProducts o;
  o.slope_deg = terrain::Grid<float>(terrain::GridSpec{2, 1, 1.0, 0, 0}, 5.0f);
  o.slope_deg(1, 0) = 40.0f;
  terrain::TerrainTruth truth;
  const RgbaImage img = MakeOverlayImage(o, truth, OverlayKind::kSlope);
  ASSERT_EQ(img.rgba.size(), 8u);
  EXPECT_GT(img.rgba[1], img.rgba[0]);  // gentle: green
  EXPECT_GT(img.rgba[6], img.rgba[5]);  // beyond the limit: purple
  EXPECT_EQ(ParseOverlayKind("cost"), OverlayKind::kCost);
  EXPECT_FALSE(ParseOverlayKind("dust"));
}

// ------------------------------------------------------------------------- loading --

TEST(RunDataLoad, ErrorsNameTheFile) {
  testing::TempDir tmp("viewer-load");
  try {
    (void)LoadRunData(tmp.path());
    FAIL() << "no run.json";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("run.json"));
  }
  const nlohmann::json bad = {
      {"decisions", {{{"pose", {{"x", 1}}}, {"options", {{{"points", {{1}}}}}}}}}};
  try {
    (void)ParseAutoNavDecisions(bad, "x/autonav.json");
    FAIL() << "malformed points";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("x/autonav.json: decisions[0]"));
  }
  const nlohmann::json bad_skip = {{"waypoints", {{{"x", 1}, {"y", 2}}}},
                                   {"skipped_waypoints", {{{"index", 3}}}}};
  try {
    (void)ParseSkippedWaypoints(bad_skip, "x/autonav.json");
    FAIL() << "index beyond the waypoints";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("x/autonav.json: skipped_waypoints[0].index"));
  }
  const nlohmann::json metrics = {{"hazards", {{{"kind", "tilt"}, {"x", 1}, {"y", 2}}}}};
  EXPECT_EQ(ParseHazards(metrics, "m.json").size(), 1u);
}

}  // namespace
}  // namespace marsdrive::viewer

// A plan-check directory in the viewer, without OpenGL: the scene stands on the orbital
// products, holds every trial's track in its outcome colour (check.html's), the plan as the
// route and the legs by risk; selecting and opening a trial; errors naming check.json's field.
#include "base/check.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenarios/check/check_map.h"
#include "sim/telemetry_csv.h"
#include "terrain/orbital_dir.h"
#include "tests/util/command.h"
#include "tests/viewer/sample_check.h"
#include "viewer/check_overlays.h"
#include "viewer/scene.h"

namespace marsdrive::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

bool SameColor(Rgba a, Rgba b) {
  return std::abs(a.r - b.r) < 1e-6f && std::abs(a.g - b.g) < 1e-6f && std::abs(a.b - b.b) < 1e-6f;
}

// The trial tracks: kTrials lines long enough not to be a failure cross, and not the white
// outline of the selected one.
std::vector<const Polyline*> TrialTracks(const Scene& scene) {
  std::vector<const Polyline*> out;
  for (const Polyline& p : scene.lines) {
    if (p.layer == Layer::kTrials && p.points.size() > 20 &&
        !SameColor(p.color, Rgb8(255, 255, 255)))
      out.push_back(&p);
  }
  return out;
}

class CheckScene : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { check_dir_ = testing::SampleCheckDir(); }
  static inline fs::path check_dir_;
};

TEST_F(CheckScene, StandsOnTheOrbitalProductsWithoutTruth) {
  ASSERT_TRUE(IsCheckDir(check_dir_));
  EXPECT_FALSE(IsCheckDir(check_dir_ / "trials"));  // control
  const Scene scene = BuildCheckScene(LoadCheckData(check_dir_), SceneOptions{});
  ASSERT_TRUE(scene.check.has_value());
  const fs::path terrain = check_dir_.parent_path() / testing::kSampleCheckTerrain;
  EXPECT_EQ(scene.check->data.orbital_dir, terrain.lexically_normal());
  const terrain::OrbitalProducts orbital = terrain::LoadOrbitalProducts(terrain);
  EXPECT_EQ(scene.terrain.truth->dem.spec(), orbital.spec());  // the orbital DEM, not 0.1 m truth
  EXPECT_GT(scene.terrain.truth->dem.spec().resolution_m, 0.5);
  EXPECT_EQ(scene.terrain.truth->rocks.size(), orbital.visible_rocks.size());
  EXPECT_EQ(InfoAt(scene, 20, 20).soil, terrain::ToString(terrain::SoilClass::kNodata));
}

TEST_F(CheckScene, HasEveryTrialTrackInItsOutcomeColourTheRouteAndTheLegs) {
  const Scene scene = BuildCheckScene(LoadCheckData(check_dir_), SceneOptions{});
  const check::CheckPage& page = scene.check->data.page;
  ASSERT_EQ(page.trials.size(), 2u);
  const std::vector<const Polyline*> tracks = TrialTracks(scene);
  ASSERT_EQ(tracks.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    // Flat ground, 10 m: both trials reach the goal, so both tracks are check.html's green.
    EXPECT_TRUE(page.trials[i].goal_reached) << page.trials[i].reason;
    EXPECT_EQ(page.trials[i].kind, check::TrialKind::kGoal);
    EXPECT_TRUE(SameColor(tracks[i]->color, Rgb8(check::kGoalTrackColor.r, check::kGoalTrackColor.g,
                                                 check::kGoalTrackColor.b)));
    // The track runs from near the start to near the goal.
    EXPECT_NEAR(tracks[i]->points.front().x, 15, 1.5);
    EXPECT_NEAR(tracks[i]->points.back().x, 25, 1.5);
  }
  // The plan as the route: one yellow line from (15, 20) to (25, 20).
  const auto route = std::find_if(scene.lines.begin(), scene.lines.end(), [](const Polyline& p) {
    return p.layer == Layer::kRoute && SameColor(p.color, kRouteColor) && p.width_px == 3;
  });
  ASSERT_NE(route, scene.lines.end());
  EXPECT_NEAR(route->points.front().x, 15, 1e-3);
  EXPECT_NEAR(route->points.back().x, 25, 1e-3);
  // One leg, entered by both trials, failed by none: light blue (p_fail 0).
  ASSERT_EQ(page.legs.size(), 1u);
  EXPECT_EQ(page.legs[0].entered, 2);
  EXPECT_EQ(page.legs[0].p_fail, 0.0);
  const int legs = static_cast<int>(
      std::count_if(scene.lines.begin(), scene.lines.end(), [&](const Polyline& p) {
        return p.layer == Layer::kRoute && p.width_px == 12 &&
               SameColor(p.color, LegColor(page.legs[0]));
      }));
  EXPECT_EQ(legs, 1);
  EXPECT_TRUE(SameColor(LegColor(page.legs[0]), Rgb8(150, 210, 255)));
}

TEST_F(CheckScene, OutcomeAndRiskColoursAreCheckHtmls) {
  EXPECT_TRUE(SameColor(TrialTrackColor(check::TrialKind::kFailed), Rgb8(245, 140, 0)));
  EXPECT_TRUE(SameColor(TrialTrackColor(check::TrialKind::kSevere), Rgb8(215, 25, 28)));
  check::PageLeg leg;
  leg.entered = 0;
  EXPECT_TRUE(SameColor(LegColor(leg), Rgb8(160, 160, 160)));  // no trial got there
  leg.entered = 4, leg.p_fail = 1;
  EXPECT_TRUE(SameColor(LegColor(leg), Rgb8(90, 0, 140)));
}

TEST_F(CheckScene, SelectingHighlightsAndOpeningReplaysTheTrial) {
  Scene scene = BuildCheckScene(LoadCheckData(check_dir_), SceneOptions{});
  EXPECT_EQ(scene.check->opened, 0);
  const std::vector<check::PageTrial>& trials = scene.check->data.page.trials;
  EXPECT_EQ(scene.run.dir, scene.check->data.dir / trials[0].dir);
  auto outlines = [&] {
    return std::count_if(scene.lines.begin(), scene.lines.end(), [](const Polyline& p) {
      return p.layer == Layer::kTrials && SameColor(p.color, Rgb8(255, 255, 255));
    });
  };
  EXPECT_EQ(outlines(), 0);  // control: nothing highlighted yet
  SelectTrial(scene, 1);
  EXPECT_EQ(outlines(), 1);
  EXPECT_EQ(TrialTracks(scene).back()->width_px, 5.0f);  // the selected one, drawn last
  OpenTrial(scene, 1);
  EXPECT_EQ(scene.check->opened, 1);
  EXPECT_EQ(scene.run.dir, scene.check->data.dir / trials[1].dir);
  const sim::Telemetry telemetry = sim::ReadTelemetryCsv(scene.run.dir / "telemetry.csv");
  ASSERT_EQ(scene.run.telemetry.size(), telemetry.size());
  EXPECT_EQ(scene.t_end_s, telemetry.back().time_s);
  EXPECT_FALSE(scene.ribbons.empty());  // its wheel tracks
  EXPECT_TRUE(scene.run.metrics.is_object());
  EXPECT_EQ(TrialTracks(scene).size(), 2u);  // the other trials stay drawn
}

// A trial whose telemetry is gone (as an error trial has none): its track is left out with a
// note, and opening it parks the rover at the start and says why.
TEST_F(CheckScene, ATrialWithoutTelemetryOpensAtTheStart) {
  testing::TempDir tmp("viewer-check-notel");
  fs::create_directories(tmp / "check");
  fs::copy(check_dir_, tmp / "check", fs::copy_options::recursive);
  fs::create_directory_symlink(check_dir_.parent_path() / testing::kSampleCheckTerrain,
                               tmp / testing::kSampleCheckTerrain);  // found beside the copy
  const CheckData intact = LoadCheckData(tmp / "check");
  const std::string dir = intact.page.trials[1].dir;
  ASSERT_TRUE(intact.tracks[1].note.empty());  // control: readable before
  fs::remove(tmp / "check" / dir / "telemetry.csv");
  Scene scene = BuildCheckScene(LoadCheckData(tmp / "check"), SceneOptions{});
  EXPECT_THAT(scene.check->data.tracks[1].note, HasSubstr("telemetry.csv"));
  EXPECT_EQ(TrialTracks(scene).size(), 1u);
  OpenTrial(scene, 1);
  ASSERT_EQ(scene.run.telemetry.size(), 1u);
  EXPECT_EQ(scene.run.telemetry[0].position_map_m[0], scene.check->data.page.start.x_m);
  EXPECT_THAT(scene.run.record.reason, HasSubstr("telemetry.csv"));
  EXPECT_TRUE(scene.ribbons.empty());
}

// A copy of the sample check whose check.json is edited by `edit`.
fs::path EditedCopy(const fs::path& from, const fs::path& to,
                    const std::function<void(nlohmann::ordered_json&)>& edit) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
  std::ifstream in(to / "check.json");
  nlohmann::ordered_json check = nlohmann::ordered_json::parse(in);
  edit(check);
  std::ofstream(to / "check.json") << check.dump(1);
  return to;
}

std::string LoadError(const fs::path& dir) {
  try {
    (void)LoadCheckData(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(CheckScene, ErrorsNameCheckJsonAndTheField) {
  testing::TempDir tmp("viewer-check");
  const fs::path no_field = EditedCopy(check_dir_, tmp / "a" / "check",
                                       [](auto& j) { j["inputs"].erase("orbital_dir"); });
  EXPECT_THAT(LoadError(no_field), HasSubstr("check.json: inputs.orbital_dir: missing"));
  // Relative and found neither from here nor beside the check (tmp/b has no terrain).
  const fs::path gone = EditedCopy(check_dir_, tmp / "b" / "check", [](auto& j) {
    j["inputs"]["orbital_dir"] = "viewer-check-terrain";
  });
  EXPECT_THAT(LoadError(gone), HasSubstr("check.json: inputs.orbital_dir: 'viewer-check-terrain'"));
  // Control: the same relative name resolves beside the sample check.
  EXPECT_NO_THROW((void)LoadCheckData(check_dir_));
  const fs::path bad_trial = EditedCopy(check_dir_, tmp / "c" / "check",
                                        [](auto& j) { j["trials"][1]["goal_reached"] = "yes"; });
  EXPECT_THAT(LoadError(bad_trial), HasSubstr("check.json: trials[1].goal_reached"));
  std::ofstream(tmp / "c" / "check" / "check.json") << "{\"schema\": \"marsdrive/check/1\",";
  EXPECT_THAT(LoadError(tmp / "c" / "check"), HasSubstr("check.json"));
}

}  // namespace
}  // namespace marsdrive::viewer

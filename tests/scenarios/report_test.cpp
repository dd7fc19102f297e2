// The HTML report of a small results directory: one self-contained file naming every planner,
// scenario and failure reason, whose map shows each planner's track in its colour exactly where
// the track's map coordinates project.

#include "scenarios/report.h"

#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/base64.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/report_map.h"
#include "sim/telemetry_csv.h"
#include "terrain/orbital.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_dir.h"
#include "tests/scenarios/results_test_util.h"
#include "tests/util/command.h"

namespace marsdrive::scenarios {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunSpec;

// A straight drive east along y = y_m from x = 5 to x = 35.
sim::Telemetry StraightTrack(double y_m) {
  sim::Telemetry t;
  for (int i = 0; i <= 150; ++i) {
    sim::TelemetrySample s;
    s.time_s = 0.2 * i;
    s.position_map_m = {5 + 0.2 * i, y_m, 0};
    s.odometry_position_map_m = {5 + 0.2 * i, y_m};
    s.truth_distance_m = s.odometry_distance_m = 0.2 * i;
    s.tilt_rad = 0.02 * std::sin(0.1 * i);
    s.command = sim::CommandKind::kStraight;
    s.command_index = 0;
    t.push_back(s);
  }
  return t;
}

// results/: terrain/ (flat 40 m x 20 m) and runs of two scenarios.
class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    terrain::GenerateRequest request;
    request.preset = "flat";
    request.size_x_m = 40, request.size_y_m = 20, request.resolution_m = 0.1;
    const terrain::TerrainTruth truth = terrain::GenerateTerrain(request);
    terrain::WriteTerrainDir(dir_ / "terrain", truth, terrain::MakeOrbitalProducts(truth, {}));

    RunSpec astar;
    astar.scenario = "east", astar.planner = "astar";
    astar.hazards[0] = 1;  // a body contact at (20, 10)
    AddRun(astar, 10.0, {{5, 10}, {20, 10}, {35, 10}});
    RunSpec scripted = astar;
    scripted.planner = "scripted";
    scripted.hazards = {};
    AddRun(scripted, 14.0, {{5, 10}, {20, 14}, {35, 14}});
    RunSpec failed = scripted;
    failed.planner = "rrtstar";
    failed.status = RunStatus::kFailed;
    failed.failure = "plan";
    failed.reason = "no route: blocked by <rocks> & dunes";
    AddRun(failed, 0, {});
    RunSpec skipped = scripted;
    skipped.scenario = "west";
    skipped.status = RunStatus::kSkipped;
    skipped.reason = "not in this shard";
    AddRun(skipped, 0, {});
    results_.suite = "report-suite";
  }

  void AddRun(const RunSpec& spec, double track_y_m, const std::vector<planners::Point2>& plan) {
    RunEntry e;
    e.record = testing::MakeRecord(spec);
    e.record.goal = {35, track_y_m, 1};
    e.dir = "runs/" + e.record.id;
    e.index = results_.runs.size();
    const fs::path run_dir = dir_ / e.dir;
    fs::create_directories(run_dir);
    if (spec.status != RunStatus::kSkipped) e.record.terrain_dir = "../../../../terrain";
    if (spec.status == RunStatus::kOk) {
      sim::WriteTelemetryCsv(run_dir / "telemetry.csv", StraightTrack(track_y_m));
      planners::PlanResult result;
      result.status = planners::PlanStatus::kExact;
      result.waypoints = plan;
      WriteTextFile(run_dir / "plan.json", planners::PlanResultToJsonText(result));
    }
    results_.runs.push_back(std::move(e));
  }

  testing::TempDir dir_{"report"};
  SuiteResults results_;
};

// The value of attribute `name` in the tag starting at `tag`.
std::string Attribute(const std::string& html, std::size_t tag, const std::string& name) {
  const std::size_t end = html.find('>', tag);
  const std::size_t at = html.find(" " + name + "=\"", tag);
  if (at == std::string::npos || at > end) return "";
  const std::size_t from = at + name.size() + 3;
  return html.substr(from, html.find('"', from) - from);
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(Report, IsOneSelfContainedPageNamingEveryRun) {
  const fs::path path = WriteReport(dir_.path(), results_);
  EXPECT_EQ(path, dir_ / "report.html");
  const std::string html = testing::ReadWholeFile(path);
  ASSERT_FALSE(html.empty());
  EXPECT_LT(html.size(), 5u << 20);
  for (const char* name : {"astar", "scripted", "rrtstar", "east", "west"}) {
    EXPECT_THAT(html, HasSubstr(name));
  }
  EXPECT_THAT(html, HasSubstr("no route: blocked by &lt;rocks&gt; &amp; dunes"));
  EXPECT_THAT(html, HasSubstr("not in this shard"));
  EXPECT_THAT(html, Not(HasSubstr("<rocks>")));
  // Self-contained: the one image is embedded, nothing is fetched.
  EXPECT_THAT(html, HasSubstr("<img class=\"map\""));
  EXPECT_EQ(Count(html, "src=\""), Count(html, "src=\"data:image/png;base64,"));
  EXPECT_EQ(Count(html, "<img"), 1);  // west has no drive and no terrain: a note instead
  EXPECT_THAT(html, HasSubstr("map unavailable"));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("file://")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  // Plots: one polyline per driven run, in the planner's colour.
  EXPECT_THAT(html, HasSubstr("<polyline fill=\"none\" stroke=\"#1f77b4\""));
  EXPECT_EQ(Count(html, "<svg"), 3);
}

TEST_F(Report, MapShowsEachTrackInItsPlannersColour) {
  const std::string html = testing::ReadWholeFile(WriteReport(dir_.path(), results_));
  const std::size_t img = html.find("<img class=\"map\"");
  ASSERT_NE(img, std::string::npos);
  const std::string src = Attribute(html, img, "src");
  const std::string prefix = "data:image/png;base64,";
  ASSERT_EQ(src.rfind(prefix, 0), 0u);
  const auto png = marsdrive::Base64Decode(src.substr(prefix.size()));
  ASSERT_TRUE(png.has_value());
  const cv::Mat bgr = cv::imdecode(*png, cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty());
  EXPECT_LE(std::max(bgr.cols, bgr.rows), 800);

  const double min_x = std::stod(Attribute(html, img, "data-min-x-m"));
  const double max_y = std::stod(Attribute(html, img, "data-max-y-m"));
  const double mpp = std::stod(Attribute(html, img, "data-metres-per-px"));
  const int left = std::stoi(Attribute(html, img, "data-map-left-px"));
  const int top = std::stoi(Attribute(html, img, "data-map-top-px"));
  const auto color_at = [&](double x, double y) {
    const int u = static_cast<int>(std::lround(left + (x - min_x) / mpp - 0.5));
    const int v = static_cast<int>(std::lround(top + (max_y - y) / mpp - 0.5));
    const cv::Vec3b c = bgr.at<cv::Vec3b>(v, u);
    return MapColor{c[2], c[1], c[0]};
  };
  EXPECT_EQ(color_at(30, 10), PlannerColor(0));  // astar, first planner
  EXPECT_EQ(color_at(30, 14), PlannerColor(1));  // scripted
  // Controls: off the tracks neither colour appears.
  EXPECT_NE(color_at(30, 5), PlannerColor(0));
  EXPECT_NE(color_at(30, 5), PlannerColor(1));
  EXPECT_NE(color_at(12, 17), PlannerColor(1));
  EXPECT_EQ(color_at(20, 10), kHazardColor);  // astar's body contact
}

TEST_F(Report, MissingRunFilesBecomeNotes) {
  fs::remove(dir_ / results_.runs[1].dir / "telemetry.csv");
  const std::string html = ReportHtml(dir_.path(), results_);
  EXPECT_THAT(html, HasSubstr("telemetry.csv"));
  EXPECT_EQ(Count(html, "<img"), 1);  // the map is still drawn
}

}  // namespace
}  // namespace marsdrive::scenarios

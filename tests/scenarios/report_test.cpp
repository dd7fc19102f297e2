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

RunCheck Check(double p_goal, const std::string& verdict) {
  return {.trials = 20,
          .goal_count = static_cast<int>(p_goal * 20),
          .p_goal = p_goal,
          .verdict = verdict,
          .dir = "check"};
}

// Checked plans: astar in two bins (0.9 twice, 0.3 once), scripted in one.
TEST_F(Report, CalibrationSectionDrawsAReliabilityDiagramPerCheckedPlanner) {
  RunSpec astar;
  astar.scenario = "east", astar.planner = "astar";
  for (const std::uint64_t seed : {2, 3}) {
    astar.seed = seed;
    astar.goal_reached = seed == 2;
    AddRun(astar, 10.0, {{5, 10}, {35, 10}});
  }
  results_.runs[0].record.check = Check(0.9, "go");
  results_.runs[1].record.check = Check(0.3, "no_go");
  results_.runs[4].record.check = Check(0.95, "go");
  results_.runs[5].record.check = Check(0.3, "no_go");
  results_.runs[5].record.check->dir = "twin";
  const std::string html = ReportHtml(dir_.path(), results_);

  EXPECT_THAT(html, HasSubstr("<h2>Digital-twin calibration</h2>"));
  EXPECT_EQ(Count(html, "<svg class=\"plot reliability\""), 2);  // astar and scripted
  EXPECT_EQ(Count(html, "class=\"diagonal\""), 2);
  EXPECT_EQ(Count(html, "<title>perfectly calibrated</title>"), 2);
  EXPECT_EQ(Count(html, "<circle class=\"bin\""), 3);  // one per non-empty bin
  EXPECT_EQ(Count(html, "fill=\"#1f77b4\""), 2);       // astar's colour: its two bins
  EXPECT_EQ(Count(html, "fill=\"#ff7f0e\""), 1);       // scripted's
  EXPECT_THAT(html, HasSubstr(">n=2</text>"));         // astar's [0.9, 1] bin
  EXPECT_EQ(Count(html, ">n=1</text>"), 2);
  // The table: astar 3 checked, go 2 with none failed, no_go 1 that did not succeed.
  EXPECT_THAT(html, HasSubstr("astar</td><td>3</td><td>"));
  EXPECT_THAT(html, HasSubstr("<td>2</td><td>0</td><td>0.000</td><td>0</td><td>1</td><td>0</td>"
                              "<td>0.000</td></tr>"));
  // Per run: the verdict and p_goal, linked to the run's check.html.
  EXPECT_THAT(html, HasSubstr("<th class=\"l\">plan check</th>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"" + results_.runs[0].dir +
                              "/check/check.html\"><b style=\"color:#1a9850\">go</b> p_goal 0.90 "
                              "(18/20)</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"" + results_.runs[5].dir + "/twin/check.html\">"));
  EXPECT_EQ(Count(html, "/check.html\">"), 4);
}

TEST_F(Report, CalibrationTextIsEscaped) {
  results_.runs[0].record.planner_label = "astar <&> co";
  results_.runs[0].record.check = Check(0.9, "go");
  results_.runs[0].dir = "runs/x\"y";
  const std::string html = ReportHtml(dir_.path(), results_);
  EXPECT_THAT(html, HasSubstr("class=\"title\">astar &lt;&amp;&gt; co</text>"));
  EXPECT_THAT(html, Not(HasSubstr("astar <&> co")));
  EXPECT_THAT(html, HasSubstr("href=\"runs/x&quot;y/check/check.html\""));
}

TEST_F(Report, RunDirWithASchemeIsNotLinked) {
  results_.runs[0].record.check = Check(0.9, "go");
  results_.runs[0].dir = "javascript:alert(1)";
  const std::string html = ReportHtml(dir_.path(), results_);
  EXPECT_THAT(html, HasSubstr("<b style=\"color:#1a9850\">go</b> p_goal 0.90"));  // still shown
  EXPECT_THAT(html, Not(HasSubstr("href=\"javascript")));
}

// Control: without checks the report has neither the section nor the column nor a link.
TEST_F(Report, WithoutChecksNoCalibrationSection) {
  const std::string html = ReportHtml(dir_.path(), results_);
  EXPECT_THAT(html, Not(HasSubstr("Digital-twin calibration")));
  EXPECT_THAT(html, Not(HasSubstr("plan check")));
  EXPECT_THAT(html, Not(HasSubstr("check.html")));
  EXPECT_THAT(html, Not(HasSubstr("reliability")));
}

}  // namespace
}  // namespace marsdrive::scenarios

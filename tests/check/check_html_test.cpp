// check.html from a hand-made check.json and three trials on a flat 40 m x 20 m map: one that
// reached the goal (along y = 5), one with a severe body contact (along y = 15) and one whose
// telemetry is missing. The page names the verdict and escapes every text from the record, and
// its map paints each track in its outcome's colour exactly where the track projects.

#include "scenarios/check/check_html.h"

#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "base/check.h"
#include "io/base64.h"
#include "scenarios/check/check_map.h"
#include "scenarios/report_map.h"
#include "sim/telemetry_csv.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"
#include "tests/util/command.h"

namespace marsdrive::check {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using ::testing::HasSubstr;
using ::testing::Not;

// A straight drive east along y = y_m from x = 5 to x = 35.
sim::Telemetry StraightTrack(double y_m) {
  sim::Telemetry t;
  for (int i = 0; i <= 150; ++i) {
    sim::TelemetrySample s;
    s.time_s = 0.2 * i;
    s.position_map_m = {5 + 0.2 * i, y_m, 0};
    s.odometry_position_map_m = {5 + 0.2 * i, y_m};
    s.truth_distance_m = s.odometry_distance_m = 0.2 * i;
    s.command = sim::CommandKind::kStraight;
    t.push_back(s);
  }
  return t;
}

Json Proportion(int count, int trials, double lo, double hi) {
  return {{"p", static_cast<double>(count) / trials},
          {"count", count},
          {"trials", trials},
          {"ci95", {lo, hi}}};
}

Json Trial(int index, const std::string& status, bool goal, const Json& failure, double fx,
           double fy, const Json& hazards) {
  char dir[32];
  std::snprintf(dir, sizeof dir, "trials/trial-%03d", index);
  return {{"index", index},
          {"seed", 100 + index},
          {"dir", dir},
          {"status", status},
          {"reason", "ended <here> & there"},
          {"goal_reached", goal},
          {"distance_m", 30.0},
          {"slip_p95", 0.1 * index},
          {"tilt_max_deg", 2.0 * index},
          {"min_clearance_m", nullptr},
          {"energy_J", 1000.0},
          {"time_s", 30.0 * index},
          {"hazards", hazards},
          {"keep_outs_entered", Json::array()},
          {"failure", failure},
          {"failure_at", {{"x", fx}, {"y", fy}}}};
}

Json Point(double x, double y) { return {{"x", x}, {"y", y}}; }

Json MakeCheck() {
  Json j;
  j["schema"] = "marsdrive/check/1";
  j["verdict"] = "no_go";
  j["reasons"] = {"p_goal 0.33 below 0.60 <no_go.p_goal_below> & more", "p_severe 0.33 above"};
  j["p_goal"] = Proportion(1, 3, 0.06, 0.79);
  j["p_hazard"] = {{"body_contact", Proportion(1, 3, 0.06, 0.79)},
                   {"severe", Proportion(1, 3, 0.06, 0.79)}};
  j["slip_limit"] = 0.4;
  j["legs"] = {{{"from", Point(5, 10)},
                {"to", Point(20, 10)},
                {"entered", 3},
                {"failures", 0},
                {"p_fail", 0.0},
                {"main_failure", nullptr}},
               {{"from", Point(20, 10)},
                {"to", Point(35, 10)},
                {"entered", 3},
                {"failures", 2},
                {"p_fail", 2.0 / 3},
                {"main_failure", "body_contact"}}};
  j["trials"] = {Trial(1, "completed", true, nullptr, 35, 5, Json::object()),
                 Trial(2, "completed", false, "body_contact", 20, 15, {{"body_contact", 1}}),
                 Trial(3, "stuck", false, "stuck", 30, 10, Json::object())};
  j["rules"] = {{"source", "bundled <rules>"}};
  j["inputs"] = {{"orbital_dir", "terrain/a&b"},
                 {"plan", "plan.json"},
                 {"start", {{"x", 5.0}, {"y", 10.0}, {"yaw_deg", 0.0}}},
                 {"goal", {{"x", 35.0}, {"y", 10.0}, {"tolerance_m", 1.0}}},
                 {"plan_points", {Point(5, 10), Point(20, 10), Point(35, 10)}},
                 {"keep_outs", Json::array()},
                 {"trials", 3},
                 {"seed", 7}};
  return j;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The value of attribute `name` in the tag starting at `tag`.
std::string Attribute(const std::string& html, std::size_t tag, const std::string& name) {
  const std::size_t end = html.find('>', tag);
  const std::size_t at = html.find(" " + name + "=\"", tag);
  if (at == std::string::npos || at > end) return "";
  const std::size_t from = at + name.size() + 3;
  return html.substr(from, html.find('"', from) - from);
}

class CheckHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    terrain::GenerateRequest request;
    request.preset = "flat";
    request.size_x_m = 40, request.size_y_m = 20, request.resolution_m = 0.1;
    orbital_ = terrain::MakeOrbitalProducts(terrain::GenerateTerrain(request), {});
    for (const char* trial : {"trial-001", "trial-002", "trial-003"}) {
      fs::create_directories(dir_ / "trials" / trial);
    }
    sim::WriteTelemetryCsv(dir_ / "trials/trial-001/telemetry.csv", StraightTrack(5));
    sim::WriteTelemetryCsv(dir_ / "trials/trial-002/telemetry.csv", StraightTrack(15));
    // trial-003 has no telemetry.csv.
  }

  std::string Write(const Json& check) {
    WriteCheckHtml(dir_.path(), orbital_, check);
    return testing::ReadWholeFile(dir_ / "check.html");
  }

  testing::TempDir dir_{"check_html"};
  terrain::OrbitalProducts orbital_;
};

TEST_F(CheckHtml, ShowsVerdictReasonsLegsAndPlotsEscaped) {
  const std::string html = Write(MakeCheck());
  ASSERT_FALSE(html.empty());
  EXPECT_THAT(html, HasSubstr("class=\"verdict v-no_go\">no_go</span>"));
  EXPECT_THAT(html, HasSubstr("p_goal 0.33 below 0.60 &lt;no_go.p_goal_below&gt; &amp; more"));
  EXPECT_THAT(html, Not(HasSubstr("<no_go.p_goal_below>")));
  EXPECT_THAT(html, HasSubstr("ended &lt;here&gt; &amp; there"));
  EXPECT_THAT(html, HasSubstr("bundled &lt;rules&gt;"));
  EXPECT_THAT(html, HasSubstr("terrain/a&amp;b"));
  EXPECT_THAT(html, Not(HasSubstr("<here>")));
  EXPECT_THAT(html, HasSubstr("0.06\u20130.79"));  // p_goal's interval
  // Self-contained: one embedded image, nothing fetched.
  EXPECT_EQ(Count(html, "data:image/png;base64,"), 1);
  EXPECT_EQ(Count(html, "src=\""), 1);
  EXPECT_THAT(html, Not(HasSubstr("http")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  // Legs in plan order, the second (p_fail 0.67) the worst.
  EXPECT_EQ(Count(html, "<tr class=\"leg\">"), 1);
  EXPECT_EQ(Count(html, "<tr class=\"worst\">"), 1);
  EXPECT_LT(html.find("<tr class=\"leg\">"), html.find("<tr class=\"worst\">"));
  EXPECT_THAT(html, HasSubstr("<td>0.67</td><td class=\"l\">body_contact</td>"));
  // Three distributions, the slip one with the slip limit.
  EXPECT_EQ(Count(html, "<svg"), 3);
  EXPECT_EQ(Count(html, "class=\"limit\""), 1);
  EXPECT_THAT(html, HasSubstr("<a href=\"trials/trial-002/\">"));
}

TEST_F(CheckHtml, MapColoursEachTrackByItsOutcome) {
  const std::string html = Write(MakeCheck());
  const std::size_t img = html.find("<img class=\"map\"");
  ASSERT_NE(img, std::string::npos);
  const std::string src = Attribute(html, img, "src");
  const std::string prefix = "data:image/png;base64,";
  ASSERT_EQ(src.rfind(prefix, 0), 0u);
  const auto png = Base64Decode(src.substr(prefix.size()));
  ASSERT_TRUE(png.has_value());
  const cv::Mat bgr = cv::imdecode(*png, cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty());

  const double min_x = std::stod(Attribute(html, img, "data-min-x-m"));
  const double max_y = std::stod(Attribute(html, img, "data-max-y-m"));
  const double mpp = std::stod(Attribute(html, img, "data-metres-per-px"));
  const int left = std::stoi(Attribute(html, img, "data-map-left-px"));
  const int top = std::stoi(Attribute(html, img, "data-map-top-px"));
  const auto color_at = [&](double x, double y, int dv = 0) {
    const int u = static_cast<int>(std::lround(left + (x - min_x) / mpp - 0.5));
    const int v = static_cast<int>(std::lround(top + (max_y - y) / mpp - 0.5)) + dv;
    const cv::Vec3b c = bgr.at<cv::Vec3b>(v, u);
    return planners::Rgb{c[2], c[1], c[0]};
  };
  EXPECT_EQ(color_at(28, 5), kGoalTrackColor);           // trial 1 reached the goal
  EXPECT_EQ(color_at(28, 15), kSevereTrackColor);        // trial 2 had a body contact
  EXPECT_EQ(color_at(20, 15), scenarios::kHazardColor);  // ... where it failed
  // Controls: away from the tracks neither colour appears.
  EXPECT_NE(color_at(28, 2), kGoalTrackColor);
  EXPECT_NE(color_at(28, 18), kSevereTrackColor);
  // Each leg's band in its p_fail's colour, beside the plan's thin line along y = 10.
  EXPECT_EQ(color_at(12, 10, 3), LegRiskColor(0.0));
  EXPECT_EQ(color_at(28, 10, 3), LegRiskColor(2.0 / 3));
  EXPECT_NE(LegRiskColor(0.0), LegRiskColor(2.0 / 3));
}

// The image's PNG bytes (base64 text), for comparing two maps.
std::string MapSource(const std::string& html) {
  const std::size_t img = html.find("<img class=\"map\"");
  return img == std::string::npos ? "" : Attribute(html, img, "src");
}

TEST_F(CheckHtml, DrawsKeepOutPolygonsFromTheRecord) {
  const std::string without = Write(MakeCheck());
  Json check = MakeCheck();
  check["inputs"]["keep_outs"] = {"dune <field>"};
  check["inputs"]["keep_out_polygons"] = {
      {{"name", "dune <field>"}, {"polygon", {Point(24, 12), Point(30, 12), Point(27, 17)}}}};
  const std::string with = Write(check);
  EXPECT_THAT(with, HasSubstr("dune &lt;field&gt;"));
  EXPECT_THAT(without, HasSubstr("<td class=\"l\">none</td>"));
  ASSERT_FALSE(MapSource(with).empty());
  EXPECT_NE(MapSource(with), MapSource(without));
  // Control: the names alone (an older check.json) list the zone but draw nothing.
  check["inputs"].erase("keep_out_polygons");
  const std::string names_only = Write(check);
  EXPECT_THAT(names_only, HasSubstr("dune &lt;field&gt;"));
  EXPECT_EQ(MapSource(names_only), MapSource(without));
}

TEST_F(CheckHtml, MissingTelemetryIsReportedNotThrown) {
  const std::string html = Write(MakeCheck());
  EXPECT_EQ(Count(html, "track missing"), 1);
  EXPECT_THAT(html, HasSubstr("trial 3: track missing"));
  EXPECT_THAT(html, HasSubstr("trial-003/telemetry.csv"));
  EXPECT_THAT(html, Not(HasSubstr("trial 1: track missing")));
}

TEST_F(CheckHtml, SameInputsGiveTheSameBytes) {
  const std::string first = Write(MakeCheck());
  const std::string second = Write(MakeCheck());
  EXPECT_EQ(first, second);
  Json other = MakeCheck();
  other["verdict"] = "go";
  EXPECT_NE(Write(other), first);  // control: the page does depend on the record
}

TEST_F(CheckHtml, MalformedRecordNamesFileAndField) {
  Json check = MakeCheck();
  check["trials"][1].erase("status");
  try {
    WriteCheckHtml(dir_.path(), orbital_, check);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("check.json: trials[1].status: missing"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "check.html"));
}

TEST_F(CheckHtml, TrialDirectoryOutsideTheOutputIsNotRead) {
  Json check = MakeCheck();
  check["trials"][0]["dir"] = "../elsewhere";
  const std::string html = Write(check);
  EXPECT_THAT(html, HasSubstr("trial 1: track missing: trial directory"));
}

}  // namespace
}  // namespace marsdrive::check

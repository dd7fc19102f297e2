// Routes for other tools: GeoJSON that LoadWaypointFile reads back, the XML route document,
// and plan.json's rationale and transcript (written only when a planner gives them).

#include "planners/route_export.h"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "planners/plan_json.h"
#include "planners/route_files.h"
#include "tests/util/command.h"

namespace marsdrive::planners {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

PlanResult SampleResult() {
  PlanResult result;
  result.status = PlanStatus::kExact;
  result.planner = "vlm";
  result.waypoints = {{5, 5}, {15.25, 5}, {20, 12.125}};
  result.rationale = {"", "along the <flat> \"floor\" & away", "up the ramp"};
  result.transcript = {{"system", "You plan."}, {"user", "Plan."}, {"assistant", "{}"}};
  return result;
}

PlanProblem SampleProblem() {
  PlanProblem problem;
  problem.start = {5, 5, 0};
  problem.goal = {20, 12, 1.5};
  return problem;
}

TEST(RouteExport, GeoJsonReadsBackAsTheSameWaypoints) {
  const testing::TempDir dir("route-export");
  const auto path = dir / "route.geojson";
  std::ofstream(path) << RouteGeoJsonText(SampleResult(), "/data/t");
  EXPECT_EQ(LoadWaypointFile(path), SampleResult().waypoints);
  const Json doc = Json::parse(testing::ReadWholeFile(path));
  EXPECT_EQ(doc["type"], "FeatureCollection");
  ASSERT_EQ(doc["features"].size(), 4u);  // the line, then one point per waypoint
  EXPECT_EQ(doc["features"][0]["properties"]["status"], "exact");
  EXPECT_EQ(doc["features"][2]["properties"]["index"], 1);
  EXPECT_EQ(doc["features"][2]["properties"]["rationale"], SampleResult().rationale[1]);
  EXPECT_FALSE(doc["features"][1]["properties"].contains("rationale"));
}

TEST(RouteExport, XmlHasOneStepPerLegWithEscapedText) {
  const std::string xml = RouteXmlText(SampleResult(), SampleProblem(), "/data/t");
  EXPECT_THAT(xml, HasSubstr("<route_sequence schema=\"marsdrive/route-xml/1\" planner=\"vlm\" "
                             "status=\"exact\" frame=\"map_enu\" units=\"m\""));
  EXPECT_THAT(xml, HasSubstr("<start x=\"5\" y=\"5\" yaw_deg=\"0\"/>"));
  EXPECT_THAT(xml, HasSubstr("<goal x=\"20\" y=\"12\" tolerance_m=\"1.5\"/>"));
  EXPECT_THAT(xml, HasSubstr("<steps count=\"2\">"));
  EXPECT_THAT(xml, HasSubstr("<step seq=\"1\" command=\"GOTO_WAYPOINT\" x=\"15.25\" y=\"5\" "
                             "leg_m=\"10.25\">"));
  EXPECT_THAT(xml, HasSubstr("<step seq=\"2\" command=\"GOTO_WAYPOINT\" x=\"20\" y=\"12.125\""));
  EXPECT_THAT(xml, HasSubstr("along the &lt;flat&gt; &quot;floor&quot; &amp; away"));
  EXPECT_THAT(xml, Not(HasSubstr("<flat>")));
  EXPECT_THAT(xml, HasSubstr("</route_sequence>\n"));
  // A failed plan: no steps, the reason kept.
  PlanResult failed;
  failed.status = PlanStatus::kCrash;
  failed.reason = "vlm round 1: authentication failed";
  const std::string none = RouteXmlText(failed, SampleProblem(), "/data/t");
  EXPECT_THAT(none, HasSubstr("<steps count=\"0\">"));
  EXPECT_THAT(none, HasSubstr("<reason>vlm round 1: authentication failed</reason>"));
}

TEST(PlanJsonModelFields, RationaleAndTranscriptRoundTrip) {
  const PlanResult result = SampleResult();
  const PlanResult back = ParsePlanResult(PlanResultToJsonText(result), "plan.json");
  EXPECT_EQ(back.rationale, result.rationale);
  EXPECT_EQ(back.transcript, result.transcript);
  EXPECT_EQ(PlanResultToJsonText(back), PlanResultToJsonText(result));
}

TEST(PlanJsonModelFields, AbsentForOtherPlanners) {  // their plan.json is unchanged
  PlanResult result = SampleResult();
  result.rationale.clear();
  result.transcript.clear();
  const std::string text = PlanResultToJsonText(result);
  EXPECT_THAT(text, Not(HasSubstr("rationale")));
  EXPECT_THAT(text, Not(HasSubstr("transcript")));
  EXPECT_THAT(PlanResultToJsonText(SampleResult()), HasSubstr("\"transcript\""));
}

}  // namespace
}  // namespace marsdrive::planners

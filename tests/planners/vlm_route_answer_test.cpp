// Reading a model's route answer: exactly one JSON object, wherever it sits in the text, with
// waypoints of numeric x and y; everything else is an error message, never an exception.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planners/vlm/route_answer.h"

namespace marsdrive::planners::vlm {
namespace {

using ::testing::HasSubstr;

constexpr const char* kRoute =
    R"({"waypoints": [{"x": 10, "y": 2.5, "rationale": "flat"}, {"x": -3e1, "y": 4}]})";

TEST(ExtractJsonObject, FindsTheOneObjectWhereverItIs) {
  std::string why;
  const std::string object = R"({"a": "brace } in a string", "b": {"c": 1}})";
  for (const std::string& text :
       {object, "  \n" + object + "\n", "```json\n" + object + "\n```",
        "Here you go:\n```\n" + object + "\n```\nDrive safely {mind the ripples}.",
        "The route is " + object + " as discussed."}) {
    SCOPED_TRACE(text);
    const auto found = ExtractJsonObject(text, why);
    ASSERT_TRUE(found.has_value()) << why;
    EXPECT_EQ(*found, object);
  }
}

TEST(ExtractJsonObject, NoneSeveralOrBrokenIsAnError) {
  std::string why;
  EXPECT_FALSE(ExtractJsonObject("", why));
  EXPECT_THAT(why, HasSubstr("empty"));
  EXPECT_FALSE(ExtractJsonObject("Drive north-east, then east.", why));
  EXPECT_THAT(why, HasSubstr("no JSON object in the answer (it begins \"Drive north-east"));
  EXPECT_FALSE(ExtractJsonObject(R"(A: {"x": 1} or B: {"x": 2})", why));
  EXPECT_THAT(why, HasSubstr("2 JSON objects; expected exactly one"));
  EXPECT_FALSE(ExtractJsonObject(R"({"waypoints": [{"x": 1,}]})", why));
  EXPECT_THAT(why, HasSubstr("no valid JSON object"));
  EXPECT_FALSE(ExtractJsonObject("[1, 2, 3]", why));  // an array is not the answer object
}

TEST(ParseRouteAnswer, ReadsWaypointsAndRationale) {
  const RouteAnswer answer = ParseRouteAnswer(kRoute, "");
  ASSERT_TRUE(answer.ok()) << answer.error;
  ASSERT_EQ(answer.waypoints.size(), 2u);
  EXPECT_EQ(answer.waypoints[0].position, (Point2{10, 2.5}));
  EXPECT_EQ(answer.waypoints[0].rationale, "flat");
  EXPECT_EQ(answer.waypoints[1].position, (Point2{-30, 4}));
  EXPECT_EQ(answer.waypoints[1].rationale, "");
}

TEST(ParseRouteAnswer, PrefersTheStructuredAnswer) {
  const RouteAnswer answer = ParseRouteAnswer("I used the tool.", kRoute);
  ASSERT_TRUE(answer.ok()) << answer.error;
  EXPECT_EQ(answer.waypoints.size(), 2u);
}

TEST(ParseRouteAnswer, RejectsWrongShapesNamingTheItem) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {R"({"route": []})", "no \"waypoints\" key"},
      {R"({"waypoints": {"x": 1}})", "\"waypoints\" is not a list"},
      {R"({"waypoints": []})", "\"waypoints\" is empty"},
      {R"({"waypoints": [[1, 2]]})", "waypoints[0] is not an object"},
      {R"({"waypoints": [{"x": 1, "y": 2}, {"y": 2}]})", "waypoints[1] has no \"x\""},
      {R"({"waypoints": [{"x": "12.5", "y": 2}]})",
       "waypoints[0].x is not a number (got \"12.5\")"},
      {R"({"waypoints": [{"x": 1, "y": 2, "rationale": 3}]})", "rationale is not a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const RouteAnswer answer = ParseRouteAnswer(c.text, "");
    EXPECT_FALSE(answer.ok());
    EXPECT_THAT(answer.error, HasSubstr(c.message));
    EXPECT_TRUE(answer.waypoints.empty());
  }
}

}  // namespace
}  // namespace marsdrive::planners::vlm

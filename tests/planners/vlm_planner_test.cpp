// The vlm planner against a scripted fake model server, for both protocols: a good route, a
// critique round after a route through a keep-out, malformed JSON, text around the JSON, 429
// then success, repeated 500s, a hang, a bad key; every request checked like the real service
// would, and the key absent from everything the plan holds.

#include "planners/vlm/vlm_planner.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "planners/map_render.h"
#include "planners/plan_json.h"
#include "planners/registry.h"
#include "tests/planners/planner_test_util.h"
#include "tests/planners/vlm_planner_test_util.h"
#include "tests/util/command.h"

namespace marsdrive::planners::vlm {
namespace {

using ::marsdrive::planners::testing::CraterRoute;
using ::marsdrive::planners::testing::FakeClock;
using ::marsdrive::planners::testing::FakeModelServer;
using ::marsdrive::planners::testing::FakeServerEnv;
using ::marsdrive::planners::testing::GoodRoute;
using ::marsdrive::planners::testing::HangingReply;
using ::marsdrive::planners::testing::Json;
using ::marsdrive::planners::testing::kVlmGoal;
using ::marsdrive::planners::testing::kVlmStart;
using ::marsdrive::planners::testing::kVlmTestKey;
using ::marsdrive::planners::testing::MapEnv;
using ::marsdrive::planners::testing::ModelAnswer;
using ::marsdrive::planners::testing::RecordedRequest;
using ::marsdrive::planners::testing::Reply;
using ::marsdrive::planners::testing::RouteJson;
using ::marsdrive::planners::testing::ScriptedReply;
using ::marsdrive::planners::testing::TestHttpOptions;
using ::marsdrive::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kImagePx = 512;  // small images keep the tests fast

PlanProblem TestProblem() {
  PlanProblem problem = testing::MakeProblem(testing::MakeFlatProducts(60, 40), kVlmStart, kVlmGoal,
                                             /*tolerance_m=*/1.5);
  problem.keep_outs = {testing::Crater()};
  return problem;
}

std::vector<Point2> WithStart(std::vector<Point2> route) {
  route.insert(route.begin(), kVlmStart);
  return route;
}

std::string Provider(const ::testing::TestParamInfo<vlm::Provider>& info) {
  return ToString(info.param);
}

// One plan against a fake server speaking the parameter's protocol.
class VlmPlannerTest : public ::testing::TestWithParam<vlm::Provider> {
 protected:
  PlanResult Plan(std::vector<ScriptedReply> script, marsdrive::ParamMap params = {}) {
    server_.SetScript(std::move(script));
    params.Set("provider", ToString(GetParam()));
    params.Set("model", GetParam() == vlm::Provider::kAnthropic ? "claude-test" : "gpt-test");
    params.Set("image_px", std::to_string(kImagePx));
    if (!params.Has("timeout_s")) params.Set("timeout_s", "5");
    const auto planner = MakeVlmPlanner(
        params, {.env = FakeServerEnv(server_), .http = TestHttpOptions(clock_, &http_log_)});
    PlanResult result = RunPlanner(*planner, problem_);
    // Nothing the plan holds, nor the HTTP layer's log, carries the key.
    EXPECT_THAT(PlanResultToJsonText(result), Not(HasSubstr(kVlmTestKey)));
    for (const std::string& line : http_log_) EXPECT_THAT(line, Not(HasSubstr(kVlmTestKey)));
    return result;
  }

  // Every request the server saw is one the real service would accept.
  void ExpectValidRequests() {
    const MapImage image = RenderMap(problem_, {.max_side_px = kImagePx});
    for (const RecordedRequest& r : server_.requests()) {
      testing::ExpectValidModelRequest(GetParam(), r, image.width_px, image.height_px);
    }
  }

  std::string Answer(const std::vector<Point2>& route) { return RouteJson(route); }
  ScriptedReply Ok(const std::string& text) { return ModelAnswer(GetParam(), text); }

  PlanProblem problem_ = TestProblem();
  FakeModelServer server_;
  FakeClock clock_;
  std::vector<std::string> http_log_;
};

TEST_P(VlmPlannerTest, GoodRouteIsTheExactPlan) {
  const PlanResult result = Plan({Ok(Answer(GoodRoute()))});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(result.waypoints, WithStart(GoodRoute()));
  ASSERT_EQ(result.rationale.size(), result.waypoints.size());
  EXPECT_EQ(result.rationale[0], "");
  EXPECT_EQ(result.rationale[1], "leg 1: flat ground");
  EXPECT_TRUE(result.alternatives.empty());
  ASSERT_EQ(server_.requests().size(), 1u);
  ExpectValidRequests();
  EXPECT_EQ(std::get<std::int64_t>(*FindDiagnostic(result, "requests")), 1);
  // The transcript: system prompt, the brief (the image noted), the answer.
  ASSERT_EQ(result.transcript.size(), 3u);
  EXPECT_EQ(result.transcript[0].role, "system");
  EXPECT_THAT(result.transcript[1].text, HasSubstr("[image: the annotated map, PNG"));
  EXPECT_THAT(result.transcript[1].text, HasSubstr("crater: (25, 10)"));
  EXPECT_EQ(result.transcript[2].role, "assistant");
  EXPECT_EQ(result.transcript[2].text, Answer(GoodRoute()));
}

TEST_P(VlmPlannerTest, RouteThroughAKeepOutIsCritiquedThenRevised) {
  const PlanResult result = Plan({Ok(Answer(CraterRoute())), Ok(Answer(GoodRoute()))});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(result.waypoints, WithStart(GoodRoute()));
  ASSERT_EQ(result.alternatives.size(), 1u);
  EXPECT_EQ(result.alternatives[0].label, "round 1");
  EXPECT_EQ(result.alternatives[0].waypoints, WithStart(CraterRoute()));
  const std::vector<RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  ExpectValidRequests();
  // The second request carries the first answer and the concrete violations.
  EXPECT_THAT(requests[0].body, Not(HasSubstr("keep-out 'crater'")));
  EXPECT_THAT(requests[1].body, HasSubstr("waypoint 2 (25, 15)"));
  EXPECT_THAT(requests[1].body, HasSubstr("keep-out 'crater'"));
  EXPECT_THAT(requests[1].body, HasSubstr("segment 1-2 crosses a blocked cell"));
  EXPECT_THAT(requests[1].body, HasSubstr("Revise the route"));
  EXPECT_THAT(requests[1].body, HasSubstr(Json(Answer(CraterRoute())).dump()));
  EXPECT_EQ(result.transcript.size(), 5u);  // system, brief, answer, critique, answer
}

TEST_P(VlmPlannerTest, NeverValidRouteFailsWithEveryRoundKept) {
  marsdrive::ParamMap params;
  params.Set("max_rounds", "1");
  const PlanResult result = Plan({Ok(Answer(CraterRoute()))}, params);
  EXPECT_EQ(result.status, PlanStatus::kInvalidRoute);
  EXPECT_THAT(result.reason, HasSubstr("no valid route in 2 answers"));
  EXPECT_THAT(result.reason, HasSubstr("keep-out 'crater'"));
  EXPECT_EQ(server_.requests().size(), 2u);  // 1 + max_rounds
  EXPECT_EQ(result.alternatives.size(), 2u);
  EXPECT_EQ(result.waypoints, WithStart(CraterRoute()));  // kept as is, like scripted routes
}

TEST_P(VlmPlannerTest, MalformedJsonIsSentBackNotACrash) {
  const PlanResult result =
      Plan({Ok(R"({"waypoints": [{"x": 15, "y": 5,}]})"), Ok(Answer(GoodRoute()))});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  const std::vector<RecordedRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[1].body, HasSubstr("could not be used"));
  EXPECT_THAT(result.log, HasSubstr("round 1: the answer could not be used"));
  ExpectValidRequests();
}

TEST_P(VlmPlannerTest, MalformedEveryRoundIsAnInvalidRoute) {
  marsdrive::ParamMap params;
  params.Set("max_rounds", "0");
  const PlanResult result = Plan({Ok("I would drive north-east, then east.")}, params);
  EXPECT_EQ(result.status, PlanStatus::kInvalidRoute);
  EXPECT_THAT(result.reason, HasSubstr("no JSON object in the answer"));
  EXPECT_TRUE(result.waypoints.empty());
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_P(VlmPlannerTest, TextAroundTheJsonIsAccepted) {
  const PlanResult result = Plan({Ok("Here is the route around the crater:\n```json\n" +
                                     Answer(GoodRoute()) + "\n```\nIt stays on flat ground.")});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(result.waypoints, WithStart(GoodRoute()));
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_P(VlmPlannerTest, RateLimitedThenAnswered) {
  const PlanResult result =
      Plan({Reply(429, R"({"error": {"message": "slow down"}})", {{"retry-after", "2"}}),
            Ok(Answer(GoodRoute()))});
  ASSERT_EQ(result.status, PlanStatus::kExact) << result.reason;
  EXPECT_EQ(server_.requests().size(), 2u);  // one call, two attempts
  EXPECT_EQ(std::get<std::int64_t>(*FindDiagnostic(result, "requests")), 1);
  EXPECT_EQ(clock_.sleeps(), std::vector<double>{2.0});  // as the server asked
  ExpectValidRequests();
}

TEST_P(VlmPlannerTest, RepeatedServerErrorsFailWithTheReason) {
  const PlanResult result = Plan({Reply(500, R"({"error": {"message": "internal error"}})")});
  EXPECT_EQ(result.status, PlanStatus::kCrash);
  EXPECT_THAT(result.reason, HasSubstr("server error"));
  EXPECT_THAT(result.reason, HasSubstr("500"));
  EXPECT_EQ(server_.requests().size(), 4u);  // RetryPolicy::max_attempts
  EXPECT_TRUE(result.waypoints.empty());
  EXPECT_EQ(std::get<std::string>(*FindDiagnostic(result, "failure")), "server_error");
}

TEST_P(VlmPlannerTest, HangingServerTimesOut) {
  marsdrive::ParamMap params;
  params.Set("timeout_s", "1");
  const auto t0 = std::chrono::steady_clock::now();
  const PlanResult result = Plan({testing::HangingReply()}, params);
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(result.status, PlanStatus::kTimeout);
  EXPECT_THAT(result.reason, HasSubstr("timed out"));
  EXPECT_LT(elapsed_s, 4.0);
  server_.Stop();  // releases the hanging handler
}

TEST_P(VlmPlannerTest, BadKeyFailsNamingAuthentication) {
  const std::string error =
      GetParam() == vlm::Provider::kAnthropic
          ? testing::AnthropicError("authentication_error", "invalid x-api-key")
          : testing::OpenAiError("Incorrect API key provided", "invalid_api_key");
  const PlanResult result = Plan({Reply(401, error)});
  EXPECT_EQ(result.status, PlanStatus::kCrash);
  EXPECT_THAT(result.reason, HasSubstr("authentication failed"));
  EXPECT_THAT(result.reason, HasSubstr(GetParam() == vlm::Provider::kAnthropic ? "ANTHROPIC_API_KEY"
                                                                               : "OPENAI_API_KEY"));
  EXPECT_EQ(server_.requests().size(), 1u);  // not retried
}

TEST_P(VlmPlannerTest, AServerEchoingTheKeyIsScrubbed) {
  // A hostile or buggy server puts the key into the answer: it must not reach the plan (the
  // transport scrubs bodies; the planner scrubs what it keeps once more).
  const PlanResult result =
      Plan({Ok(std::string("Key ") + kVlmTestKey + " seen. " + Answer(GoodRoute()))});
  EXPECT_EQ(result.status, PlanStatus::kExact) << result.reason;  // Plan() checks the scrub
}

INSTANTIATE_TEST_SUITE_P(Protocols, VlmPlannerTest,
                         ::testing::Values(vlm::Provider::kAnthropic, vlm::Provider::kOpenAi),
                         Provider);

// ---- no model call when none is needed ------------------------------------------------------

TEST(VlmPlanner, InvalidGoalNeedsNoModelCall) {
  FakeModelServer server;
  PlanProblem problem = TestProblem();
  problem.goal = {30, 20, 1.0};  // inside the crater
  FakeClock clock;
  const auto planner =
      MakeVlmPlanner({}, {.env = FakeServerEnv(server), .http = TestHttpOptions(clock, nullptr)});
  const PlanResult result = RunPlanner(*planner, problem);
  EXPECT_EQ(result.status, PlanStatus::kInvalidGoal);
  EXPECT_TRUE(server.requests().empty());
}

TEST(VlmPlanner, ExhaustedTimeBudgetIsATimeout) {
  FakeModelServer server({testing::ModelAnswer(vlm::Provider::kAnthropic, RouteJson(GoodRoute()))});
  PlanProblem problem = TestProblem();
  problem.time_budget_s = 1e-9;
  FakeClock clock;
  const auto planner =
      MakeVlmPlanner({}, {.env = FakeServerEnv(server), .http = TestHttpOptions(clock, nullptr)});
  const PlanResult result = RunPlanner(*planner, problem);
  EXPECT_EQ(result.status, PlanStatus::kTimeout);
  EXPECT_THAT(result.reason, HasSubstr("--time-budget"));
  EXPECT_TRUE(server.requests().empty());
}

TEST(VlmPlanner, RouteShortOfTheGoalIsApproximateAfterTheLastRound) {
  FakeModelServer server(
      {testing::ModelAnswer(vlm::Provider::kAnthropic, RouteJson({{15, 5}, {25, 5}, {35, 5}}))});
  FakeClock clock;
  marsdrive::ParamMap params;
  params.Set("max_rounds", "1");
  const auto planner = MakeVlmPlanner(
      params, {.env = FakeServerEnv(server), .http = TestHttpOptions(clock, nullptr)});
  const PlanResult result = RunPlanner(*planner, TestProblem());
  EXPECT_EQ(result.status, PlanStatus::kApproximate);
  EXPECT_THAT(result.reason, HasSubstr("m from the goal (55, 35)"));
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_THAT(server.requests()[1].body, HasSubstr("the last waypoint must lie within 1.5 m"));
}

// ---- the registry and "skipped" ---------------------------------------------------------------

TEST(VlmPlanner, IsRegisteredAsANetworkPlanner) {
  const PlannerInfo& info = FindPlanner("vlm");
  EXPECT_TRUE(info.specs.needs_network);
  EXPECT_FALSE(info.specs.deterministic);
  ASSERT_TRUE(info.unavailable_reason);
  EXPECT_FALSE(FindPlanner("astar").unavailable_reason);
  EXPECT_EQ(UnavailableReason("astar"), std::nullopt);
  for (const char* name : {"provider", "model", "temperature", "max_tokens", "timeout_s",
                           "max_rounds", "cache", "cassette_dir", "overlay", "segment_m"}) {
    EXPECT_TRUE(std::any_of(info.params.begin(), info.params.end(), [&](const ParamSpec& p) {
      return p.name == name;
    })) << name;
  }
}

PlannerParams VlmParams(std::map<std::string, std::string> given) {
  marsdrive::ParamMap map;
  for (const auto& [k, v] : given) map.Set(k, v);
  return PlannerParams::Resolve("vlm", FindPlanner("vlm").params, map);
}

TEST(VlmPlanner, UnavailableWithoutEndpointOrCassette) {
  const TempDir dir("vlm-unavailable");
  const std::string cassettes = (dir / "cassettes").string();
  const EnvFn none = MapEnv({});
  // No endpoint: off and auto cannot run, and say what to set.
  const auto off = VlmUnavailableReason(VlmParams({{"cassette_dir", cassettes}}), none);
  ASSERT_TRUE(off.has_value());
  EXPECT_THAT(*off, HasSubstr("set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL"));
  const auto auto_mode =
      VlmUnavailableReason(VlmParams({{"cache", "auto"}, {"cassette_dir", cassettes}}), none);
  ASSERT_TRUE(auto_mode.has_value());
  EXPECT_THAT(*auto_mode, HasSubstr("no cassette at " + cassettes));
  const auto openai = VlmUnavailableReason(VlmParams({{"provider", "openai"}}), none);
  ASSERT_TRUE(openai.has_value());
  EXPECT_THAT(*openai, HasSubstr("OPENAI_API_KEY or OPENAI_BASE_URL"));
  EXPECT_TRUE(VlmUnavailableReason(VlmParams({{"cache", "replay"}, {"cassette_dir", cassettes}}),
                                   MapEnv({{"ANTHROPIC_API_KEY", kVlmTestKey}}))
                  .has_value());  // replay never calls out: a key does not help
  // A key or a base URL makes off and auto runnable.
  EXPECT_EQ(VlmUnavailableReason(VlmParams({}), MapEnv({{"ANTHROPIC_API_KEY", kVlmTestKey}})),
            std::nullopt);
  EXPECT_EQ(VlmUnavailableReason(VlmParams({{"provider", "openai"}}),
                                 MapEnv({{"OPENAI_BASE_URL", "http://localhost:11434/v1"}})),
            std::nullopt);
  // Cassettes make replay and auto runnable without an endpoint.
  std::filesystem::create_directories(cassettes);
  std::ofstream(std::filesystem::path(cassettes) / "0123.json") << "{}";
  EXPECT_EQ(
      VlmUnavailableReason(VlmParams({{"cache", "replay"}, {"cassette_dir", cassettes}}), none),
      std::nullopt);
  EXPECT_EQ(VlmUnavailableReason(VlmParams({{"cache", "auto"}, {"cassette_dir", cassettes}}), none),
            std::nullopt);
}

}  // namespace
}  // namespace marsdrive::planners::vlm

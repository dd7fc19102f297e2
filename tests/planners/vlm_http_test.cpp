// The VLM transport against a local fake server: both protocols' request shapes and answers,
// retries, time caps and clear errors. Waits between retries go to an injected clock, so the
// whole file runs in about a second.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/base64.h"
#include "planners/vlm/http_client.h"
#include "planners/vlm/model_client.h"
#include "tests/planners/fake_model_server.h"
#include "tests/planners/vlm_test_util.h"

namespace marsdrive::planners::vlm {
namespace {

using ::marsdrive::planners::testing::AnthropicError;
using ::marsdrive::planners::testing::AnthropicTextAnswer;
using ::marsdrive::planners::testing::AnthropicToolAnswer;
using ::marsdrive::planners::testing::FakeClock;
using ::marsdrive::planners::testing::FakeModelServer;
using ::marsdrive::planners::testing::HangingReply;
using ::marsdrive::planners::testing::MapEnv;
using ::marsdrive::planners::testing::OpenAiAnswer;
using ::marsdrive::planners::testing::OpenAiError;
using ::marsdrive::planners::testing::Reply;
using ::marsdrive::planners::testing::RouteSchema;
using ::marsdrive::planners::testing::SampleRequest;
using ::marsdrive::planners::testing::ScriptedReply;
using ::marsdrive::planners::testing::TestHttpOptions;
using ::marsdrive::planners::testing::TinyPng;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr const char* kFakeAnthropicKey = "sk-ant-test-0123456789abcdefFAKE";
constexpr const char* kFakeOpenAiKey = "sk-test-openai-9876543210FAKE";

// A client of `server` for `provider` with the fake key set (or not), on the injected clock.
struct Harness {
  FakeClock clock;
  std::vector<std::string> log;
  std::unique_ptr<HttpModelClient> client;

  Harness(const FakeModelServer& server, Provider provider, bool with_key = true,
          RetryPolicy retry = {}) {
    HttpModelClientOptions options;
    options.http = TestHttpOptions(clock, &log);
    options.http.retry = retry;
    options.http.retry.connect_timeout_s = 2.0;
    std::map<std::string, std::string> env;
    if (provider == Provider::kAnthropic) {
      env["ANTHROPIC_BASE_URL"] = server.base_url();
      if (with_key) env["ANTHROPIC_API_KEY"] = kFakeAnthropicKey;
    } else {
      env["OPENAI_BASE_URL"] = server.base_url() + "/v1";
      if (with_key) env["OPENAI_API_KEY"] = kFakeOpenAiKey;
    }
    options.env = MapEnv(env);
    client = std::make_unique<HttpModelClient>(std::move(options));
  }
};

// A loopback port nothing listens on: bound by a server that is then stopped.
int DeadPort() {
  FakeModelServer server;
  return server.port();
}

Json BodyOf(const ::marsdrive::planners::testing::RecordedRequest& r) {
  return Json::parse(r.body);
}

// ---- Anthropic Messages API ----------------------------------------------------------------

TEST(AnthropicProtocol, SendsTheDocumentedRequest) {
  FakeModelServer server({Reply(200, AnthropicTextAnswer("Head north-east."))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  ASSERT_TRUE(response.ok()) << response.error;

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/messages");
  EXPECT_EQ(r.Header("x-api-key"), kFakeAnthropicKey);
  EXPECT_EQ(r.Header("anthropic-version"), "2023-06-01");
  EXPECT_THAT(r.Header("content-type"), HasSubstr("application/json"));
  EXPECT_FALSE(r.HasHeader("authorization"));

  const Json body = BodyOf(r);
  EXPECT_EQ(body["model"], "claude-test");
  EXPECT_EQ(body["max_tokens"], 1024);
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.2);
  EXPECT_EQ(body["system"], "You plan rover drives on Mars.");
  EXPECT_FALSE(body.contains("tools"));
  ASSERT_EQ(body["messages"].size(), 1u);
  const Json& message = body["messages"][0];
  EXPECT_EQ(message["role"], "user");
  ASSERT_EQ(message["content"].size(), 2u);
  const Json& image = message["content"][0];
  EXPECT_EQ(image["type"], "image");
  EXPECT_EQ(image["source"]["type"], "base64");
  EXPECT_EQ(image["source"]["media_type"], "image/png");
  const auto png = Base64Decode(image["source"]["data"].get<std::string>());
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(*png, TinyPng());
  EXPECT_EQ(message["content"][1], Json({{"type", "text"}, {"text", "Plan a route from A to B."}}));
}

TEST(AnthropicProtocol, ParsesATextAnswer) {
  FakeModelServer server({Reply(200, AnthropicTextAnswer("Head north-east."))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.text, "Head north-east.");
  EXPECT_EQ(response.structured_json, "");
  EXPECT_EQ(response.stop_reason, "end_turn");
  EXPECT_EQ(response.usage.input_tokens, 1234);
  EXPECT_EQ(response.usage.output_tokens, 56);
  EXPECT_EQ(response.http_status, 200);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(response.raw_body, AnthropicTextAnswer("Head north-east."));
  EXPECT_FALSE(response.from_cassette);
}

TEST(AnthropicProtocol, ForcesTheToolAndParsesItsInput) {
  const Json route = {{"waypoints", Json::array({{{"x_m", 10.5}, {"y_m", -3.0}}})},
                      {"rationale", "avoid the scarp"}};
  FakeModelServer server({Reply(200, AnthropicToolAnswer(route, "Here it is."))});
  Harness h(server, Provider::kAnthropic);
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.answer_format = AnswerFormat::kJsonSchema;
  request.schema.name = "route";
  request.schema.description = "The route";
  request.schema.schema_json = RouteSchema();
  const ModelResponse response = h.client->Call(request);
  ASSERT_TRUE(response.ok()) << response.error;

  const Json body = BodyOf(server.requests().at(0));
  ASSERT_EQ(body["tools"].size(), 1u);
  EXPECT_EQ(body["tools"][0]["name"], "route");
  EXPECT_EQ(body["tools"][0]["description"], "The route");
  EXPECT_EQ(body["tools"][0]["input_schema"], Json::parse(RouteSchema()));
  EXPECT_EQ(body["tool_choice"], Json({{"type", "tool"}, {"name", "route"}}));

  EXPECT_EQ(Json::parse(response.structured_json), route);
  EXPECT_EQ(response.text, "Here it is.");
  EXPECT_EQ(response.stop_reason, "tool_use");
}

TEST(AnthropicProtocol, RefusalIsAValueNotAnAnswer) {
  Json refusal = Json::parse(AnthropicTextAnswer(""));
  refusal["content"] = Json::array();
  refusal["stop_reason"] = "refusal";
  FakeModelServer server({Reply(200, refusal.dump())});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kRefused);
  EXPECT_THAT(response.error, HasSubstr("refused"));
}

// ---- OpenAI-compatible Chat Completions ----------------------------------------------------

TEST(OpenAiProtocol, SendsTheDocumentedRequest) {
  FakeModelServer server({Reply(200, OpenAiAnswer("Go around the crater."))});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  ASSERT_TRUE(response.ok()) << response.error;

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/chat/completions");
  EXPECT_EQ(r.Header("authorization"), std::string("Bearer ") + kFakeOpenAiKey);
  EXPECT_FALSE(r.HasHeader("x-api-key"));
  EXPECT_FALSE(r.HasHeader("anthropic-version"));
  EXPECT_THAT(r.Header("content-type"), HasSubstr("application/json"));

  const Json body = BodyOf(r);
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(body["max_tokens"], 1024);
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.2);
  EXPECT_FALSE(body.contains("response_format"));
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0],
            Json({{"role", "system"}, {"content", "You plan rover drives on Mars."}}));
  const Json& user = body["messages"][1];
  EXPECT_EQ(user["role"], "user");
  ASSERT_EQ(user["content"].size(), 2u);
  EXPECT_EQ(user["content"][0]["type"], "image_url");
  const std::string url = user["content"][0]["image_url"]["url"];
  const std::string prefix = "data:image/png;base64,";
  ASSERT_TRUE(url.starts_with(prefix)) << url.substr(0, 40);
  const auto png = Base64Decode(url.substr(prefix.size()));
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(*png, TinyPng());
  EXPECT_EQ(user["content"][1], Json({{"type", "text"}, {"text", "Plan a route from A to B."}}));
}

TEST(OpenAiProtocol, ParsesATextAnswer) {
  FakeModelServer server({Reply(200, OpenAiAnswer("Go around the crater."))});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.text, "Go around the crater.");
  EXPECT_EQ(response.stop_reason, "stop");
  EXPECT_EQ(response.usage.input_tokens, 900);
  EXPECT_EQ(response.usage.output_tokens, 42);
}

TEST(OpenAiProtocol, AsksForTheSchemaAndParsesTheJsonAnswer) {
  const Json route = {{"waypoints", Json::array({{{"x_m", 1.0}, {"y_m", 2.0}}})}};
  FakeModelServer server({Reply(200, OpenAiAnswer(route.dump()))});
  Harness h(server, Provider::kOpenAi);
  ModelRequest request = SampleRequest(Provider::kOpenAi);
  request.answer_format = AnswerFormat::kJsonSchema;
  request.schema.name = "route";
  request.schema.schema_json = RouteSchema();
  const ModelResponse response = h.client->Call(request);
  ASSERT_TRUE(response.ok()) << response.error;
  const Json body = BodyOf(server.requests().at(0));
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "route");
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"], Json::parse(RouteSchema()));
  EXPECT_EQ(body["response_format"]["json_schema"]["strict"], false);
  EXPECT_EQ(Json::parse(response.structured_json), route);
}

TEST(OpenAiProtocol, JsonObjectModeAndContentParts) {
  const Json parts =
      Json::array({{{"type", "text"}, {"text", "{\"a\": "}}, {{"type", "text"}, {"text", "1}"}}});
  FakeModelServer server({Reply(200, OpenAiAnswer(parts))});
  Harness h(server, Provider::kOpenAi);
  ModelRequest request = SampleRequest(Provider::kOpenAi);
  request.answer_format = AnswerFormat::kJsonObject;
  const ModelResponse response = h.client->Call(request);
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(BodyOf(server.requests().at(0))["response_format"], Json({{"type", "json_object"}}));
  EXPECT_EQ(response.text, "{\"a\": 1}");
  EXPECT_EQ(response.structured_json, "{\"a\":1}");
}

TEST(OpenAiProtocol, LocalServerWithoutKeyGetsNoAuthorizationHeader) {
  FakeModelServer server({Reply(200, OpenAiAnswer("ok"))});
  Harness h(server, Provider::kOpenAi, /*with_key=*/false);
  ModelRequest request = SampleRequest(Provider::kOpenAi);
  request.temperature.reset();
  const ModelResponse response = h.client->Call(request);
  ASSERT_TRUE(response.ok()) << response.error;
  const auto r = server.requests().at(0);
  EXPECT_FALSE(r.HasHeader("authorization"));
  EXPECT_FALSE(BodyOf(r).contains("temperature"));
}

TEST(OpenAiProtocol, TextOnlyTurnsAreStrings) {  // the widest-supported shape
  FakeModelServer server({Reply(200, OpenAiAnswer("ok"))});
  Harness h(server, Provider::kOpenAi);
  ModelRequest request = SampleRequest(Provider::kOpenAi);
  request.turns = {{Role::kUser, "first", {}},
                   {Role::kAssistant, "answer", {}},
                   {Role::kUser, "revise", TinyPng()}};
  ASSERT_TRUE(h.client->Call(request).ok());
  const Json messages = BodyOf(server.requests().at(0))["messages"];
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[1], Json({{"role", "user"}, {"content", "first"}}));
  EXPECT_EQ(messages[2], Json({{"role", "assistant"}, {"content", "answer"}}));
  EXPECT_TRUE(messages[3]["content"].is_array());
}

// ---- retries -------------------------------------------------------------------------------

TEST(Retry, ServerErrorThenSuccess) {
  FakeModelServer server(
      {Reply(500, AnthropicError("api_error", "boom")), Reply(200, AnthropicTextAnswer("fine"))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.text, "fine");
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(server.requests().size(), 2u);
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_GE(h.clock.sleeps()[0], 0.0);
  EXPECT_LT(h.clock.sleeps()[0], 0.5);  // full jitter below the first ceiling
  ASSERT_EQ(h.log.size(), 1u);
  EXPECT_THAT(h.log[0], HasSubstr("HTTP 500"));
}

TEST(Retry, RateLimitedWaitsAsTheServerAsks) {
  FakeModelServer server(
      {Reply(429, AnthropicError("rate_limit_error", "slow down"), {{"retry-after", "2"}}),
       Reply(200, AnthropicTextAnswer("fine"))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  ASSERT_TRUE(response.ok()) << response.error;
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_GE(h.clock.sleeps()[0], 2.0);
  EXPECT_DOUBLE_EQ(h.clock.sleeps()[0], 2.0);
}

TEST(Retry, RetryAfterMsTakesPrecedence) {
  FakeModelServer server({Reply(529, AnthropicError("overloaded_error", "busy"),
                                {{"retry-after", "9"}, {"retry-after-ms", "1500"}}),
                          Reply(200, AnthropicTextAnswer("fine"))});
  Harness h(server, Provider::kAnthropic);
  ASSERT_TRUE(h.client->Call(SampleRequest(Provider::kAnthropic)).ok());
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_DOUBLE_EQ(h.clock.sleeps()[0], 1.5);
}

TEST(Retry, RetryAfterAsHttpDate) {
  // The injected wall clock reads 2023-11-14T22:13:20Z; the server asks for 22:13:23.
  FakeModelServer server({Reply(503, "", {{"Retry-After", "Tue, 14 Nov 2023 22:13:23 GMT"}}),
                          Reply(200, OpenAiAnswer("fine"))});
  Harness h(server, Provider::kOpenAi);
  ASSERT_TRUE(h.client->Call(SampleRequest(Provider::kOpenAi)).ok());
  ASSERT_EQ(h.clock.sleeps().size(), 1u);
  EXPECT_DOUBLE_EQ(h.clock.sleeps()[0], 3.0);
}

TEST(Retry, ParseRetryAfterForms) {
  using H = std::map<std::string, std::string>;
  EXPECT_EQ(ParseRetryAfter(H{}, 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "7"}}, 0), 7.0);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "0.25"}}, 0), 0.25);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after-ms", "250"}}, 0), 0.25);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "soon"}}, 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "-3"}}, 0), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "Thu, 01 Jan 1970 00:01:40 GMT"}}, 40), 60.0);
  // A date in the past means "now".
  EXPECT_EQ(ParseRetryAfter(H{{"retry-after", "Thu, 01 Jan 1970 00:01:40 GMT"}}, 1000), 0.0);
}

TEST(Retry, ConnectionRefusedIsRetriedThenReported) {
  const int dead_port = DeadPort();
  FakeClock clock;
  std::vector<std::string> log;
  HttpClient http(TestHttpOptions(clock, &log));
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(dead_port) + "/v1/messages";
  request.body = "{}";
  const HttpResult result = http.Post(request);
  EXPECT_EQ(result.status, CallStatus::kConnectionError);
  EXPECT_EQ(result.attempts, 4);
  EXPECT_EQ(clock.sleeps().size(), 3u);
  EXPECT_THAT(result.message, HasSubstr("connection failed"));
  EXPECT_THAT(result.message, HasSubstr("gave up after 4 attempts"));
  EXPECT_EQ(log.size(), 4u);  // three retries and the give-up
}

TEST(Retry, FullJitterIsSeededAndBounded) {
  const std::string url = "http://127.0.0.1:" + std::to_string(DeadPort()) + "/x";
  const auto sleeps_for = [&url](std::uint64_t seed) {
    FakeClock clock;
    HttpClientOptions options = TestHttpOptions(clock, nullptr, seed);
    options.retry.max_attempts = 6;
    HttpClient http(options);
    HttpRequest request;
    request.url = url;
    request.body = "{}";
    (void)http.Post(request);
    return clock.sleeps();
  };
  const std::vector<double> a = sleeps_for(1);
  const std::vector<double> b = sleeps_for(1);
  const std::vector<double> c = sleeps_for(2);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a, b);  // same seed, same waits
  EXPECT_NE(a, c);  // the seed matters
  const std::vector<double> ceilings = {0.5, 1.0, 2.0, 4.0, 8.0};
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i], 0.0);
    EXPECT_LT(a[i], ceilings[i]);
  }
}

TEST(Retry, ServerSaysDoNotRetry) {
  FakeModelServer server(
      {Reply(500, "{}", {{"x-should-retry", "false"}}), Reply(200, AnthropicTextAnswer("fine"))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kServerError);
  EXPECT_EQ(response.attempts, 1);
}

// ---- time caps -----------------------------------------------------------------------------

TEST(TimeCap, HangingServerTimesOutWithinTheCap) {
  FakeModelServer server({HangingReply()});
  Harness h(server, Provider::kAnthropic);
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.timeout_s = 0.5;
  const auto start = std::chrono::steady_clock::now();
  const ModelResponse response = h.client->Call(request);
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(response.status, CallStatus::kTimeout);
  EXPECT_THAT(response.error, HasSubstr("time cap"));
  EXPECT_GE(elapsed_s, 0.45);
  EXPECT_LT(elapsed_s, 2.0);
  EXPECT_EQ(response.attempts, 1);
}

TEST(TimeCap, RetriesStopBeforeCrossingTheCap) {
  const ScriptedReply busy = Reply(503, "{}", {{"retry-after", "5"}});
  FakeModelServer server({busy});
  RetryPolicy retry;
  retry.max_attempts = 10;
  Harness h(server, Provider::kAnthropic, true, retry);
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.timeout_s = 8.0;  // room for one 5 s wait, not two
  const ModelResponse response = h.client->Call(request);
  EXPECT_EQ(response.status, CallStatus::kServerError);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(h.clock.sleeps(), std::vector<double>({5.0}));
  EXPECT_THAT(response.error, HasSubstr("would pass the time cap"));
  EXPECT_LE(h.clock.Now(), 8.0);
}

TEST(TimeCap, ControlAWiderCapAllowsMoreAttempts) {
  const ScriptedReply busy = Reply(503, "{}", {{"retry-after", "5"}});
  FakeModelServer server({busy});
  RetryPolicy retry;
  retry.max_attempts = 3;
  Harness h(server, Provider::kAnthropic, true, retry);
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.timeout_s = 30.0;
  const ModelResponse response = h.client->Call(request);
  EXPECT_EQ(response.attempts, 3);
  EXPECT_THAT(response.error, HasSubstr("gave up after 3 attempts"));
}

TEST(TimeCap, AskingForTooLongAWaitIsNotRetried) {
  FakeModelServer server({Reply(429, "{}", {{"retry-after", "3600"}})});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kRateLimited);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_TRUE(h.clock.sleeps().empty());
  EXPECT_THAT(response.error, HasSubstr("asks to wait"));
}

// ---- cancellation -------------------------------------------------------------------------

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(Cancel, StopEndsAHangingTransfer) {
  FakeModelServer server({HangingReply()});
  Harness h(server, Provider::kAnthropic);
  std::stop_source stop;
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.timeout_s = 20.0;
  request.stop = stop.get_token();
  const auto start = std::chrono::steady_clock::now();
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  const ModelResponse response = h.client->Call(request);
  const double elapsed_s = SecondsSince(start);
  EXPECT_EQ(response.status, CallStatus::kCancelled);
  EXPECT_THAT(response.error, HasSubstr("cancelled"));
  EXPECT_GE(elapsed_s, 0.09);
  EXPECT_LT(elapsed_s, 1.6);  // libcurl polls the progress callback at least once a second
}

TEST(Cancel, StopInterruptsTheWaitBetweenAttempts) {  // the default, real sleep
  FakeModelServer server({Reply(429, "{}", {{"retry-after", "30"}})});
  HttpModelClientOptions options;
  options.env = MapEnv({{"ANTHROPIC_BASE_URL", server.base_url()}});
  HttpModelClient client(std::move(options));
  std::stop_source stop;
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.timeout_s = 60.0;
  request.stop = stop.get_token();
  const auto start = std::chrono::steady_clock::now();
  std::jthread stopper([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  const ModelResponse response = client.Call(request);
  EXPECT_EQ(response.status, CallStatus::kCancelled);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_LT(SecondsSince(start), 1.0);  // not the 30 s the server asked for
}

TEST(Cancel, AlreadyStoppedSendsNothing) {
  FakeModelServer server({Reply(200, AnthropicTextAnswer("fine"))});
  Harness h(server, Provider::kAnthropic);
  std::stop_source stop;
  stop.request_stop();
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.stop = stop.get_token();
  EXPECT_EQ(h.client->Call(request).status, CallStatus::kCancelled);
  EXPECT_TRUE(server.requests().empty());
  request.stop = {};  // control: without the stop request the same call goes through
  EXPECT_TRUE(h.client->Call(request).ok());
}

// ---- clear, non-retried errors --------------------------------------------------------------

TEST(ClientErrors, UnauthorizedNamesTheKeyAndIsNotRetried) {
  FakeModelServer server({Reply(401, AnthropicError("authentication_error", "invalid x-api-key"))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kAuthError);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(h.clock.sleeps().empty());
  EXPECT_THAT(response.error, HasSubstr("API key"));
  EXPECT_THAT(response.error, HasSubstr("ANTHROPIC_API_KEY"));
  EXPECT_THAT(response.error, HasSubstr("invalid x-api-key"));
}

TEST(ClientErrors, ForbiddenIsAnAuthError) {
  FakeModelServer server({Reply(403, OpenAiError("no access", "forbidden"))});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  EXPECT_EQ(response.status, CallStatus::kAuthError);
  EXPECT_THAT(response.error, HasSubstr("OPENAI_API_KEY"));
}

TEST(ClientErrors, NotFoundNamesTheModel) {
  FakeModelServer server(
      {Reply(404, OpenAiError("The model `gpt-nope` does not exist", "model_not_found"))});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  EXPECT_EQ(response.status, CallStatus::kNotFound);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_THAT(response.error, HasSubstr("unknown model or endpoint"));
  EXPECT_THAT(response.error, HasSubstr("gpt-nope"));
  EXPECT_THAT(response.error, HasSubstr("OPENAI_BASE_URL"));
}

TEST(ClientErrors, BadRequestCarriesTheApiMessage) {
  FakeModelServer server({Reply(
      400, AnthropicError("invalid_request_error", "max_tokens: 999999 > 8192, the maximum"))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kBadRequest);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_THAT(response.error, HasSubstr("max_tokens: 999999 > 8192, the maximum"));
  EXPECT_THAT(response.error, HasSubstr("HTTP 400"));
}

TEST(ClientErrors, OllamaStyleStringError) {
  EXPECT_EQ(
      ExtractApiErrorMessage(R"({"error":"model \"llava\" not found, try pulling it first"})"),
      "model \"llava\" not found, try pulling it first");
}

TEST(ClientErrors, MissingKeyFailsWithoutTheNetwork) {
  HttpModelClientOptions options;
  options.env = MapEnv({});  // neither key nor base URL: the real endpoints
  HttpModelClient client(std::move(options));
  const ModelResponse anthropic = client.Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(anthropic.status, CallStatus::kConfigError);
  EXPECT_THAT(anthropic.error, HasSubstr("ANTHROPIC_API_KEY is not set"));
  EXPECT_EQ(anthropic.attempts, 0);
  const ModelResponse openai = client.Call(SampleRequest(Provider::kOpenAi));
  EXPECT_EQ(openai.status, CallStatus::kConfigError);
  EXPECT_THAT(openai.error, HasSubstr("OPENAI_API_KEY is not set"));
}

TEST(ClientErrors, InvalidRequestsFailWithoutTheNetwork) {
  HttpModelClientOptions options;
  options.env = MapEnv({{"ANTHROPIC_BASE_URL", "ftp://example.invalid"}});
  HttpModelClient client(std::move(options));
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  EXPECT_THAT(client.Call(request).error, HasSubstr("must start with http"));
  request.model.clear();
  EXPECT_THAT(client.Call(request).error, HasSubstr("no model name"));
  request = SampleRequest(Provider::kAnthropic);
  request.answer_format = AnswerFormat::kJsonSchema;
  request.schema.schema_json = "{not json";
  const ModelResponse bad_schema = client.Call(request);
  EXPECT_EQ(bad_schema.status, CallStatus::kConfigError);
  EXPECT_THAT(bad_schema.error, HasSubstr("schema"));
}

// ---- garbage from the API ------------------------------------------------------------------

TEST(Garbage, NonJsonBodyIsAClearError) {
  FakeModelServer server({Reply(200, "this is {not json", {}, "text/plain")});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kBadResponse);
  EXPECT_THAT(response.error, HasSubstr("not JSON"));
  EXPECT_EQ(response.raw_body, "this is {not json");
}

TEST(Garbage, HtmlErrorPageIsAClearError) {
  const std::string html =
      "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
      "<hr><center>nginx</center></body></html>";
  FakeModelServer server({Reply(200, html, {}, "text/html")});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  EXPECT_EQ(response.status, CallStatus::kBadResponse);
  EXPECT_THAT(response.error, HasSubstr("502 Bad Gateway"));
  EXPECT_THAT(response.error, Not(HasSubstr("<h1>")));
}

TEST(Garbage, HtmlGatewayErrorIsRetriedThenReported) {
  FakeModelServer server({Reply(502, "<html><body>Bad Gateway</body></html>", {}, "text/html")});
  Harness h(server, Provider::kOpenAi);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kOpenAi));
  EXPECT_EQ(response.status, CallStatus::kServerError);
  EXPECT_EQ(response.attempts, 4);
  EXPECT_THAT(response.error, HasSubstr("non-JSON body: Bad Gateway"));
}

TEST(Garbage, JsonOfTheWrongShapeIsAClearError) {
  struct Case {
    Provider provider;
    std::string body;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {Provider::kAnthropic, R"({"id": "msg"})", "no `content` array"},
      {Provider::kAnthropic, R"([1, 2])", "not an object"},
      {Provider::kAnthropic, R"({"content": [{"type": "tool_use", "input": 3}]})", "no `input`"},
      {Provider::kAnthropic, R"({"content": [], "stop_reason": "max_tokens"})", "max_tokens"},
      {Provider::kOpenAi, R"({"choices": []})", "no `choices`"},
      {Provider::kOpenAi, R"({"choices": [{"message": 5}]})", "no `message`"},
      {Provider::kOpenAi, R"({"choices": [{"message": {"content": 7}}]})", "neither text"},
      {Provider::kOpenAi,
       R"({"choices": [{"message": {"content": ""}, "finish_reason": "length"}]})",
       "empty answer (finish_reason length)"},
      {Provider::kOpenAi, R"({"error": {"message": "context too long"}})", "context too long"},
      {Provider::kOpenAi, "", "empty body"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    const ModelResponse response = ParseResponseBody(c.provider, c.body);
    EXPECT_EQ(response.status, CallStatus::kBadResponse);
    EXPECT_THAT(response.error, HasSubstr(c.expected));
  }
  // Control: a well-formed answer parses.
  EXPECT_TRUE(ParseResponseBody(Provider::kOpenAi, OpenAiAnswer("x")).ok());
}

// Token counts that are no integer a server could mean (a float beyond int64, found by fuzzing:
// converting it was undefined behaviour) count as 0; fractional ones are truncated.
TEST(Garbage, TokenCountsOutOfRangeCountAsZero) {
  const ModelResponse response =
      ParseResponseBody(Provider::kAnthropic,
                        R"({"content": [{"type": "text", "text": "x"}], "stop_reason": "end_turn",
          "usage": {"input_tokens": 1e300, "output_tokens": 42.9}})");
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.usage.input_tokens, 0);
  EXPECT_EQ(response.usage.output_tokens, 42);
  const ModelResponse negative = ParseResponseBody(
      Provider::kOpenAi, R"({"choices": [{"message": {"content": "x"}, "finish_reason": "stop"}],
                             "usage": {"prompt_tokens": -1e19, "completion_tokens": 3}})");
  ASSERT_TRUE(negative.ok()) << negative.error;
  EXPECT_EQ(negative.usage.input_tokens, 0);
  EXPECT_EQ(negative.usage.output_tokens, 3);
}

// ---- secrets -------------------------------------------------------------------------------

TEST(Secrets, EchoedKeyNeverReachesErrorsBodiesOrLogs) {
  const std::string echo = std::string("invalid key ") + kFakeAnthropicKey + " for this org";
  FakeModelServer server({Reply(500, AnthropicError("api_error", echo)),
                          Reply(400, AnthropicError("invalid_request_error", echo))});
  Harness h(server, Provider::kAnthropic);
  const ModelResponse response = h.client->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kBadRequest);
  // Control: the server did send the key back, and the redaction is visible.
  EXPECT_EQ(server.requests().at(0).Header("x-api-key"), kFakeAnthropicKey);
  EXPECT_THAT(response.error, HasSubstr("invalid key [REDACTED] for this org"));
  EXPECT_THAT(response.error, Not(HasSubstr(kFakeAnthropicKey)));
  EXPECT_THAT(response.raw_body, Not(HasSubstr(kFakeAnthropicKey)));
  ASSERT_FALSE(h.log.empty());
  for (const std::string& line : h.log) EXPECT_THAT(line, Not(HasSubstr(kFakeAnthropicKey)));
}

TEST(Secrets, ScrubAndRedactHelpers) {
  const std::vector<std::string> secrets = {"abcdef123", "xy"};
  EXPECT_EQ(ScrubSecrets("k=abcdef123;k2=abcdef123 xy", secrets),
            "k=[REDACTED];k2=[REDACTED] xy");  // too short a "secret" is left alone
  EXPECT_EQ(RedactUrl("https://user:pw@host.example:8443/v1?key=s3cret#frag"),
            "https://host.example:8443/v1");
  EXPECT_EQ(RedactUrl("http://127.0.0.1:8080/v1/messages"), "http://127.0.0.1:8080/v1/messages");
}

// ---- the wire ------------------------------------------------------------------------------

TEST(Wire, LargeImagesArriveIntact) {  // several MB: no Expect/100-continue stall, no truncation
  FakeModelServer server({Reply(200, AnthropicTextAnswer("big"))});
  Harness h(server, Provider::kAnthropic);
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.turns[0].png.resize(3 << 20);
  std::uint32_t x = 12345;
  for (auto& byte : request.turns[0].png) {
    x = x * 1664525u + 1013904223u;
    byte = static_cast<std::uint8_t>(x >> 24);
  }
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.client->Call(request).ok());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  const Json body = BodyOf(server.requests().at(0));
  const auto png =
      Base64Decode(body["messages"][0]["content"][0]["source"]["data"].get<std::string>());
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(*png, request.turns[0].png);
}

TEST(Wire, ResolveEndpointReadsTheSdkVariables) {
  const Endpoint a = ResolveEndpoint(Provider::kAnthropic, MapEnv({}));
  EXPECT_EQ(a.base_url, "https://api.anthropic.com");
  EXPECT_FALSE(a.base_url_from_env);
  const Endpoint o = ResolveEndpoint(Provider::kOpenAi, MapEnv({}));
  EXPECT_EQ(o.base_url, "https://api.openai.com/v1");
  const Endpoint local = ResolveEndpoint(
      Provider::kOpenAi,
      MapEnv({{"OPENAI_BASE_URL", "http://localhost:11434/v1/"}, {"OPENAI_API_KEY", ""}}));
  EXPECT_EQ(local.base_url, "http://localhost:11434/v1");
  EXPECT_TRUE(local.api_key.empty());
  EXPECT_TRUE(local.base_url_from_env);
  EXPECT_FALSE(EndpointConfigured(Provider::kAnthropic, MapEnv({})));
  EXPECT_TRUE(EndpointConfigured(Provider::kAnthropic, MapEnv({{"ANTHROPIC_API_KEY", "sk-x"}})));
  EXPECT_FALSE(EndpointConfigured(Provider::kOpenAi, MapEnv({{"ANTHROPIC_API_KEY", "sk-x"}})));
  EXPECT_TRUE(EndpointConfigured(Provider::kOpenAi,
                                 MapEnv({{"OPENAI_BASE_URL", "http://localhost:11434/v1"}})));
  EXPECT_EQ(ParseProvider("anthropic"), Provider::kAnthropic);
  EXPECT_EQ(ParseProvider("openai"), Provider::kOpenAi);
  EXPECT_EQ(ParseProvider("gemini"), std::nullopt);
}

}  // namespace
}  // namespace marsdrive::planners::vlm

// Record / replay of model calls: the key, the files, replay without a network, and no secret
// in any byte written.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "planners/vlm/cassette.h"
#include "tests/planners/fake_model_server.h"
#include "tests/planners/vlm_test_util.h"
#include "tests/util/command.h"

namespace marsdrive::planners::vlm {
namespace {

using ::marsdrive::planners::testing::AnthropicError;
using ::marsdrive::planners::testing::AnthropicTextAnswer;
using ::marsdrive::planners::testing::AnthropicToolAnswer;
using ::marsdrive::planners::testing::FakeClock;
using ::marsdrive::planners::testing::FakeModelServer;
using ::marsdrive::planners::testing::MapEnv;
using ::marsdrive::planners::testing::OpenAiAnswer;
using ::marsdrive::planners::testing::Reply;
using ::marsdrive::planners::testing::RouteSchema;
using ::marsdrive::planners::testing::SampleRequest;
using ::marsdrive::planners::testing::TestHttpOptions;
using ::marsdrive::testing::ReadWholeFile;
using ::marsdrive::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kFakeKey = "sk-ant-cassette-test-KEY-0123456789";

HttpModelClientOptions OptionsFor(const FakeModelServer& server, FakeClock& clock,
                                  std::vector<std::string>* log) {
  HttpModelClientOptions options;
  options.http = TestHttpOptions(clock, log);
  options.env = MapEnv({{"ANTHROPIC_BASE_URL", server.base_url()},
                        {"ANTHROPIC_API_KEY", kFakeKey},
                        {"OPENAI_BASE_URL", server.base_url() + "/v1"},
                        {"OPENAI_API_KEY", kFakeKey}});
  return options;
}

std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  return files;
}

ModelRequest ToolRequest() {
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  request.answer_format = AnswerFormat::kJsonSchema;
  request.schema.name = "route";
  request.schema.description = "The route";
  request.schema.schema_json = RouteSchema();
  return request;
}

// ---- the key -------------------------------------------------------------------------------

TEST(CassetteKey, IsTheSha256OfTheCanonicalRequest) {
  EXPECT_EQ(Sha256Hex("abc"),  // FIPS 180-2 test vector
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const ModelRequest request = ToolRequest();
  EXPECT_EQ(RequestKey(request), Sha256Hex(CanonicalRequestJson(request)));
  EXPECT_EQ(RequestKey(request).size(), 64u);
  EXPECT_EQ(RequestKey(request), RequestKey(ToolRequest()));  // stable
}

TEST(CassetteKey, EveryPartOfTheQuestionChangesIt) {
  const ModelRequest base = ToolRequest();
  const std::string key = RequestKey(base);
  std::vector<std::pair<std::string, ModelRequest>> variants;
  const auto add = [&](const std::string& what, auto change) {
    ModelRequest r = base;
    change(r);
    variants.emplace_back(what, r);
  };
  add("provider", [](ModelRequest& r) { r.provider = Provider::kOpenAi; });
  add("model", [](ModelRequest& r) { r.model = "claude-other"; });
  add("system", [](ModelRequest& r) { r.system += " "; });
  add("text", [](ModelRequest& r) { r.turns[0].text = "Plan a route from B to A."; });
  add("one image byte", [](ModelRequest& r) { r.turns[0].png[40] ^= 1; });
  add("no image", [](ModelRequest& r) { r.turns[0].png.clear(); });
  add("another turn", [](ModelRequest& r) { r.turns.push_back({Role::kAssistant, "ok", {}}); });
  add("role", [](ModelRequest& r) { r.turns[0].role = Role::kAssistant; });
  add("temperature", [](ModelRequest& r) { r.temperature = 0.3; });
  add("no temperature", [](ModelRequest& r) { r.temperature.reset(); });
  add("max_tokens", [](ModelRequest& r) { r.max_tokens = 1025; });
  add("format", [](ModelRequest& r) { r.answer_format = AnswerFormat::kJsonObject; });
  add("schema", [](ModelRequest& r) { r.schema.schema_json = R"({"type": "object"})"; });
  add("schema name", [](ModelRequest& r) { r.schema.name = "path"; });
  for (const auto& [what, request] : variants) {
    SCOPED_TRACE(what);
    EXPECT_NE(RequestKey(request), key);
  }
}

TEST(CassetteKey, WhatDoesNotChangeTheAnswerDoesNotChangeIt) {
  const ModelRequest base = ToolRequest();
  ModelRequest r = base;
  r.timeout_s = 999;
  EXPECT_EQ(RequestKey(r), RequestKey(base));
  r = base;  // the schema's whitespace and key order
  r.schema.schema_json = Json::parse(RouteSchema()).dump(4);
  EXPECT_EQ(RequestKey(r), RequestKey(base));
  // Neither the key nor the base URL is part of the request at all: a cassette recorded against
  // one server replays against any (checked end to end in RecordThenReplay below).
  EXPECT_THAT(CanonicalRequestJson(base), Not(HasSubstr("http")));
}

// ---- record and replay ---------------------------------------------------------------------

TEST(Cassette, RecordThenReplayWithTheServerGone) {
  const TempDir dir("vlm-cassette");
  const Json route = {{"waypoints", Json::array({{{"x_m", 4.0}, {"y_m", 5.5}}})}};
  auto server = std::make_unique<FakeModelServer>(
      std::vector{Reply(200, AnthropicToolAnswer(route, "Route below."))});
  FakeClock clock;
  const ModelRequest request = ToolRequest();

  auto recorder =
      MakeModelClient(CacheMode::kRecord, dir.path(), OptionsFor(*server, clock, nullptr));
  const ModelResponse recorded = recorder->Call(request);
  ASSERT_TRUE(recorded.ok()) << recorded.error;
  EXPECT_FALSE(recorded.from_cassette);
  EXPECT_EQ(server->requests().size(), 1u);
  const fs::path file = dir.path() / (RequestKey(request) + ".json");
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(FilesIn(dir.path()).size(), 1u);  // no temporary file left behind

  server->Stop();
  server.reset();
  // A replayer knows no key and no endpoint: it must not need them.
  auto replayer = MakeModelClient(CacheMode::kReplay, dir.path(), {});
  const ModelResponse replayed = replayer->Call(request);
  ASSERT_TRUE(replayed.ok()) << replayed.error;
  EXPECT_TRUE(replayed.from_cassette);
  EXPECT_EQ(replayed.raw_body, recorded.raw_body);  // the identical response bytes
  EXPECT_EQ(replayed.text, recorded.text);
  EXPECT_EQ(replayed.structured_json, recorded.structured_json);
  EXPECT_EQ(replayed.stop_reason, recorded.stop_reason);
  EXPECT_EQ(replayed.usage.input_tokens, recorded.usage.input_tokens);
  EXPECT_EQ(replayed.usage.output_tokens, recorded.usage.output_tokens);
  EXPECT_EQ(replayed.http_status, 200);
  EXPECT_EQ(Json::parse(replayed.structured_json), route);
}

TEST(Cassette, ReplayOfTheOpenAiProtocol) {
  const TempDir dir("vlm-cassette-openai");
  FakeModelServer server({Reply(200, OpenAiAnswer("{\"waypoints\": []}"))});
  FakeClock clock;
  ModelRequest request = SampleRequest(Provider::kOpenAi);
  request.answer_format = AnswerFormat::kJsonObject;
  const ModelResponse recorded =
      MakeModelClient(CacheMode::kRecord, dir.path(), OptionsFor(server, clock, nullptr))
          ->Call(request);
  ASSERT_TRUE(recorded.ok()) << recorded.error;
  server.Stop();
  const ModelResponse replayed = MakeModelClient(CacheMode::kReplay, dir.path())->Call(request);
  ASSERT_TRUE(replayed.ok()) << replayed.error;
  EXPECT_EQ(replayed.raw_body, recorded.raw_body);
  EXPECT_EQ(replayed.structured_json, "{\"waypoints\":[]}");
}

TEST(Cassette, ReplayMissNamesTheMissingKey) {
  const TempDir dir("vlm-cassette-miss");
  const ModelRequest request = ToolRequest();
  const ModelResponse response = MakeModelClient(CacheMode::kReplay, dir.path())->Call(request);
  EXPECT_EQ(response.status, CallStatus::kReplayMiss);
  EXPECT_THAT(response.error, HasSubstr(RequestKey(request)));
  EXPECT_THAT(response.error, HasSubstr("cache=record"));
  EXPECT_EQ(response.attempts, 0);
}

TEST(Cassette, ReplayOfADifferentRequestMisses) {  // control for the hit above: the key matters
  const TempDir dir("vlm-cassette-other");
  FakeModelServer server({Reply(200, AnthropicTextAnswer("hello"))});
  FakeClock clock;
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  ASSERT_TRUE(MakeModelClient(CacheMode::kRecord, dir.path(), OptionsFor(server, clock, nullptr))
                  ->Call(request)
                  .ok());
  auto replayer = MakeModelClient(CacheMode::kReplay, dir.path());
  EXPECT_TRUE(replayer->Call(request).ok());
  request.turns[0].png[30] ^= 0x10;
  EXPECT_EQ(replayer->Call(request).status, CallStatus::kReplayMiss);
}

TEST(Cassette, TransportFailuresAreNotRecorded) {
  const TempDir dir("vlm-cassette-fail");
  FakeModelServer server({Reply(401, AnthropicError("authentication_error", "no"))});
  FakeClock clock;
  const ModelResponse response =
      MakeModelClient(CacheMode::kRecord, dir.path(), OptionsFor(server, clock, nullptr))
          ->Call(SampleRequest(Provider::kAnthropic));
  EXPECT_EQ(response.status, CallStatus::kAuthError);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(Cassette, OffModeCallsEveryTimeAndWritesNothing) {
  const TempDir dir("vlm-cassette-off");
  FakeModelServer server({Reply(200, AnthropicTextAnswer("hello"))});
  FakeClock clock;
  auto client = MakeModelClient(CacheMode::kOff, dir.path(), OptionsFor(server, clock, nullptr));
  ASSERT_TRUE(client->Call(SampleRequest(Provider::kAnthropic)).ok());
  ASSERT_TRUE(client->Call(SampleRequest(Provider::kAnthropic)).ok());
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_TRUE(FilesIn(dir.path()).empty());
}

TEST(Cassette, FileIsReadableJsonWithTheDocumentedFields) {
  const TempDir dir("vlm-cassette-format");
  FakeModelServer server({Reply(200, AnthropicTextAnswer("hello"))});
  FakeClock clock;
  const ModelRequest request = SampleRequest(Provider::kAnthropic);
  ASSERT_TRUE(MakeModelClient(CacheMode::kRecord, dir.path(), OptionsFor(server, clock, nullptr))
                  ->Call(request)
                  .ok());
  const Json doc = Json::parse(ReadWholeFile(dir.path() / (RequestKey(request) + ".json")));
  EXPECT_EQ(doc["format"], kCassetteFormat);
  EXPECT_EQ(doc["key"], RequestKey(request));
  EXPECT_EQ(doc["request"]["model"], "claude-test");
  EXPECT_EQ(doc["request"]["turns"][0]["png_bytes"], request.turns[0].png.size());
  EXPECT_EQ(doc["response"]["status"], "ok");
  EXPECT_EQ(doc["response"]["text"], "hello");
  EXPECT_EQ(doc["response"]["raw_body"], AnthropicTextAnswer("hello"));
  EXPECT_EQ(doc["recorded"]["attempts"], 1);
}

TEST(Cassette, CorruptFileIsAClearError) {
  const TempDir dir("vlm-cassette-corrupt");
  const ModelRequest request = SampleRequest(Provider::kAnthropic);
  const fs::path file = dir.path() / (RequestKey(request) + ".json");
  std::ofstream(file) << R"({"format": "marsdrive/vlm-cassette/1", "key": )";
  const ModelResponse response = MakeModelClient(CacheMode::kReplay, dir.path())->Call(request);
  EXPECT_EQ(response.status, CallStatus::kCassetteError);
  EXPECT_THAT(response.error, HasSubstr(file.string()));
}

TEST(Cassette, ParseCacheMode) {
  EXPECT_EQ(ParseCacheMode("record"), CacheMode::kRecord);
  EXPECT_EQ(ParseCacheMode("replay"), CacheMode::kReplay);
  EXPECT_EQ(ParseCacheMode("off"), CacheMode::kOff);
  EXPECT_EQ(ParseCacheMode("on"), std::nullopt);
  EXPECT_STREQ(ToString(CacheMode::kReplay), "replay");
}

// ---- secrets -------------------------------------------------------------------------------

// The key is set in the real process environment (as a user would), the server echoes it in
// the model's answer and in an error before that; not one byte written may contain it.
TEST(CassetteSecrets, NoKeyInAnyCassetteOrLogByte) {
  const TempDir dir("vlm-cassette-secret");
  const std::string echo = std::string("I saw the key ") + kFakeKey + " in your request.";
  FakeModelServer server({Reply(503, AnthropicError("overloaded_error", echo)),
                          Reply(200, AnthropicTextAnswer(echo))});
  ::setenv("ANTHROPIC_API_KEY", kFakeKey, 1);
  ::setenv("ANTHROPIC_BASE_URL", server.base_url().c_str(), 1);
  FakeClock clock;
  std::vector<std::string> log;
  HttpModelClientOptions options;
  options.http = TestHttpOptions(clock, &log);  // env: the process environment
  auto recorder = MakeModelClient(CacheMode::kRecord, dir.path(), std::move(options));
  ::unsetenv("ANTHROPIC_API_KEY");
  ::unsetenv("ANTHROPIC_BASE_URL");
  ModelRequest request = SampleRequest(Provider::kAnthropic);
  const ModelResponse response = recorder->Call(request);
  ASSERT_TRUE(response.ok()) << response.error;

  // Controls: the key did go out, the server did echo it, and scrubbing is what removed it.
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[1].Header("x-api-key"), kFakeKey);
  EXPECT_THAT(response.text, HasSubstr("I saw the key [REDACTED] in your request."));
  ASSERT_FALSE(log.empty());

  const std::vector<fs::path> files = FilesIn(dir.path());
  ASSERT_EQ(files.size(), 1u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const std::string bytes = ReadWholeFile(file);
    EXPECT_THAT(bytes, HasSubstr("[REDACTED]"));
    EXPECT_EQ(bytes.find(kFakeKey), std::string::npos);
  }
  for (const std::string& line : log) EXPECT_EQ(line.find(kFakeKey), std::string::npos) << line;
  EXPECT_EQ(response.raw_body.find(kFakeKey), std::string::npos);
  EXPECT_EQ(response.error.find(kFakeKey), std::string::npos);

  // And the scrubbed cassette still replays to the same answer.
  const ModelResponse replayed = MakeModelClient(CacheMode::kReplay, dir.path())->Call(request);
  ASSERT_TRUE(replayed.ok()) << replayed.error;
  EXPECT_EQ(replayed.raw_body, response.raw_body);
  EXPECT_EQ(replayed.text, response.text);
}

}  // namespace
}  // namespace marsdrive::planners::vlm

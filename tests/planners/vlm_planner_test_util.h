#pragma once
// Shared by the VLM planner tests (library and command line): one plan problem on a flat
// 60 m x 40 m map with a keep-out "crater", a good route around it and a bad one through it,
// model answers in both protocols, and a check of every request against what the real
// services require (method, path, headers, JSON shape, a decodable PNG of the expected size).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io/base64.h"
#include "planners/plan_types.h"
#include "planners/vlm/model_client.h"
#include "tests/planners/fake_model_server.h"
#include "tests/planners/vlm_test_util.h"

namespace marsdrive::planners::testing {

inline constexpr const char* kVlmTestKey = "sk-test-VLM-planner-SECRET-0123456789abcdef";

// The crater the bad route crosses: x 25..35, y 10..30.
inline KeepOut Crater() { return {"crater", {{25, 10}, {35, 10}, {35, 30}, {25, 30}}}; }

// Start (5, 5), goal (55, 35) within 1.5 m, the crater, the spacing limit 100 m.
inline constexpr Point2 kVlmStart{5, 5};
inline constexpr Point2 kVlmGoal{55, 35};

// Around the crater's south side: every leg <= 11.2 m, 5 m clear of the crater.
inline std::vector<Point2> GoodRoute() {
  return {{15, 5}, {25, 5}, {35, 5}, {45, 5}, {50, 15}, {55, 25}, {55, 35}};
}
// Straight through the crater.
inline std::vector<Point2> CraterRoute() {
  return {{15, 10}, {25, 15}, {35, 20}, {45, 25}, {55, 35}};
}

inline std::string RouteJson(const std::vector<Point2>& route) {
  Json list = Json::array();
  for (std::size_t i = 0; i < route.size(); ++i) {
    list.push_back({{"x", route[i].x_m},
                    {"y", route[i].y_m},
                    {"rationale", "leg " + std::to_string(i + 1) + ": flat ground"}});
  }
  return Json{{"waypoints", list}}.dump();
}

// A 200 answer with `text` as the model's text, in the provider's protocol.
inline ScriptedReply ModelAnswer(vlm::Provider provider, const std::string& text) {
  return Reply(
      200, provider == vlm::Provider::kAnthropic ? AnthropicTextAnswer(text) : OpenAiAnswer(text));
}

inline vlm::EnvFn FakeServerEnv(const FakeModelServer& server) {
  return MapEnv({{"ANTHROPIC_BASE_URL", server.base_url()},
                 {"ANTHROPIC_API_KEY", kVlmTestKey},
                 {"OPENAI_BASE_URL", server.base_url() + "/v1"},
                 {"OPENAI_API_KEY", kVlmTestKey}});
}

// The PNG in a base64 text decodes, and has the expected size.
inline void ExpectPng(const std::string& base64, int width_px, int height_px) {
  const auto bytes = marsdrive::Base64Decode(base64);
  ASSERT_TRUE(bytes.has_value()) << "image data is not base64";
  ASSERT_GE(bytes->size(), 8u);
  EXPECT_EQ((*bytes)[0], 0x89);
  EXPECT_EQ((*bytes)[1], 'P');
  const cv::Mat image = cv::imdecode(*bytes, cv::IMREAD_COLOR);
  ASSERT_FALSE(image.empty()) << "image does not decode as PNG";
  EXPECT_EQ(image.cols, width_px);
  EXPECT_EQ(image.rows, height_px);
}

// Checks a request as the real service would: method, path, headers, body shape, the image.
// Roles alternate user/assistant starting and ending with user (both APIs reject otherwise).
inline void ExpectValidModelRequest(vlm::Provider provider, const RecordedRequest& r, int width_px,
                                    int height_px) {
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  const Json body = Json::parse(r.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << "body is not a JSON object";
  ASSERT_TRUE(body.contains("model") && body["model"].is_string());
  EXPECT_FALSE(body["model"].get<std::string>().empty());
  ASSERT_TRUE(body.contains("max_tokens") && body["max_tokens"].is_number_integer());
  ASSERT_TRUE(body.contains("messages") && body["messages"].is_array());
  Json messages = body["messages"];
  if (provider == vlm::Provider::kAnthropic) {
    EXPECT_EQ(r.path, "/v1/messages");
    EXPECT_EQ(r.Header("x-api-key"), kVlmTestKey);
    EXPECT_EQ(r.Header("anthropic-version"), "2023-06-01");
    EXPECT_TRUE(body.contains("system") && body["system"].is_string());
  } else {
    EXPECT_EQ(r.path, "/v1/chat/completions");
    EXPECT_EQ(r.Header("authorization"), std::string("Bearer ") + kVlmTestKey);
    ASSERT_FALSE(messages.empty());
    EXPECT_EQ(messages[0]["role"], "system");
    EXPECT_TRUE(messages[0]["content"].is_string());
    messages.erase(messages.begin());
  }
  ASSERT_FALSE(messages.empty());
  ASSERT_EQ(messages.size() % 2, 1u) << "the conversation must end with a user turn";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i]["role"], i % 2 == 0 ? "user" : "assistant") << "message " << i;
  }
  // The first user message: the image first, then the brief.
  const Json& content = messages[0]["content"];
  ASSERT_TRUE(content.is_array());
  ASSERT_EQ(content.size(), 2u);
  if (provider == vlm::Provider::kAnthropic) {
    EXPECT_EQ(content[0]["type"], "image");
    EXPECT_EQ(content[0]["source"]["type"], "base64");
    EXPECT_EQ(content[0]["source"]["media_type"], "image/png");
    ExpectPng(content[0]["source"]["data"].get<std::string>(), width_px, height_px);
  } else {
    EXPECT_EQ(content[0]["type"], "image_url");
    const std::string url = content[0]["image_url"]["url"].get<std::string>();
    const std::string prefix = "data:image/png;base64,";
    ASSERT_EQ(url.rfind(prefix, 0), 0u) << url.substr(0, 40);
    ExpectPng(url.substr(prefix.size()), width_px, height_px);
  }
  EXPECT_EQ(content[1]["type"], "text");
  EXPECT_NE(content[1]["text"].get<std::string>().find("\"waypoints\""), std::string::npos);
}

}  // namespace marsdrive::planners::testing

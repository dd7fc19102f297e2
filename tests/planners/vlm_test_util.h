#pragma once
// Shared by the VLM transport tests: an injected clock whose sleeps cost no real time, an
// injected environment, canned protocol answers and a real 1x1 PNG.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "planners/vlm/http_client.h"
#include "planners/vlm/model_client.h"

namespace marsdrive::planners::testing {

using Json = nlohmann::json;

// now() = real time since construction + every injected sleep, so curl's real timeouts and the
// retry waits (which cost nothing) add up on one clock.
class FakeClock {
 public:
  double Now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count() + slept_s_;
  }
  void Sleep(double s) {
    sleeps_.push_back(s);
    slept_s_ += s;
  }
  const std::vector<double>& sleeps() const { return sleeps_; }
  double slept_s() const { return slept_s_; }

 private:
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  double slept_s_ = 0;
  std::vector<double> sleeps_;
};

// Wires `clock` and a log collector into HTTP options; short connect timeout, small backoff.
inline vlm::HttpClientOptions TestHttpOptions(FakeClock& clock, std::vector<std::string>* log,
                                              std::uint64_t seed = 1) {
  vlm::HttpClientOptions options;
  options.jitter_seed = seed;
  options.sleep = [&clock](double s, std::stop_token) { clock.Sleep(s); };
  options.now = [&clock] { return clock.Now(); };
  options.wall_now = [] { return std::int64_t{1'700'000'000}; };  // 2023-11-14T22:13:20Z
  options.retry.connect_timeout_s = 2.0;
  if (log != nullptr) options.log = [log](std::string_view line) { log->emplace_back(line); };
  return options;
}

inline vlm::EnvFn MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A real 1x1 PNG (one rust-red pixel).
inline std::vector<std::uint8_t> TinyPng() {
  return {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
          0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
          0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
          0x9c, 0x63, 0x38, 0xe8, 0xa2, 0x04, 0x00, 0x02, 0xf1, 0x01, 0x28, 0x3d, 0xff, 0x59,
          0x7d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
}

// ---- canned answers, shaped as the documented protocols ------------------------------------

inline std::string AnthropicTextAnswer(const std::string& text) {
  return Json{{"id", "msg_test"},
              {"type", "message"},
              {"role", "assistant"},
              {"model", "claude-test"},
              {"content", Json::array({{{"type", "text"}, {"text", text}}})},
              {"stop_reason", "end_turn"},
              {"stop_sequence", nullptr},
              {"usage", {{"input_tokens", 1234}, {"output_tokens", 56}}}}
      .dump();
}

inline std::string AnthropicToolAnswer(const Json& input, const std::string& preface = "") {
  Json content = Json::array();
  if (!preface.empty()) content.push_back({{"type", "text"}, {"text", preface}});
  content.push_back(
      {{"type", "tool_use"}, {"id", "toolu_test"}, {"name", "route"}, {"input", input}});
  return Json{{"id", "msg_test"},
              {"type", "message"},
              {"role", "assistant"},
              {"model", "claude-test"},
              {"content", std::move(content)},
              {"stop_reason", "tool_use"},
              {"usage", {{"input_tokens", 2000}, {"output_tokens", 80}}}}
      .dump();
}

inline std::string AnthropicError(const std::string& type, const std::string& message) {
  return Json{{"type", "error"}, {"error", {{"type", type}, {"message", message}}}}.dump();
}

inline std::string OpenAiAnswer(const Json& content, const std::string& finish = "stop") {
  return Json{{"id", "chatcmpl-test"},
              {"object", "chat.completion"},
              {"model", "gpt-test"},
              {"choices", Json::array({{{"index", 0},
                                        {"message", {{"role", "assistant"}, {"content", content}}},
                                        {"finish_reason", finish}}})},
              {"usage", {{"prompt_tokens", 900}, {"completion_tokens", 42}, {"total_tokens", 942}}}}
      .dump();
}

inline std::string OpenAiError(const std::string& message, const std::string& code) {
  return Json{{"error",
               {{"message", message},
                {"type", "invalid_request_error"},
                {"param", nullptr},
                {"code", code}}}}
      .dump();
}

inline std::string RouteSchema() {
  return R"({"type": "object",
             "properties": {"waypoints": {"type": "array", "items": {"type": "object",
               "properties": {"x_m": {"type": "number"}, "y_m": {"type": "number"}},
               "required": ["x_m", "y_m"]}},
               "rationale": {"type": "string"}},
             "required": ["waypoints"]})";
}

inline vlm::ModelRequest SampleRequest(vlm::Provider provider) {
  vlm::ModelRequest request;
  request.provider = provider;
  request.model = provider == vlm::Provider::kAnthropic ? "claude-test" : "gpt-test";
  request.system = "You plan rover drives on Mars.";
  request.turns.push_back({vlm::Role::kUser, "Plan a route from A to B.", TinyPng()});
  request.temperature = 0.2;
  request.max_tokens = 1024;
  request.timeout_s = 10.0;
  return request;
}

}  // namespace marsdrive::planners::testing

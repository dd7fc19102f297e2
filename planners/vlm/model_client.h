#pragma once
// A provider-neutral model call (ModelRequest -> ModelResponse) over the two HTTP protocols a
// vision-language model is reached with:
//
//   Anthropic Messages API        POST {ANTHROPIC_BASE_URL}/v1/messages
//     base URL without /v1, as the official SDKs read it; default https://api.anthropic.com
//     headers  x-api-key: $ANTHROPIC_API_KEY, anthropic-version: 2023-06-01,
//              content-type: application/json
//     body     {model, max_tokens, [temperature], [system], messages: [{role, content: [
//                {type: image, source: {type: base64, media_type: image/png, data}},
//                {type: text, text}]}],
//               [tools: [{name, description, input_schema}], tool_choice: {type: tool, name}]}
//     answer   {content: [{type: text, text} | {type: tool_use, id, name, input}], stop_reason,
//               usage: {input_tokens, output_tokens}}
//
//   OpenAI-compatible Chat Completions   POST {OPENAI_BASE_URL}/chat/completions
//     base URL with /v1, as the official SDKs read it; default https://api.openai.com/v1; local
//     servers (Ollama http://localhost:11434/v1, vLLM, llama.cpp server) speak it too
//     headers  content-type: application/json, Authorization: Bearer $OPENAI_API_KEY (only when
//              the key is set: local servers need none)
//     body     {model, max_tokens, [temperature], messages: [{role: system, content},
//               {role: user, content: [
//                 {type: image_url, image_url: {url: "data:image/png;base64,..."}},
//                 {type: text, text}]}],      (a turn without an image: content is a string)
//               [response_format: {type: json_object} | {type: json_schema,
//                                  json_schema: {name, description, schema, strict}}]}
//     answer   {choices: [{message: {content (string or text parts), [refusal]}, finish_reason}],
//               usage: {prompt_tokens, completion_tokens}}
//
// Errors (HTTP, protocol, garbage bodies) come back as ModelResponse values, never exceptions.
// API keys are read from the environment once (when the client is made), sent only in headers,
// and scrubbed from every text this layer returns or logs.
//
// Checked against: Anthropic "Messages" and "Errors" API reference, "Versioning"
// (anthropic-version 2023-06-01), "Vision" (base64 image source) and "Tool use" (tools,
// input_schema, tool_choice {type: tool}); OpenAI Chat Completions reference (image_url content
// parts, response_format json_object / json_schema, error.message); retry rules as in the
// official SDKs' shared base client (408/409/429/5xx, x-should-retry, retry-after[-ms]).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "planners/vlm/http_client.h"

namespace marsdrive::planners::vlm {

enum class Provider { kAnthropic, kOpenAi };
const char* ToString(Provider provider);  // "anthropic", "openai"
std::optional<Provider> ParseProvider(std::string_view name);

enum class Role { kUser, kAssistant };
const char* ToString(Role role);  // "user", "assistant"

// One message of the conversation. An image goes before the text in the message, as the
// Anthropic vision guide recommends.
struct Turn {
  Role role = Role::kUser;
  std::string text;
  std::vector<std::uint8_t> png;  // PNG file bytes; empty: no image
};

enum class AnswerFormat {
  kText,        // free text
  kJsonObject,  // a JSON object: OpenAI response_format json_object; Anthropic: prompt only
  kJsonSchema,  // a JSON object matching `schema`: Anthropic forced tool use, OpenAI json_schema
};

struct AnswerSchema {
  std::string name = "answer";  // tool / schema name: ^[a-zA-Z0-9_-]{1,64}$
  std::string description;
  std::string schema_json;  // a JSON Schema object, as text
  bool strict = false;      // OpenAI strict mode (needs additionalProperties: false throughout)
};

struct ModelRequest {
  Provider provider = Provider::kAnthropic;
  std::string model;
  std::string system;  // empty: none
  std::vector<Turn> turns;
  std::optional<double> temperature;  // unset: not sent (some models accept only their default)
  int max_tokens = 4096;
  double timeout_s = 120.0;  // cap on the whole call, retries and waits included
  AnswerFormat answer_format = AnswerFormat::kText;
  AnswerSchema schema;  // used with kJsonSchema
  // Not part of the question (not in a cassette's key): a stop request ends the call with
  // kCancelled, e.g. the planner's own stop token when the harness's deadline passes.
  std::stop_token stop;
};

struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
};

struct [[nodiscard]] ModelResponse {
  CallStatus status = CallStatus::kConnectionError;
  std::string error;  // why, whenever status != kOk; names the provider; no secrets
  // The model's text: Anthropic text blocks joined by '\n'; OpenAI message content.
  std::string text;
  // Compact JSON of the structured answer: the forced tool's input (Anthropic), or the whole
  // text when it parses as a JSON object or array (OpenAI JSON modes, any provider); else empty.
  std::string structured_json;
  std::string stop_reason;  // as sent: "end_turn", "tool_use", "max_tokens", "stop", "length"...
  TokenUsage usage;
  std::string raw_body;  // the response body exactly as received (secrets scrubbed)
  int http_status = 0;
  int attempts = 0;
  double latency_s = 0.0;
  bool from_cassette = false;
  bool ok() const { return status == CallStatus::kOk; }
};

// Anything that answers model requests: the HTTP client, a cassette, a test double.
class ModelClient {
 public:
  ModelClient() = default;
  ModelClient(const ModelClient&) = delete;
  ModelClient& operator=(const ModelClient&) = delete;
  ModelClient(ModelClient&&) = delete;
  ModelClient& operator=(ModelClient&&) = delete;
  virtual ~ModelClient() = default;

  virtual ModelResponse Call(const ModelRequest& request) = 0;
  // Literal secrets (API keys) this client sends, so that layers storing text can scrub them.
  virtual std::vector<std::string> Secrets() const { return {}; }
};

// Where a provider is reached. Never print `api_key`.
struct Endpoint {
  std::string base_url;  // no trailing '/'
  std::string api_key;   // empty: none set
  bool base_url_from_env = false;
};

// name -> value, nullopt (or empty) when unset. The default reads the process environment.
using EnvFn = std::function<std::optional<std::string>(std::string_view name)>;
EnvFn ProcessEnv();

// ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY or OPENAI_BASE_URL / OPENAI_API_KEY.
Endpoint ResolveEndpoint(Provider provider, const EnvFn& env);
// Whether a call could be attempted at all: a key is set, or a base URL (a local server) is.
// A suite reports VLM entries as skipped, with this reason, when neither is.
bool EndpointConfigured(Provider provider, const EnvFn& env);

// Parses a 2xx body of `provider`'s protocol. status kOk, kRefused or kBadResponse; never throws.
// http_status, attempts, latency_s and from_cassette are left at their defaults.
ModelResponse ParseResponseBody(Provider provider, std::string_view body);

struct HttpModelClientOptions {
  HttpClientOptions http;
  EnvFn env;  // default: ProcessEnv()
  // Name of the OpenAI token limit field: "max_tokens" (every local server) or
  // "max_completion_tokens" (newer OpenAI reasoning models reject max_tokens).
  std::string openai_max_tokens_field = "max_tokens";
};

class HttpModelClient final : public ModelClient {
 public:
  explicit HttpModelClient(HttpModelClientOptions options = {});
  ModelResponse Call(const ModelRequest& request) override;
  std::vector<std::string> Secrets() const override;

 private:
  HttpModelClientOptions options_;
  Endpoint anthropic_;
  Endpoint openai_;
  HttpClient http_;
};

}  // namespace marsdrive::planners::vlm

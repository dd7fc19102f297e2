#include "planners/vlm/model_client.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/base64.h"
#include "io/json_reader.h"

namespace marsdrive::planners::vlm {
namespace {

using Json = nlohmann::json;

constexpr const char* kAnthropicVersion = "2023-06-01";
constexpr const char* kAnthropicDefaultBase = "https://api.anthropic.com";
constexpr const char* kOpenAiDefaultBase = "https://api.openai.com/v1";

// Invalid UTF-8 in a prompt becomes U+FFFD instead of an exception.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string StripTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The whole text as compact JSON when it is a JSON object or array, else "".
std::string JsonOfText(std::string_view text) {
  const std::string_view t = Trim(text);
  if (t.empty() || (t.front() != '{' && t.front() != '[')) return "";
  const Json json = ParseBoundedJsonOrDiscarded<Json>(t);
  if (json.is_discarded() || !(json.is_object() || json.is_array())) return "";
  return Dump(json);
}

std::int64_t IntField(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  // A float outside int64's range (e.g. 1e300 tokens from a broken server) has no integer value:
  // converting it would be undefined behaviour (found by tests/fuzz/fuzz_http_response).
  const double value = it->get<double>();
  return std::fabs(value) < 0x1p63 ? static_cast<std::int64_t>(value) : 0;
}

std::string StringField(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

ModelResponse BadResponse(std::string why) {
  ModelResponse r;
  r.status = CallStatus::kBadResponse;
  r.error = std::move(why);
  return r;
}

// ---- Anthropic Messages API ----------------------------------------------------------------

Json AnthropicBody(const ModelRequest& request, const Json& schema) {
  Json messages = Json::array();
  for (const Turn& turn : request.turns) {
    Json content = Json::array();
    if (!turn.png.empty()) {
      content.push_back(
          {{"type", "image"},
           {"source",
            {{"type", "base64"}, {"media_type", "image/png"}, {"data", Base64Encode(turn.png)}}}});
    }
    content.push_back({{"type", "text"}, {"text", turn.text}});
    messages.push_back({{"role", ToString(turn.role)}, {"content", std::move(content)}});
  }
  Json body = {{"model", request.model},
               {"max_tokens", request.max_tokens},
               {"messages", std::move(messages)}};
  if (!request.system.empty()) body["system"] = request.system;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.answer_format == AnswerFormat::kJsonSchema) {
    Json tool = {{"name", request.schema.name}, {"input_schema", schema}};
    if (!request.schema.description.empty()) tool["description"] = request.schema.description;
    body["tools"] = Json::array({std::move(tool)});
    body["tool_choice"] = {{"type", "tool"}, {"name", request.schema.name}};
  }
  return body;
}

ModelResponse ParseAnthropic(const Json& json) {
  if (!json.is_object()) return BadResponse("response is JSON but not an object");
  if (StringField(json, "type") == "error") {
    const auto e = json.find("error");
    return BadResponse("the API answered with an error: " +
                       (e != json.end() ? StringField(*e, "message") : std::string()));
  }
  const auto content = json.find("content");
  if (content == json.end() || !content->is_array())
    return BadResponse("response has no `content` array (not a Messages API answer?)");
  ModelResponse r;
  bool has_tool_use = false;
  bool has_text = false;
  for (const Json& block : *content) {
    const std::string type = StringField(block, "type");
    if (type == "text") {
      if (has_text) r.text += '\n';
      r.text += StringField(block, "text");
      has_text = true;
    } else if (type == "tool_use" && !has_tool_use) {
      const auto input = block.find("input");
      if (input == block.end() || !input->is_object())
        return BadResponse("a tool_use block has no `input` object");
      r.structured_json = Dump(*input);
      has_tool_use = true;
    }
  }
  r.stop_reason = StringField(json, "stop_reason");
  if (const auto usage = json.find("usage"); usage != json.end()) {
    r.usage.input_tokens = IntField(*usage, "input_tokens");
    r.usage.output_tokens = IntField(*usage, "output_tokens");
  }
  if (r.stop_reason == "refusal") {
    r.status = CallStatus::kRefused;
    r.error = "the model refused to answer (stop_reason refusal)";
    return r;
  }
  if (!has_tool_use) r.structured_json = JsonOfText(r.text);
  if (!has_tool_use && Trim(r.text).empty()) {
    ModelResponse bad = BadResponse("the model returned no text and no tool_use (stop_reason " +
                                    (r.stop_reason.empty() ? "none" : r.stop_reason) + ")");
    bad.stop_reason = r.stop_reason;
    bad.usage = r.usage;
    return bad;
  }
  r.status = CallStatus::kOk;
  return r;
}

// ---- OpenAI-compatible Chat Completions ----------------------------------------------------

Json OpenAiBody(const ModelRequest& request, const Json& schema,
                const std::string& max_tokens_field) {
  Json messages = Json::array();
  if (!request.system.empty())
    messages.push_back({{"role", "system"}, {"content", request.system}});
  for (const Turn& turn : request.turns) {
    if (turn.png.empty()) {
      messages.push_back({{"role", ToString(turn.role)}, {"content", turn.text}});
      continue;
    }
    Json content = Json::array();
    content.push_back(
        {{"type", "image_url"},
         {"image_url", {{"url", "data:image/png;base64," + Base64Encode(turn.png)}}}});
    content.push_back({{"type", "text"}, {"text", turn.text}});
    messages.push_back({{"role", ToString(turn.role)}, {"content", std::move(content)}});
  }
  Json body = {{"model", request.model}, {"messages", std::move(messages)}};
  body[max_tokens_field] = request.max_tokens;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.answer_format == AnswerFormat::kJsonObject) {
    body["response_format"] = {{"type", "json_object"}};
  } else if (request.answer_format == AnswerFormat::kJsonSchema) {
    Json format = {
        {"name", request.schema.name}, {"schema", schema}, {"strict", request.schema.strict}};
    if (!request.schema.description.empty()) format["description"] = request.schema.description;
    body["response_format"] = {{"type", "json_schema"}, {"json_schema", std::move(format)}};
  }
  return body;
}

ModelResponse ParseOpenAi(const Json& json) {
  if (!json.is_object()) return BadResponse("response is JSON but not an object");
  if (const auto e = json.find("error"); e != json.end() && !e->is_null()) {
    return BadResponse("the API answered with an error: " +
                       (e->is_string() ? e->get<std::string>() : StringField(*e, "message")));
  }
  const auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty())
    return BadResponse("response has no `choices` (not a Chat Completions answer?)");
  const Json& choice = choices->front();
  const auto message = choice.is_object() ? choice.find("message") : choice.end();
  if (!choice.is_object() || message == choice.end() || !message->is_object())
    return BadResponse("choices[0] has no `message` object");
  ModelResponse r;
  r.stop_reason = StringField(choice, "finish_reason");
  if (const auto usage = json.find("usage"); usage != json.end()) {
    r.usage.input_tokens = IntField(*usage, "prompt_tokens");
    r.usage.output_tokens = IntField(*usage, "completion_tokens");
  }
  const auto content = message->find("content");
  if (content != message->end() && content->is_string()) {
    r.text = content->get<std::string>();
  } else if (content != message->end() && content->is_array()) {
    for (const Json& part : *content) {
      if (StringField(part, "type") == "text") r.text += StringField(part, "text");
    }
  } else if (content != message->end() && !content->is_null()) {
    return BadResponse("choices[0].message.content is neither text nor a list of parts");
  }
  if (const std::string refusal = StringField(*message, "refusal"); !refusal.empty()) {
    r.status = CallStatus::kRefused;
    r.error = "the model refused to answer: " + refusal;
    return r;
  }
  if (Trim(r.text).empty()) {
    ModelResponse bad = BadResponse("the model returned an empty answer (finish_reason " +
                                    (r.stop_reason.empty() ? "none" : r.stop_reason) + ")");
    bad.stop_reason = r.stop_reason;
    bad.usage = r.usage;
    return bad;
  }
  r.structured_json = JsonOfText(r.text);
  r.status = CallStatus::kOk;
  return r;
}

std::string Prefix(const ModelRequest& request) {
  return std::string(ToString(request.provider)) + " (model " +
         (request.model.empty() ? "<none>" : request.model) + "): ";
}

ModelResponse ConfigError(const ModelRequest& request, std::string why) {
  ModelResponse r;
  r.status = CallStatus::kConfigError;
  r.error = Prefix(request) + std::move(why);
  return r;
}

}  // namespace

const char* ToString(Provider provider) {
  return provider == Provider::kAnthropic ? "anthropic" : "openai";
}

std::optional<Provider> ParseProvider(std::string_view name) {
  if (name == "anthropic") return Provider::kAnthropic;
  if (name == "openai") return Provider::kOpenAi;
  return std::nullopt;
}

const char* ToString(Role role) { return role == Role::kUser ? "user" : "assistant"; }

EnvFn ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Endpoint ResolveEndpoint(Provider provider, const EnvFn& env) {
  const bool anthropic = provider == Provider::kAnthropic;
  const auto get = [&](const char* name) {
    std::optional<std::string> v = env(name);
    return v && !v->empty() ? v : std::nullopt;
  };
  Endpoint e;
  const std::optional<std::string> base = get(anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL");
  e.base_url_from_env = base.has_value();
  e.base_url =
      StripTrailingSlashes(base.value_or(anthropic ? kAnthropicDefaultBase : kOpenAiDefaultBase));
  e.api_key = get(anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY").value_or("");
  return e;
}

bool EndpointConfigured(Provider provider, const EnvFn& env) {
  const Endpoint e = ResolveEndpoint(provider, env);
  return !e.api_key.empty() || e.base_url_from_env;
}

ModelResponse ParseResponseBody(Provider provider, std::string_view body) {
  try {
    const Json json = ParseBoundedJsonOrDiscarded<Json>(body);
    if (json.is_discarded()) {
      ModelResponse r = BadResponse(
          "response is not JSON (" +
          (body.empty() ? std::string("empty body") : ExtractApiErrorMessage(body)) + ")");
      r.raw_body = std::string(body);
      return r;
    }
    ModelResponse r = provider == Provider::kAnthropic ? ParseAnthropic(json) : ParseOpenAi(json);
    r.raw_body = std::string(body);
    return r;
  } catch (const std::exception& e) {  // a shape we did not foresee: still a value
    ModelResponse r = BadResponse(std::string("unexpected response shape: ") + e.what());
    r.raw_body = std::string(body);
    return r;
  }
}

HttpModelClient::HttpModelClient(HttpModelClientOptions options)
    : options_(std::move(options)),
      anthropic_(ResolveEndpoint(Provider::kAnthropic, options_.env ? options_.env : ProcessEnv())),
      openai_(ResolveEndpoint(Provider::kOpenAi, options_.env ? options_.env : ProcessEnv())),
      http_(options_.http) {}

std::vector<std::string> HttpModelClient::Secrets() const {
  std::vector<std::string> secrets;
  for (const Endpoint* e : {&anthropic_, &openai_})
    if (!e->api_key.empty()) secrets.push_back(e->api_key);
  return secrets;
}

ModelResponse HttpModelClient::Call(const ModelRequest& request) {
  const bool anthropic = request.provider == Provider::kAnthropic;
  const Endpoint& endpoint = anthropic ? anthropic_ : openai_;
  const char* key_var = anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
  const char* base_var = anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL";

  // ---- what we can check without the network
  if (request.model.empty()) return ConfigError(request, "no model name given");
  if (request.turns.empty()) return ConfigError(request, "the request has no messages");
  if (request.max_tokens <= 0)
    return ConfigError(request,
                       "max_tokens must be > 0, got " + std::to_string(request.max_tokens));
  Json schema;
  if (request.answer_format == AnswerFormat::kJsonSchema) {
    schema = ParseBoundedJsonOrDiscarded<Json>(request.schema.schema_json);
    if (schema.is_discarded() || !schema.is_object())
      return ConfigError(request, "the answer schema is not a JSON object");
    if (request.schema.name.empty()) return ConfigError(request, "the answer schema has no name");
  }
  if (!endpoint.base_url.starts_with("http://") && !endpoint.base_url.starts_with("https://")) {
    return ConfigError(request, std::string(base_var) +
                                    " must start with http:// or https://, got \"" +
                                    RedactUrl(endpoint.base_url) + "\"");
  }
  if (endpoint.api_key.empty() && !endpoint.base_url_from_env) {
    return ConfigError(request, std::string(key_var) + " is not set (needed by " +
                                    endpoint.base_url + "; set " + base_var +
                                    " to use a local or other compatible server)");
  }

  // ---- the request
  HttpRequest http;
  http.timeout_s = request.timeout_s;
  http.stop = request.stop;
  http.headers.push_back({"content-type", "application/json"});
  http.headers.push_back({"accept", "application/json"});
  if (anthropic) {
    http.url = endpoint.base_url + "/v1/messages";
    http.body = Dump(AnthropicBody(request, schema));
    if (!endpoint.api_key.empty()) http.headers.push_back({"x-api-key", endpoint.api_key});
    http.headers.push_back({"anthropic-version", kAnthropicVersion});
    http.not_found_hint = "check the model name; ANTHROPIC_BASE_URL is read without /v1";
  } else {
    http.url = endpoint.base_url + "/chat/completions";
    http.body = Dump(OpenAiBody(request, schema, options_.openai_max_tokens_field));
    if (!endpoint.api_key.empty())
      http.headers.push_back({"authorization", "Bearer " + endpoint.api_key});
    http.not_found_hint =
        "check the model name; OPENAI_BASE_URL is read with /v1, e.g. http://localhost:11434/v1";
  }
  http.auth_hint = endpoint.api_key.empty() ? std::string(key_var) + " is not set"
                                            : "check " + std::string(key_var);
  http.secrets = Secrets();

  const HttpResult result = http_.Post(http);
  ModelResponse response;
  if (result.ok()) {
    response = ParseResponseBody(request.provider, result.body);
    if (!response.ok()) response.error = Prefix(request) + response.error;
  } else {
    response.status = result.status;
    response.error = Prefix(request) + result.message;
    response.raw_body = result.body;
  }
  response.error = ScrubSecrets(std::move(response.error), http.secrets);
  response.raw_body = ScrubSecrets(std::move(response.raw_body), http.secrets);
  response.http_status = result.http_status;
  response.attempts = result.attempts;
  response.latency_s = result.latency_s;
  return response;
}

}  // namespace marsdrive::planners::vlm

#include "planners/vlm/cassette.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <unistd.h>

#include "io/base64.h"
#include "io/json_reader.h"
#include "io/text_file.h"

namespace marsdrive::planners::vlm {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

std::string Dump(const Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

const char* ToString(AnswerFormat format) {
  switch (format) {
    case AnswerFormat::kText:
      return "text";
    case AnswerFormat::kJsonObject:
      return "json_object";
    case AnswerFormat::kJsonSchema:
      return "json_schema";
  }
  return "text";
}

Json CanonicalRequest(const ModelRequest& request) {
  Json turns = Json::array();
  for (const Turn& turn : request.turns) {
    const std::string_view png(reinterpret_cast<const char*>(turn.png.data()), turn.png.size());
    turns.push_back({{"role", ToString(turn.role)},
                     {"text", turn.text},
                     {"png_bytes", turn.png.size()},
                     {"png_sha256", turn.png.empty() ? std::string() : Sha256Hex(png)}});
  }
  Json canonical = {{"v", 1},
                    {"provider", ToString(request.provider)},
                    {"model", request.model},
                    {"system", request.system},
                    {"turns", std::move(turns)},
                    {"max_tokens", request.max_tokens},
                    {"answer_format", ToString(request.answer_format)}};
  canonical["temperature"] = request.temperature ? Json(*request.temperature) : Json(nullptr);
  if (request.answer_format == AnswerFormat::kJsonSchema) {
    // Re-serialised, so the schema's whitespace and key order do not change the key.
    Json schema = ParseBoundedJsonOrDiscarded<Json>(request.schema.schema_json);
    if (schema.is_discarded()) schema = request.schema.schema_json;
    canonical["schema"] = {{"name", request.schema.name},
                           {"description", request.schema.description},
                           {"schema", std::move(schema)},
                           {"strict", request.schema.strict}};
  }
  return canonical;
}

bool IsValidUtf8Json(const std::string& text) {
  try {
    (void)Json(text).dump();  // strict: throws on invalid UTF-8
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

ModelResponse Failure(CallStatus status, std::string error) {
  ModelResponse r;
  r.status = status;
  r.error = std::move(error);
  return r;
}

std::string ReadFile(const fs::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  ok = static_cast<bool>(in) || in.eof();
  return text.str();
}

// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
// reader never sees half a cassette. Returns "" or the reason it failed.
std::string WriteAtomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return "cannot create " + path.parent_path().string() + ": " + ec.message();
  try {
    WriteTextFile(path, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The response a cassette entry stands for: re-parsed from the stored body.
ModelResponse FromStoredBody(const ModelRequest& request, const std::string& raw_body,
                             int http_status) {
  ModelResponse r = ParseResponseBody(request.provider, raw_body);
  r.http_status = http_status;
  if (!r.ok()) {
    r.error =
        std::string(ToString(request.provider)) + " (model " + request.model + "): " + r.error;
  }
  return r;
}

}  // namespace

const char* ToString(CacheMode mode) {
  switch (mode) {
    case CacheMode::kOff:
      return "off";
    case CacheMode::kRecord:
      return "record";
    case CacheMode::kReplay:
      return "replay";
  }
  return "off";
}

std::optional<CacheMode> ParseCacheMode(std::string_view name) {
  if (name == "off") return CacheMode::kOff;
  if (name == "record") return CacheMode::kRecord;
  if (name == "replay") return CacheMode::kReplay;
  return std::nullopt;
}

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  const int ok =
      EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  if (ok != 1 || size != 32) return "";  // only if libcrypto itself is broken
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string CanonicalRequestJson(const ModelRequest& request) {
  return Dump(CanonicalRequest(request));
}

std::string RequestKey(const ModelRequest& request) {
  return Sha256Hex(CanonicalRequestJson(request));
}

CassetteModelClient::CassetteModelClient(std::filesystem::path dir, CacheMode mode,
                                         std::unique_ptr<ModelClient> inner)
    : dir_(std::move(dir)), mode_(mode), inner_(std::move(inner)) {}

std::vector<std::string> CassetteModelClient::Secrets() const {
  return inner_ ? inner_->Secrets() : std::vector<std::string>{};
}

fs::path CassetteModelClient::PathFor(const ModelRequest& request) const {
  return dir_ / (RequestKey(request) + ".json");
}

ModelResponse CassetteModelClient::Call(const ModelRequest& request) {
  if (mode_ == CacheMode::kReplay) return Replay(request, RequestKey(request));
  if (!inner_) {
    return Failure(CallStatus::kCassetteError,
                   std::string("cassette in mode ") + ToString(mode_) + " has no client to call");
  }
  if (mode_ == CacheMode::kOff) return inner_->Call(request);
  return Record(request, RequestKey(request));
}

ModelResponse CassetteModelClient::Replay(const ModelRequest& request,
                                          const std::string& key) const {
  const fs::path path = dir_ / (key + ".json");
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Failure(CallStatus::kReplayMiss,
                   std::string(ToString(request.provider)) + " (model " + request.model +
                       "): replay: no cassette for request " + key + " (looked for " +
                       path.string() + "); record it with cache=record");
  }
  const auto corrupt = [&](const std::string& why) {
    return Failure(CallStatus::kCassetteError, "replay: " + path.string() + ": " + why);
  };
  bool read_ok = false;
  const std::string text = ReadFile(path, read_ok);
  if (!read_ok) return corrupt("cannot read the file");
  const Json doc = ParseBoundedJsonOrDiscarded<Json>(text);
  if (doc.is_discarded() || !doc.is_object()) return corrupt("not a JSON object");
  try {
    if (doc.value("format", std::string()) != kCassetteFormat)
      return corrupt(std::string("format is not ") + kCassetteFormat);
    if (doc.value("key", std::string()) != key) return corrupt("its key does not match its name");
    const Json& response = doc.at("response");
    std::string raw_body;
    if (response.contains("raw_body_base64")) {
      const auto bytes = Base64Decode(response.at("raw_body_base64").get<std::string>());
      if (!bytes) return corrupt("response.raw_body_base64 is not base64");
      raw_body.assign(bytes->begin(), bytes->end());
    } else {
      raw_body = response.at("raw_body").get<std::string>();
    }
    ModelResponse r = FromStoredBody(request, raw_body, response.value("http_status", 200));
    r.from_cassette = true;
    if (!r.ok() && r.status != CallStatus::kRefused)
      r.error = "replay: " + path.string() + ": " + r.error;
    return r;
  } catch (const std::exception& e) {
    return corrupt(std::string("unexpected content: ") + e.what());
  }
}

ModelResponse CassetteModelClient::Record(const ModelRequest& request, const std::string& key) {
  ModelResponse live = inner_->Call(request);
  if (live.status != CallStatus::kOk && live.status != CallStatus::kRefused) return live;

  const std::vector<std::string> secrets = inner_->Secrets();
  const auto scrub = [&](std::string s) { return ScrubSecrets(std::move(s), secrets); };
  const std::string raw_body = scrub(live.raw_body);
  ModelResponse stored = FromStoredBody(request, raw_body, live.http_status);

  Json request_doc = CanonicalRequest(request);
  request_doc["system"] = scrub(request.system);
  for (std::size_t i = 0; i < request.turns.size(); ++i)
    request_doc["turns"][i]["text"] = scrub(request.turns[i].text);
  Json response_doc = {{"status", ToString(stored.status)},
                       {"http_status", stored.http_status},
                       {"stop_reason", stored.stop_reason},
                       {"text", stored.text},
                       {"structured_json", stored.structured_json},
                       {"usage",
                        {{"input_tokens", stored.usage.input_tokens},
                         {"output_tokens", stored.usage.output_tokens}}}};
  if (IsValidUtf8Json(raw_body)) {
    response_doc["raw_body"] = raw_body;
  } else {
    response_doc["raw_body_base64"] = Base64Encode(raw_body);
  }
  const Json doc = {{"format", kCassetteFormat},
                    {"key", key},
                    {"request", std::move(request_doc)},
                    {"response", std::move(response_doc)},
                    {"recorded", {{"attempts", live.attempts}, {"latency_s", live.latency_s}}}};
  // Scrubbed field by field above and, in case a secret hides across fields' boundaries in an
  // escaped form we did not foresee, once more on the bytes that go to disk.
  const std::string text = scrub(Dump(doc, 2) + "\n");

  stored.attempts = live.attempts;
  stored.latency_s = live.latency_s;
  const fs::path path = dir_ / (key + ".json");
  if (const std::string why = WriteAtomically(path, text); !why.empty()) {
    stored.status = CallStatus::kCassetteError;
    stored.error = "record: " + why;
  }
  return stored;
}

std::unique_ptr<ModelClient> MakeModelClient(CacheMode mode, const std::filesystem::path& dir,
                                             HttpModelClientOptions options) {
  switch (mode) {
    case CacheMode::kOff:
      return std::make_unique<HttpModelClient>(std::move(options));
    case CacheMode::kRecord:
      return std::make_unique<CassetteModelClient>(
          dir, mode, std::make_unique<HttpModelClient>(std::move(options)));
    case CacheMode::kReplay:
      return std::make_unique<CassetteModelClient>(dir, mode, nullptr);
  }
  return nullptr;
}

}  // namespace marsdrive::planners::vlm

#pragma once
// Record / replay of model calls ("cassettes"), so a suite with VLM planners can be re-scored
// offline and in CI without a key, bit-identically.
//
// Key: the SHA-256 (hex) of the canonical request, a compact JSON text with sorted keys of
//   {v: 1, provider, model, system, turns: [{role, text, png_sha256, png_bytes}], temperature,
//    max_tokens, answer_format, schema: {name, description, schema (re-serialised), strict}}
// Every image byte counts (through its own SHA-256); the API key, the base URL, the time cap and
// the stop token do not, so a cassette recorded against one server replays for any.
//
// Files: one JSON document per interaction, <dir>/<key>.json, written atomically (a temporary
// file in the same directory, then rename):
//   {format: "marsdrive/vlm-cassette/1", key, request: {the canonical request, readable},
//    response: {status, http_status, stop_reason, text, structured_json, usage,
//               raw_body (or raw_body_base64 when the body is not UTF-8)},
//    recorded: {attempts, latency_s}}
// On replay the response is re-parsed from raw_body, so replay and record return the same
// ModelResponse. Only model outcomes are recorded (kOk, kRefused): transport failures (a 500,
// a timeout, a bad key) are not, so they are never replayed as if the model had said them.
// Every secret of the inner client is scrubbed from every byte written.
//
// Modes: off (just call), record (call, store, return; an existing entry is overwritten),
// replay (never touches the network; a miss is a kReplayMiss naming the key and the file).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planners/vlm/model_client.h"

namespace marsdrive::planners::vlm {

enum class CacheMode { kOff, kRecord, kReplay };
const char* ToString(CacheMode mode);  // "off", "record", "replay"
std::optional<CacheMode> ParseCacheMode(std::string_view name);

inline constexpr const char* kCassetteFormat = "marsdrive/vlm-cassette/1";

std::string Sha256Hex(std::string_view bytes);
std::string CanonicalRequestJson(const ModelRequest& request);
std::string RequestKey(const ModelRequest& request);  // Sha256Hex(CanonicalRequestJson(request))

class CassetteModelClient final : public ModelClient {
 public:
  // `inner` answers on a miss in kRecord and kOff; it may be null in kReplay (never called).
  CassetteModelClient(std::filesystem::path dir, CacheMode mode,
                      std::unique_ptr<ModelClient> inner);
  ModelResponse Call(const ModelRequest& request) override;
  std::vector<std::string> Secrets() const override;

  std::filesystem::path PathFor(const ModelRequest& request) const;
  CacheMode mode() const { return mode_; }

 private:
  ModelResponse Replay(const ModelRequest& request, const std::string& key) const;
  ModelResponse Record(const ModelRequest& request, const std::string& key);

  std::filesystem::path dir_;
  CacheMode mode_;
  std::unique_ptr<ModelClient> inner_;
};

// The usual stack: off -> HttpModelClient; record -> cassette over HttpModelClient;
// replay -> cassette alone (no key, no network needed).
std::unique_ptr<ModelClient> MakeModelClient(CacheMode mode, const std::filesystem::path& dir,
                                             HttpModelClientOptions options = {});

}  // namespace marsdrive::planners::vlm

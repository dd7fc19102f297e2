#pragma once
// HTTP transport of the VLM planner: one JSON POST with timeouts, retries and clear errors.
//
// Policy (numbers in RetryPolicy, defaults as the official Anthropic/OpenAI SDKs):
//   - retried: HTTP 408, 409, 429 and 5xx (529 "overloaded" included), connection errors
//     (refused, reset, DNS, empty reply) and timeouts of one attempt; a response header
//     `x-should-retry: true|false` overrides the status (the SDKs honour it too);
//   - the wait before retry k (k = 1, 2, ...) is the server's `retry-after-ms` (milliseconds) or
//     `retry-after` (seconds or an HTTP date) when given, else "full jitter":
//     uniform[0, min(max_backoff_s, initial_backoff_s * 2^(k-1))) from a seeded generator;
//   - never retried: every other 4xx, with a message naming the likely cause (401/403: the API
//     key; 404: the model name or the endpoint; 400: the API's own message from the JSON body);
//   - capped: at most max_attempts attempts, and the whole call (attempts and waits) within the
//     request's timeout_s. A wait that would cross that cap is not started: the call fails at
//     once, so a failing model never stalls a suite.
// Errors are values (HttpResult::status + message), never exceptions. Secrets listed in the
// request are scrubbed from every message, body and log line this layer produces.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "planners/vlm/scrub.h"  // ScrubSecrets, used with this layer

namespace marsdrive::planners::vlm {

// The outcome of a model call, shared by the HTTP, protocol and cassette layers.
enum class CallStatus {
  kOk,
  kConfigError,      // nothing sent: missing API key, bad base URL, invalid schema
  kAuthError,        // HTTP 401/403: bad or missing API key (not retried)
  kNotFound,         // HTTP 404: unknown model or wrong endpoint (not retried)
  kBadRequest,       // HTTP 400/422: the API rejected the request, its message kept (not retried)
  kClientError,      // any other 4xx that is not retried (413 too large, ...)
  kRateLimited,      // HTTP 429, still after the last attempt
  kServerError,      // HTTP 5xx, still after the last attempt
  kConnectionError,  // refused, reset, DNS, empty reply, still after the last attempt
  kTimeout,          // the call's time cap ran out
  kBadResponse,      // a 2xx whose body is not the protocol's JSON (HTML, garbage, no content)
  kRefused,          // the model declined to answer (stop/finish reason "refusal")
  kReplayMiss,       // replay mode and no cassette holds this request
  kCassetteError,    // a cassette could not be read or written
  kCancelled,        // the caller's stop token asked the call to end
};
const char* ToString(CallStatus status);

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string url;
  std::vector<HttpHeader> headers;  // content-type is the caller's to set
  std::string body;
  double timeout_s = 120.0;  // cap on the whole call: every attempt and every wait
  // Literal values (API keys) that must never appear in what this layer returns or logs.
  std::vector<std::string> secrets;
  // Completes the 401/403 message, e.g. "check ANTHROPIC_API_KEY".
  std::string auth_hint;
  // Completes the 404 message, e.g. "ANTHROPIC_BASE_URL is read without /v1".
  std::string not_found_hint;
  // A stop request ends the call with kCancelled: at once during a wait between attempts, within
  // about a second during a transfer (libcurl's progress callback rate).
  std::stop_token stop;
};

struct [[nodiscard]] HttpResult {
  CallStatus status = CallStatus::kConnectionError;
  std::string message;                         // why, whenever status != kOk; secrets scrubbed
  int http_status = 0;                         // of the last attempt; 0 when no HTTP response came
  std::string body;                            // of the last attempt; secrets scrubbed
  std::map<std::string, std::string> headers;  // of the last attempt; names lower-case
  int attempts = 0;
  double waited_s = 0.0;   // total time spent waiting between attempts
  double latency_s = 0.0;  // from the first attempt's start to the last one's end, waits included
  bool ok() const { return status == CallStatus::kOk; }
};

struct RetryPolicy {
  int max_attempts = 4;             // the first attempt and up to 3 retries
  double initial_backoff_s = 0.5;   // full-jitter ceiling before the first retry
  double max_backoff_s = 8.0;       // ... doubling per retry up to this
  double max_retry_after_s = 60.0;  // a server asking for a longer wait is not retried
  double connect_timeout_s = 10.0;
  double attempt_timeout_s = 0.0;  // cap of one attempt; 0: whatever remains of timeout_s
};

// Waits `seconds`, or less when `stop` is requested.
using SleepFn = std::function<void(double seconds, std::stop_token stop)>;
using ClockFn = std::function<double()>;                   // monotonic, seconds
using WallClockFn = std::function<std::int64_t()>;         // Unix time, seconds (Retry-After dates)
using LogFn = std::function<void(std::string_view line)>;  // one line per retry or give-up

struct HttpClientOptions {
  RetryPolicy retry;
  std::uint64_t jitter_seed = 0x6d61727364726976ULL;  // "marsdriv"
  SleepFn sleep;                                      // default: std::this_thread::sleep_for
  ClockFn now;                                        // default: std::chrono::steady_clock
  WallClockFn wall_now;                               // default: std::time
  LogFn log;                                          // default: silent
  std::size_t max_response_bytes = std::size_t{64} << 20;
};

// Thread-safe: every Post uses its own CURL easy handle; only the jitter generator is shared
// (under a mutex), so concurrent calls stay deterministic only in their set of draws.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) = delete;
  HttpClient& operator=(HttpClient&&) = delete;
  ~HttpClient() = default;

  HttpResult Post(const HttpRequest& request);

 private:
  double NextJitter();  // uniform [0, 1)

  HttpClientOptions options_;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
};

// ---- helpers, exposed for the protocol layer and for tests ----------------------------------

// Seconds the server asked us to wait: `retry-after-ms` first, then `retry-after` as seconds
// (decimals allowed) or an HTTP date relative to unix_now_s. nullopt when absent or unparsable.
std::optional<double> ParseRetryAfter(const std::map<std::string, std::string>& headers,
                                      std::int64_t unix_now_s);

// The URL without user:password@ and without its query (where keys hide), for messages.
std::string RedactUrl(std::string_view url);

// The error message an API put in its JSON body: error.message (Anthropic, OpenAI, vLLM),
// a string `error` (Ollama), or a top-level `message`/`detail`. For a body that is not JSON
// (an HTML error page, a proxy's text), a short excerpt with tags and blank runs removed.
std::string ExtractApiErrorMessage(std::string_view body);

}  // namespace marsdrive::planners::vlm

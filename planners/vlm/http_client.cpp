#include "planners/vlm/http_client.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <sstream>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "io/json_reader.h"

namespace marsdrive::planners::vlm {
namespace {

using Json = nlohmann::json;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string Attempts(int n) { return std::to_string(n) + (n == 1 ? " attempt" : " attempts"); }

std::string FormatSeconds(double s) {
  std::ostringstream out;
  out.precision(s < 10 ? 2 : 1);
  out << std::fixed << s << " s";
  return out.str();
}

// ---- one attempt ---------------------------------------------------------------------------

struct Attempt {
  CURLcode code = CURLE_OK;
  long http_status = 0;  // NOLINT(google-runtime-int): libcurl's type
  std::string body;
  std::map<std::string, std::string> headers;
  std::string curl_error;
  bool too_large = false;
};

struct WriteSink {
  std::string* body;
  std::size_t max_bytes;
  bool* too_large;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<WriteSink*>(user);
  const std::size_t n = size * count;
  if (sink->body->size() + n > sink->max_bytes) {
    *sink->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(user)->stop_requested() ? 1 : 0;  // 1 aborts
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const std::size_t n = size * count;
  const std::string_view line = Trim(std::string_view(data, n));
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100-continue or a redirect): forget the last
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    (*headers)[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
  }
  return n;
}

// Loopback never goes through a proxy, whatever the environment says: a test's fake server or a
// local model server must not be sent to a corporate proxy.
std::string NoProxyList() {
  std::string list = "127.0.0.1,localhost,::1";
  for (const char* name : {"NO_PROXY", "no_proxy"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      list.insert(0, std::string(value) + ",");
      break;
    }
  }
  return list;
}

Attempt PerformOnce(const HttpRequest& request, double timeout_s, double connect_timeout_s,
                    std::size_t max_response_bytes) {
  Attempt attempt;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    attempt.code = CURLE_FAILED_INIT;
    attempt.curl_error = "curl_easy_init failed";
    return attempt;
  }
  curl_slist* raw_headers = nullptr;
  for (const HttpHeader& h : request.headers)
    raw_headers = curl_slist_append(raw_headers, (h.name + ": " + h.value).c_str());
  // No "Expect: 100-continue" round trip for large (image) bodies.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers,
                                                                      &curl_slist_free_all);
  const auto to_ms = [](double s) {
    return static_cast<long>(std::max(1.0, std::ceil(s * 1000.0)));  // NOLINT(google-runtime-int)
  };
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  WriteSink sink{&attempt.body, max_response_bytes, &attempt.too_large};
  const std::string no_proxy = NoProxyList();
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOPROXY, no_proxy.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "marsdrive-vlm/1");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, to_ms(std::min(connect_timeout_s, timeout_s)));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to_ms(timeout_s));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &attempt.headers);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer.data());
  if (request.stop.stop_possible()) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &request.stop);
  }
  attempt.code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &attempt.http_status);
  if (attempt.code != CURLE_OK) {
    attempt.curl_error = error_buffer[0] != '\0' ? std::string(error_buffer.data())
                                                 : curl_easy_strerror(attempt.code);
  }
  return attempt;
}

// ---- classification ------------------------------------------------------------------------

struct Verdict {
  CallStatus status = CallStatus::kOk;
  bool retry = false;
  std::string reason;  // without the URL
};

bool IsConnectionError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

Verdict Classify(const Attempt& a, const HttpRequest& request) {
  if (a.code != CURLE_OK) {
    if (a.too_large)
      return {CallStatus::kBadResponse, false, "response larger than the client accepts"};
    if (a.code == CURLE_ABORTED_BY_CALLBACK)
      return {CallStatus::kCancelled, false, "cancelled: the caller asked to stop"};
    if (a.code == CURLE_OPERATION_TIMEDOUT)
      return {CallStatus::kTimeout, true, "timed out (" + a.curl_error + ")"};
    if (IsConnectionError(a.code))
      return {CallStatus::kConnectionError, true, "connection failed (" + a.curl_error + ")"};
    if (a.code == CURLE_URL_MALFORMAT || a.code == CURLE_UNSUPPORTED_PROTOCOL)
      return {CallStatus::kConfigError, false, "bad URL (" + a.curl_error + ")"};
    return {CallStatus::kConnectionError, false, "transfer failed (" + a.curl_error + ")"};
  }
  const long s = a.http_status;  // NOLINT(google-runtime-int)
  if (s >= 200 && s < 300) return {CallStatus::kOk, false, ""};

  // Scrubbed before it is cut (a key cut short is still a key), scrubbed again in Post.
  const std::string api_message = ExtractApiErrorMessage(ScrubSecrets(a.body, request.secrets));
  const std::string head = "HTTP " + std::to_string(s);
  const std::string tail = api_message.empty() ? "" : ": " + api_message;
  Verdict v;
  if (s == 429) {
    v = {CallStatus::kRateLimited, true, head + " rate limited" + tail};
  } else if (s >= 500) {
    v = {CallStatus::kServerError, true, head + " server error" + tail};
  } else if (s == 408 || s == 409) {
    v = {CallStatus::kServerError, true, head + tail};
  } else if (s == 401 || s == 403) {
    std::string hint = request.auth_hint.empty() ? "" : " (" + request.auth_hint + ")";
    v = {CallStatus::kAuthError, false, head + ": bad or missing API key" + hint + tail};
  } else if (s == 404) {
    std::string hint = request.not_found_hint.empty() ? "" : " (" + request.not_found_hint + ")";
    v = {CallStatus::kNotFound, false, head + ": unknown model or endpoint" + hint + tail};
  } else if (s == 400 || s == 422) {
    v = {CallStatus::kBadRequest, false, head + ": the API rejected the request" + tail};
  } else if (s >= 400) {
    v = {CallStatus::kClientError, false, head + tail};
  } else {
    v = {CallStatus::kBadResponse, false, head + ": unexpected status" + tail};
  }
  if (const auto it = a.headers.find("x-should-retry"); it != a.headers.end()) {
    if (it->second == "true") v.retry = true;
    if (it->second == "false") v.retry = false;
  }
  return v;
}

}  // namespace

const char* ToString(CallStatus status) {
  switch (status) {
    case CallStatus::kOk:
      return "ok";
    case CallStatus::kConfigError:
      return "config_error";
    case CallStatus::kAuthError:
      return "auth_error";
    case CallStatus::kNotFound:
      return "not_found";
    case CallStatus::kBadRequest:
      return "bad_request";
    case CallStatus::kClientError:
      return "client_error";
    case CallStatus::kRateLimited:
      return "rate_limited";
    case CallStatus::kServerError:
      return "server_error";
    case CallStatus::kConnectionError:
      return "connection_error";
    case CallStatus::kTimeout:
      return "timeout";
    case CallStatus::kBadResponse:
      return "bad_response";
    case CallStatus::kRefused:
      return "refused";
    case CallStatus::kReplayMiss:
      return "replay_miss";
    case CallStatus::kCassetteError:
      return "cassette_error";
    case CallStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

// ---- helpers -------------------------------------------------------------------------------

std::optional<double> ParseRetryAfter(const std::map<std::string, std::string>& headers,
                                      std::int64_t unix_now_s) {
  const auto parse_number = [](const std::string& text) -> std::optional<double> {
    const std::string_view t = Trim(text);
    if (t.empty()) return std::nullopt;
    for (const char c : t)
      if (std::isdigit(static_cast<unsigned char>(c)) == 0 && c != '.') return std::nullopt;
    char* end = nullptr;
    const std::string copy(t);
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  };
  if (const auto it = headers.find("retry-after-ms"); it != headers.end()) {
    if (const auto ms = parse_number(it->second)) return *ms / 1000.0;
  }
  if (const auto it = headers.find("retry-after"); it != headers.end()) {
    if (const auto s = parse_number(it->second)) return *s;
    const std::time_t when = curl_getdate(it->second.c_str(), nullptr);
    if (when != -1) return std::max(0.0, static_cast<double>(when - unix_now_s));
  }
  return std::nullopt;
}

std::string RedactUrl(std::string_view url) {
  std::string out(url.substr(0, url.find_first_of("?#")));
  const std::size_t scheme = out.find("://");
  const std::size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t path_start = out.find('/', host_start);
  const std::size_t at = out.rfind('@', path_start == std::string::npos ? out.size() : path_start);
  if (at != std::string::npos && at >= host_start) out.erase(host_start, at + 1 - host_start);
  return out;
}

std::string ExtractApiErrorMessage(std::string_view body) {
  constexpr std::size_t kMaxChars = 300;
  // Cut on a UTF-8 boundary (a cut character would make plan.json unwritable), then made safe
  // for a terminal: invalid bytes and control characters become '?'.
  const auto shorten = [](const std::string& s) {
    std::string out = base::PrintableUtf8(base::Utf8Prefix(s, kMaxChars));
    return s.size() > kMaxChars ? out + "..." : out;
  };
  const Json json = ParseBoundedJsonOrDiscarded<Json>(body);
  if (!json.is_discarded()) {
    if (json.is_object()) {
      if (const auto e = json.find("error"); e != json.end()) {
        if (e->is_string()) return shorten(e->get<std::string>());
        if (e->is_object()) {
          std::string message;
          if (const auto m = e->find("message"); m != e->end() && m->is_string())
            message = m->get<std::string>();
          if (const auto t = e->find("type"); t != e->end() && t->is_string())
            message = message.empty() ? t->get<std::string>()
                                      : message + " [" + t->get<std::string>() + "]";
          if (!message.empty()) return shorten(message);
        }
      }
      for (const char* key : {"message", "detail"}) {
        if (const auto m = json.find(key); m != json.end() && m->is_string())
          return shorten(m->get<std::string>());
      }
    }
    return shorten("unrecognised JSON error body: " +
                   json.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  // Not JSON: drop tags, keep readable characters, collapse blank runs.
  std::string text;
  bool in_tag = false;
  bool last_space = true;
  for (const char c : body) {
    if (c == '<') in_tag = true;
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) != 0 || u < 0x20) {
      if (!last_space) text += ' ';
      last_space = true;
    } else {
      text += c;
      last_space = false;
    }
    if (text.size() > kMaxChars) break;
  }
  text = std::string(Trim(text));
  if (text.empty()) return body.empty() ? "" : "non-JSON body";
  return "non-JSON body: " + shorten(text);
}

// ---- the client ----------------------------------------------------------------------------

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), rng_(options_.jitter_seed) {
  InitCurlOnce();
  if (!options_.sleep) {
    options_.sleep = [](double s, const std::stop_token& stop) {
      if (s <= 0) return;
      std::mutex mutex;
      std::condition_variable_any wake;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::duration<double>(s), [] { return false; });
    };
  }
  if (!options_.now) {
    options_.now = [] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  if (!options_.wall_now) options_.wall_now = [] { return std::int64_t{std::time(nullptr)}; };
}

double HttpClient::NextJitter() {
  const std::lock_guard lock(rng_mutex_);
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

HttpResult HttpClient::Post(const HttpRequest& request) {
  const RetryPolicy& policy = options_.retry;
  const std::string url = RedactUrl(request.url);
  const auto scrub = [&](std::string s) { return ScrubSecrets(std::move(s), request.secrets); };
  const auto log = [&](const std::string& line) {
    if (options_.log) options_.log(scrub(line));
  };
  const int max_attempts = std::max(1, policy.max_attempts);
  const double start = options_.now();
  const double deadline = start + std::max(0.0, request.timeout_s);

  HttpResult result;
  const auto finish = [&](CallStatus status, std::string message) {
    result.status = status;
    result.message = scrub(std::move(message));
    result.body = scrub(std::move(result.body));
    result.latency_s = options_.now() - start;
    if (status != CallStatus::kOk && options_.log) options_.log("vlm http: " + result.message);
    return result;
  };

  for (int attempt = 1;; ++attempt) {
    if (request.stop.stop_requested()) {
      return finish(CallStatus::kCancelled, url + ": cancelled: the caller asked to stop (after " +
                                                Attempts(attempt - 1) + ")");
    }
    const double remaining = deadline - options_.now();
    if (remaining <= 0) {
      std::string message = "no answer from " + url + " within the time cap of ";
      message += FormatSeconds(request.timeout_s) + " (" + Attempts(result.attempts) + ")";
      if (!result.message.empty()) message += "; last: " + result.message;
      return finish(CallStatus::kTimeout, std::move(message));
    }
    const double attempt_timeout_s =
        policy.attempt_timeout_s > 0 ? std::min(policy.attempt_timeout_s, remaining) : remaining;
    Attempt a = PerformOnce(request, attempt_timeout_s, policy.connect_timeout_s,
                            options_.max_response_bytes);
    const Verdict verdict = Classify(a, request);
    result.attempts = attempt;
    result.http_status = static_cast<int>(a.http_status);
    result.body = std::move(a.body);
    result.headers = std::move(a.headers);
    if (verdict.status == CallStatus::kOk) return finish(CallStatus::kOk, "");
    result.message = verdict.reason;  // kept for the time-cap message

    const std::string what = url + ": " + verdict.reason;
    if (!verdict.retry) return finish(verdict.status, what);
    if (attempt >= max_attempts) {
      return finish(verdict.status, what + " (gave up after " + Attempts(attempt) + ")");
    }
    const std::optional<double> retry_after =
        result.http_status != 0 ? ParseRetryAfter(result.headers, options_.wall_now())
                                : std::nullopt;
    double wait_s = 0;
    if (retry_after) {
      if (*retry_after > policy.max_retry_after_s) {
        return finish(verdict.status,
                      what + " (the server asks to wait " + FormatSeconds(*retry_after) +
                          ", more than the " + FormatSeconds(policy.max_retry_after_s) +
                          " this client waits; gave up after " + Attempts(attempt) + ")");
      }
      wait_s = *retry_after;
    } else {
      const double ceiling =
          std::min(policy.max_backoff_s, policy.initial_backoff_s * std::ldexp(1.0, attempt - 1));
      wait_s = ceiling * NextJitter();
    }
    if (options_.now() + wait_s >= deadline) {
      return finish(verdict.status, what + " (next retry in " + FormatSeconds(wait_s) +
                                        " would pass the time cap of " +
                                        FormatSeconds(request.timeout_s) + "; gave up after " +
                                        Attempts(attempt) + ")");
    }
    log("vlm http: attempt " + std::to_string(attempt) + "/" + std::to_string(max_attempts) + " " +
        what + "; retrying in " + FormatSeconds(wait_s));
    options_.sleep(wait_s, request.stop);
    result.waited_s += wait_s;
  }
}

}  // namespace marsdrive::planners::vlm

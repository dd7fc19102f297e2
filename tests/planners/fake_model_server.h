#pragma once
// A scripted HTTP server on 127.0.0.1 (an ephemeral port) standing in for a model API in tests:
// it records every request and answers with the scripted replies in order (the last one
// repeats). cpp-httplib from Debian (libcpp-httplib-dev).

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

namespace marsdrive::planners::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  bool HasHeader(const std::string& name) const { return headers.count(name) > 0; }
  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct ScriptedReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  bool hang = false;  // never answer (until the server stops or hang_limit_s passes)
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

inline ScriptedReply Reply(int status, std::string body, HeaderList headers = {},
                           std::string content_type = "application/json") {
  ScriptedReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers = std::move(headers);
  reply.content_type = std::move(content_type);
  return reply;
}

inline ScriptedReply HangingReply() {
  ScriptedReply reply;
  reply.hang = true;
  return reply;
}

class FakeModelServer {
 public:
  explicit FakeModelServer(std::vector<ScriptedReply> script = {}) : script_(std::move(script)) {
    server_.Post(".*",
                 [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 400 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;
  FakeModelServer(FakeModelServer&&) = delete;
  FakeModelServer& operator=(FakeModelServer&&) = delete;
  ~FakeModelServer() { Stop(); }

  int port() const { return port_; }
  bool running() const { return server_.is_running(); }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void SetScript(std::vector<ScriptedReply> script) {
    const std::lock_guard lock(mutex_);
    script_ = std::move(script);
    next_ = 0;
  }
  std::vector<RecordedRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

  void Stop() {
    stopping_ = true;
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    ScriptedReply reply;
    {
      const std::lock_guard lock(mutex_);
      RecordedRequest recorded{req.method, req.path, {}, req.body};
      for (const auto& [name, value] : req.headers) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        recorded.headers[lower] = value;
      }
      requests_.push_back(std::move(recorded));
      if (!script_.empty()) reply = script_[std::min(next_, script_.size() - 1)];
      ++next_;
    }
    if (reply.hang) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!stopping_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    res.set_content(reply.body, reply.content_type);
  }

  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<ScriptedReply> script_;
  std::size_t next_ = 0;
  std::vector<RecordedRequest> requests_;
};

}  // namespace marsdrive::planners::testing

#include "io/json_reader.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "base/text.h"

namespace marsdrive {

namespace {

// SAX events of nlohmann-json's iterative parser, counted: the nesting depth and the path of
// the value being read are known at every event without building a DOM, and the parse stops at
// the first violation (returning false aborts it).
class LimitChecker {
 public:
  using Json = nlohmann::json;

  explicit LimitChecker(const JsonLimits& limits) : limits_(limits) {}
  const std::string& error() const { return error_; }

  bool null() { return Value(); }
  bool boolean(bool /*value*/) { return Value(); }
  bool number_integer(Json::number_integer_t /*value*/) { return Value(); }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return Value(); }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    if (!std::isfinite(value))
      return Fail(Path(), "expected a finite number, got " + base::QuoteExcerpt(text));
    return Value();
  }
  bool string(Json::string_t& /*value*/) { return Value(); }
  bool binary(Json::binary_t& /*value*/) { return Value(); }
  bool start_object(std::size_t /*elements*/) { return Open(/*is_array=*/false); }
  bool key(Json::string_t& key) {
    frames_.back().key = key.substr(0, kMaxKeyBytes + 1);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t /*elements*/) { return Open(/*is_array=*/true); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t /*byte*/, const std::string& last_token,
                   const nlohmann::detail::exception& e) {
    // nlohmann-json refuses a number that overflows a double (1e999) as a syntax error; it is a
    // value out of range, named by its path like any other.
    std::string what = e.what();
    if (what.find("number overflow") != std::string::npos)
      return Fail(Path(), "expected a finite number, got " + base::QuoteExcerpt(last_token));
    // nlohmann's message quotes raw input ("; last read: '<token>'", "parsing '<text>'"): only
    // its own words are kept, and the input appears as a short escaped excerpt.
    if (const std::size_t at = what.find("; last read: "); at != std::string::npos) what.erase(at);
    if (const std::size_t at = what.find("] "); what.starts_with("[json.") && at != what.npos)
      what.erase(0, at + 2);
    std::string words;
    for (const char c : what.substr(0, 160)) words += c >= 0x20 && c < 0x7F ? c : '?';
    error_ = "not valid JSON (" + words + "; last read " + base::QuoteExcerpt(last_token) + ")";
    return false;
  }

 private:
  static constexpr std::size_t kMaxKeyBytes = 24;    // of a key quoted in a path
  static constexpr std::size_t kMaxPathBytes = 160;  // of a path in a message

  struct Frame {
    bool is_array = false;
    std::size_t index = 0;  // arrays: the element being read
    std::string key;        // objects: the member being read (its first bytes)
  };

  bool Fail(const std::string& path, const std::string& what) {
    error_ = path + ": " + what;
    return false;
  }
  // A scalar or a container ends: an array moves to its next element.
  bool Value() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
    return true;
  }
  bool Open(bool is_array) {
    if (frames_.size() + 1 > limits_.max_depth)
      return Fail(Path(), "nested deeper than " + std::to_string(limits_.max_depth) +
                              " levels (lists and objects inside each other)");
    frames_.push_back({is_array, 0, {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return Value();
  }
  // "runs[3].dir", "(document)" at the top; keys are escaped and cut, long paths shortened.
  std::string Path() const {
    std::string path;
    for (const Frame& f : frames_) {
      if (f.is_array) {
        path += '[';  // appended piecewise: g++ 12 warns (-Wrestrict) on "[" + std::string
        path += std::to_string(f.index);
        path += ']';
        continue;
      }
      const bool plain = !f.key.empty() && f.key.size() <= kMaxKeyBytes &&
                         f.key.find_first_not_of(
                             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                             "VWXYZ0123456789_-") == std::string::npos;
      if (!path.empty()) path += '.';
      path += plain ? f.key : base::QuoteExcerpt(f.key, kMaxKeyBytes);
    }
    if (path.empty()) return "(document)";
    // A path 64 levels deep stays readable: its start and its end.
    if (path.size() > kMaxPathBytes)
      path = path.substr(0, 80) + "..." + path.substr(path.size() - 60);
    return path;
  }

  const JsonLimits& limits_;
  std::vector<Frame> frames_;
  std::string error_;
};

}  // namespace

std::string CheckJsonLimits(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return "(document): expected at most " + std::to_string(limits.max_bytes) + " bytes, got " +
           std::to_string(text.size());
  LimitChecker checker(limits);
  nlohmann::json::sax_parse(text, &checker);
  return checker.error();
}

}  // namespace marsdrive

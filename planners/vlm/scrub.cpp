#include "planners/vlm/scrub.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/base64.h"

namespace marsdrive::planners::vlm {

namespace {

constexpr std::size_t kMinSecretLength = 6;  // shorter: not a secret
constexpr std::size_t kMinRun = 8;           // a run of the key this long is the key
constexpr std::size_t kMinBase64Run = 11;    // ceil(8 bytes * 4 / 3) base64 characters
constexpr std::string_view kRedacted = "[REDACTED]";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` with the escapes a secret may hide behind undone, and where each decoded character
// came from. Offsets are kept as breakpoints (only where an escape shifts them), so ordinary
// text costs no map at all.
class Decoded {
 public:
  explicit Decoded(std::string_view text) : source_size_(text.size()) {
    if (text.find_first_of("%\\") == std::string_view::npos) {
      chars_ = std::string(text);
      return;
    }
    chars_.reserve(text.size());
    std::size_t s = 0;
    while (s < text.size()) {
      const auto [c, length] = DecodeAt(text, s);
      if (length > 1) {
        breaks_.emplace_back(chars_.size(), s);
        breaks_.emplace_back(chars_.size() + 1, s + length);
      }
      chars_ += c;
      s += length;
    }
  }
  const std::string& chars() const { return chars_; }
  // The source offset of decoded character `d` (d == size: the end of the source).
  std::size_t SourceOffset(std::size_t d) const {
    if (d >= chars_.size()) return source_size_;
    const auto it =
        std::upper_bound(breaks_.begin(), breaks_.end(), std::make_pair(d, ~std::size_t{0}));
    if (it == breaks_.begin()) return d;
    const auto& [bd, bs] = *std::prev(it);
    return bs + (d - bd);
  }

 private:
  // One character at text[s]: %XX, %25XX, \uXXXX behind one or more backslashes (ASCII only),
  // "\/" behind one or more backslashes; anything else is itself.
  static std::pair<char, std::size_t> DecodeAt(std::string_view text, std::size_t s) {
    const auto hex2 = [&](std::size_t at) {
      if (at + 2 > text.size()) return -1;
      const int hi = HexValue(text[at]), lo = HexValue(text[at + 1]);
      return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    };
    if (text[s] == '%') {
      if (const int v = hex2(s + 1); v >= 0) {
        if (v == 0x25) {
          if (const int w = hex2(s + 3); w >= 0) return {static_cast<char>(w), 5};
        }
        return {static_cast<char>(v), 3};
      }
    } else if (text[s] == '\\') {
      std::size_t e = s;
      while (e < text.size() && text[e] == '\\') ++e;
      if (e < text.size() && text[e] == '/') return {'/', e + 1 - s};
      if (e < text.size() && text[e] == 'u') {
        const int hi = hex2(e + 1), lo = hex2(e + 3);
        if (hi == 0 && lo >= 0 && lo < 0x80) return {static_cast<char>(lo), e + 5 - s};
      }
    }
    return {text[s], 1};
  }

  std::size_t source_size_;
  std::string chars_;
  std::vector<std::pair<std::size_t, std::size_t>> breaks_;  // (decoded, source), ascending
};

// A form of a secret and the shortest run of it that counts as the secret.
struct Pattern {
  std::string text;
  std::size_t min_run;
};

// The characters of base64(filler + secret) that depend on the secret alone, for each of the
// three alignments the secret can have inside a longer base64 text; both alphabets.
void AddBase64Forms(const std::string& secret, std::vector<Pattern>& out) {
  for (std::size_t filler = 0; filler < 3; ++filler) {
    const std::string bytes = std::string(filler, '\0') + secret;
    std::string encoded = Base64Encode(bytes);
    const std::size_t full_groups = bytes.size() / 3, rest = bytes.size() % 3;
    const std::size_t begin = filler == 0 ? 0 : filler == 1 ? 2 : 3;
    const std::size_t end = 4 * full_groups + (rest == 0 ? 0 : rest);  // rest 1: 1 char, 2: 2
    if (end <= begin + kMinBase64Run) continue;
    std::string core = encoded.substr(begin, end - begin);
    std::string url_safe = core;
    std::replace(url_safe.begin(), url_safe.end(), '+', '-');
    std::replace(url_safe.begin(), url_safe.end(), '/', '_');
    out.push_back({core, kMinBase64Run});
    if (url_safe != core) out.push_back({url_safe, kMinBase64Run});
  }
}

// Marks in `covered` every run of decoded text that is a prefix or a suffix of `pattern` of at
// least min_run characters, or the whole pattern. Runs from its middle are left: a key that
// holds a word ("sk-ant-cassette-...") must not shred every "cassette" in the text.
void MarkRuns(const std::string& decoded, const Pattern& pattern, std::vector<bool>& covered) {
  const std::string& p = pattern.text;
  const std::size_t run = std::min(pattern.min_run, p.size());
  if (decoded.size() < run) return;
  std::unordered_map<std::string_view, std::vector<std::size_t>> grams;  // run-gram -> offsets
  for (std::size_t j = 0; j + run <= p.size(); ++j)
    grams[std::string_view(p).substr(j, run)].push_back(j);
  bool in_pattern[256] = {};
  for (const char c : p) in_pattern[static_cast<unsigned char>(c)] = true;
  const std::string_view d(decoded);
  for (std::size_t i = 0; i + run <= d.size(); ++i) {
    // No run can start at i..i+run-1 when the character at i+run-1 is foreign to the pattern.
    if (!in_pattern[static_cast<unsigned char>(d[i + run - 1])]) {
      i += run - 1;
      continue;
    }
    const auto it = grams.find(d.substr(i, run));
    if (it == grams.end()) continue;
    std::size_t longest = 0;
    for (const std::size_t j : it->second) {
      std::size_t n = run;
      while (i + n < d.size() && j + n < p.size() && d[i + n] == p[j + n]) ++n;
      if (j == 0 || j + n == p.size()) longest = std::max(longest, n);  // a prefix or a suffix
    }
    if (longest == 0) continue;
    std::fill(covered.begin() + static_cast<std::ptrdiff_t>(i),
              covered.begin() + static_cast<std::ptrdiff_t>(i + longest), true);
  }
}

}  // namespace

std::string ScrubSecrets(std::string text, std::span<const std::string> secrets) {
  std::vector<Pattern> patterns;
  for (const std::string& secret : secrets) {
    if (secret.size() < kMinSecretLength) continue;
    patterns.push_back({secret, secret.size() < kMinRun ? secret.size() : kMinRun});
    if (secret.size() >= kMinRun) AddBase64Forms(secret, patterns);
  }
  if (patterns.empty() || text.empty()) return text;
  const Decoded decoded(text);
  std::vector<bool> covered(decoded.chars().size(), false);
  for (const Pattern& pattern : patterns) MarkRuns(decoded.chars(), pattern, covered);
  if (std::find(covered.begin(), covered.end(), true) == covered.end()) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // source offset copied up to
  for (std::size_t d = 0; d < covered.size();) {
    if (!covered[d]) {
      ++d;
      continue;
    }
    std::size_t e = d;
    while (e < covered.size() && covered[e]) ++e;
    const std::size_t from = decoded.SourceOffset(d), to = decoded.SourceOffset(e);
    out.append(text, copied, from - copied);
    out += kRedacted;
    copied = to;
    d = e;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace marsdrive::planners::vlm

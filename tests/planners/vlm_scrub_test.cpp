// The secret scrubber (planners/vlm/scrub.h) against every form in which a model server could
// echo the API key back: exact, JSON-escaped, URL-encoded, base64, cut short at either end.

#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/base64.h"
#include "planners/vlm/scrub.h"

namespace marsdrive::planners::vlm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kKey = "sk-ant-api03-Zx9_Qw7-ErT5yU3iO1pA8sD6fG4hJ2kL0";
const std::vector<std::string> kSecrets = {kKey};

std::string Scrub(const std::string& text) { return ScrubSecrets(text, kSecrets); }

// Joined piecewise: g++ 12 warns (-Wrestrict, a false positive) on "literal" + std::string.
std::string Concat(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

std::string JsonUnicodeEscaped(const std::string& s, const char* format = "\\u%04x") {
  std::string out;
  for (const char c : s) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned>(c));
    out += buffer;
  }
  return out;
}

std::string PercentEncoded(const std::string& s, const char* format = "%%%02X") {
  return JsonUnicodeEscaped(s, format);
}

TEST(ScrubSecrets, LeavesTextWithoutTheKeyAlone) {  // control
  const std::string text = "HTTP 401 \\u0041 %41 c2stYW50 invalid x-api-key [] {}";
  EXPECT_EQ(Scrub(text), text);
  EXPECT_EQ(
      ScrubSecrets("k=abcdef123;k2=abcdef123 xy", std::vector<std::string>{"abcdef123", "xy"}),
      "k=[REDACTED];k2=[REDACTED] xy");  // too short a "secret" is left alone
}

TEST(ScrubSecrets, ExactKeyKeepsTheTextAround) {
  EXPECT_EQ(Scrub("key " + kKey + " bad"), "key [REDACTED] bad");
}

TEST(ScrubSecrets, JsonEscapedForms) {
  EXPECT_EQ(Scrub(Concat({"\"", JsonUnicodeEscaped(kKey), "\""})), "\"[REDACTED]\"");
  EXPECT_EQ(Scrub(Concat({"x", JsonUnicodeEscaped(kKey, "\\u%04X"), "y"})), "x[REDACTED]y");
  EXPECT_EQ(Scrub(JsonUnicodeEscaped(kKey, "\\\\u%04x")), "[REDACTED]");  // escaped twice
  // Some characters escaped, some not, and '/' as "\/" in a key that has one.
  const std::string slash_key = "sk-proj/abc/def/0123456789";
  EXPECT_EQ(ScrubSecrets("k=sk-proj\\/abc\\u002fdef\\\\/0123456789.",
                         std::vector<std::string>{slash_key}),
            "k=[REDACTED].");
}

TEST(ScrubSecrets, UrlEncodedForms) {
  EXPECT_EQ(Scrub("?key=" + PercentEncoded(kKey) + "&x=1"), "?key=[REDACTED]&x=1");
  EXPECT_EQ(Scrub("?key=" + PercentEncoded(kKey, "%%%02x")), "?key=[REDACTED]");
  EXPECT_EQ(Scrub("?key=" + PercentEncoded(kKey, "%%25%02X")), "?key=[REDACTED]");  // twice
  EXPECT_EQ(Scrub("k=sk%2Dant%2dapi03-Zx9_Qw7-ErT5yU3iO1pA8sD6fG4hJ2kL0"), "k=[REDACTED]");
}

TEST(ScrubSecrets, Base64AtEveryAlignmentAndBothAlphabets) {
  for (const std::string& before : {std::string(), std::string("u"), std::string("us"),
                                    std::string("user:"), std::string("Bearer ")}) {
    SCOPED_TRACE(before);
    const std::string encoded = Base64Encode(before + kKey + "\n");
    const std::string scrubbed = Scrub("Authorization: Basic " + encoded);
    EXPECT_THAT(scrubbed, HasSubstr("[REDACTED]"));
    // No 11-character run of the key's base64 (8 key bytes) is left.
    for (std::size_t filler = 0; filler < 3; ++filler) {
      const std::string core = Base64Encode(std::string(filler, '\0') + kKey).substr(4, 11);
      EXPECT_THAT(scrubbed, Not(HasSubstr(core)));
    }
  }
  // URL-safe alphabet: a key whose base64 holds '+' and '/'.
  const std::string odd_key = "key>>>???~~~>>>???~~~012";  // 24 bytes: no partial group
  const std::string standard = Base64Encode(odd_key);
  ASSERT_NE(standard.find_first_of("+/"), std::string::npos);
  std::string url_safe = standard;
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  const std::vector<std::string> odd = {odd_key};
  EXPECT_EQ(ScrubSecrets("a " + standard + " b", odd), "a [REDACTED] b");
  EXPECT_EQ(ScrubSecrets("a " + url_safe + " b", odd), "a [REDACTED] b");
}

TEST(ScrubSecrets, AnyPrefixOrSuffixOfEightOrMoreCharacters) {
  for (std::size_t n = 8; n <= kKey.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(Scrub("invalid key " + kKey.substr(0, n)), "invalid key [REDACTED]");
    EXPECT_EQ(Scrub(kKey.substr(kKey.size() - n) + " was rejected"), "[REDACTED] was rejected");
    // Cut short inside a JSON-escaped or URL-encoded echo too.
    EXPECT_EQ(Scrub("k=" + JsonUnicodeEscaped(kKey.substr(0, n))), "k=[REDACTED]");
    EXPECT_EQ(Scrub("k=" + PercentEncoded(kKey.substr(kKey.size() - n))), "k=[REDACTED]");
  }
  // Control: 7 characters are below the threshold and stay (no key is that short).
  EXPECT_EQ(Scrub("invalid key " + kKey.substr(0, 7)), "invalid key " + kKey.substr(0, 7));
}

// A run from the key's middle is no prefix or suffix: a key holding a word leaves it alone.
TEST(ScrubSecrets, AWordInsideTheKeyIsNotRedactedElsewhere) {
  const std::vector<std::string> key = {"sk-ant-cassette-test-KEY-0123456789"};
  EXPECT_EQ(ScrubSecrets("format marsdrive/vlm-cassette/1", key),
            "format marsdrive/vlm-cassette/1");
  EXPECT_EQ(ScrubSecrets("k=sk-ant-cassette-test-K", key), "k=[REDACTED]");  // control: prefix
}

TEST(ScrubSecrets, EveryFormInOneText) {
  const std::string text = "a " + kKey + " b " + JsonUnicodeEscaped(kKey) + " c " +
                           PercentEncoded(kKey) + " d " + Base64Encode(kKey) + " e " +
                           kKey.substr(0, 12) + "\n";
  // Of the base64, the last symbol (2 bits of the key and the padding) is all that is left.
  const std::string base64_tail = Base64Encode(kKey).substr(61);
  ASSERT_EQ(base64_tail.size(), 3u);
  EXPECT_EQ(Scrub(text), "a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED]" + base64_tail +
                             " e [REDACTED]\n");
}

}  // namespace
}  // namespace marsdrive::planners::vlm

#include "base/text.h"

#include <string>

#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

TEST(QuoteExcerpt, KeepsPrintableAsciiAndEscapesEverythingElse) {
  EXPECT_EQ(QuoteExcerpt("plain text"), "\"plain text\"");
  EXPECT_EQ(QuoteExcerpt("a\"b\\c"), "\"a\\\"b\\\\c\"");
  // ESC, CR, NUL, a byte of invalid UTF-8 and a UTF-8 'é': none reaches a terminal raw.
  EXPECT_EQ(QuoteExcerpt(std::string("\x1b[31m\r\0\xff\xc3\xa9", 10)),
            "\"\\x1b[31m\\x0d\\x00\\xff\\xc3\\xa9\"");
  EXPECT_EQ(QuoteExcerpt("it's", 40, '\''), "'it\\'s'");
}

TEST(QuoteExcerpt, CutsLongInputAndSaysSo) {
  const std::string long_text(100000, 'x');
  const std::string quoted = QuoteExcerpt(long_text, 8);
  EXPECT_EQ(quoted, "\"xxxxxxxx\"...");
  EXPECT_EQ(QuoteExcerpt("12345678", 8), "\"12345678\"");  // control: exactly the limit, no "..."
}

TEST(Utf8Prefix, NeverSplitsACharacter) {
  const std::string text = "ab\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80";  // a b é € 🚀 (1,1,2,3,4)
  EXPECT_EQ(Utf8Prefix(text, 2), "ab");
  EXPECT_EQ(Utf8Prefix(text, 3), "ab");  // inside é
  EXPECT_EQ(Utf8Prefix(text, 4), "ab\xc3\xa9");
  EXPECT_EQ(Utf8Prefix(text, 5), "ab\xc3\xa9");  // inside €
  EXPECT_EQ(Utf8Prefix(text, 6), "ab\xc3\xa9");
  EXPECT_EQ(Utf8Prefix(text, 7), "ab\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(Utf8Prefix(text, 10), "ab\xc3\xa9\xe2\x82\xac");  // inside 🚀
  EXPECT_EQ(Utf8Prefix(text, 11), text);
  EXPECT_EQ(Utf8Prefix(text, 1000), text);
}

TEST(PrintableUtf8, ReplacesControlsAndInvalidBytesKeepsValidText) {
  EXPECT_EQ(PrintableUtf8("caf\xc3\xa9 ok\n\tnext"), "caf\xc3\xa9 ok\n\tnext");
  EXPECT_EQ(PrintableUtf8("a\x1b[2Jb\rc"), "a?[2Jb?c");
  EXPECT_EQ(PrintableUtf8("x\xc3"), "x?");          // cut inside a character
  EXPECT_EQ(PrintableUtf8("\xc0\xaf"), "??");       // overlong '/'
  EXPECT_EQ(PrintableUtf8("\xed\xa0\x80"), "???");  // a UTF-16 surrogate
  EXPECT_EQ(PrintableUtf8("\xc2\x9b"
                          "1m"),
            "?1m");  // C1 CSI
}

}  // namespace
}  // namespace marsdrive::base

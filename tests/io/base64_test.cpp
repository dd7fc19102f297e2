#include "io/base64.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace marsdrive {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    SCOPED_TRACE(plain);
    EXPECT_EQ(Base64Encode(plain), encoded);
    const auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), plain);
  }
}

TEST(Base64, EveryByteValueRoundTrips) {
  for (std::size_t n = 0; n < 260; ++n) {  // every length modulo 3, every byte value
    std::vector<std::uint8_t> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(255 - i % 256);
    const std::string text = Base64Encode(bytes);
    EXPECT_EQ(text.size(), (n + 2) / 3 * 4);
    EXPECT_EQ(Base64Decode(text), bytes);
  }
}

TEST(Base64, HighBitsUseTheStandardAlphabet) {  // '+' and '/', not the URL-safe '-' and '_'
  EXPECT_EQ(Base64Encode(std::vector<std::uint8_t>{0xfb, 0xff, 0xbf}), "+/+/");
}

TEST(Base64, DecoderRejectsMalformedText) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v\n", "Zm 9", "Zm-_", "Zg==Zg==", "=Zm9",
                          "Zh==" /* stray bits under the padding */}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(Base64Decode(bad), std::nullopt);
  }
  EXPECT_TRUE(Base64Decode("Zg==").has_value());  // control
}

}  // namespace
}  // namespace marsdrive

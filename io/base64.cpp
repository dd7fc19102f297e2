#include "io/base64.h"

#include <algorithm>
#include <climits>

#include <openssl/evp.h>

namespace marsdrive {

std::string Base64Encode(std::span<const std::uint8_t> bytes) {
  // EVP_EncodeBlock takes an int length and writes 4 characters per 3 bytes plus a NUL.
  std::string text;
  for (std::size_t begin = 0; begin < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(bytes.size() - begin, 3 * (INT_MAX / 8));
    std::string part(4 * ((n + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(part.data()),
                                        bytes.data() + begin, static_cast<int>(n));
    text.append(part.data(), static_cast<std::size_t>(written));
    begin += n;
  }
  return text;
}

std::optional<std::vector<std::uint8_t>> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0 || text.size() > static_cast<std::size_t>(INT_MAX)) return std::nullopt;
  // EVP_DecodeBlock accepts leading/trailing whitespace and returns 3 bytes per 4 symbols,
  // padding included; strictness comes from re-encoding the result and requiring the input
  // back (this rejects whitespace, misplaced '=' and non-zero unused bits, RFC 4648 §3.5).
  std::vector<std::uint8_t> bytes(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  bytes.resize(static_cast<std::size_t>(n) - padding);
  if (Base64Encode(bytes) != text) return std::nullopt;
  return bytes;
}

}  // namespace marsdrive

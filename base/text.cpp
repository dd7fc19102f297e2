#include "base/text.h"

#include <cstdint>

namespace marsdrive::base {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence at text[at], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t ValidSequenceLength(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2;
    code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    code = c & 0x07;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto d = static_cast<unsigned char>(text[at + i]);
    if (!IsContinuation(d)) return 0;
    code = (code << 6) | (d & 0x3F);
  }
  constexpr std::uint32_t kMinCode[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinCode[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string QuoteExcerpt(std::string_view text, std::size_t max_bytes, char quote) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(1, quote);
  const std::size_t n = text.size() < max_bytes ? text.size() : max_bytes;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += quote;
  if (n < text.size()) out += "...";
  return out;
}

std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // text[max_bytes] is the first byte left out; when it continues a character, that character
  // would be cut: back up to its lead byte (at most 3 bytes: no UTF-8 sequence is longer).
  std::size_t end = max_bytes;
  while (end > 0 && max_bytes - end < 3 && IsContinuation(static_cast<unsigned char>(text[end])))
    --end;
  return text.substr(0, end);
}

std::string PrintableUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = ValidSequenceLength(text, i);
    if (length == 0) {
      out += '?';
      ++i;
    } else if (length == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t') {
      out += '?';
      ++i;
    } else if (length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
               static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out += '?';  // C1 control characters (U+0080..U+009F), e.g. CSI
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace marsdrive::base

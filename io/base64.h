#pragma once
// Base64 (RFC 4648 §4, standard alphabet, '=' padding, no line breaks): images go to the model
// APIs as base64 text (Anthropic `source.data`, OpenAI `data:image/png;base64,...` URLs).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marsdrive {

std::string Base64Encode(std::span<const std::uint8_t> bytes);
inline std::string Base64Encode(std::string_view bytes) {
  return Base64Encode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

// Strict decoder: the length must be a multiple of 4, padding only at the end, no whitespace,
// and the unused bits of the last symbol must be zero (RFC 4648 §3.5). nullopt otherwise.
std::optional<std::vector<std::uint8_t>> Base64Decode(std::string_view text);

}  // namespace marsdrive

#pragma once
// FNV-1a 64-bit hashing of content, for cache keys and fingerprints (not for security).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace marsdrive {

class Fnv1a64 {
 public:
  Fnv1a64& Update(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      hash_ ^= bytes[i];
      hash_ *= 0x100000001b3ULL;
    }
    return *this;
  }
  Fnv1a64& Update(std::string_view text) { return Update(text.data(), text.size()); }
  std::uint64_t Value() const { return hash_; }
  // 16 lower-case hex digits.
  std::string Hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// Fnv1a64::Hex of a file's bytes, read in 64 KiB blocks; nullopt when it cannot be opened.
inline std::optional<std::string> HashFileContents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.good()) return std::nullopt;
  Fnv1a64 hash;
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.Update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  return hash.Hex();
}

}  // namespace marsdrive

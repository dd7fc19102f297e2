#pragma once
// Memory estimates before allocation (docs/limits.md): a request that would need more memory
// than marsdrive may use is refused with one line naming the request and the estimate, before
// anything large is allocated, instead of dying of std::bad_alloc half-way.
//
// What marsdrive may use is the smallest of
//   - the cap: kDefaultMaxMemoryBytes, or `--max-memory` (SetMaxMemoryBytes, once, in main);
//   - the process's address-space limit (RLIMIT_AS, `ulimit -v`), less what it already maps;
//   - the machine's available memory (MemAvailable in /proc/meminfo).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marsdrive::base {

inline constexpr std::uint64_t kDefaultMaxMemoryBytes = std::uint64_t{16} << 30;  // 16 GiB

// The cap for this process (0: back to the default). Set once, before any work starts.
void SetMaxMemoryBytes(std::uint64_t bytes);
std::uint64_t MaxMemoryBytes();

// "1.5 GiB", "320 MiB", "4096 B": for messages.
std::string FormatBytes(double bytes);

// "16G", "512M", "2.5GiB", "1e9" (bytes): nullopt when not a positive size.
std::optional<std::uint64_t> ParseByteSize(std::string_view text);

// What the process may still allocate and why that much, e.g. {2.1e9, "the address-space limit
// (ulimit -v)"}.
struct MemoryAllowance {
  double bytes = 0;
  std::string source;
};
MemoryAllowance CurrentMemoryAllowance();

// "" when `estimate_bytes` fits the allowance; else one line: "<request> needs about 3.7 GiB
// (estimate), more than <allowance> may use: <source>; <hint>".
std::string CheckMemoryEstimate(const std::string& request, double estimate_bytes,
                                const std::string& hint);

}  // namespace marsdrive::base

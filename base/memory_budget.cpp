#include "base/memory_budget.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <sys/resource.h>

namespace marsdrive::base {

namespace {

std::atomic<std::uint64_t> g_max_memory_bytes{kDefaultMaxMemoryBytes};

// A "Key:   123 kB" line of a /proc file, in bytes; nullopt when absent.
std::optional<double> ProcKilobytes(const char* file, std::string_view key) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ':') continue;
    std::istringstream fields(line.substr(key.size() + 1));
    double kilobytes = 0;
    if (fields >> kilobytes) return kilobytes * 1024.0;
  }
  return std::nullopt;
}

}  // namespace

void SetMaxMemoryBytes(std::uint64_t bytes) {
  g_max_memory_bytes = bytes == 0 ? kDefaultMaxMemoryBytes : bytes;
}

std::uint64_t MaxMemoryBytes() { return g_max_memory_bytes; }

std::string FormatBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 6) {
    bytes /= 1024.0;
    ++unit;
  }
  char text[48];
  std::snprintf(text, sizeof text, unit == 0 || bytes >= 1000 ? "%.0f %s" : "%.3g %s", bytes,
                kUnits[unit]);
  return text;
}

std::optional<std::uint64_t> ParseByteSize(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || !(value > 0)) return std::nullopt;
  std::string suffix(end, text.data() + text.size());
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.ends_with("IB")) suffix.erase(suffix.size() - 2);
  if (suffix.ends_with("B")) suffix.erase(suffix.size() - 1);
  double scale = 1;
  if (suffix == "K") {
    scale = 0x1p10;
  } else if (suffix == "M") {
    scale = 0x1p20;
  } else if (suffix == "G") {
    scale = 0x1p30;
  } else if (suffix == "T") {
    scale = 0x1p40;
  } else if (!suffix.empty()) {
    return std::nullopt;
  }
  const double bytes = value * scale;
  if (bytes < 1 || bytes >= 0x1p63) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

MemoryAllowance CurrentMemoryAllowance() {
  MemoryAllowance allowance{static_cast<double>(MaxMemoryBytes()),
                            "the memory cap (--max-memory, default " +
                                FormatBytes(static_cast<double>(kDefaultMaxMemoryBytes)) + ")"};
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const double mapped = ProcKilobytes("/proc/self/status", "VmSize").value_or(0);
    const double left = static_cast<double>(limit.rlim_cur) - mapped;
    if (left < allowance.bytes)
      allowance = {left, "what the address-space limit (ulimit -v, " +
                             FormatBytes(static_cast<double>(limit.rlim_cur)) + ") leaves"};
  }
  if (const auto available = ProcKilobytes("/proc/meminfo", "MemAvailable")) {
    if (*available < allowance.bytes) allowance = {*available, "the machine's available memory"};
  }
  return allowance;
}

std::string CheckMemoryEstimate(const std::string& request, double estimate_bytes,
                                const std::string& hint) {
  const MemoryAllowance allowance = CurrentMemoryAllowance();
  if (estimate_bytes <= allowance.bytes) return "";
  return request + " needs about " + FormatBytes(estimate_bytes) + " (estimate), more than the " +
         FormatBytes(std::max(0.0, allowance.bytes)) + " allowed by " + allowance.source +
         (hint.empty() ? "" : "; " + hint);
}

}  // namespace marsdrive::base

#pragma once
// How long the lists in input files may be (issue 14 item 1; docs/limits.md "Lists"): checked
// on the list's length before its items are read, so a huge list is refused before it is
// copied, with the file and field named.

#include <cstddef>
#include <string>

namespace marsdrive {

inline constexpr std::size_t kMaxWaypoints = 1'000'000;      // one route: plan.json, files
inline constexpr std::size_t kMaxKeepOuts = 10'000;          // polygons in one file
inline constexpr std::size_t kMaxPolygonVertices = 100'000;  // one keep-out polygon
inline constexpr std::size_t kMaxSeeds = 10'000;             // a suite's seeds

// "" when count <= cap, else "expected at most <cap> <what>, got <count>".
inline std::string ListTooLong(std::size_t count, std::size_t cap, const char* what) {
  if (count <= cap) return "";
  std::string message = "expected at most ";
  message += std::to_string(cap);
  message += ' ';
  message += what;
  message += ", got ";
  message += std::to_string(count);
  return message;
}

}  // namespace marsdrive

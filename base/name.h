#pragma once
// Names that become directory names — scenario names, planner names and labels (a run lives in
// runs/<scenario>/<planner label>/seed-<n>) — are data, never paths: one pattern, checked where
// they are read (docs/scenarios.md "Names").

#include <cstddef>
#include <string_view>

namespace marsdrive::base {

// The pattern, for messages and documentation: a letter or digit first (no leading dot, so
// never "." or ".."), then letters, digits, '.', '_', '+' or '-'; 1 to 64 bytes, ASCII only (no
// '/', '\', spaces, control characters or UTF-8).
inline constexpr const char* kNamePattern = "[A-Za-z0-9][A-Za-z0-9._+-]{0,63}";
inline constexpr std::size_t kNameMaxBytes = 64;

bool IsSafeName(std::string_view name);

}  // namespace marsdrive::base

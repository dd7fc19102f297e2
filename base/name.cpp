#include "base/name.h"

namespace marsdrive::base {

namespace {

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.size() > kNameMaxBytes || !IsAlnum(name.front())) return false;
  for (const char c : name) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '+' && c != '-') return false;
  }
  return true;
}

}  // namespace marsdrive::base

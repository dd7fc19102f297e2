#include "terrain/soil.h"

namespace marsdrive::terrain {

std::string_view ToString(SoilClass soil) {
  switch (soil) {
    case SoilClass::kRegolith:
      return "regolith";
    case SoilClass::kBedrock:
      return "bedrock";
    case SoilClass::kSand:
      return "sand";
    case SoilClass::kNodata:
      return "nodata";
  }
  return "unknown";
}

std::optional<SoilClass> ParseSoilClass(std::string_view name) {
  for (SoilClass soil : kSoilClasses) {
    if (ToString(soil) == name) return soil;
  }
  return std::nullopt;
}

}  // namespace marsdrive::terrain

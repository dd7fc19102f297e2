#pragma once
// Soil classes of the ground-truth class map. Physics maps each to friction and a wheel-soil
// model (vehicle/, sim/); the orthoimage gives each its albedo. Bands from
// docs/references/terrain.md §5 (soil mechanics) and §6 (per-class Coulomb friction).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marsdrive::terrain {

enum class SoilClass : std::uint8_t {
  kRegolith = 0,  // compact soil / rubble: phi 35-40 deg (terrain.md §5)
  kBedrock = 1,   // rigid, exposed on ledges and scarps
  kSand = 2,      // loose aeolian sand, ripples and megaripples: phi 30-33 deg, sinkage-prone
  kNodata = 255,  // outside a real DEM's valid area
};

inline constexpr std::array<SoilClass, 3> kSoilClasses = {SoilClass::kRegolith, SoilClass::kBedrock,
                                                          SoilClass::kSand};

std::string_view ToString(SoilClass soil);
// "regolith" | "bedrock" | "sand" (case-sensitive); nullopt otherwise.
std::optional<SoilClass> ParseSoilClass(std::string_view name);

}  // namespace marsdrive::terrain

#pragma once
// Rocks of the ground truth, and the Golombek-Rapp rock size-frequency model
// (docs/references/terrain.md §2): cumulative fractional area of rocks with diameter >= D is
//   F_k(D) = k exp(-q(k) D),  q(k) = 1.79 + 0.152 / k   (D in metres),
// and, with each rock covering pi D^2 / 4, the number density is
//   dN/dD = (4 k q / (pi D^2)) exp(-q D)   per m^2.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "base/random.h"
#include "terrain/grid.h"

namespace marsdrive::terrain {

struct Rock {
  double x_m = 0;  // map frame, centre of the rock's base
  double y_m = 0;
  double diameter_m = 0;         // base diameter
  double height_m = 0;           // height above the local ground
  std::uint32_t shape_seed = 0;  // seeds the rock's shape (physics hull, rendering)
  bool operator==(const Rock&) const = default;
};

// Height of a rock of diameter D when none is given: H = 0.5 D (terrain.md §2: EST, range
// 0.3-0.6 D for partially buried rocks).
inline constexpr double kRockHeightPerDiameter = 0.5;
// Smallest HiRISE-detectable rock diameter (terrain.md §2, "HiRISE resolves >= ~1.5 m").
inline constexpr double kOrbitalRockDetectionDiameterM = 1.5;

// q(k) of the Golombek-Rapp model.
double GolombekRappQ(double k);
// Cumulative fractional area F_k(D) covered by rocks of diameter >= D.
double GolombekRappCumulativeArea(double k, double diameter_m);
// Expected number of rocks per m^2 with diameter in [d_min, d_max] (numerical integration).
double GolombekRappCount(double k, double d_min_m, double d_max_m);

struct RockFieldParams {
  double k = 0.10;               // total rock area fraction (terrain.md §1: 0.05-0.20 on the rim)
  double min_diameter_m = 0.10;  // smaller rocks are left out (a 0.525 m wheel rolls over them)
  double max_diameter_m = 3.0;
  double height_per_diameter = kRockHeightPerDiameter;
  double height_jitter = 0.2;  // relative spread of H/D (uniform, +-)
};

// Samples a Golombek-Rapp rock field over `area` (uniform positions; Poisson counts).
// `density_m2(x, y)`-free version: uniform abundance k everywhere.
std::vector<Rock> SampleRockField(const GridSpec& area, const RockFieldParams& params, Rng& rng);

}  // namespace marsdrive::terrain

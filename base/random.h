#pragma once
// Seeded randomness (STYLE §5 "Determinism"): one std::mt19937_64 per job, passed by reference.
// std::*_distribution differs between standard libraries, so draws use these helpers, whose
// results depend only on the engine's (fully specified) output.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace marsdrive {

using Rng = std::mt19937_64;

// Uniform in [0, 1), 53 random bits.
inline double UniformReal(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
inline double UniformReal(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * UniformReal(rng);
}
// Standard normal by Box-Muller (one value per call; simple and portable).
inline double StandardNormal(Rng& rng) {
  const double u1 = 1.0 - UniformReal(rng);  // (0, 1]
  const double u2 = UniformReal(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}
// Poisson-distributed count with the given mean (Knuth for small means, normal approx above).
inline std::int64_t PoissonCount(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const double limit = std::exp(-mean);
    std::int64_t k = 0;
    double p = UniformReal(rng);
    while (p > limit) {
      ++k;
      p *= UniformReal(rng);
    }
    return k;
  }
  const double draw = std::round(mean + std::sqrt(mean) * StandardNormal(rng));
  return draw < 0 ? 0 : static_cast<std::int64_t>(draw);
}
// A stream seed derived from a seed and a purpose tag (splitmix64), so that independent parts of
// a generator draw from independent streams and adding draws to one does not shift the others.
inline std::uint64_t DeriveSeed(std::uint64_t seed, std::uint64_t tag) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (tag + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace marsdrive

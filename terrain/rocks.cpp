#include "terrain/rocks.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "base/check.h"
#include "base/text.h"
#include "io/json_reader.h"
#include "io/yaml_reader.h"

namespace marsdrive::terrain {

// ------------------------------------------------------------------------------------------------
// Golombek-Rapp model (terrain.md §2).

double GolombekRappQ(double k) {
  MD_DEMAND(k > 0);
  return 1.79 + 0.152 / k;  // terrain.md §2: q(k) = 1.79 + 0.152 / k
}

double GolombekRappCumulativeArea(double k, double diameter_m) {
  if (k <= 0) return 0.0;
  return k * std::exp(-GolombekRappQ(k) * diameter_m);  // terrain.md §2: F_k(D) = k exp(-q D)
}

double GolombekRappCount(double k, double d_min_m, double d_max_m) {
  MD_DEMAND(d_min_m > 0);
  if (k <= 0 || !(d_max_m > d_min_m)) return 0.0;
  const double q = GolombekRappQ(k);
  // N = integral of (4 k q / (pi D^2)) exp(-q D) dD over [d_min, d_max]. With u = 1/D the
  // integrand becomes (4 k q / pi) exp(-q / u) du on [1/d_max, 1/d_min]: bounded, smooth (all
  // derivatives vanish at u = 0, so d_max = infinity is fine) and monotone. Composite Simpson.
  const double u_lo = std::isinf(d_max_m) ? 0.0 : 1.0 / d_max_m;
  const double u_hi = 1.0 / d_min_m;
  constexpr int kIntervals = 4096;  // even; relative error < 1e-9 for D_min >= 1 mm
  const double h = (u_hi - u_lo) / kIntervals;
  const auto g = [q](double u) { return u <= 0 ? 0.0 : std::exp(-q / u); };
  double sum = g(u_lo) + g(u_hi);
  for (int i = 1; i < kIntervals; ++i) sum += (i % 2 == 1 ? 4.0 : 2.0) * g(u_lo + i * h);
  return 4.0 * k * q / std::numbers::pi * sum * h / 3.0;
}

namespace {

// One diameter from dN/dD ∝ exp(-q D) / D^2 truncated to [d_min, d_max], by exact rejection.
// Two proposals, whichever accepts more often: 1/D^2 (uniform in 1/D) when q d_min < 1, where
// the power law dominates; else an exponential of rate q, where the exponential dominates.
double SampleDiameter(double q, double d_min, double d_max, Rng& rng) {
  if (q * d_min < 1.0) {
    const double u_lo = std::isinf(d_max) ? 0.0 : 1.0 / d_max;
    const double u_hi = 1.0 / d_min;
    for (;;) {
      const double u = UniformReal(rng, u_lo, u_hi);
      const double accept = UniformReal(rng);
      if (u <= 0) continue;
      const double d = std::min(1.0 / u, d_max);
      if (accept < std::exp(-q * (d - d_min))) return d;
    }
  }
  const double tail = std::isinf(d_max) ? 1.0 : -std::expm1(-q * (d_max - d_min));
  for (;;) {
    const double d = std::min(d_min - std::log1p(-UniformReal(rng) * tail) / q, d_max);
    const double accept = UniformReal(rng);
    const double ratio = d_min / d;
    if (accept < ratio * ratio) return d;
  }
}

}  // namespace

std::vector<Rock> SampleRockField(const GridSpec& area, const RockFieldParams& params, Rng& rng) {
  MD_DEMAND(params.min_diameter_m > 0 && params.max_diameter_m >= params.min_diameter_m);
  MD_DEMAND(params.height_per_diameter > 0 && params.height_jitter >= 0 &&
            params.height_jitter < 1);
  std::vector<Rock> rocks;
  if (params.k <= 0 || params.max_diameter_m <= params.min_diameter_m) return rocks;
  const double area_m2 = area.WidthM() * area.HeightM();
  const double mean_count =
      area_m2 * GolombekRappCount(params.k, params.min_diameter_m, params.max_diameter_m);
  const std::int64_t count = PoissonCount(rng, mean_count);
  const double q = GolombekRappQ(params.k);
  rocks.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    Rock rock;
    rock.diameter_m = SampleDiameter(q, params.min_diameter_m, params.max_diameter_m, rng);
    rock.x_m = area.origin_x_m + UniformReal(rng) * area.WidthM();
    rock.y_m = area.origin_y_m + UniformReal(rng) * area.HeightM();
    const double jitter = params.height_jitter * UniformReal(rng, -1.0, 1.0);
    rock.height_m = params.height_per_diameter * rock.diameter_m * (1.0 + jitter);
    rock.shape_seed = static_cast<std::uint32_t>(rng() >> 32);
    rocks.push_back(rock);
  }
  return rocks;
}

}  // namespace marsdrive::terrain

#include "base/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace marsdrive::base {

namespace {

// Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz), which
// converges fast for x < (a + 1) / (a + b + 2); the symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
// covers the rest.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-15) break;
  }
  return h;
}

double IncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

// Our bug, not a user error (as MD_DEMAND, which lives above this layer): print and abort.
void DemandDof(int dof, const char* function) {
  if (dof >= 1) return;
  std::fprintf(stderr, "marsdrive: %s: expected dof >= 1, got %d\n", function, dof);
  std::abort();
}

// Above this many degrees of freedom StudentT95 uses the asymptotic series.
constexpr int kSeriesDof = 1000;

}  // namespace

double StudentTCdf(double t, int dof) {
  DemandDof(dof, "StudentTCdf");
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double nu = dof;
  const double tail = 0.5 * IncompleteBeta(nu / 2, 0.5, nu / (nu + t * t));  // P(T > |t|)
  return t < 0 ? tail : 1 - tail;
}

double StudentT95(int dof) {
  DemandDof(dof, "StudentT95");
  if (dof > kSeriesDof) {
    // Cornish-Fisher expansion of t(p, nu) about z = Phi^-1(p) (A&S 26.7.5).
    constexpr double z = 1.959963984540054;  // Phi^-1(0.975)
    const double z2 = z * z;
    const double g1 = z * (z2 + 1) / 4;
    const double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
    const double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
    const double g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;
    const double u = 1.0 / dof;
    return z + u * (g1 + u * (g2 + u * (g3 + u * g4)));
  }
  // t(0.975, dof) lies in (1.959, 12.71]: bisect until the bracket cannot shrink.
  double lo = 1.959, hi = 12.8;
  for (;;) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (StudentTCdf(mid, dof) < 0.975 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

ProportionInterval WilsonInterval95(int successes, int trials) {
  if (successes < 0 || successes > trials) {
    std::fprintf(stderr,
                 "marsdrive: WilsonInterval95: expected 0 <= successes <= trials, got %d of %d\n",
                 successes, trials);
    std::abort();
  }
  if (trials == 0) return {0, 1};
  constexpr double z = 1.959963984540054;  // Phi^-1(0.975)
  const double n = trials, x = successes, z2 = z * z;
  const double centre = (x + z2 / 2) / (n + z2);
  const double half = z / (n + z2) * std::sqrt(x * (n - x) / n + z2 / 4);
  // At 0 and n successes one end is exact in theory but off by rounding (centre == half).
  return {successes == 0 ? 0.0 : std::clamp(centre - half, 0.0, 1.0),
          successes == trials ? 1.0 : std::clamp(centre + half, 0.0, 1.0)};
}

}  // namespace marsdrive::base

#pragma once
// Statistics, written once for every module: Student's t distribution and Wilson's interval
// for a proportion.

namespace marsdrive::base {

// Student t distribution function P(T <= t) for `dof` >= 1 degrees of freedom, from the
// regularised incomplete beta function (continued fraction): relative error ~1e-14 for
// dof <= 1000; NaN for NaN, 0 and 1 at -inf and +inf.
double StudentTCdf(double t, int dof);

// The two-sided 95 % quantile t(0.975, dof) for `dof` >= 1 degrees of freedom, as used for a
// 95 % confidence interval of a mean of dof + 1 samples (12.706 at 1, 2.040 at 31, 1.960 in the
// limit). Exact to double precision, not a table: for dof <= 1000, bisection of StudentTCdf to
// its last bit (absolute error < 1e-12, checked in tests/base/statistics_test.cpp against the
// closed forms at 1 and 2 dof); above, the Cornish-Fisher series in 1/dof about the normal
// quantile to 1/dof^4 (Abramowitz & Stegun 26.7.5), whose truncation error there is < 1e-13.
double StudentT95(int dof);

// A confidence interval for a proportion, both ends in [0, 1].
struct ProportionInterval {
  double lo = 0, hi = 0;
};

// Wilson's 95 % score interval (without continuity correction; Newcombe 1998, method 3) for
// `successes` of `trials`: unlike the normal approximation it stays inside [0, 1] and is not
// zero-width at 0 or `trials` successes, which matters for the small counts of a plan check.
// {0, 1} for no trials; exactly 0 at 0 successes and exactly 1 at `trials`. Aborts (our bug)
// unless 0 <= successes <= trials.
ProportionInterval WilsonInterval95(int successes, int trials);

}  // namespace marsdrive::base

#pragma once
// Angles (radians): wrapping, written once for every module.

namespace marsdrive::base {

// `angle_rad` wrapped into (-pi, pi]: std::remainder by 2 pi, which is exact, so a multiple of
// 2 pi is removed without rounding error however large the input; -pi maps to +pi.
double WrapPi(double angle_rad);

}  // namespace marsdrive::base

#include "base/angle.h"

#include <cmath>
#include <numbers>

namespace marsdrive::base {

double WrapPi(double angle_rad) {
  constexpr double kPi = std::numbers::pi;
  const double a = std::remainder(angle_rad, 2 * kPi);
  return a <= -kPi ? a + 2 * kPi : a;
}

}  // namespace marsdrive::base

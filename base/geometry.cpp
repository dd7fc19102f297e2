#include "base/geometry.h"

#include <cstddef>

namespace marsdrive::base {

bool PointInPolygon(std::span<const std::array<double, 2>> polygon, double x, double y) {
  if (polygon.size() < 3) return false;
  bool inside = false;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    const std::array<double, 2>& p = polygon[i];
    const std::array<double, 2>& q = polygon[j];
    // The edge straddles y (so q[1] != p[1]) and (x, y) is left of where it crosses.
    if ((p[1] > y) != (q[1] > y) && x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0]) {
      inside = !inside;
    }
  }
  return inside;
}

}  // namespace marsdrive::base

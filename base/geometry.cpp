#include "base/geometry.h"

#include <algorithm>
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

namespace {

using P = std::array<double, 2>;

// Twice the signed area of (a, b, c): > 0 when c is left of a -> b.
double Cross(const P& a, const P& b, const P& c) {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

bool OnSegment(const P& a, const P& b, const P& c) {  // c collinear with a-b: within its box?
  return std::min(a[0], b[0]) <= c[0] && c[0] <= std::max(a[0], b[0]) &&
         std::min(a[1], b[1]) <= c[1] && c[1] <= std::max(a[1], b[1]);
}

bool SegmentsTouch(const P& a, const P& b, const P& c, const P& d) {
  const double d1 = Cross(c, d, a), d2 = Cross(c, d, b), d3 = Cross(a, b, c), d4 = Cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  return (d1 == 0 && OnSegment(c, d, a)) || (d2 == 0 && OnSegment(c, d, b)) ||
         (d3 == 0 && OnSegment(a, b, c)) || (d4 == 0 && OnSegment(a, b, d));
}

}  // namespace

bool SegmentEntersPolygon(std::span<const P> polygon, const P& a, const P& b) {
  if (polygon.size() < 3) return false;
  if (PointInPolygon(polygon, a[0], a[1]) || PointInPolygon(polygon, b[0], b[1])) return true;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    if (SegmentsTouch(a, b, polygon[j], polygon[i])) return true;
  }
  return false;
}

}  // namespace marsdrive::base

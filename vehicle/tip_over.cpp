#include "vehicle/tip_over.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/check.h"
#include "vehicle/drive_controller.h"

namespace marsdrive::vehicle {

namespace {

using Point = std::array<double, 2>;

double Cross(const Point& o, const Point& a, const Point& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

// Andrew's monotone chain: the hull counter-clockwise, collinear points dropped.
std::vector<Point> ConvexHull(std::vector<Point> points) {
  std::sort(points.begin(), points.end());
  std::vector<Point> hull(2 * points.size());
  std::size_t k = 0;
  for (const Point& p : points) {  // lower hull
    while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {  // upper hull
    while (k >= lower && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

// Signed distance from p to the edge a -> b of a counter-clockwise polygon: > 0 inside.
double InsideDistance(const Point& a, const Point& b, const Point& p) {
  return Cross(a, b, p) / std::hypot(b[0] - a[0], b[1] - a[1]);
}

// The smallest inside distance of p over the polygon's edges (< 0: outside).
double MinInsideDistance(const std::vector<Point>& polygon, const Point& p) {
  double d = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    d = std::min(d, InsideDistance(polygon[i], polygon[(i + 1) % polygon.size()], p));
  }
  return d;
}

}  // namespace

SupportGeometry MakeSupportGeometry(const std::vector<std::array<double, 2>>& contacts_m,
                                    std::array<double, 2> com_xy_m, double com_height_m) {
  MD_THROW_UNLESS(contacts_m.size() >= 3, "support polygon: expected at least 3 contact points");
  SupportGeometry s{ConvexHull(contacts_m), com_xy_m, com_height_m};
  MD_THROW_UNLESS(s.polygon_m.size() >= 3, "support polygon: the contact points are collinear");
  MD_THROW_UNLESS(std::isfinite(com_height_m) && com_height_m > 0,
                  "support polygon: expected a centre of mass above the contact plane");
  MD_THROW_UNLESS(MinInsideDistance(s.polygon_m, com_xy_m) > 0,
                  "support polygon: the centre of mass is not above the wheels' support polygon");
  return s;
}

SupportGeometry MakeSupportGeometry(const RoverSpec& spec) {
  const auto wheels = WheelPositionsXY(spec);
  return MakeSupportGeometry({wheels.begin(), wheels.end()}, {spec.com_m.x, spec.com_m.y},
                             spec.com_m.z);
}

double StaticTipOverAngleRad(const SupportGeometry& support) {
  return std::atan(MinInsideDistance(support.polygon_m, support.com_xy_m) / support.com_height_m);
}

double StaticTipOverAngleRad(const RoverSpec& spec) {
  return StaticTipOverAngleRad(MakeSupportGeometry(spec));
}

bool IsStaticallyStable(const SupportGeometry& support, const std::array<double, 3>& up_body) {
  if (!(up_body[2] > 0)) return false;
  // Where the vertical through the centre of mass meets the contact plane (body z = 0).
  const double h = support.com_height_m / up_body[2];
  const Point foot{support.com_xy_m[0] - h * up_body[0], support.com_xy_m[1] - h * up_body[1]};
  return MinInsideDistance(support.polygon_m, foot) > 0;
}

std::array<double, 3> UpInBody(double roll_rad, double pitch_rad) {
  // Third row of R = Rz(yaw) Ry(pitch) Rx(roll): the map z axis in body coordinates.
  return {-std::sin(pitch_rad), std::sin(roll_rad) * std::cos(pitch_rad),
          std::cos(roll_rad) * std::cos(pitch_rad)};
}

}  // namespace marsdrive::vehicle

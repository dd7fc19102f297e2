#include "sim/rover_placement.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "base/check.h"
#include "base/format.h"
#include "vehicle/rover_model.h"

namespace marsdrive::sim {
using base::FormatNumber;

// Places the rover at the start: nav frame parallel to the plane fitted through the ground under
// its six wheels (rocks included), every wheel just clear of the ground.
btTransform PlaceRover(const DriveRequest& r, const BulletWorld& world) {
  const terrain::TerrainSampler& sampler = world.sampler();
  const terrain::GridSpec& spec = sampler.spec();
  const auto wheels = vehicle::WheelPositionsXY(r.rover);
  const double c = std::cos(r.start.yaw_rad), s = std::sin(r.start.yaw_rad);
  const auto top_at = [&](double x, double y) {
    double h = sampler.GroundHeight(x, y);
    std::vector<int> near;
    sampler.RocksNear(x, y, 0.0, near);
    for (int i : near) h = std::max(h, sampler.rocks()[static_cast<std::size_t>(i)].TopZ(x, y));
    return h;
  };
  std::array<double, vehicle::kWheels> h{};
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const double x = r.start.x_m + c * wheels[i][0] - s * wheels[i][1];
    const double y = r.start.y_m + s * wheels[i][0] + c * wheels[i][1];
    MD_THROW_UNLESS(spec.Contains(x, y),
                    "drive: start (" + FormatNumber(r.start.x_m) + ", " +
                        FormatNumber(r.start.y_m) + "): the rover is off the map (x in [" +
                        FormatNumber(spec.origin_x_m) + ", " + FormatNumber(spec.MaxX()) +
                        "], y in [" + FormatNumber(spec.origin_y_m) + ", " +
                        FormatNumber(spec.MaxY()) + "])");
    h[i] = top_at(x, y);
    MD_THROW_UNLESS(std::isfinite(h[i]), "drive: start (" + FormatNumber(r.start.x_m) + ", " +
                                             FormatNumber(r.start.y_m) + "): a wheel is on nodata");
  }
  // Rocks the start is inside of: taller than the clearance under the reference point, or
  // taller than a wheel radius under a wheel centre.
  std::vector<int> near;
  sampler.RocksNear(r.start.x_m, r.start.y_m, 0.0, near);
  for (int i : near) {
    const terrain::RockShape& rock = sampler.rocks()[static_cast<std::size_t>(i)];
    const bool under_reference_point = std::isfinite(rock.TopZ(r.start.x_m, r.start.y_m));
    MD_THROW_UNLESS(!(under_reference_point && rock.top_m > r.rover.limits.ground_clearance_m),
                    "drive: start (" + FormatNumber(r.start.x_m) + ", " +
                        FormatNumber(r.start.y_m) + ") is inside rock " + std::to_string(i) + " (" +
                        FormatNumber(rock.top_m) + " m tall, more than the ground clearance)");
  }
  for (std::size_t w = 0; w < wheels.size(); ++w) {
    const double x = r.start.x_m + c * wheels[w][0] - s * wheels[w][1];
    const double y = r.start.y_m + s * wheels[w][0] + c * wheels[w][1];
    const double ground = sampler.GroundHeight(x, y);
    MD_THROW_UNLESS(h[w] - ground <= r.rover.wheel_radius_m,
                    "drive: start (" + FormatNumber(r.start.x_m) + ", " +
                        FormatNumber(r.start.y_m) + "): wheel " + std::to_string(w) +
                        " is inside a rock taller than a wheel radius");
  }
  // Least-squares plane z = a + b x' + c y' in the yaw-aligned frame.
  double sxx = 0, syy = 0, sxy = 0, sx = 0, sy = 0, sz = 0, sxz = 0, syz = 0;
  const double n = static_cast<double>(wheels.size());
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const double x = wheels[i][0], y = wheels[i][1], z = h[i];
    sx += x;
    sy += y;
    sz += z;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
    sxz += x * z;
    syz += y * z;
  }
  const double mx = sx / n, my = sy / n, mz = sz / n;
  const double cxx = sxx / n - mx * mx, cyy = syy / n - my * my, cxy = sxy / n - mx * my;
  const double cxz = sxz / n - mx * mz, cyz = syz / n - my * mz;
  const double det = cxx * cyy - cxy * cxy;
  const double gx = det != 0 ? (cxz * cyy - cyz * cxy) / det : 0;
  const double gy = det != 0 ? (cyz * cxx - cxz * cxy) / det : 0;
  // Body axes: x along (1, 0, gx), y along (0, 1, gy) in the yaw frame, then rotated by yaw.
  btVector3 bx(static_cast<btScalar>(c), static_cast<btScalar>(s), static_cast<btScalar>(gx));
  btVector3 by(static_cast<btScalar>(-s), static_cast<btScalar>(c), static_cast<btScalar>(gy));
  bx.normalize();
  btVector3 bz = bx.cross(by).normalized();
  by = bz.cross(bx);
  btMatrix3x3 basis(bx.x(), by.x(), bz.x(), bx.y(), by.y(), bz.y(), bx.z(), by.z(), bz.z());
  // Height: every wheel clear of the ground under it by 5 mm.
  double z = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const btVector3 local(static_cast<btScalar>(wheels[i][0]), static_cast<btScalar>(wheels[i][1]),
                          static_cast<btScalar>(i == 1 || i == 4 ? r.rover.middle_wheel_m.z
                                                                 : r.rover.front_wheel_m.z));
    const double wz = static_cast<double>((basis * local).z());
    z = std::max(z, h[i] + r.rover.wheel_radius_m + 0.005 - wz);
  }
  return btTransform(basis, world.ToWorld(r.start.x_m, r.start.y_m, z));
}

}  // namespace marsdrive::sim

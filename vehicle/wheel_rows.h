#pragma once
// The one adapter between the wheel-ground contact (vehicle/terrain_contact.cpp) and the solver
// (sim/bullet_world.cpp ThrustSolver): what a wheel contact point asks of its two friction rows.
// The contact algorithm owns a WheelRows per point it emits, for as long as the manifold lives;
// the point carries a pointer to it in btManifoldPoint::m_userPersistentData (Bullet only
// hands that field to gContactDestroyedCallback, which marsdrive never sets) and the tag
// kWheelPoint in m_partId1. No other Bullet field carries a meaning of ours.
//
// Each row asks for the contact point's velocity v along its direction to be
//   v = target - compliance x F      (F: the row's force on the wheel, N)
// with |F| <= mu x normal force; the rolling row is also capped absolutely by the drive motor.
// A soil patch linearised at v* as F(v) = F* - G (v - v*) gives target = v* + F* / G and
// compliance = 1 / G (vehicle/shear_patch.h); a rigid row has compliance 0.

#include <btBulletCollisionCommon.h>

namespace marsdrive::vehicle {

// Manifold-point tag (btManifoldPoint::m_partId1) of a wheel contact point.
inline constexpr int kWheelPoint = 7;

struct WheelRows {
  // Along the rolling direction (axle x normal) and across it (normal x rolling).
  double long_target_mps = 0, long_compliance_mpsN = 0, long_mu = 0;
  double lat_target_mps = 0, lat_compliance_mpsN = 0, lat_mu = 0;
  double motor_cap_N = 0;  // |F_long| <= motor torque limit / r (0: no motor)
  int contact_key = -1;    // the contact algorithm's own key (warm starting), not the solver's
};

inline void AttachWheelRows(const WheelRows* rows, btManifoldPoint& pt) {
  pt.m_partId1 = kWheelPoint;
  pt.m_userPersistentData = const_cast<WheelRows*>(rows);  // read-only through WheelRowsOf
}

// The rows of a wheel point, or null for any other point.
inline const WheelRows* WheelRowsOf(const btManifoldPoint& pt) {
  return pt.m_partId1 == kWheelPoint ? static_cast<const WheelRows*>(pt.m_userPersistentData)
                                     : nullptr;
}

}  // namespace marsdrive::vehicle

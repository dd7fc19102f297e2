#pragma once
// Static tip-over of a rover from its nominal geometry (docs/vehicle-physics.md "Fault
// detection"). The support polygon is the convex hull of the six wheel contact points on flat
// ground (directly below the wheel centres, nav frame, suspension at nominal angles) and the
// centre of mass is RoverSpec::com_m, com_m.z above that ground. A rover is statically stable
// while the vertical through its centre of mass meets the ground plane inside the polygon; the
// tip-over angle toward an edge is atan(distance from the centre of mass's ground projection to
// that edge / centre-of-mass height).

#include <array>
#include <vector>

#include "vehicle/rover_spec.h"

namespace marsdrive::vehicle {

struct SupportGeometry {
  std::vector<std::array<double, 2>> polygon_m;  // convex hull, counter-clockwise, nav frame xy
  std::array<double, 2> com_xy_m{};              // centre of mass, nav frame xy
  double com_height_m = 0;                       // centre of mass above the contact plane (> 0)
};

// Contact points (>= 3, not all on a line) and the centre of mass above them. The centre of
// mass's projection must lie inside the hull.
SupportGeometry MakeSupportGeometry(const std::vector<std::array<double, 2>>& contacts_m,
                                    std::array<double, 2> com_xy_m, double com_height_m);
// The rover's: six wheel contact points, RoverSpec::com_m.
SupportGeometry MakeSupportGeometry(const RoverSpec& spec);

// The static tip-over angle: the smallest tilt, over all directions, at which the rover tips
// (the nearest edge of the support polygon).
double StaticTipOverAngleRad(const SupportGeometry& support);
double StaticTipOverAngleRad(const RoverSpec& spec);

// Whether the rover is statically stable with the map's up direction `up_body` (a unit vector in
// the body frame; tilt = acos(up_body[2])): the line through the centre of mass along up_body
// meets the contact plane inside the support polygon. False when upside down or on its side
// (up_body[2] <= 0).
bool IsStaticallyStable(const SupportGeometry& support, const std::array<double, 3>& up_body);

// The map's up direction in the body frame of a rover with ZYX Euler angles roll and pitch (yaw
// does not matter).
std::array<double, 3> UpInBody(double roll_rad, double pitch_rad);

}  // namespace marsdrive::vehicle

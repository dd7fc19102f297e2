#pragma once
// Where a drive starts (sim/drive_session.h): the rover's nav frame at the request's start pose,
// parallel to the plane fitted through the ground (rocks included) under its six wheels, every
// wheel just clear of the ground. Throws InputError when the rover would be off the map, on
// nodata, or inside a rock.

#include <LinearMath/btTransform.h>

#include "sim/bullet_world.h"
#include "sim/drive_run.h"

namespace marsdrive::sim {

btTransform PlaceRover(const DriveRequest& request, const BulletWorld& world);

}  // namespace marsdrive::sim

#pragma once
// The rover as a set of coloured primitives (boxes, cylinders) placed by its kinematics
// (viewer/rover_pose.h), and rocks as instanced ellipsoids: plain data the renderer draws
// with instancing.

#include <vector>

#include "terrain/rocks.h"
#include "viewer/rover_pose.h"
#include "viewer/scene_types.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {

// Unit shapes: a cube of edge 1, a cylinder of diameter 1 and length 1 along y, a sphere of
// radius 1; all centred at the origin.
enum class Shape { kBox = 0, kCylinder, kSphere };
inline constexpr int kShapeCount = 3;

struct Instance {
  Mat4 model;
  Rgba color;
};

struct ShapeInstances {
  std::vector<Instance> by_shape[kShapeCount];
  void Add(Shape shape, const Mat4& model, Rgba color) {
    by_shape[static_cast<int>(shape)].push_back({model, color});
  }
};

void AddRover(const vehicle::RoverSpec& spec, const RoverPose& pose, ShapeInstances& out,
              Rgba tint = {1, 1, 1, 1});
// Rocks: ellipsoids of the rock's diameter, its height above the ground, half buried.
void AddRocks(const std::vector<terrain::Rock>& rocks, const HeightFn& ground, ShapeInstances& out);

}  // namespace marsdrive::viewer

#pragma once
// 2-D geometry in the map plane, written once for every module.

#include <array>
#include <span>

namespace marsdrive::base {

// Whether (x, y) lies inside a simple or self-intersecting polygon, by the crossing-number (even-
// odd) rule. `polygon` lists the vertices {x, y} in either order, not closed: the last vertex
// connects to the first; fewer than 3 vertices enclose nothing.
//
// Boundary convention (half-open, as a pixel rasteriser): an edge crossing counts when the
// vertex y straddles y with the upper end exclusive, and when x is strictly left of the crossing.
// So a point on the boundary is inside exactly when the polygon's interior lies immediately
// to its right (+x), or, on a horizontal edge, immediately above it (+y): on an axis-aligned
// square [0, 1]^2 the left and bottom edges and the vertex (0, 0) are inside, the right and top
// edges and the other three vertices outside. Two polygons sharing an edge therefore never both
// contain a point on it. Callers that need a closed region add a margin (a distance test).
bool PointInPolygon(std::span<const std::array<double, 2>> polygon, double x, double y);

// Whether the segment a-b enters the polygon: an end inside (PointInPolygon) or a crossing or
// touching of any edge. For plans: a leg through a keep-out, even one with both ends outside.
bool SegmentEntersPolygon(std::span<const std::array<double, 2>> polygon,
                          const std::array<double, 2>& a, const std::array<double, 2>& b);

}  // namespace marsdrive::base

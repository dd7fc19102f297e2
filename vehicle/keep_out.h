#pragma once
// Keep-out zones: polygons operators forbid the rover to enter (map frame). AutoNav treats them
// as hard constraints (vehicle/autonav.h); the metrics report entries (sim/metrics.h).

#include <array>
#include <string>
#include <vector>

namespace marsdrive::vehicle {

// A polygon the rover must not enter (vertices in order, map frame, not closed: the last vertex
// connects to the first).
struct KeepOutZone {
  std::string name;
  std::vector<std::array<double, 2>> polygon_map_m;  // >= 3 vertices
};

// Whether (x, y) is inside the polygon or within margin_m of its boundary.
bool InKeepOut(const KeepOutZone& zone, double margin_m, double x_m, double y_m);

}  // namespace marsdrive::vehicle

#pragma once
// The lines drawn over the terrain for one run, built without OpenGL: the planned route and
// waypoints, start and goal, alternatives, keep-out zones, AutoNav path options per decision
// (chosen highlighted, rejected coloured by reason), hazard markers.

#include <vector>

#include "viewer/run_data.h"
#include "viewer/scene_types.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {

struct OverlayStyle {
  bool primary = true;      // false: the compared run (its route and markers only, kCompare)
  double lift_m = 0.06;     // lines float this far above the drawn ground
  double spacing_m = 0.25;  // lines are resampled so that they follow the ground
};

std::vector<Polyline> BuildRunOverlays(const RunData& run, const HeightFn& ground,
                                       const OverlayStyle& style);

// Resamples a 2D polyline every <= spacing_m and drapes it on the ground.
std::vector<Vec3f> DrapePolyline(const std::vector<planners::Point2>& points,
                                 const HeightFn& ground, double lift_m, double spacing_m);
// A closed circle of n segments on the ground.
std::vector<Vec3f> DrapeCircle(double x_m, double y_m, double radius_m, const HeightFn& ground,
                               double lift_m, int n = 32);

// The index of the AutoNav decision in force at time t (the last one made at or before t);
// -1 before the first.
int DecisionAt(const std::vector<AutoNavDecisionView>& decisions, double t_s);

}  // namespace marsdrive::viewer

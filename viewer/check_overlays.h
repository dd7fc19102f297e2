#pragma once
// The lines of a plan check drawn over the orbital terrain, as check.html draws its map
// (scenarios/check/check_map.h, whose colours they reuse): each plan leg as a wide band
// coloured by its p_fail, every trial's driven track coloured by how it ended (worse outcomes
// on top, the selected trial widest and outlined in white) and a cross where each failed trial
// failed. Built without OpenGL.

#include <vector>

#include "viewer/camera.h"
#include "viewer/check_data.h"
#include "viewer/scene_types.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {

// The opened trial's wheel tracks: dark ruts, unlike the light blue of a low-risk leg and every
// outcome colour.
inline constexpr Rgba kOpenedTrialWheelColor = Rgb8(60, 52, 72);

Rgba TrialTrackColor(check::TrialKind kind);
Rgba LegColor(const check::PageLeg& leg);  // grey when no trial entered it

// Legs (Layer::kRoute, under the route), tracks and failure crosses (Layer::kTrials).
std::vector<Polyline> BuildCheckOverlays(const CheckScene& check, const HeightFn& ground,
                                         double spacing_m);

// `roi` grown to hold every trial's track (plus margin_m), inside the map.
Bounds2 CheckRegionOfInterest(const CheckData& check, Bounds2 roi, const Bounds2& map,
                              double margin_m);

}  // namespace marsdrive::viewer

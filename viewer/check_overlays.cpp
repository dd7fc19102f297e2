#include "viewer/check_overlays.h"

#include <algorithm>
#include <cmath>

#include "scenarios/report_map.h"
#include "viewer/overlays.h"

namespace marsdrive::viewer {

namespace {

constexpr double kLegLift_m = 0.05;    // under the route (0.06)
constexpr double kTrackLift_m = 0.08;  // over the route
constexpr double kCrossLift_m = 0.10;

Rgba FromRgb(planners::Rgb c) { return Rgb8(c.r, c.g, c.b); }

// Telemetry positions thinned to one every min_spacing_m: tracks are drawn whole, for every
// trial at once.
std::vector<planners::Point2> Thin(const std::vector<planners::Point2>& points,
                                   double min_spacing_m) {
  std::vector<planners::Point2> out;
  for (const planners::Point2& p : points) {
    if (!out.empty() && std::hypot(p.x_m - out.back().x_m, p.y_m - out.back().y_m) < min_spacing_m)
      continue;
    out.push_back(p);
  }
  if (!points.empty() && out.size() > 1 && !(out.back() == points.back()))
    out.back() = points.back();
  return out;
}

}  // namespace

Rgba TrialTrackColor(check::TrialKind kind) { return FromRgb(check::TrialColor(kind)); }

Rgba LegColor(const check::PageLeg& leg) {
  return FromRgb(leg.entered > 0 ? check::LegRiskColor(leg.p_fail) : check::kUnenteredLegColor);
}

std::vector<Polyline> BuildCheckOverlays(const CheckScene& check, const HeightFn& ground,
                                         double spacing_m) {
  std::vector<Polyline> out;
  auto line = [&](std::vector<Vec3f> points, Rgba color, float width, Layer layer) {
    if (points.size() >= 2) out.push_back({std::move(points), color, width, layer});
  };
  const check::CheckPage& page = check.data.page;
  for (const check::PageLeg& leg : page.legs) {
    line(DrapePolyline({leg.from, leg.to}, ground, kLegLift_m, spacing_m), LegColor(leg), 12,
         Layer::kRoute);
  }
  // Worse outcomes drawn later (on top), as on check.html; the selected trial last of all.
  std::vector<std::size_t> order;
  for (const check::TrialKind kind :
       {check::TrialKind::kGoal, check::TrialKind::kFailed, check::TrialKind::kSevere}) {
    for (std::size_t i = 0; i < page.trials.size(); ++i) {
      if (page.trials[i].kind == kind && static_cast<int>(i) != check.selected) order.push_back(i);
    }
  }
  if (check.selected >= 0 && static_cast<std::size_t>(check.selected) < page.trials.size())
    order.push_back(static_cast<std::size_t>(check.selected));
  for (const std::size_t i : order) {
    const bool selected = static_cast<int>(i) == check.selected;
    const Rgba color = TrialTrackColor(page.trials[i].kind);
    if (i < check.data.tracks.size()) {
      std::vector<Vec3f> pts =
          DrapePolyline(Thin(check.data.tracks[i].points, 0.1), ground, kTrackLift_m, spacing_m);
      if (selected) line(pts, Rgb8(255, 255, 255), 9, Layer::kTrials);
      line(std::move(pts), color, selected ? 5.0f : 2.5f, Layer::kTrials);
    }
    if (const auto& at = page.trials[i].failure_at) {
      const Rgba cross = FromRgb(scenarios::kHazardColor);
      for (const double sign : {1.0, -1.0}) {
        line(DrapePolyline(
                 {{at->x_m - 0.6, at->y_m - 0.6 * sign}, {at->x_m + 0.6, at->y_m + 0.6 * sign}},
                 ground, kCrossLift_m, 0.1),
             cross, selected ? 4.0f : 2.5f, Layer::kTrials);
      }
    }
  }
  return out;
}

Bounds2 CheckRegionOfInterest(const CheckData& check, Bounds2 roi, const Bounds2& map,
                              double margin_m) {
  for (const check::TrialTrack& track : check.tracks) {
    for (const planners::Point2& p : track.points) {
      if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m)) continue;
      roi.min_x_m = std::min(roi.min_x_m, std::max(map.min_x_m, p.x_m - margin_m));
      roi.min_y_m = std::min(roi.min_y_m, std::max(map.min_y_m, p.y_m - margin_m));
      roi.max_x_m = std::max(roi.max_x_m, std::min(map.max_x_m, p.x_m + margin_m));
      roi.max_y_m = std::max(roi.max_y_m, std::min(map.max_y_m, p.y_m + margin_m));
    }
  }
  return roi;
}

}  // namespace marsdrive::viewer

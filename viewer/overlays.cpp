#include "viewer/overlays.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace marsdrive::viewer {

std::vector<Vec3f> DrapePolyline(const std::vector<planners::Point2>& points,
                                 const HeightFn& ground, double lift_m, double spacing_m) {
  std::vector<Vec3f> out;
  auto add = [&](double x, double y) {
    out.push_back(
        {static_cast<float>(x), static_cast<float>(y), static_cast<float>(ground(x, y) + lift_m)});
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i == 0) {
      add(points[0].x_m, points[0].y_m);
      continue;
    }
    const planners::Point2& a = points[i - 1];
    const planners::Point2& b = points[i];
    const double len = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
    const int n = std::max(1, static_cast<int>(std::ceil(len / spacing_m)));
    for (int k = 1; k <= n; ++k) {
      const double f = static_cast<double>(k) / n;
      add(a.x_m + (b.x_m - a.x_m) * f, a.y_m + (b.y_m - a.y_m) * f);
    }
  }
  return out;
}

std::vector<Vec3f> DrapeCircle(double x_m, double y_m, double radius_m, const HeightFn& ground,
                               double lift_m, int n) {
  std::vector<planners::Point2> ring;
  for (int k = 0; k <= n; ++k) {
    const double a = 2 * std::numbers::pi * k / n;
    ring.push_back({x_m + radius_m * std::cos(a), y_m + radius_m * std::sin(a)});
  }
  return DrapePolyline(ring, ground, lift_m, 1e9);
}

int DecisionAt(const std::vector<AutoNavDecisionView>& decisions, double t_s) {
  const auto it =
      std::upper_bound(decisions.begin(), decisions.end(), t_s,
                       [](double t, const AutoNavDecisionView& d) { return t < d.time_s; });
  return static_cast<int>(it - decisions.begin()) - 1;
}

std::vector<Polyline> BuildRunOverlays(const RunData& run, const HeightFn& ground,
                                       const OverlayStyle& style) {
  std::vector<Polyline> out;
  const double lift = style.lift_m;
  auto line = [&](std::vector<Vec3f> points, Rgba color, float width, Layer layer,
                  float t0 = -kAlways, float t1 = kAlways) {
    if (points.size() < 2) return;
    out.push_back(
        {std::move(points), color, width, style.primary ? layer : Layer::kCompare, t0, t1});
  };
  const Rgba route_color = style.primary ? kRouteColor : kCompareRouteColor;

  // Start, goal, route, waypoints, alternatives.
  const scenarios::RunRecord& rec = run.record;
  if (style.primary) {
    line(DrapeCircle(rec.start.x_m, rec.start.y_m, 0.6, ground, lift), kStartColor, 2,
         Layer::kRoute);
    line(DrapeCircle(rec.goal.x_m, rec.goal.y_m, rec.goal.tolerance_m, ground, lift, 48),
         kGoalColor, 3, Layer::kRoute);
    line(DrapeCircle(rec.goal.x_m, rec.goal.y_m, 0.15, ground, lift, 12), kGoalColor, 3,
         Layer::kRoute);
  }
  if (run.plan) {
    line(DrapePolyline(run.plan->waypoints, ground, lift, style.spacing_m), route_color, 3,
         Layer::kRoute);
    for (const planners::Waypoint& w : run.plan->waypoints) {
      line(DrapeCircle(w.x_m, w.y_m, 0.35, ground, lift, 16), route_color, 2.5f, Layer::kRoute);
    }
    for (const planners::Route& alt : run.plan->alternatives) {
      line(DrapePolyline(alt.waypoints, ground, lift, style.spacing_m), kAlternativeColor, 2,
           Layer::kAlternatives);
    }
  }
  if (!style.primary) return out;

  // Keep-out zones: outline and a second, inset outline.
  for (const planners::KeepOut& zone : rec.keep_outs) {
    std::vector<planners::Point2> ring = zone.polygon;
    if (ring.size() < 3) continue;
    if (!(ring.front() == ring.back())) ring.push_back(ring.front());
    line(DrapePolyline(ring, ground, lift, style.spacing_m), kKeepOutColor, 3, Layer::kKeepOuts);
  }

  // AutoNav path options: those of the decision in force, then every decision's.
  for (std::size_t i = 0; i < run.decisions.size(); ++i) {
    const AutoNavDecisionView& d = run.decisions[i];
    const float t0 = static_cast<float>(d.time_s);
    const float t1 =
        i + 1 < run.decisions.size() ? static_cast<float>(run.decisions[i + 1].time_s) : kAlways;
    // Rejected first, then safe, then the chosen one, so that the chosen one is drawn on top.
    for (int pass = 0; pass < 3; ++pass) {
      for (std::size_t k = 0; k < d.options.size(); ++k) {
        const PathOptionView& o = d.options[k];
        const bool chosen = static_cast<int>(k) == d.chosen;
        const int kind = chosen ? 2 : (o.safe ? 1 : 0);
        if (kind != pass || o.points.size() < 2) continue;
        const Rgba color = chosen ? kOptionChosenColor
                                  : (o.safe ? kOptionSafeColor : RejectedOptionColor(o.reason));
        std::vector<Vec3f> pts = DrapePolyline(o.points, ground, lift * 1.5, style.spacing_m);
        line(pts, color, chosen ? 3.0f : 1.5f, Layer::kPathOptions, t0, t1);
        line(std::move(pts), color, chosen ? 2.0f : 1.0f, Layer::kAllPathOptions, t0);
      }
    }
  }

  // Skipped waypoints: a cross over the waypoint, in the route's layer, from the moment the
  // executive gave it up.
  for (const SkippedWaypointView& s : run.skipped_waypoints) {
    const float t0 = static_cast<float>(s.time_s);
    for (const double sign : {1.0, -1.0}) {
      line(DrapePolyline({{s.x_m - 0.9, s.y_m - 0.9 * sign}, {s.x_m + 0.9, s.y_m + 0.9 * sign}},
                         ground, lift * 2, 0.1),
           kSkippedWaypointColor, 4, Layer::kRoute, t0);
    }
  }

  // Hazard markers: a ring and a cross, from the moment the hazard began.
  for (const HazardMarker& h : run.hazards) {
    const Rgba c = HazardColor(h.kind);
    const float t0 = static_cast<float>(h.start_s);
    line(DrapeCircle(h.x_m, h.y_m, 0.5, ground, lift * 2, 20), c, 3, Layer::kHazards, t0);
    line(DrapePolyline({{h.x_m - 0.35, h.y_m - 0.35}, {h.x_m + 0.35, h.y_m + 0.35}}, ground,
                       lift * 2, 0.1),
         c, 2, Layer::kHazards, t0);
    line(DrapePolyline({{h.x_m - 0.35, h.y_m + 0.35}, {h.x_m + 0.35, h.y_m - 0.35}}, ground,
                       lift * 2, 0.1),
         c, 2, Layer::kHazards, t0);
    const float z = static_cast<float>(ground(h.x_m, h.y_m));
    line({{static_cast<float>(h.x_m), static_cast<float>(h.y_m), z},
          {static_cast<float>(h.x_m), static_cast<float>(h.y_m), z + 1.5f}},
         c, 3, Layer::kHazards, t0);
  }
  return out;
}

}  // namespace marsdrive::viewer

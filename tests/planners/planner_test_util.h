#pragma once
// Hand-made orbital products and plan problems for the planner tests: cost layers are written
// directly (no ground truth, no terrain generator), so each test states exactly what a planner
// sees.

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "base/random.h"
#include "planners/plan_types.h"
#include "terrain/orbital.h"

namespace marsdrive::planners::testing {

inline constexpr float kLethal = std::numeric_limits<float>::infinity();

// Products of width x height cells at `res` (origin (0, 0)), with cost(col, row) per metre
// (kLethal = not traversable). Slope, step and hazard are 0, the DEM flat.
inline std::shared_ptr<terrain::OrbitalProducts> MakeProducts(
    int width, int height, double res, const std::function<float(int, int)>& cost) {
  auto p = std::make_shared<terrain::OrbitalProducts>();
  const terrain::GridSpec spec{width, height, res, 0.0, 0.0};
  p->params.resolution_m = res;
  p->dem_m = terrain::Grid<float>(spec, 0.0f);
  p->slope_deg = terrain::Grid<float>(spec, 0.0f);
  p->roughness_m = terrain::Grid<float>(spec, 0.0f);
  p->step_m = terrain::Grid<float>(spec, 0.0f);
  p->rock_hazard = terrain::Grid<float>(spec, 0.0f);
  p->traversable = terrain::Grid<std::uint8_t>(spec, std::uint8_t{1});
  p->cost = terrain::Grid<float>(spec, 1.0f);
  for (int r = 0; r < height; ++r) {
    for (int c = 0; c < width; ++c) {
      const float v = cost(c, r);
      p->cost(c, r) = v;
      p->traversable(c, r) = std::isfinite(v) ? 1 : 0;
    }
  }
  return p;
}

// Uniform cost 1 everywhere.
inline std::shared_ptr<terrain::OrbitalProducts> MakeFlatProducts(int width, int height,
                                                                  double res = 1.0) {
  return MakeProducts(width, height, res, [](int, int) { return 1.0f; });
}

// Random costs in [1, max_cost], each cell lethal with probability lethal_fraction.
inline std::shared_ptr<terrain::OrbitalProducts> MakeRandomProducts(int width, int height,
                                                                    std::uint64_t seed,
                                                                    double lethal_fraction,
                                                                    double max_cost = 5.0) {
  marsdrive::Rng rng(seed);
  std::vector<float> values(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (float& v : values) {
    const double u = marsdrive::UniformReal(rng);
    const double c = marsdrive::UniformReal(rng, 1.0, max_cost);
    v = u < lethal_fraction ? kLethal : static_cast<float>(c);
  }
  return MakeProducts(width, height, 1.0, [&values, width](int c, int r) {
    return values[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(c)];
  });
}

inline PlanProblem MakeProblem(std::shared_ptr<const terrain::OrbitalProducts> orbital,
                               Point2 start, Point2 goal, double tolerance_m = 1.0) {
  PlanProblem problem;
  problem.orbital = std::move(orbital);
  problem.start = {start.x_m, start.y_m, 0.0};
  problem.goal = {goal.x_m, goal.y_m, tolerance_m};
  problem.time_budget_s = 30;
  return problem;
}

// Minimum distance from segment a-b to the polygon's area (0 when they meet).
inline double SegmentPolygonDistance(Point2 a, Point2 b, const std::vector<Point2>& poly) {
  auto inside = [&poly](Point2 p) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
      if ((poly[i].y_m > p.y_m) != (poly[j].y_m > p.y_m) &&
          p.x_m <
              (poly[j].x_m - poly[i].x_m) * (p.y_m - poly[i].y_m) / (poly[j].y_m - poly[i].y_m) +
                  poly[i].x_m) {
        in = !in;
      }
    }
    return in;
  };
  auto point_segment = [](Point2 p, Point2 s0, Point2 s1) {
    const double dx = s1.x_m - s0.x_m, dy = s1.y_m - s0.y_m;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x_m - s0.x_m) * dx + (p.y_m - s0.y_m) * dy) / len2 : 0;
    t = std::fmax(0.0, std::fmin(1.0, t));
    return std::hypot(p.x_m - s0.x_m - t * dx, p.y_m - s0.y_m - t * dy);
  };
  auto cross = [](Point2 o, Point2 p, Point2 q) {
    return (p.x_m - o.x_m) * (q.y_m - o.y_m) - (p.y_m - o.y_m) * (q.x_m - o.x_m);
  };
  if (inside(a) || inside(b)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Point2 c = poly[j], d = poly[i];
    const double d1 = cross(a, b, c), d2 = cross(a, b, d), d3 = cross(c, d, a), d4 = cross(c, d, b);
    if (((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0))) return 0.0;
    best = std::fmin(best, std::fmin(std::fmin(point_segment(a, c, d), point_segment(b, c, d)),
                                     std::fmin(point_segment(c, a, b), point_segment(d, a, b))));
  }
  return best;
}

}  // namespace marsdrive::planners::testing

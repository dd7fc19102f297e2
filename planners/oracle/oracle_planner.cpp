#include "planners/oracle/oracle_planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

#include "base/check.h"
#include "planners/registry.h"
#include "planners/route.h"
#include "terrain/truth/orbital_products.h"

namespace marsdrive::planners {

namespace {

// The default grid of the oracle's products: fine enough to resolve the truth's sub-metre
// ledges and every rock (0.1 m and up), coarse enough to plan a 300 m map in seconds.
constexpr const char* kDefaultResolution = "0.25";
// Flight practice: Perseverance's December 2025 drive plans had ~10 m route segments.
constexpr const char* kDefaultSpacing = "10";

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The products clip the footprint at the map's edges, so a route may run along the edge, and
// the rover's wheels then leave the terrain (seen: quick-boulders, off_map at y = 40). The
// oracle keeps the rover's centre this far beyond half its footprint from every edge.
constexpr double kEdgeMarginM = 0.5;

void BlockMapEdges(terrain::OrbitalProducts& products, double distance_m) {
  const terrain::GridSpec& s = products.cost.spec();
  for (int row = 0; row < s.height_px; ++row) {
    for (int col = 0; col < s.width_px; ++col) {
      const double x = s.CellCenterX(col), y = s.CellCenterY(row);
      if (x - s.origin_x_m < distance_m || s.MaxX() - x < distance_m ||
          y - s.origin_y_m < distance_m || s.MaxY() - y < distance_m) {
        products.cost(col, row) = std::numeric_limits<float>::infinity();
        products.traversable(col, row) = 0;
      }
    }
  }
}

class OraclePlanner final : public Planner {
 public:
  OraclePlanner(std::shared_ptr<const terrain::TerrainTruth> truth, PlannerParams params)
      : Planner(std::string(kOraclePlannerName), OracleSpecs(), OracleParams(), std::move(params)),
        truth_(std::move(truth)) {
    MD_THROW_UNLESS(truth_ != nullptr, "oracle: no ground truth given");
    marsdrive::ParamMap astar;
    for (const char* name : {"connectivity", "max_spacing_m", "smoothing", "smoothing_tolerance"}) {
      for (const NamedValue& v : ParamValues().values()) {
        if (v.name == name) astar.Set(name, ScalarToString(v.value));
      }
    }
    astar_ = MakePlanner("astar", astar);
  }

  PlanResult Plan(const PlanProblem& problem, std::stop_token stop) override {
    const auto t0 = std::chrono::steady_clock::now();
    if (!products_ || !(products_limits_ == problem.limits)) {
      auto products = std::make_shared<terrain::OrbitalProducts>(terrain::MakeOrbitalProducts(
          *truth_,
          OracleProductParams(*truth_, problem.limits, ParamValues().Double("resolution_m"),
                              ParamValues().Double("max_rock_height_m"))));
      BlockMapEdges(*products, problem.limits.footprint_diameter_m / 2 + kEdgeMarginM);
      products_ = std::move(products);
      products_limits_ = problem.limits;
    }
    const double products_s = SecondsSince(t0);
    PlanProblem privileged = problem;
    privileged.orbital = products_;
    PlanResult result = astar_->Plan(privileged, std::move(stop));
    SetDiagnostic(result, "privileged", true);
    SetDiagnostic(result, "products_s", products_s);
    SetDiagnostic(result, "products_resolution_m", products_->spec().resolution_m);
    SetDiagnostic(result, "truth_rocks", static_cast<std::int64_t>(truth_->rocks.size()));
    if (!IsSuccess(result.status)) {
      result.reason = "on the ground truth: " + result.reason;
    }
    return result;
  }

 private:
  std::shared_ptr<const terrain::TerrainTruth> truth_;
  std::unique_ptr<Planner> astar_;
  std::shared_ptr<const terrain::OrbitalProducts> products_;
  std::optional<RouteLimits> products_limits_;
};

}  // namespace

bool IsOraclePlanner(std::string_view name) { return name == kOraclePlannerName; }

PlannerSpecs OracleSpecs() {
  return {.summary =
              "PRIVILEGED: A* on products made from the ground truth (every rock, fine DEM, "
              "soil), 10 m waypoints; the upper bound of a scenario",
          .optimizing = true,
          .deterministic = true,
          .anytime = false,
          .needs_network = false};
}

std::vector<ParamSpec> OracleParams() {
  std::vector<ParamSpec> params = {
      {.name = "resolution_m",
       .type = ParamType::kDouble,
       .default_value = kDefaultResolution,
       .min_value = 0.01,
       .max_value = 5,
       .help = "grid of the products made from the truth (m; never finer than the truth's)"},
      {.name = "max_rock_height_m",
       .type = ParamType::kDouble,
       .default_value = "0.35",
       .min_value = 0.05,
       .max_value = 2,
       .help = "rocks taller than this are lethal within the footprint and seen; lower ones are "
               "left to the wheels (m; default: the step limit, what AutoNav avoids too)"},
      {.name = "connectivity",
       .type = ParamType::kChoice,
       .default_value = "16",
       .choices = {"8", "16"},
       .help = "A* neighbours per cell"},
  };
  std::vector<ParamSpec> shaping =
      RouteShapingParams("replace the cell path by line-of-sight shortcuts");
  for (ParamSpec& p : shaping) {
    if (p.name == "max_spacing_m") p.default_value = kDefaultSpacing;
  }
  params.insert(params.end(), shaping.begin(), shaping.end());
  return params;
}

terrain::OrbitalParams OracleProductParams(const terrain::TerrainTruth& truth,
                                           const RouteLimits& limits, double resolution_m,
                                           double max_rock_height_m) {
  terrain::OrbitalParams p;
  p.resolution_m = std::max(resolution_m, truth.dem.spec().resolution_m);
  p.ortho_resolution_m = std::max(1.0, p.resolution_m);  // unused by the search: keep it cheap
  // Every rock the rover cannot drive over (taller than its step limit) is seen, down to the
  // smallest such rock's diameter; lower rocks are its wheels' business, as for the rover (at
  // this grid a 0.3 m rock would otherwise count as a step and wall off drivable ground).
  double smallest = std::numeric_limits<double>::infinity();
  for (const terrain::Rock& r : truth.rocks) {
    if (r.diameter_m > 0 && r.height_m > max_rock_height_m) {
      smallest = std::min(smallest, r.diameter_m);
    }
  }
  if (std::isfinite(smallest)) p.rock_detect_diameter_m = smallest;
  p.max_rock_height_m = max_rock_height_m;
  p.footprint_diameter_m = limits.footprint_diameter_m;
  p.max_slope_deg = limits.max_slope_rad * 180.0 / std::numbers::pi;
  p.max_step_m = limits.max_step_m;
  return p;
}

std::unique_ptr<Planner> MakeOraclePlanner(std::shared_ptr<const terrain::TerrainTruth> truth,
                                           const marsdrive::ParamMap& params) {
  return std::make_unique<OraclePlanner>(
      std::move(truth),
      PlannerParams::Resolve(std::string(kOraclePlannerName), OracleParams(), params));
}

}  // namespace marsdrive::planners

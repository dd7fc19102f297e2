#include "terrain/truth/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "terrain/truth/summary_json.h"

namespace marsdrive::terrain {

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// Height difference per metre along one axis at a cell: central where both neighbours are
// valid, one-sided at edges and next to nodata; nullopt-like NaN when neither side is valid.
double AxisGradient(const HeightMapView& dem, int col, int row, int dc, int dr) {
  const GridSpec& s = dem.spec();
  const auto usable = [&](int c, int r) { return s.ContainsCell(c, r) && dem.IsValid(c, r); };
  const bool fwd = usable(col + dc, row + dr);
  const bool back = usable(col - dc, row - dr);
  const auto& h = dem.heights_m();
  if (fwd && back) {
    return (static_cast<double>(h(col + dc, row + dr)) - h(col - dc, row - dr)) /
           (2 * s.resolution_m);
  }
  if (fwd) return (static_cast<double>(h(col + dc, row + dr)) - h(col, row)) / s.resolution_m;
  if (back) return (static_cast<double>(h(col, row)) - h(col - dc, row - dr)) / s.resolution_m;
  return std::numeric_limits<double>::quiet_NaN();
}

// The q-quantile of values (partially reorders them); nearest-rank.
float Quantile(std::vector<float>& values, double q) {
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  const std::size_t k = std::clamp<std::size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

SlopeStats ComputeSlopeStats(const HeightMapView& dem) {
  const GridSpec& s = dem.spec();
  // Quantiles of the squared gradient, converted to degrees only at the end: slope is monotone
  // in it, and atan/hypot per cell would dominate the cost on a 16 M-cell map.
  std::vector<float> gradient_sq;
  gradient_sq.reserve(s.CellCount());
  for (int row = 0; row < s.height_px; ++row) {
    for (int col = 0; col < s.width_px; ++col) {
      if (!dem.IsValid(col, row)) continue;
      const double gx = s.width_px > 1 ? AxisGradient(dem, col, row, 1, 0) : 0.0;
      const double gy = s.height_px > 1 ? AxisGradient(dem, col, row, 0, 1) : 0.0;
      if (std::isnan(gx) || std::isnan(gy)) continue;
      gradient_sq.push_back(static_cast<float>(gx * gx + gy * gy));
    }
  }
  SlopeStats stats;
  if (gradient_sq.empty()) return stats;
  const auto to_deg = [](float g_sq) { return std::atan(std::sqrt(double{g_sq})) * kRadToDeg; };
  stats.max = to_deg(*std::max_element(gradient_sq.begin(), gradient_sq.end()));
  stats.p95 = to_deg(Quantile(gradient_sq, 0.95));
  stats.p50 = to_deg(Quantile(gradient_sq, 0.50));
  return stats;
}

TerrainSummary ComputeSummary(const TerrainTruth& truth) {
  const HeightMapView dem = truth.dem.View();
  const GridSpec& s = dem.spec();
  TerrainSummary summary;
  summary.width_px = s.width_px;
  summary.height_px = s.height_px;
  summary.resolution_m = s.resolution_m;

  double sum_m = 0;
  std::size_t valid_count = 0;
  float min_m = std::numeric_limits<float>::infinity();
  float max_m = -std::numeric_limits<float>::infinity();
  for (int row = 0; row < s.height_px; ++row) {
    const auto heights = dem.heights_m().Row(row);
    for (int col = 0; col < s.width_px; ++col) {
      if (!dem.IsValid(col, row)) continue;
      min_m = std::min(min_m, heights[static_cast<std::size_t>(col)]);
      max_m = std::max(max_m, heights[static_cast<std::size_t>(col)]);
      sum_m += heights[static_cast<std::size_t>(col)];
      ++valid_count;
    }
  }
  if (valid_count > 0) {
    summary.min_m = min_m;
    summary.max_m = max_m;
    summary.mean_m = sum_m / static_cast<double>(valid_count);
  }
  summary.valid_fraction =
      s.CellCount() == 0 ? 0.0
                         : static_cast<double>(valid_count) / static_cast<double>(s.CellCount());
  summary.slope_deg = ComputeSlopeStats(dem);

  summary.rock_count = truth.rocks.size();
  double rock_area_m2 = 0;
  for (const Rock& rock : truth.rocks) {
    rock_area_m2 += std::numbers::pi / 4 * rock.diameter_m * rock.diameter_m;
  }
  const double map_area_m2 = s.WidthM() * s.HeightM();
  summary.rock_area_fraction = map_area_m2 > 0 ? rock_area_m2 / map_area_m2 : 0.0;

  if (!truth.classes.empty()) {
    std::size_t counts[256] = {};
    for (SoilClass soil : truth.classes.Values()) ++counts[static_cast<std::uint8_t>(soil)];
    const std::size_t classified =
        s.CellCount() - counts[static_cast<std::uint8_t>(SoilClass::kNodata)];
    for (SoilClass soil : kSoilClasses) {
      summary.class_fractions[std::string(ToString(soil))] =
          classified == 0 ? 0.0
                          : static_cast<double>(counts[static_cast<std::uint8_t>(soil)]) /
                                static_cast<double>(classified);
    }
  }
  return summary;
}

nlohmann::ordered_json SummaryToJson(const TerrainSummary& summary) {
  nlohmann::ordered_json json;
  json["width_px"] = summary.width_px;
  json["height_px"] = summary.height_px;
  json["resolution_m"] = summary.resolution_m;
  json["min_m"] = summary.min_m;
  json["max_m"] = summary.max_m;
  json["mean_m"] = summary.mean_m;
  json["valid_fraction"] = summary.valid_fraction;
  json["slope_deg"] = {{"p50", summary.slope_deg.p50},
                       {"p95", summary.slope_deg.p95},
                       {"max", summary.slope_deg.max}};
  json["rock_count"] = summary.rock_count;
  json["rock_area_fraction"] = summary.rock_area_fraction;
  json["class_fractions"] = nlohmann::ordered_json::object();
  for (const auto& [name, fraction] : summary.class_fractions) {
    json["class_fractions"][name] = fraction;
  }
  return json;
}

}  // namespace marsdrive::terrain

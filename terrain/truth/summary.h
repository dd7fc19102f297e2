#pragma once
// Summary statistics of a terrain (terrain.json "summary", `marsdrive terrain info --json`).

#include <map>
#include <string>

#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

struct SlopeStats {
  double p50 = 0, p95 = 0, max = 0;  // degrees, over valid cells (central differences)
};

struct TerrainSummary {
  int width_px = 0, height_px = 0;
  double resolution_m = 0;
  double min_m = 0, max_m = 0, mean_m = 0;  // over valid cells
  double valid_fraction = 1;
  SlopeStats slope_deg;
  std::size_t rock_count = 0;
  double rock_area_fraction = 0;                  // sum of pi D^2/4 over the map area (CFA, k)
  std::map<std::string, double> class_fractions;  // by SoilClass name, over valid cells
};

TerrainSummary ComputeSummary(const TerrainTruth& truth);
// Slope statistics of a height map (degrees), nodata-aware.
SlopeStats ComputeSlopeStats(const HeightMapView& dem);

}  // namespace marsdrive::terrain

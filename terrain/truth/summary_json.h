#pragma once
// JSON form of TerrainSummary (terrain.json "summary" and `marsdrive terrain info --json`).
// Kept apart from summary.h so that only JSON writers include nlohmann-json.

#include <nlohmann/json.hpp>

#include "terrain/truth/summary.h"

namespace marsdrive::terrain {

// Fields: width_px, height_px, resolution_m, min_m, max_m, mean_m, valid_fraction,
// slope_deg {p50, p95, max}, rock_count, rock_area_fraction, class_fractions {name: fraction}.
nlohmann::ordered_json SummaryToJson(const TerrainSummary& summary);

}  // namespace marsdrive::terrain

#pragma once
// check.html: the plan check (docs/plan-check.md) as one self-contained page beside check.json:
// the verdict and its reasons, p_goal and p_hazard with their 95 % intervals, the inputs, the
// orbital map with the plan's legs coloured by risk and every trial's track coloured by
// outcome, the per-leg risk table, distributions over the trials, and the trials table. No
// external files (the map is a data: URI, the plots inline SVG) and no timestamps: the same
// check.json and telemetry give the same bytes.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "terrain/orbital.h"

namespace marsdrive::check {

// Writes out/check.html from check.json's content and the trials' telemetry (read from
// out/<trial dir>/telemetry.csv; a missing or unreadable telemetry file leaves that track out
// and says so on the page). Throws InputError naming check.json and the field for a malformed
// record, or naming check.html when it cannot be written.
void WriteCheckHtml(const std::filesystem::path& out, const terrain::OrbitalProducts& orbital,
                    const nlohmann::ordered_json& check);

}  // namespace marsdrive::check

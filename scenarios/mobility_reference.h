#pragma once
// The reference data of `marsdrive validate mobility` (docs/validation.md): published rover
// mobility figures and marsdrive's acceptance targets, one per row of a CSV file with its source
// (scenarios/validation/mobility-reference.csv, loaded at run time).
//
// Columns (header row required, any order; values may be double-quoted with "" for a quote):
//   group       slip_uphill | slip_order | cross_slope | step | step_ensemble | rock | tip_over |
//               parking | dt_convergence
//   soil        sand | regolith | bedrock | any
//   x           slope (deg) or height (m) the row applies to; empty: every x of the group
//   x_unit      deg | m | -
//   quantity    the measured quantity compared (slip_pct, climbed, drift_pct, climb_fraction,
//               band_width_m, tip_deg, displacement_m, slip_diff_pts, pose_diff_m)
//   check       range                 within iff lo <= measured <= hi (an empty end: unbounded)
//               range_or_not_climbed  within iff in range, or the rover could not climb
//               below_sand            within iff measured < sand's at the same slope
//               around_geometric      within iff lo <= measured - geometric tip angle <= hi
//               point                 a published data point: listed and plotted, never checked
//   name        short name of the reference; ends the case id (e.g. "envelope", "curiosity")
//   lo, hi      the range (numbers or empty)
//   value       the data point (check = point)
//   source      where the figure comes from (paper, page); never empty
//   confidence  H (primary, quoted) | M (secondary) | L (estimate/interpretation) | T (a marsdrive
//               target, not a measurement)

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace marsdrive::scenarios {

enum class ReferenceCheck { kRange, kRangeOrNotClimbed, kBelowSand, kAroundGeometric, kPoint };
const char* ToString(ReferenceCheck check);  // the CSV names above

struct ReferenceRow {
  int line = 0;  // 1-based line in the file (the header is line 1)
  std::string group, soil;
  std::optional<double> x;  // deg or m (x_unit); nullopt: every x of the group
  std::string x_unit, quantity;
  ReferenceCheck check = ReferenceCheck::kRange;
  std::string name;
  std::optional<double> lo, hi, value;
  std::string source, confidence;
};

struct MobilityReference {
  std::string file;  // as given (error messages, validation.json)
  std::vector<ReferenceRow> rows;
};

// Parses the CSV text; `file` names it in errors. Throws InputError "FILE:LINE: column 'C':
// expected ..., got '...'" for a missing column, a malformed number, an unknown group, soil,
// check or confidence, an empty source, lo > hi, a range without lo and hi, or a point without
// a value.
MobilityReference ParseMobilityReference(const std::string& text, const std::string& file);

// Reads and parses a file (InputError naming it when unreadable).
MobilityReference LoadMobilityReference(const std::filesystem::path& file);

// The bundled scenarios/validation/mobility-reference.csv (in the source tree).
std::filesystem::path BundledMobilityReferencePath();

}  // namespace marsdrive::scenarios

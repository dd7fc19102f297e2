#pragma once
// The cases of `marsdrive validate mobility` (docs/validation.md): what the matrix measured
// (scenarios/mobility_matrix.h), each matched with the reference rows it is checked against
// (scenarios/mobility_reference.h) and the verdict. Pure: no physics here, so the within /
// outside logic is tested on synthetic measurements.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/mobility_reference.h"

namespace marsdrive::scenarios {

// One configuration of the matrix as measured, before references are attached.
struct Measurement {
  std::string id;     // "<group>/<soil>/<x>" e.g. "slip_uphill/sand/10deg", "step/bedrock/0.20m"
  std::string group;  // as the reference CSV's groups (not slip_order: derived from slip_uphill)
  std::string soil;   // sand | regolith | bedrock | any
  std::optional<double> slope_deg, height_m;  // the x of the configuration, if any
  nlohmann::ordered_json measured = nlohmann::ordered_json::object();  // quantity -> value
  std::string error;  // non-empty: a run of this configuration failed (what() of the error)
};

struct ValidationCase {
  std::string id;  // the measurement's id, + "/<reference name>" when checked
  std::string group, soil;
  std::optional<double> slope_deg, height_m;
  nlohmann::ordered_json measured;
  std::optional<ReferenceRow> reference;  // the check (never a point)
  // The range the check resolved to (below_sand: [-, sand's value]; around_geometric: the
  // geometric angle + [lo, hi]); nullopt ends are unbounded.
  std::optional<double> range_lo, range_hi;
  std::vector<ReferenceRow> points;  // published data points near this configuration
  std::optional<bool> within;        // nullopt: no reference
  std::string error;
};

// The x a row or measurement is placed at: slope_deg, else height_m.
std::optional<double> CaseX(const Measurement& m);

// Every case: one per (measurement, matching check row), or one without a reference when no
// check row matches; plus slip_order cases (regolith and bedrock below sand at the same slope).
// A check row matches when group and soil agree (soil "any" matches all) and its x is empty or
// equals the measurement's. Point rows attach to a measurement of the same group and soil whose
// x is within 0.5 deg / 0.005 m. Sorted by id.
std::vector<ValidationCase> EvaluateCases(const std::vector<Measurement>& measurements,
                                          const MobilityReference& reference);

// The verdict of one check against measured values (`sand` for below_sand: sand's measured at
// the same slope). A missing or non-numeric quantity is outside (false). Fills the resolved
// range.
bool EvaluateCheck(const ReferenceRow& row, const nlohmann::ordered_json& measured,
                   const nlohmann::ordered_json* sand, std::optional<double>& range_lo,
                   std::optional<double>& range_hi);

// Step-ensemble rule: heights with their climb fraction over the ensemble (any order). The
// band runs from the lowest height not always climbed to the highest height ever climbed;
// the outcome is the same over the ensemble everywhere outside it. width_m = hi - lo (0 when
// the heights split cleanly: everything up to some height climbed, nothing above).
struct TransitionBand {
  std::optional<double> lo_m, hi_m;  // nullopt: no band (a clean split)
  double width_m = 0;
  int mixed_heights = 0;  // heights with 0 < fraction < 1
};
TransitionBand CalcTransitionBand(std::vector<std::pair<double, double>> height_fraction);

}  // namespace marsdrive::scenarios

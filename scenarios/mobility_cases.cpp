#include "scenarios/mobility_cases.h"

#include <algorithm>
#include <cmath>

namespace marsdrive::scenarios {

namespace {

using Json = nlohmann::ordered_json;

constexpr double kExactX = 1e-6;        // a check row's x equals the measurement's
constexpr double kPointSlopeDeg = 0.5;  // a published point this close belongs to a case
constexpr double kPointHeightM = 0.005;

// A measured quantity as a number (bools as 0 / 1), or nullopt.
std::optional<double> Quantity(const Json& measured, const std::string& name) {
  if (!measured.is_object() || !measured.contains(name)) return std::nullopt;
  const Json& v = measured[name];
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

bool SoilMatches(const ReferenceRow& row, const std::string& soil) {
  return row.soil == "any" || row.soil == soil;
}

bool CheckMatches(const ReferenceRow& row, const Measurement& m) {
  if (row.check == ReferenceCheck::kPoint || !SoilMatches(row, m.soil)) return false;
  if (!row.x) return true;
  const std::optional<double> x = CaseX(m);
  return x && std::fabs(*x - *row.x) < kExactX;
}

bool PointMatches(const ReferenceRow& row, const Measurement& m) {
  if (row.check != ReferenceCheck::kPoint || row.group != m.group || !SoilMatches(row, m.soil) ||
      !row.x) {
    return false;
  }
  const std::optional<double> x = CaseX(m);
  const double tolerance = m.slope_deg ? kPointSlopeDeg : kPointHeightM;
  return x && std::fabs(*x - *row.x) <= tolerance;
}

bool InRange(double v, std::optional<double> lo, std::optional<double> hi) {
  return (!lo || v >= *lo) && (!hi || v <= *hi);
}

ValidationCase BaseCase(const Measurement& m) {
  ValidationCase c;
  c.id = m.id;
  c.group = m.group;
  c.soil = m.soil;
  c.slope_deg = m.slope_deg;
  c.height_m = m.height_m;
  c.measured = m.measured;
  c.error = m.error;
  return c;
}

ValidationCase CheckedCase(const ValidationCase& base, const ReferenceRow& row, const Json* sand,
                           bool sand_failed) {
  ValidationCase c = base;
  c.id += "/" + row.name;
  c.reference = row;
  const bool ok = EvaluateCheck(row, c.measured, sand, c.range_lo, c.range_hi);
  c.within = ok && c.error.empty() && !sand_failed;
  return c;
}

// The sand measurement of the uphill matrix at the same slope as `m`, or nullptr.
const Measurement* SandAtSameSlope(const std::vector<Measurement>& all, const Measurement& m) {
  for (const Measurement& s : all) {
    if (s.group == "slip_uphill" && s.soil == "sand" && s.slope_deg && m.slope_deg &&
        std::fabs(*s.slope_deg - *m.slope_deg) < kExactX) {
      return &s;
    }
  }
  return nullptr;
}

void AddSlipOrderCases(const std::vector<Measurement>& all, const ReferenceRow& row,
                       std::vector<ValidationCase>& cases) {
  for (const Measurement& m : all) {
    if (m.group != "slip_uphill" || m.soil == "sand" || !CheckMatches(row, m)) continue;
    const Measurement* sand = SandAtSameSlope(all, m);
    if (sand == nullptr) continue;
    ValidationCase base = BaseCase(m);
    base.id = "slip_order" + m.id.substr(m.id.find('/'));
    base.group = "slip_order";
    cases.push_back(CheckedCase(base, row, &sand->measured, !sand->error.empty()));
  }
}

}  // namespace

std::optional<double> CaseX(const Measurement& m) {
  if (m.slope_deg) return m.slope_deg;
  return m.height_m;
}

bool EvaluateCheck(const ReferenceRow& row, const Json& measured, const Json* sand,
                   std::optional<double>& range_lo, std::optional<double>& range_hi) {
  range_lo = row.lo;
  range_hi = row.hi;
  const std::optional<double> v = Quantity(measured, row.quantity);
  switch (row.check) {
    case ReferenceCheck::kRange:
      return v && InRange(*v, row.lo, row.hi);
    case ReferenceCheck::kRangeOrNotClimbed: {
      const std::optional<double> climbed = Quantity(measured, "climbed");
      return (v && InRange(*v, row.lo, row.hi)) || (climbed && *climbed == 0);
    }
    case ReferenceCheck::kBelowSand: {
      range_lo.reset();
      range_hi.reset();
      const std::optional<double> s =
          sand != nullptr ? Quantity(*sand, row.quantity) : std::optional<double>();
      if (s) range_hi = *s;
      return v && s && *v < *s;
    }
    case ReferenceCheck::kAroundGeometric: {
      const std::optional<double> geometric = Quantity(measured, "geometric_deg");
      if (!geometric) return false;
      if (row.lo) range_lo = *geometric + *row.lo;
      if (row.hi) range_hi = *geometric + *row.hi;
      return v && InRange(*v, range_lo, range_hi);
    }
    case ReferenceCheck::kPoint:
      return false;
  }
  return false;
}

std::vector<ValidationCase> EvaluateCases(const std::vector<Measurement>& measurements,
                                          const MobilityReference& reference) {
  std::vector<ValidationCase> cases;
  for (const Measurement& m : measurements) {
    ValidationCase base = BaseCase(m);
    for (const ReferenceRow& row : reference.rows) {
      if (PointMatches(row, m)) base.points.push_back(row);
    }
    bool checked = false;
    for (const ReferenceRow& row : reference.rows) {
      if (row.group != m.group || !CheckMatches(row, m)) continue;
      cases.push_back(CheckedCase(base, row, nullptr, false));
      checked = true;
    }
    if (!checked) cases.push_back(base);
  }
  for (const ReferenceRow& row : reference.rows) {
    if (row.group == "slip_order" && row.check != ReferenceCheck::kPoint) {
      AddSlipOrderCases(measurements, row, cases);
    }
  }
  std::stable_sort(cases.begin(), cases.end(),
                   [](const ValidationCase& a, const ValidationCase& b) { return a.id < b.id; });
  return cases;
}

TransitionBand CalcTransitionBand(std::vector<std::pair<double, double>> height_fraction) {
  std::sort(height_fraction.begin(), height_fraction.end());
  TransitionBand band;
  for (const auto& [height_m, fraction] : height_fraction) {
    if (fraction > 0 && fraction < 1) ++band.mixed_heights;
    if (fraction < 1 && !band.lo_m) band.lo_m = height_m;  // lowest not always climbed
    if (fraction > 0) band.hi_m = height_m;                // highest ever climbed
  }
  if (!band.lo_m || !band.hi_m || *band.hi_m < *band.lo_m) {  // a clean split
    band.lo_m.reset();
    band.hi_m.reset();
    return band;
  }
  band.width_m = *band.hi_m - *band.lo_m;
  return band;
}

}  // namespace marsdrive::scenarios

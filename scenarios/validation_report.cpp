#include "scenarios/validation_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <system_error>

#include "base/check.h"
#include "base/content_hash.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/validation_plots.h"

#ifndef MARSDRIVE_VERSION
#define MARSDRIVE_VERSION "unknown"
#endif

namespace marsdrive::scenarios {

namespace {

using Json = nlohmann::ordered_json;

// The quantity a case without a reference is summarised by, per group.
const char* HeadlineQuantity(const std::string& group) {
  static const std::map<std::string, const char*> kByGroup = {
      {"slip_uphill", "slip_pct"},
      {"slip_order", "slip_pct"},
      {"cross_slope", "drift_pct"},
      {"step", "climb_fraction"},
      {"step_ensemble", "band_width_m"},
      {"rock", "climbed"},
      {"tip_over", "tip_deg"},
      {"parking", "displacement_m"},
      {"dt_convergence", "slip_diff_pts"},
  };
  const auto it = kByGroup.find(group);
  return it == kByGroup.end() ? "" : it->second;
}

std::string Fmt(double v) {
  char text[32];
  std::snprintf(text, sizeof text, std::fabs(v) >= 1000 ? "%.0f" : "%.3g", v);
  return text;
}

Json OptionalNumber(std::optional<double> v) { return v ? Json(*v) : Json(nullptr); }

Json ReferenceJson(const ValidationCase& c) {
  const ReferenceRow& r = *c.reference;
  Json j;
  j["name"] = r.name;
  j["quantity"] = r.quantity;
  j["check"] = ToString(r.check);
  j["range"] = Json::array({OptionalNumber(c.range_lo), OptionalNumber(c.range_hi)});
  if (r.check == ReferenceCheck::kAroundGeometric)
    j["value"] = c.measured.value("geometric_deg", 0.0);
  if (r.check == ReferenceCheck::kRangeOrNotClimbed) j["or"] = "not climbed";
  j["source"] = r.source;
  j["confidence"] = r.confidence;
  j["csv_line"] = r.line;
  return j;
}

Json PointJson(const ReferenceRow& r) {
  Json j;
  j["name"] = r.name;
  j["quantity"] = r.quantity;
  j["x"] = OptionalNumber(r.x);
  j["x_unit"] = r.x_unit;
  j["value"] = OptionalNumber(r.value);
  j["source"] = r.source;
  j["confidence"] = r.confidence;
  j["csv_line"] = r.line;
  return j;
}

Json CaseJson(const ValidationCase& c) {
  Json j;
  j["id"] = c.id;
  j["group"] = c.group;
  j["soil"] = c.soil;
  if (c.slope_deg) j["slope_deg"] = *c.slope_deg;
  if (c.height_m) j["height_m"] = *c.height_m;
  j["measured"] = c.measured;
  if (c.reference) j["reference"] = ReferenceJson(c);
  if (!c.points.empty()) {
    j["reference_points"] = Json::array();
    for (const ReferenceRow& p : c.points) j["reference_points"].push_back(PointJson(p));
  }
  j["within"] = c.within ? Json(*c.within) : Json(nullptr);
  if (!c.error.empty()) j["error"] = c.error;
  return j;
}

// "<= 8", ">= 45 or not climbed", "4 - 30", "< sand (16.7)", "51.2 +- 3 (48.2 - 54.2)".
std::string ReferenceText(const ValidationCase& c) {
  const ReferenceRow& r = *c.reference;
  std::string range;
  if (c.range_lo && c.range_hi) {
    range = *c.range_lo == *c.range_hi ? "= " + Fmt(*c.range_lo)
                                       : Fmt(*c.range_lo) + " – " + Fmt(*c.range_hi);
  } else if (c.range_lo) {
    range = "≥ " + Fmt(*c.range_lo);
  } else if (c.range_hi) {
    range = "≤ " + Fmt(*c.range_hi);
  }
  switch (r.check) {
    case ReferenceCheck::kRangeOrNotClimbed:
      return range + " or not climbed";
    case ReferenceCheck::kBelowSand:
      return c.range_hi ? "< sand (" + Fmt(*c.range_hi) + ")" : "< sand (not measured)";
    case ReferenceCheck::kAroundGeometric:
      return "geometric " + Fmt(c.measured.value("geometric_deg", 0.0)) + " ± 3 (" + range + ")";
    default:
      return range;
  }
}

std::string MeasuredText(const ValidationCase& c) {
  std::string quantity;
  const std::optional<double> v = HeadlineValue(c, quantity);
  const bool flag = c.measured.contains(quantity) && c.measured[quantity].is_boolean();
  std::string text = quantity + (flag ? ": " : " = ") +
                     (!v     ? std::string("—")
                      : flag ? (*v > 0 ? "yes" : "no")
                             : Fmt(*v));
  if (c.group == "cross_slope" && c.measured.contains("slip_pct") &&
      c.measured["slip_pct"].is_number()) {
    text += ", slip_pct = " + Fmt(c.measured["slip_pct"].get<double>());
  }
  if (c.group == "slip_uphill" && quantity != "climbed" && c.measured.contains("climbed")) {
    text += c.measured["climbed"].get<bool>() ? ", climbed" : ", did not climb";
  }
  if (c.measured.contains("status") && c.measured["status"].is_string()) {
    text += " (" + c.measured["status"].get<std::string>() + ")";
  }
  if (!c.error.empty()) text += " ERROR: " + c.error;
  return text;
}

std::string Cell(std::string text) {
  for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) {
    text.replace(at, 1, "\\|");
  }
  return text;
}

}  // namespace

MobilityValidation ValidateMobility(const MobilityReference& reference,
                                    const std::string& reference_text,
                                    const vehicle::RoverSpec& rover,
                                    const MobilityMatrixOptions& options) {
  MobilityValidation v;
  v.rover = rover.name;
  v.reference_file = reference.file;
  v.reference_hash = "fnv1a64:" + Fnv1a64().Update(reference_text).Hex();
  const std::vector<Measurement> measurements = RunMobilityMatrix(rover, options, v.info);
  v.cases = EvaluateCases(measurements, reference);
  for (const ReferenceRow& r : reference.rows) {
    if (r.check == ReferenceCheck::kPoint && !r.x) v.observations.push_back(r);
  }
  return v;
}

ValidationCounts CountCases(const std::vector<ValidationCase>& cases) {
  ValidationCounts n;
  for (const ValidationCase& c : cases) {
    ++n.cases;
    if (!c.within) {
      ++n.no_reference;
      continue;
    }
    ++n.with_reference;
    ++(*c.within ? n.within : n.outside);
  }
  return n;
}

std::optional<double> HeadlineValue(const ValidationCase& c, std::string& quantity) {
  quantity = c.reference ? c.reference->quantity : HeadlineQuantity(c.group);
  if (!c.measured.contains(quantity)) return std::nullopt;
  const Json& v = c.measured[quantity];
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

Json ValidationToJson(const MobilityValidation& v) {
  const ValidationCounts n = CountCases(v.cases);
  Json doc;
  doc["schema"] = kValidationSchema;
  doc["tool"] = {{"name", "marsdrive"}, {"version", MARSDRIVE_VERSION}};
  doc["matrix"] = v.info.matrix;
  doc["rover"] = v.rover;
  doc["dt_s"] = v.info.dt_s;
  doc["runs"] = v.info.run_count;
  doc["notes"] = v.info.notes;
  doc["reference"] = {{"file", v.reference_file}, {"hash", v.reference_hash}};
  doc["counts"] = {{"cases", n.cases},
                   {"with_reference", n.with_reference},
                   {"within", n.within},
                   {"outside", n.outside},
                   {"no_reference", n.no_reference}};
  doc["outside"] = Json::array();
  for (const ValidationCase& c : v.cases) {
    if (c.within && !*c.within) doc["outside"].push_back(c.id);
  }
  doc["cases"] = Json::array();
  for (const ValidationCase& c : v.cases) doc["cases"].push_back(CaseJson(c));
  doc["reference_observations"] = Json::array();
  for (const ReferenceRow& r : v.observations)
    doc["reference_observations"].push_back(PointJson(r));
  return doc;
}

std::string ValidationMarkdown(const MobilityValidation& v) {
  const ValidationCounts n = CountCases(v.cases);
  std::string md = "# Mobility validation (" + v.info.matrix + " matrix)\n\n";
  md += "Rover `" + v.rover + "`, default dt " + Fmt(v.info.dt_s) + " s, " +
        std::to_string(v.info.run_count) + " runs; reference `" + v.reference_file + "` (" +
        v.reference_hash + "). How to read this: docs/validation.md.\n\n";
  for (const std::string& note : v.info.notes) md += "Note: " + note + "\n\n";
  md += "**" + std::to_string(n.within) + " of " + std::to_string(n.with_reference) +
        " cases with a reference are within it, " + std::to_string(n.outside) + " outside**; " +
        std::to_string(n.no_reference) + " cases are measured without a reference.\n\n";
  std::map<std::string, int> source_number;
  std::vector<std::string> sources;
  const auto cite = [&](const std::string& source) {
    auto [it, added] = source_number.emplace(source, static_cast<int>(sources.size()) + 1);
    if (added) sources.push_back(source);
    return "[" + std::to_string(it->second) + "]";
  };
  md += "| case | measured | reference | within | source |\n|---|---|---|---|---|\n";
  for (const ValidationCase& c : v.cases) {
    std::string reference = "—", within = "—", source;
    if (c.reference) {
      reference = ReferenceText(c);
      within = *c.within ? "yes" : "**NO**";
      source = cite(c.reference->source) + " " + c.reference->confidence;
    }
    for (const ReferenceRow& p : c.points) {
      source += " " + p.name + " " + Fmt(*p.value) + " " + cite(p.source);
    }
    md += "| " + Cell(c.id) + " | " + Cell(MeasuredText(c)) + " | " + Cell(reference) + " | " +
          within + " | " + Cell(source) + " |\n";
  }
  if (!v.observations.empty()) {
    md += "\nOther published observations (no matching configuration):\n\n";
    for (const ReferenceRow& r : v.observations) {
      md += "- " + r.name + ": " + r.quantity + " = " + Fmt(*r.value) + " " + cite(r.source) + "\n";
    }
  }
  md +=
      "\nConfidence: H primary, M secondary, L estimate or interpretation, T a marsdrive target."
      "\n\nSources:\n\n";
  for (std::size_t i = 0; i < sources.size(); ++i) {
    md += std::to_string(i + 1) + ". " + sources[i] + "\n";
  }
  return md;
}

void WriteValidationOutputs(const std::filesystem::path& dir, const MobilityValidation& v) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  MD_THROW_UNLESS(!ec, dir.string() + ": cannot create the output directory: " + ec.message());
  WriteTextFile(dir / "validation.json", ValidationToJson(v).dump(2) + "\n");
  WriteTextFile(dir / "validation.md", ValidationMarkdown(v));
  WriteValidationPlots(dir, v.cases);
}

}  // namespace marsdrive::scenarios

#pragma once
// The outputs of `marsdrive validate mobility` (docs/validation.md): validation.json (schema
// marsdrive/validation/1), validation.md (the table with numbered sources) and the plots
// (scenarios/validation_plots.h). Wall times are kept out of every file, so that the same
// binary writes the same bytes.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/mobility_cases.h"
#include "scenarios/mobility_matrix.h"
#include "scenarios/mobility_reference.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::scenarios {

inline constexpr const char* kValidationSchema = "marsdrive/validation/1";

struct MobilityValidation {
  MobilityMatrixInfo info;
  std::string rover;                       // RoverSpec::name
  std::string reference_file;              // as loaded
  std::string reference_hash;              // "fnv1a64:..." of the CSV text
  std::vector<ValidationCase> cases;       // sorted by id
  std::vector<ReferenceRow> observations;  // published points not tied to a configuration
};

// Runs the matrix (scenarios/mobility_matrix.h) and checks it against `reference`; `reference_text`
// is the CSV text it was parsed from (hashed for the record).
MobilityValidation ValidateMobility(const MobilityReference& reference,
                                    const std::string& reference_text,
                                    const vehicle::RoverSpec& rover,
                                    const MobilityMatrixOptions& options);

struct ValidationCounts {
  int cases = 0, with_reference = 0, within = 0, outside = 0, no_reference = 0;
};
ValidationCounts CountCases(const std::vector<ValidationCase>& cases);

// The measured value a case is judged (or, without a reference, summarised) by, if any.
std::optional<double> HeadlineValue(const ValidationCase& c, std::string& quantity);

nlohmann::ordered_json ValidationToJson(const MobilityValidation& v);
std::string ValidationMarkdown(const MobilityValidation& v);

// Writes validation.json, validation.md, slip_vs_slope.png, cross_slope.png and step_climb.png
// into `dir` (created if needed). InputError naming the file when one cannot be written.
void WriteValidationOutputs(const std::filesystem::path& dir, const MobilityValidation& v);

}  // namespace marsdrive::scenarios

#include "scenarios/mobility_reference.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

#include "base/check.h"
#include "io/text_file.h"
#include "planners/plan_json.h"

#ifndef MARSDRIVE_VALIDATION_DATA_DIR
#define MARSDRIVE_VALIDATION_DATA_DIR "scenarios/validation"
#endif

namespace marsdrive::scenarios {

namespace {

constexpr std::array<const char*, 12> kColumns = {"group",    "soil",  "x",      "x_unit",
                                                  "quantity", "check", "name",   "lo",
                                                  "hi",       "value", "source", "confidence"};
enum Column {
  kGroup,
  kSoil,
  kX,
  kXUnit,
  kQuantity,
  kCheck,
  kName,
  kLo,
  kHi,
  kValue,
  kSource,
  kConfidence
};

constexpr std::array<const char*, 9> kGroups = {"slip_uphill", "slip_order",    "cross_slope",
                                                "step",        "step_ensemble", "rock",
                                                "tip_over",    "parking",       "dt_convergence"};
constexpr std::array<const char*, 4> kSoils = {"sand", "regolith", "bedrock", "any"};
constexpr std::array<const char*, 3> kUnits = {"deg", "m", "-"};
constexpr std::array<const char*, 4> kConfidences = {"H", "M", "L", "T"};
constexpr std::array<ReferenceCheck, 5> kChecks = {
    ReferenceCheck::kRange, ReferenceCheck::kRangeOrNotClimbed, ReferenceCheck::kBelowSand,
    ReferenceCheck::kAroundGeometric, ReferenceCheck::kPoint};

template <std::size_t N>
std::string OneOf(const std::array<const char*, N>& names) {
  std::string text;
  for (const char* n : names) text += (text.empty() ? "" : " | ") + std::string(n);
  return text;
}

template <std::size_t N>
bool Contains(const std::array<const char*, N>& names, const std::string& value) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == n; });
}

// One CSV line split into fields: commas separate, a field may be double-quoted ("" inside a
// quoted field is one quote). Returns false on an unterminated quote.
bool SplitCsvLine(std::string_view line, std::vector<std::string>& fields) {
  fields.assign(1, "");
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return !quoted;
}

// Reads the cells of one data line, naming file, line and column in every error.
class RowReader {
 public:
  RowReader(const std::string& file, int line, const std::vector<std::string>& fields,
            const std::array<std::size_t, kColumns.size()>& index)
      : file_(file), line_(line), fields_(fields), index_(index) {}

  const std::string& Text(Column c) const { return fields_[index_[c]]; }

  [[noreturn]] void Fail(Column c, const std::string& expected) const {
    throw InputError(file_ + ":" + std::to_string(line_) + ": column '" + kColumns[c] +
                     "': expected " + expected + ", got '" + Text(c) + "'");
  }

  std::optional<double> Number(Column c) const {
    const std::string& text = Text(c);
    if (text.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
      Fail(c, "a number or nothing");
    }
    return value;
  }

  template <std::size_t N>
  std::string Choice(Column c, const std::array<const char*, N>& names) const {
    if (!Contains(names, Text(c))) Fail(c, OneOf(names));
    return Text(c);
  }

 private:
  const std::string& file_;
  int line_;
  const std::vector<std::string>& fields_;
  const std::array<std::size_t, kColumns.size()>& index_;
};

ReferenceCheck ParseCheck(const RowReader& r) {
  for (const ReferenceCheck c : kChecks) {
    if (r.Text(kCheck) == ToString(c)) return c;
  }
  std::array<const char*, kChecks.size()> names{};
  for (std::size_t i = 0; i < kChecks.size(); ++i) names[i] = ToString(kChecks[i]);
  r.Fail(kCheck, OneOf(names));
}

ReferenceRow ParseRow(const RowReader& r, int line) {
  ReferenceRow row;
  row.line = line;
  row.group = r.Choice(kGroup, kGroups);
  row.soil = r.Choice(kSoil, kSoils);
  row.x = r.Number(kX);
  row.x_unit = r.Choice(kXUnit, kUnits);
  row.quantity = r.Text(kQuantity);
  if (row.quantity.empty()) r.Fail(kQuantity, "a quantity name");
  row.check = ParseCheck(r);
  row.name = r.Text(kName);
  if (row.name.empty() || row.name.find_first_of("/ ") != std::string::npos) {
    r.Fail(kName, "a short name without '/' or spaces");
  }
  row.lo = r.Number(kLo);
  row.hi = r.Number(kHi);
  row.value = r.Number(kValue);
  row.source = r.Text(kSource);
  if (row.source.empty()) r.Fail(kSource, "the figure's source (paper, page)");
  row.confidence = r.Choice(kConfidence, kConfidences);
  if (row.check == ReferenceCheck::kPoint) {
    if (!row.value) r.Fail(kValue, "a number (check 'point')");
  } else if (row.check != ReferenceCheck::kBelowSand) {
    if (!row.lo && !row.hi) r.Fail(kHi, "lo or hi (check '" + r.Text(kCheck) + "')");
    if (row.lo && row.hi && *row.lo > *row.hi) r.Fail(kHi, "a number >= lo");
  }
  return row;
}

}  // namespace

const char* ToString(ReferenceCheck check) {
  switch (check) {
    case ReferenceCheck::kRange:
      return "range";
    case ReferenceCheck::kRangeOrNotClimbed:
      return "range_or_not_climbed";
    case ReferenceCheck::kBelowSand:
      return "below_sand";
    case ReferenceCheck::kAroundGeometric:
      return "around_geometric";
    case ReferenceCheck::kPoint:
      return "point";
  }
  return "?";
}

MobilityReference ParseMobilityReference(const std::string& text, const std::string& file) {
  MobilityReference reference;
  reference.file = file;
  std::array<std::size_t, kColumns.size()> index{};
  std::size_t width = 0;
  std::vector<std::string> fields;
  int line = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view content(text.data() + begin, end - begin);
    begin = end + 1;
    ++line;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    const std::string where = file + ":" + std::to_string(line);
    MD_THROW_UNLESS(SplitCsvLine(content, fields), where + ": unterminated quoted field");
    if (line == 1) {
      for (std::size_t c = 0; c < kColumns.size(); ++c) {
        const auto at = std::find(fields.begin(), fields.end(), kColumns[c]);
        MD_THROW_UNLESS(at != fields.end(), where + ": header: expected a column '" + kColumns[c] +
                                                "' (columns: " + OneOf(kColumns) + ")");
        index[c] = static_cast<std::size_t>(at - fields.begin());
      }
      width = fields.size();
      continue;
    }
    if (content.empty()) continue;
    MD_THROW_UNLESS(fields.size() == width, where + ": expected " + std::to_string(width) +
                                                " fields (as the header), got " +
                                                std::to_string(fields.size()));
    reference.rows.push_back(ParseRow(RowReader(file, line, fields, index), line));
  }
  MD_THROW_UNLESS(line >= 1, file + ": expected a header line, got an empty file");
  return reference;
}

MobilityReference LoadMobilityReference(const std::filesystem::path& file) {
  return ParseMobilityReference(ReadTextFile(file), file.string());
}

std::filesystem::path BundledMobilityReferencePath() {
  return std::filesystem::path(MARSDRIVE_VALIDATION_DATA_DIR) / "mobility-reference.csv";
}

}  // namespace marsdrive::scenarios

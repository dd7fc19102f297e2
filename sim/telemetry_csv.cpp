#include "sim/telemetry_csv.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <ostream>
#include <sstream>
#include <system_error>
#include <type_traits>

#include "base/check.h"
#include "io/text_file.h"
#include "sim/telemetry_columns.h"

namespace marsdrive::sim {

namespace {

constexpr const char* kRockSuffix = "@rock";

std::vector<TelemetryCsvColumn> MakeColumns() {
  std::vector<TelemetryCsvColumn> columns;
  const TelemetrySample sample;
  VisitTelemetryColumns(sample, [&](const std::string& name, int decimals, const auto&) {
    columns.push_back({name, decimals});
  });
  columns.push_back({"body_contact_count", 0});
  columns.push_back({"body_contact_parts", 0});
  return columns;
}

void AppendDouble(std::string& out, double value, int decimals) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "inf" : "-inf";
    return;
  }
  std::array<char, 400> buffer{};  // fixed notation of the largest double: 309 digits + decimals
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::fixed, decimals);
  MD_DEMAND(ec == std::errc());
  std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  // A negative value that rounds to zero is written as zero ("0.000", not "-0.000").
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string_view::npos) {
    text.remove_prefix(1);
  }
  out += text;
}

void AppendRow(std::string& out, const TelemetrySample& s) {
  bool first = true;
  const auto separator = [&] {
    if (!first) out += ',';
    first = false;
  };
  VisitTelemetryColumns(s, [&](const std::string&, int decimals, const auto& field) {
    separator();
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<T, double>) {
      AppendDouble(out, field, decimals);
    } else if constexpr (std::is_same_v<T, bool>) {
      out += field ? '1' : '0';
    } else if constexpr (std::is_same_v<T, int>) {
      out += std::to_string(field);
    } else {
      static_assert(std::is_same_v<T, CommandKind>);
      out += ToString(field);
    }
  });
  separator();
  out += std::to_string(s.body_contacts.size());
  separator();
  for (std::size_t i = 0; i < s.body_contacts.size(); ++i) {
    if (i > 0) out += '|';
    out += ToString(s.body_contacts[i].part);
    if (s.body_contacts[i].with_rock) out += kRockSuffix;
  }
  out += '\n';
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

class RowParser {
 public:
  RowParser(const std::string& source, std::size_t line_number)
      : where_(source + ": line " + std::to_string(line_number) + ": ") {}

  std::string Where() const { return where_; }

  [[noreturn]] void Fail(const std::string& column, std::string_view text,
                         const char* expected) const {
    throw InputError(where_ + "column '" + column + "': expected " + expected + ", got '" +
                     std::string(text) + "'");
  }

  double Double(const std::string& column, std::string_view text) const {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      Fail(column, text, "a number");
    }
    return value;
  }

  int Int(const std::string& column, std::string_view text) const {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      Fail(column, text, "an integer");
    }
    return value;
  }

  bool Flag(const std::string& column, std::string_view text) const {
    if (text == "0") return false;
    if (text == "1") return true;
    Fail(column, text, "0 or 1");
  }

  CommandKind Command(const std::string& column, std::string_view text) const {
    for (CommandKind c : {CommandKind::kNone, CommandKind::kStraight, CommandKind::kArc,
                          CommandKind::kTurnInPlace, CommandKind::kStop}) {
      if (text == ToString(c)) return c;
    }
    Fail(column, text, "one of none, straight, arc, turn, stop");
  }

  BodyContact Contact(std::string_view text) const {
    BodyContact contact;
    const std::size_t suffix = std::string_view(kRockSuffix).size();
    if (text.size() > suffix && text.substr(text.size() - suffix) == kRockSuffix) {
      contact.with_rock = true;
      text.remove_suffix(suffix);
    }
    for (BodyPart p :
         {BodyPart::kChassis, BodyPart::kRockerLeft, BodyPart::kRockerRight, BodyPart::kBogieLeft,
          BodyPart::kBogieRight, BodyPart::kMast, BodyPart::kOther}) {
      if (text == ToString(p)) {
        contact.part = p;
        return contact;
      }
    }
    Fail("body_contact_parts", text,
         "a part name (chassis, rocker_left, rocker_right, bogie_left, bogie_right, mast, "
         "other), optionally with @rock");
  }

 private:
  std::string where_;
};

}  // namespace

const std::vector<TelemetryCsvColumn>& TelemetryCsvColumns() {
  static const std::vector<TelemetryCsvColumn> columns = MakeColumns();
  return columns;
}

void WriteTelemetryCsv(std::ostream& out, const Telemetry& telemetry) {
  std::string text;
  for (const TelemetryCsvColumn& c : TelemetryCsvColumns()) {
    if (!text.empty()) text += ',';
    text += c.name;
  }
  text += '\n';
  out << text;
  for (const TelemetrySample& s : telemetry) {
    text.clear();
    AppendRow(text, s);
    out << text;
  }
}

void WriteTelemetryCsv(const std::filesystem::path& path, const Telemetry& telemetry) {
  // Composed in memory (~0.5 kB a row: 15 MB for two hours at 4 Hz), then written as every
  // output is (io/text_file.h): atomically, never through a planted link.
  std::ostringstream text;
  WriteTelemetryCsv(text, telemetry);
  WriteTextFile(path, text.str());
}

Telemetry ParseTelemetryCsv(std::string_view text, const std::string& source) {
  const std::vector<TelemetryCsvColumn>& columns = TelemetryCsvColumns();
  MD_THROW_UNLESS(!text.empty(), source +
                                     ": empty file, expected a telemetry CSV starting "
                                     "with the header '" +
                                     columns.front().name + "," + columns[1].name + ",...'");
  std::vector<std::string_view> lines = Split(text, '\n');
  // A complete file ends with '\n', leaving one empty piece after the last line.
  MD_THROW_UNLESS(lines.back().empty(),
                  source + ": line " + std::to_string(lines.size()) +
                      ": incomplete last line (no line end): the file is truncated");
  lines.pop_back();
  for (std::string_view& line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  }

  const std::vector<std::string_view> header = Split(lines.front(), ',');
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string_view got = c < header.size() ? header[c] : std::string_view("(nothing)");
    MD_THROW_UNLESS(got == columns[c].name,
                    source + ": line 1: column " + std::to_string(c + 1) + ": expected '" +
                        columns[c].name + "', got '" + std::string(got) +
                        "' (not a marsdrive telemetry CSV, or another version of it)");
  }
  MD_THROW_UNLESS(header.size() == columns.size(),
                  source + ": line 1: expected " + std::to_string(columns.size()) +
                      " columns, got " + std::to_string(header.size()));
  MD_THROW_UNLESS(lines.size() > 1, source + ": no samples after the header (file truncated?)");

  Telemetry telemetry;
  telemetry.reserve(lines.size() - 1);
  for (std::size_t l = 1; l < lines.size(); ++l) {
    const RowParser parser(source, l + 1);
    const std::vector<std::string_view> fields = Split(lines[l], ',');
    MD_THROW_UNLESS(fields.size() == columns.size(),
                    parser.Where() + "expected " + std::to_string(columns.size()) +
                        " fields, got " + std::to_string(fields.size()) +
                        (fields.size() < columns.size() ? " (file truncated?)" : ""));
    TelemetrySample s;
    std::size_t c = 0;
    VisitTelemetryColumns(s, [&](const std::string& name, int, auto& field) {
      const std::string_view f = fields[c++];
      using T = std::decay_t<decltype(field)>;
      if constexpr (std::is_same_v<T, double>) {
        field = parser.Double(name, f);
      } else if constexpr (std::is_same_v<T, bool>) {
        field = parser.Flag(name, f);
      } else if constexpr (std::is_same_v<T, int>) {
        field = parser.Int(name, f);
      } else {
        static_assert(std::is_same_v<T, CommandKind>);
        field = parser.Command(name, f);
      }
    });
    const int count = parser.Int("body_contact_count", fields[c]);
    const std::string_view parts = fields[c + 1];
    if (!parts.empty()) {
      for (std::string_view part : Split(parts, '|')) {
        BodyContact contact = parser.Contact(part);
        contact.point_map_m = s.position_map_m;
        s.body_contacts.push_back(contact);
      }
    }
    MD_THROW_UNLESS(static_cast<std::size_t>(count) == s.body_contacts.size() && count >= 0,
                    parser.Where() + "body_contact_count " + std::to_string(count) +
                        " does not match the " + std::to_string(s.body_contacts.size()) +
                        " entries of body_contact_parts");
    MD_THROW_UNLESS(telemetry.empty() || !(s.time_s < telemetry.back().time_s),
                    parser.Where() + "column 'time_s': " + std::string(fields[0]) +
                        " is earlier than the previous sample's time (time goes backwards)");
    telemetry.push_back(std::move(s));
  }
  return telemetry;
}

Telemetry ReadTelemetryCsv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  MD_THROW_UNLESS(in.good(), path.string() + ": cannot open telemetry (no such file?)");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseTelemetryCsv(text.str(), path.string());
}

}  // namespace marsdrive::sim

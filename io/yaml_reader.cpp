#include "io/yaml_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numbers>
#include <sstream>

#include "base/check.h"
#include "base/format.h"
#include "base/text.h"
#include "io/json_reader.h"  // ReadBoundedTextFile
#include "io/yaml_structure.h"

namespace marsdrive {

namespace {

// A scalar that parsed as a finite number, as written (ASCII digits, sign, point, exponent), cut
// when long ("0000...1" is a valid number of any length).
std::string NumberText(const YAML::Node& n) {
  const std::string& text = n.Scalar();
  return text.size() > 32 ? text.substr(0, 32) + "..." : text;
}

[[noreturn]] void ThrowParseError(const std::string& file, const YAML::ParserException& e) {
  throw InputError(file + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                   std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
}

}  // namespace

std::string DescribeYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return base::QuoteExcerpt(node.Scalar(), 40, '\'');  // an excerpt, never the whole input
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::string DescribeYamlDocument(const YAML::Node& node) {
  if (node.IsScalar())
    return "a plain text of " + std::to_string(node.Scalar().size()) + " bytes (not YAML)";
  return DescribeYaml(node);
}

bool ParseFiniteYaml(const YAML::Node& node, double& value) {
  if (!node.IsScalar() || node.Tag() == "!") return false;  // "!" = quoted: a string
  const std::string& text = node.Scalar();
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

YAML::Node LoadYamlFile(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file);
  MD_THROW_UNLESS(in.good() && !std::filesystem::is_directory(file),
                  file.string() + ": cannot open " + what + " (missing or unreadable)");
  return ParseYamlText(ReadBoundedTextFile(file, kYamlMaxBytes, what), file.string());
}

YAML::Node ParseYamlText(const std::string& text, const std::string& file) {
  try {
    CheckYamlStructure(text, file);  // duplicate keys, alias bombs: before any tree is built
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    ThrowParseError(file, e);
  }
}

YamlMapReader::YamlMapReader(const YAML::Node& node, std::string file, std::string path)
    : node_(node), file_(std::move(file)), path_(std::move(path)) {
  MD_THROW_UNLESS(node_.IsMap(),
                  Where("") + "expected a map, got " +
                      (path_.empty() ? DescribeYamlDocument(node_) : DescribeYaml(node_)));
}

std::string YamlMapReader::Path(const std::string& key) const {
  return path_.empty() ? key : (key.empty() ? path_ : path_ + "." + key);
}

std::string YamlMapReader::Where(const std::string& key) const {
  const std::string full = Path(key);
  return file_ + ": " + (full.empty() ? "" : full + ": ");
}

void YamlMapReader::On(const std::string& key, Handler handler) {
  handlers_.insert_or_assign(key, std::move(handler));
}

void YamlMapReader::Number(const std::string& key, double& out, bool positive) {
  On(key, [this, &out, positive, key](const YAML::Node& n) { out = ReadNumber(n, key, positive); });
}

void YamlMapReader::NonNegative(const std::string& key, double& out) {
  On(key, [this, &out, key](const YAML::Node& n) {
    out = ReadNumber(n, key, false);
    MD_THROW_UNLESS(out >= 0, Where(key) + "expected a number >= 0, got " + NumberText(n));
  });
}

void YamlMapReader::Degrees(const std::string& key, double& out_rad, bool positive) {
  On(key, [this, &out_rad, positive, key](const YAML::Node& n) {
    out_rad = ReadNumber(n, key, positive) * std::numbers::pi / 180.0;
  });
}

void YamlMapReader::DegreeRange(const std::string& key, double& lo_rad, double& hi_rad) {
  On(key, [this, &lo_rad, &hi_rad, key](const YAML::Node& n) {
    const std::vector<double> v = ReadNumbers(n, key, 2, false);
    MD_THROW_UNLESS(v[0] < v[1], Where(key) + "expected [min, max] with min < max, got [" +
                                     base::FormatExact(v[0]) + ", " + base::FormatExact(v[1]) +
                                     "]");
    lo_rad = v[0] * std::numbers::pi / 180.0;
    hi_rad = v[1] * std::numbers::pi / 180.0;
  });
}

void YamlMapReader::Unsigned(const std::string& key, std::uint64_t& out) {
  On(key, [this, &out, key](const YAML::Node& n) {
    const std::string text = n.IsScalar() ? n.Scalar() : "";
    bool ok = n.IsScalar() && n.Tag() != "!" && !text.empty() && text.size() <= 20 &&
              text.find_first_not_of("0123456789") == std::string::npos;
    if (ok) {
      errno = 0;
      out = std::strtoull(text.c_str(), nullptr, 10);
      ok = errno == 0;
    }
    MD_THROW_UNLESS(ok, Where(key) + "expected an integer >= 0, got " + DescribeYaml(n));
  });
}

void YamlMapReader::Bool(const std::string& key, bool& out) {
  On(key, [this, &out, key](const YAML::Node& n) {
    const std::string text = n.IsScalar() && n.Tag() != "!" ? n.Scalar() : "";
    MD_THROW_UNLESS(text == "true" || text == "false",
                    Where(key) + "expected true or false, got " + DescribeYaml(n));
    out = text == "true";
  });
}

void YamlMapReader::String(const std::string& key, std::string& out) {
  On(key, [this, &out, key](const YAML::Node& n) {
    MD_THROW_UNLESS(n.IsScalar() && !n.Scalar().empty(),
                    Where(key) + "expected a non-empty string, got " + DescribeYaml(n));
    out = n.Scalar();
  });
}

void YamlMapReader::Numbers(const std::string& key, std::size_t count, bool positive,
                            std::function<void(const std::vector<double>&)> use) {
  On(key, [this, count, positive, key, use = std::move(use)](const YAML::Node& n) {
    use(ReadNumbers(n, key, count, positive));
  });
}

void YamlMapReader::Map(const std::string& key, std::function<void(YamlMapReader&)> fill) {
  On(key, [this, fill = std::move(fill), key](const YAML::Node& n) {
    YamlMapReader sub(n, file_, Path(key));
    fill(sub);
    sub.Run();
  });
}

void YamlMapReader::Section(const std::string& key, std::function<void(YamlMapReader&)> read) {
  On(key, [this, read = std::move(read), key](const YAML::Node& n) {
    YamlMapReader sub(n, file_, Path(key));
    read(sub);
  });
}

void YamlMapReader::Require(const std::string& key) { required_.push_back(key); }

void YamlMapReader::Run() {
  for (const auto& entry : node_) {
    const std::string key =
        entry.first.IsScalar() ? entry.first.Scalar() : DescribeYaml(entry.first);
    if (!handlers_.contains(key)) {
      std::string known;
      for (const auto& [name, fn] : handlers_) known += (known.empty() ? "" : ", ") + name;
      throw InputError(Where("") + "unknown key " + base::QuoteExcerpt(key, 40, '\'') +
                       " (expected one of: " + known + ")");
    }
  }
  for (const std::string& key : required_) {
    MD_THROW_UNLESS(node_[key].IsDefined(), Where(key) + "missing (required)");
  }
  for (const auto& [key, fn] : handlers_) {
    const YAML::Node child = node_[key];
    if (child.IsDefined()) fn(child);
  }
}

double YamlMapReader::ReadNumber(const YAML::Node& n, const std::string& key, bool positive) const {
  double value = 0;
  const std::string expected =
      positive ? "expected a finite number > 0, got " : "expected a finite number, got ";
  MD_THROW_UNLESS(ParseFiniteYaml(n, value), Where(key) + expected + DescribeYaml(n));
  MD_THROW_UNLESS(!positive || value > 0, Where(key) + expected + NumberText(n));
  return value;
}

std::vector<double> YamlMapReader::ReadNumbers(const YAML::Node& n, const std::string& key,
                                               std::size_t count, bool positive) const {
  const std::string expected = "expected a list of " + std::to_string(count) +
                               (positive ? " finite numbers > 0" : " finite numbers");
  MD_THROW_UNLESS(n.IsSequence() && n.size() == count,
                  Where(key) + expected + ", got " +
                      (n.IsSequence() ? "a list of " + std::to_string(n.size()) : DescribeYaml(n)));
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    MD_THROW_UNLESS(
        ParseFiniteYaml(n[i], values[i]) && (!positive || values[i] > 0),
        Where(key + "[" + std::to_string(i) + "]") + expected + ", got " + DescribeYaml(n[i]));
  }
  return values;
}

}  // namespace marsdrive

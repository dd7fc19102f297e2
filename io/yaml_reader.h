#pragma once
// Strict reading of YAML input files (rover specifications, scenarios, suites): every key must
// be known, every value checked, and every error names the file, the key path and what was
// expected, e.g. "rim.yaml: goal.tolerance_m: expected a finite number > 0, got '-1'".

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace marsdrive {

// "null", "a list", "a map", "'text'" or "nothing": what was found, for messages (text as a
// short escaped excerpt).
std::string DescribeYaml(const YAML::Node& node);
// The same for a whole document, without quoting any of it: a file that is one plain text (any
// file given where YAML was expected, e.g. --rover /etc/passwd) is named, never echoed.
std::string DescribeYamlDocument(const YAML::Node& node);

// Parses a plain (unquoted-tag-free) scalar as a finite double, with nothing after it.
bool ParseFiniteYaml(const YAML::Node& node, double& value);

// A YAML input file (scenario, suite, rover specification) holds at most this many bytes; yaml-cpp
// itself refuses nesting deeper than its own limit.
inline constexpr std::size_t kYamlMaxBytes = std::size_t{16} << 20;  // 16 MiB

// Reads and parses a YAML file. Throws InputError naming the file for a missing or unreadable
// file (`what` says what the file should have been) and, with line and column, for bad YAML.
YAML::Node LoadYamlFile(const std::filesystem::path& file, const std::string& what);
YAML::Node ParseYamlText(const std::string& text, const std::string& file);

// One YAML map with a key path for messages. Register a handler per known key, then Run():
// unknown keys are rejected (listing the known ones) and handlers run in key order for the
// keys present.
class YamlMapReader {
 public:
  using Handler = std::function<void(const YAML::Node&)>;

  YamlMapReader(const YAML::Node& node, std::string file, std::string path);

  // "file: path.key: " (the prefix of every message about `key`).
  std::string Where(const std::string& key) const;
  std::string Path(const std::string& key) const;  // "path.key"
  const std::string& file() const { return file_; }

  void On(const std::string& key, Handler handler);
  void Number(const std::string& key, double& out, bool positive);
  void NonNegative(const std::string& key, double& out);
  void Degrees(const std::string& key, double& out_rad, bool positive);
  void DegreeRange(const std::string& key, double& lo_rad, double& hi_rad);
  void Unsigned(const std::string& key, std::uint64_t& out);
  void Bool(const std::string& key, bool& out);
  void String(const std::string& key, std::string& out);
  // A list of exactly `count` finite numbers (> 0 when `positive`).
  void Numbers(const std::string& key, std::size_t count, bool positive,
               std::function<void(const std::vector<double>&)> use);
  // A nested map: `fill` registers handlers on the sub-reader, which then runs.
  void Map(const std::string& key, std::function<void(YamlMapReader&)> fill);
  // A nested map read entirely by `read`: it registers handlers, calls Run() itself and may
  // check the values afterwards (handlers may capture `read`'s locals).
  void Section(const std::string& key, std::function<void(YamlMapReader&)> read);
  // Keys that must be present (checked by Run).
  void Require(const std::string& key);

  void Run();

  // Value readers for handlers that need them; `key` is only for messages.
  double ReadNumber(const YAML::Node& n, const std::string& key, bool positive) const;
  std::vector<double> ReadNumbers(const YAML::Node& n, const std::string& key, std::size_t count,
                                  bool positive) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string path_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::string> required_;
};

}  // namespace marsdrive

#include "scenarios/baseline.h"

#include <string>
#include <system_error>
#include <vector>

#include "base/check.h"
#include "io/json_reader.h"
#include "io/text_file.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// Differences between two JSON values under `path`, appended to `out`. Results are at most 64
// levels deep (the bounded reader), so recursion is safe here.
void Diff(const Json& a, const Json& b, const std::string& path, std::vector<std::string>& out) {
  const std::string at = path.empty() ? "(record)" : path;
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      const std::string sub = JsonReader::Join(path, key.c_str());
      if (b.contains(key)) {
        Diff(value, b.at(key), sub, out);
      } else {
        out.push_back(sub + ": " + DescribeJson(value) + " -> absent");
      }
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) {
        out.push_back(JsonReader::Join(path, key.c_str()) + ": absent -> " + DescribeJson(value));
      }
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) Diff(a[i], b[i], JsonReader::Index(path, i), out);
    return;
  }
  // Scalars (numbers compare by value: 1 equals 1.0), or containers of different shape.
  if (a != b) out.push_back(at + ": " + DescribeJson(a) + " -> " + DescribeJson(b));
}

}  // namespace

Json DeterministicRunJson(const RunRecord& record) {
  Json run = RunRecordToJson(record);
  for (const char* key : {"wall_time_s", "scenario_file", "terrain_dir"}) run.erase(key);
  if (run["metrics"].is_object()) {
    run["metrics"].erase("wall_time_s");
    run["metrics"].erase("rtf");
  }
  return run;
}

Json BaselineJson(const SuiteResults& results) {
  Json doc = ResultsToJson(results);
  doc.erase("suite_file");
  doc.erase("tool");
  Json runs = Json::array();
  for (const RunEntry& e : results.runs) {
    Json run = DeterministicRunJson(e.record);
    run["dir"] = e.dir;
    run["index"] = e.index;
    runs.push_back(std::move(run));
  }
  doc["runs"] = std::move(runs);
  return doc;
}

void WriteBaseline(const fs::path& path, const SuiteResults& results) {
  WriteTextFile(path, BaselineJson(results).dump(2) + "\n");
}

std::vector<std::string> DeterministicDifferences(const RunRecord& baseline,
                                                  const RunRecord& candidate) {
  std::vector<std::string> out;
  Diff(DeterministicRunJson(baseline), DeterministicRunJson(candidate), "", out);
  return out;
}

}  // namespace marsdrive::scenarios

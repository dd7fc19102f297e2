#include "scenarios/shard_marker.h"

#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "terrain/check.h"
#include "terrain/content_hash.h"
#include "terrain/file_write.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

std::string SuiteFileHash(const fs::path& suite_file) {
  const auto hash = HashFileContents(suite_file);
  MD_THROW_UNLESS(hash.has_value(), suite_file.string() + ": cannot read the suite file");
  return *hash;
}

void WriteShardMarker(const fs::path& dir, const ShardMarker& m) {
  nlohmann::ordered_json json;
  json["schema"] = kShardSchema;
  json["index"] = m.index;
  json["count"] = m.count;
  json["suite"] = m.suite;
  json["suite_file"] = m.suite_file;
  json["suite_file_hash"] = m.suite_file_hash;
  json["runs"] = nlohmann::ordered_json::array();
  for (const ShardRun& r : m.runs) {
    json["runs"].push_back({{"id", r.id}, {"index", r.index}, {"status", r.status}});
  }
  json["statuses"] = m.statuses;
  json["wall_time_s"] = m.wall_time_s;
  const fs::path path = dir / "shard.json";
  WriteFileAtomically(path, json.dump(2) + "\n");
}

namespace {

// Field readers that name the file and the field; every type is checked before use.
struct Reader {
  const std::string& source;
  [[noreturn]] void Fail(const std::string& field, const std::string& what) const {
    throw InputError(source + ": " + field + ": " + what);
  }
  const nlohmann::json& At(const nlohmann::json& o, const char* key) const {
    const auto it = o.find(key);
    if (it == o.end()) Fail(key, "missing");
    return *it;
  }
  std::string String(const nlohmann::json& o, const char* key) const {
    const nlohmann::json& v = At(o, key);
    if (!v.is_string()) Fail(key, "expected a string");
    return v.get<std::string>();
  }
  long long Integer(const nlohmann::json& o, const char* key, long long lo, long long hi) const {
    const nlohmann::json& v = At(o, key);
    if (!v.is_number_integer()) Fail(key, "expected an integer");
    const long long x = v.get<long long>();
    if (x < lo || x > hi) {
      Fail(key, "expected " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                    std::to_string(x));
    }
    return x;
  }
};

}  // namespace

std::optional<ShardMarker> ReadShardMarker(const fs::path& dir) {
  const fs::path path = dir / "shard.json";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  const std::string source = path.string();
  std::ifstream in(path, std::ios::binary);
  MD_THROW_UNLESS(in.good(), source + ": cannot read");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  const Reader r{source};
  if (!json.is_object()) r.Fail("(top level)", "expected an object");
  if (r.String(json, "schema") != kShardSchema) {
    r.Fail("schema", std::string("expected \"") + kShardSchema + "\"");
  }
  constexpr long long kMaxShards = 1000000;
  ShardMarker m;
  m.count = static_cast<int>(r.Integer(json, "count", 1, kMaxShards));
  m.index = static_cast<int>(r.Integer(json, "index", 1, m.count));
  m.suite = r.String(json, "suite");
  m.suite_file = r.String(json, "suite_file");
  m.suite_file_hash = r.String(json, "suite_file_hash");
  const nlohmann::json& runs = r.At(json, "runs");
  if (!runs.is_array()) r.Fail("runs", "expected an array");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string field = "runs[" + std::to_string(i) + "]";
    const Reader item{source};
    if (!runs[i].is_object()) r.Fail(field, "expected an object");
    try {
      m.runs.push_back({item.String(runs[i], "id"),
                        static_cast<std::size_t>(item.Integer(runs[i], "index", 0, 1LL << 40)),
                        item.String(runs[i], "status")});
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()).insert(source.size() + 2, field + "."));
    }
  }
  const nlohmann::json& statuses = r.At(json, "statuses");
  if (!statuses.is_object()) r.Fail("statuses", "expected an object");
  for (const auto& [status, n] : statuses.items()) {
    if (!n.is_number_integer() || n.get<long long>() < 0) {
      r.Fail("statuses." + status, "expected a count >= 0");
    }
    m.statuses[status] = n.get<int>();
  }
  const nlohmann::json& wall = r.At(json, "wall_time_s");
  if (!wall.is_number() || !(wall.get<double>() >= 0)) {
    r.Fail("wall_time_s", "expected seconds >= 0");
  }
  m.wall_time_s = wall.get<double>();
  return m;
}

}  // namespace marsdrive::scenarios

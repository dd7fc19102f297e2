#pragma once
// A shard's completion marker, OUT/shard.json (schema marsdrive/shard/1): written by
// `marsdrive suite --shard I/N` when every run of its slice has a record (ok, failed or
// skipped), removed when a shard (re)starts. `merge --expect-shards N`, `submit --resubmit`
// and `status` read it (docs/cluster.md).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace marsdrive::scenarios {

inline constexpr const char* kShardSchema = "marsdrive/shard/1";

struct ShardRun {
  std::string id;
  std::size_t index = 0;  // position in the whole suite's run order
  std::string status;     // "ok", "failed", "skipped"
};

struct ShardMarker {
  int index = 1;                // I of --shard I/N (1-based; the Slurm array index is I - 1)
  int count = 1;                // N
  std::string suite;            // suite name
  std::string suite_file;       // absolute
  std::string suite_file_hash;  // SuiteFileHash(suite_file) when the shard ran
  std::vector<ShardRun> runs;   // every run of the slice, in suite order
  std::map<std::string, int> statuses;  // status -> number of runs
  double wall_time_s = 0;               // this invocation of the shard, measured
};

// FNV-1a 64 of the suite file's bytes, 16 hex digits. Throws InputError if unreadable.
std::string SuiteFileHash(const std::filesystem::path& suite_file);

// dir/shard.json, atomically (temporary name, then rename).
void WriteShardMarker(const std::filesystem::path& dir, const ShardMarker& marker);

// dir/shard.json; nullopt when there is none. Throws InputError naming the file and field
// when it is there but malformed.
std::optional<ShardMarker> ReadShardMarker(const std::filesystem::path& dir);

}  // namespace marsdrive::scenarios

#include "scenarios/terrain_cache.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "base/check.h"
#include "base/content_hash.h"
#include "io/text_file.h"
#include "terrain/orbital.h"
#include "terrain/truth/dem_import.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_dir.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

namespace {

std::string FileHash(const std::string& path, const std::string& source) {
  const auto hash = HashFileContents(path);
  MD_THROW_UNLESS(hash.has_value(), source + ": cannot read " + path);
  return *hash;
}

nlohmann::json RocksJson(const std::vector<terrain::Rock>& rocks) {
  nlohmann::json list = nlohmann::json::array();
  for (const terrain::Rock& r : rocks) {
    list.push_back({{"x", r.x_m},
                    {"y", r.y_m},
                    {"diameter_m", r.diameter_m},
                    {"height_m", r.height_m},
                    {"shape_seed", r.shape_seed}});
  }
  return list;
}

// Holds an exclusive lock on a file for its lifetime: a POSIX record lock (fcntl), which NFS
// carries between hosts (NLM on v3, in the protocol on v4), where a BSD flock may be local to
// one client. The kernel drops it when the holder dies, so a crashed builder blocks no one.
// Record locks belong to the process, not the descriptor, so threads of one process take a
// mutex per lock file first.
std::mutex& ProcessMutex(const fs::path& path) {
  static std::mutex guard;
  static std::map<std::string, std::unique_ptr<std::mutex>> mutexes;
  const std::lock_guard<std::mutex> hold(guard);
  std::unique_ptr<std::mutex>& m = mutexes[path.string()];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

class FileLock {
 public:
  explicit FileLock(const fs::path& path)
      : in_process_(ProcessMutex(path)), fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
    MD_THROW_UNLESS(fd_ >= 0, path.string() + ": cannot create the terrain cache lock");
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file
    while (::fcntl(fd_, F_SETLKW, &lock) != 0) {
      if (errno != EINTR) {
        const int error = errno;
        ::close(fd_);
        throw InputError(path.string() + ": cannot lock (" + std::strerror(error) + ")");
      }
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  FileLock(FileLock&&) = delete;
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() { ::close(fd_); }  // closing releases the lock

 private:
  std::unique_lock<std::mutex> in_process_;
  int fd_;
};

terrain::TerrainTruth BuildTruth(const TerrainRequest& request, const fs::path& rocks_file) {
  const TerrainSpec& t = request.spec;
  if (t.IsDem()) {
    terrain::ImportRequest import;
    import.file = t.dem;
    if (t.window)
      import.window =
          terrain::CropWindow{(*t.window)[0], (*t.window)[1], (*t.window)[2], (*t.window)[3]};
    import.resolution_m = t.dem_resolution_m;
    import.fill_nodata = t.fill_nodata;
    import.rocks_k = t.rocks_k;
    import.seed = request.detail_seed.value_or(request.seed);
    return terrain::ImportDem(import);
  }
  terrain::GenerateRequest generate;
  generate.preset = t.preset;
  generate.params = t.params;
  generate.seed = request.seed;
  generate.size_x_m = t.size_x_m;
  generate.size_y_m = t.size_y_m;
  generate.resolution_m = t.resolution_m;
  if (request.detail_seed) generate.params.Set("detail_seed", std::to_string(*request.detail_seed));
  if (!t.rocks_file.empty()) generate.params.Set("rocks", t.rocks_file);
  if (!t.rocks.empty()) generate.params.Set("rocks", rocks_file.string());
  return terrain::GenerateTerrain(generate);
}

// Removes every rock that reaches into one of the discs.
void ClearDiscs(const std::vector<std::array<double, 3>>& discs, terrain::TerrainTruth& truth) {
  std::erase_if(truth.rocks, [&discs](const terrain::Rock& rock) {
    for (const auto& [x, y, radius] : discs) {
      if (std::hypot(rock.x_m - x, rock.y_m - y) < radius + 0.5 * rock.diameter_m) return true;
    }
    return false;
  });
}

}  // namespace

std::optional<fs::path> CacheRootFromEnvironment() {
  for (const char* name : {"MARSDRIVE_CACHE_DIR", "MARSDRIVE_CACHE"}) {
    if (const char* dir = std::getenv(name); dir != nullptr && *dir != 0) return fs::path(dir);
  }
  return std::nullopt;
}

fs::path DefaultTerrainCache(const fs::path& fallback) {
  if (const std::optional<fs::path> root = CacheRootFromEnvironment()) return *root / "terrain";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != 0) {
    return fs::path(xdg) / "marsdrive" / "terrain";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != 0) {
    return fs::path(home) / ".cache" / "marsdrive" / "terrain";
  }
  return fallback;
}

std::string TerrainKey(const TerrainRequest& request) {
  const TerrainSpec& t = request.spec;
  nlohmann::json key;  // std::map-backed: keys sorted, so the text is canonical
  key["cache_version"] = kTerrainCacheVersion;
  key["seed"] = request.seed;
  key["detail_seed"] = request.detail_seed ? nlohmann::json(*request.detail_seed) : nullptr;
  key["clear_discs"] = request.clear_discs;
  if (t.IsDem()) {
    key["dem"] = FileHash(t.dem, "terrain.dem");
    key["window"] = t.window ? nlohmann::json(*t.window) : nullptr;
    key["resolution_m"] = t.dem_resolution_m ? nlohmann::json(*t.dem_resolution_m) : nullptr;
    key["rocks_k"] = t.rocks_k ? nlohmann::json(*t.rocks_k) : nullptr;
    key["fill_nodata"] = t.fill_nodata;
  } else {
    key["preset"] = t.preset;
    key["size_m"] = {t.size_x_m, t.size_y_m};
    key["resolution_m"] = t.resolution_m;
    key["params"] = t.params.values();
    key["rocks"] = RocksJson(t.rocks);
    key["rocks_file"] = t.rocks_file.empty() ? "" : FileHash(t.rocks_file, "terrain.rocks");
  }
  return Fnv1a64().Update(key.dump()).Hex();
}

fs::path EnsureTerrain(const TerrainRequest& request, const fs::path& cache_root,
                       const std::string& source) {
  std::error_code ec;
  fs::create_directories(cache_root, ec);
  MD_THROW_UNLESS(fs::is_directory(cache_root, ec),
                  cache_root.string() + ": cannot create the terrain cache directory");
  const std::string key = TerrainKey(request);
  const fs::path dir = cache_root / key;
  if (fs::exists(dir / "terrain.json", ec)) return dir;

  const FileLock lock(cache_root / (key + ".lock"));
  if (fs::exists(dir / "terrain.json", ec)) return dir;  // built while we waited
  const fs::path rocks_file = cache_root / (key + ".rocks.json");
  if (!request.spec.rocks.empty()) {
    WriteTextFile(rocks_file, RocksJson(request.spec.rocks).dump() + "\n");
  }
  try {
    terrain::TerrainTruth truth = BuildTruth(request, rocks_file);
    ClearDiscs(request.clear_discs, truth);
    terrain::WriteTerrainDir(dir, truth, terrain::MakeOrbitalProducts(truth, {}));
  } catch (const InputError& e) {
    throw InputError(source + ": terrain: " + e.what());
  }
  return dir;
}

}  // namespace marsdrive::scenarios

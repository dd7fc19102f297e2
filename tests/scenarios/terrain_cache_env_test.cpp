// Where the terrain cache lives: $MARSDRIVE_CACHE_DIR and $MARSDRIVE_CACHE name one folder (the
// first for `suite` and `run`, the second as `submit` documents it), the first winning.
#include <cstdlib>
#include <optional>

#include <gtest/gtest.h>

#include "scenarios/terrain_cache.h"

namespace marsdrive::scenarios {
namespace {

namespace fs = std::filesystem;

// Sets (or, with nullptr, clears) one variable for the test's duration.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(TerrainCacheEnv, EitherNameSetsTheCacheRootAndCacheDirWins) {
  {
    const ScopedEnv a("MARSDRIVE_CACHE_DIR", nullptr), b("MARSDRIVE_CACHE", "/shared/c");
    EXPECT_EQ(CacheRootFromEnvironment(), fs::path("/shared/c"));
    EXPECT_EQ(DefaultTerrainCache("/fallback"), fs::path("/shared/c/terrain"));
  }
  {
    const ScopedEnv a("MARSDRIVE_CACHE_DIR", "/local/c"), b("MARSDRIVE_CACHE", "/shared/c");
    EXPECT_EQ(DefaultTerrainCache("/fallback"), fs::path("/local/c/terrain"));
  }
  {
    const ScopedEnv a("MARSDRIVE_CACHE_DIR", ""), b("MARSDRIVE_CACHE", nullptr);
    const ScopedEnv c("XDG_CACHE_HOME", nullptr), d("HOME", nullptr);
    EXPECT_EQ(CacheRootFromEnvironment(), std::nullopt);
    EXPECT_EQ(DefaultTerrainCache("/fallback"), fs::path("/fallback"));
  }
}

}  // namespace
}  // namespace marsdrive::scenarios

// Names that become directory names: the pattern accepts every bundled name and refuses every
// way a name could become a path, a hidden file or terminal garbage.

#include "base/name.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

TEST(SafeName, AcceptsOrdinaryNames) {
  for (const char* name : {"quick-boulders", "rim-ledges-01", "astar", "rrtstar", "astar-16",
                           "vlm_sonnet+critique", "a", "v1.2", "A..b"}) {
    EXPECT_TRUE(IsSafeName(name)) << name;
  }
  EXPECT_TRUE(IsSafeName(std::string(kNameMaxBytes, 'a')));  // the longest allowed
}

TEST(SafeName, RefusesPathsAndOddBytes) {
  for (const std::string& name : std::vector<std::string>{
           "", ".", "..", ".hidden", "-rf", "_x", "a/b", "../x", "a\\b", "a b", "a\tb", "a\nb",
           std::string("a\0b", 3), "a\x1b[31m", "caf\xc3\xa9", "a\xff", "a:b", "a*", "~a"}) {
    EXPECT_FALSE(IsSafeName(name)) << name;
  }
  EXPECT_FALSE(IsSafeName(std::string(kNameMaxBytes + 1, 'a')));
}

}  // namespace
}  // namespace marsdrive::base

#include "base/memory_budget.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

using ::testing::HasSubstr;

TEST(ParseByteSize, AcceptsUnitsRefusesNonsense) {
  EXPECT_EQ(ParseByteSize("4G"), std::uint64_t{4} << 30);
  EXPECT_EQ(ParseByteSize("512M"), std::uint64_t{512} << 20);
  EXPECT_EQ(ParseByteSize("2.5GiB"), std::uint64_t{5} << 29);
  EXPECT_EQ(ParseByteSize("1e9"), std::uint64_t{1000000000});
  EXPECT_EQ(ParseByteSize("64kb"), std::uint64_t{64} << 10);
  for (const char* bad : {"", "0", "-1G", "G", "4X", "nan", "inf", "1e30"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseByteSize(bad).has_value());
  }
}

TEST(FormatBytes, PicksAReadableUnit) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1.5 * (1 << 20)), "1.5 MiB");
  EXPECT_EQ(FormatBytes(3.7 * (1 << 30)), "3.7 GiB");
}

TEST(CheckMemoryEstimate, RefusesAboveTheCapNamingRequestAndEstimate) {
  SetMaxMemoryBytes(std::uint64_t{1} << 20);                                  // 1 MiB
  EXPECT_EQ(CheckMemoryEstimate("a small request", 512 * 1024, "hint"), "");  // control
  const std::string why = CheckMemoryEstimate("terrain of 9 cells", 4.0 * (1 << 20), "smaller");
  EXPECT_THAT(why, HasSubstr("terrain of 9 cells needs about 4 MiB (estimate)"));
  EXPECT_THAT(why, HasSubstr("1 MiB allowed by the memory cap (--max-memory"));
  EXPECT_THAT(why, HasSubstr("; smaller"));
  SetMaxMemoryBytes(0);  // back to the default
  EXPECT_EQ(MaxMemoryBytes(), kDefaultMaxMemoryBytes);
}

TEST(CheckMemoryEstimate, NothingFitsAnEstimateBeyondTheMachine) {
  // More than any cap, address space or machine: refused whatever limit applies first.
  EXPECT_THAT(CheckMemoryEstimate("a huge request", 1e20, ""), HasSubstr("needs about"));
  EXPECT_GT(CurrentMemoryAllowance().bytes, 0);
}

}  // namespace
}  // namespace marsdrive::base

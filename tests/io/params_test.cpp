// ParamMap: `--param key=value` parsing and typed access with errors that name the parameter.
#include "io/params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/util/input_error.h"

namespace marsdrive {
namespace {

using ::testing::HasSubstr;

using marsdrive::testing::ErrorOf;

TEST(ParamMap, ParsesKeyValuesAndTypedValues) {
  const ParamMap params = ParamMap::Parse({"angle_deg=12.5", "soil=sand", "count=3"}, "--param");
  EXPECT_DOUBLE_EQ(params.GetDouble("angle_deg", 0, 0, 90), 12.5);
  EXPECT_EQ(params.GetString("soil", "regolith"), "sand");
  EXPECT_EQ(params.GetInt("count", 0, 0, 10), 3);
  EXPECT_DOUBLE_EQ(params.GetDouble("absent", 7.0, 0, 10), 7.0);
}

TEST(ParamMap, RejectsMalformedEntries) {
  EXPECT_THAT(ErrorOf([] { ParamMap::Parse({"angle_deg"}, "--param"); }),
              HasSubstr("--param 'angle_deg': expected key=value"));
  EXPECT_THAT(ErrorOf([] { ParamMap::Parse({"=3"}, "--param"); }), HasSubstr("key=value"));
}

TEST(ParamMap, NamesTheParameterAndExpectationOnBadValues) {
  const ParamMap params = ParamMap::Parse({"a=abc", "b=nan", "c=95", "d=2.5", "e=1e999"}, "p");
  EXPECT_THAT(ErrorOf([&] { params.GetDouble("a", 0, 0, 90); }),
              HasSubstr("parameter a: expected a finite number, got 'abc'"));
  EXPECT_THAT(ErrorOf([&] { params.GetDouble("b", 0, 0, 90); }), HasSubstr("parameter b"));
  EXPECT_THAT(ErrorOf([&] { params.GetDouble("c", 0, 0, 90); }), HasSubstr("in [0, 90], got 95"));
  EXPECT_THAT(ErrorOf([&] { params.GetInt("d", 0, 0, 9); }), HasSubstr("expected an integer"));
  EXPECT_THAT(ErrorOf([&] { params.GetDouble("e", 0, 0, 90); }), HasSubstr("parameter e"));
}

TEST(ParamMap, RequireOnlyNamesTheUnknownKeyAndTheAllowedOnes) {
  const ParamMap params = ParamMap::Parse({"angle_deg=10", "angel=3"}, "--param");
  EXPECT_THAT(
      ErrorOf([&] {
        params.RequireOnly({"angle_deg", "soil"}, "preset slope");
      }),
      HasSubstr("preset slope: unknown parameter 'angel' (expected one of: angle_deg, soil)"));
  EXPECT_EQ(ErrorOf([&] { params.RequireOnly({"angle_deg", "angel"}, "x"); }), "(no error)");
}

}  // namespace
}  // namespace marsdrive

// The mobility reference CSV (scenarios/mobility_reference.h): the bundled file loads and
// carries a source per row; broken files fail naming file, line and column.
#include "scenarios/mobility_reference.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;

const std::string kHeader =
    "group,soil,x,x_unit,quantity,check,name,lo,hi,value,source,confidence\n";

std::string ErrorOf(const std::string& text) {
  try {
    ParseMobilityReference(text, "ref.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MobilityReference, BundledFileHasSourcesAndTheIssueTable) {
  const MobilityReference ref = LoadMobilityReference(BundledMobilityReferencePath());
  ASSERT_GT(ref.rows.size(), 30u);
  int viper = 0, envelope = 0;
  for (const ReferenceRow& r : ref.rows) {
    SCOPED_TRACE(r.line);
    EXPECT_FALSE(r.source.empty());
    if (r.name.rfind("viper-", 0) == 0) ++viper;
    if (r.group == "slip_uphill" && r.name == "envelope") ++envelope;
  }
  EXPECT_EQ(viper, 13);    // 2021: 6 slopes, 2022: 7 slopes
  EXPECT_EQ(envelope, 5);  // sand at 0, 5, 10, 15, 20 deg
}

TEST(MobilityReference, ParsesQuotedFieldsOpenEndsAndAnyColumnOrder) {
  const MobilityReference ref = ParseMobilityReference(
      "source,group,soil,x,x_unit,quantity,check,name,lo,hi,value,confidence\r\n"
      "\"Smith, \"\"Sand\"\", p. 3\",slip_uphill,sand,10,deg,slip_pct,range,env,4,,,M\r\n",
      "ref.csv");
  ASSERT_EQ(ref.rows.size(), 1u);
  const ReferenceRow& r = ref.rows[0];
  EXPECT_EQ(r.source, "Smith, \"Sand\", p. 3");
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.check, ReferenceCheck::kRange);
  EXPECT_DOUBLE_EQ(*r.x, 10);
  EXPECT_DOUBLE_EQ(*r.lo, 4);
  EXPECT_FALSE(r.hi.has_value());
}

TEST(MobilityReference, BrokenFilesNameFileLineAndColumn) {
  const std::string good = "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,Paper p. 1,M\n";
  // Control: the good row parses.
  EXPECT_EQ(ErrorOf(kHeader + good), "(no error)");
  EXPECT_THAT(ErrorOf(kHeader + good + "slip_uphill,sand,ten,deg,slip_pct,range,env,4,30,,P,M\n"),
              HasSubstr("ref.csv:3: column 'x': expected a number or nothing, got 'ten'"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,mud,10,deg,slip_pct,range,env,4,30,,P,M\n"),
              HasSubstr("ref.csv:2: column 'soil': expected sand | regolith | bedrock | any"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,,M\n"),
              HasSubstr("ref.csv:2: column 'source'"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,range,env,40,30,,P,M\n"),
              HasSubstr("ref.csv:2: column 'hi': expected a number >= lo"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,range,env,,,,P,M\n"),
              HasSubstr("ref.csv:2: column 'hi': expected lo or hi"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,point,p,,,,P,M\n"),
              HasSubstr("ref.csv:2: column 'value'"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,exact,env,4,30,,P,M\n"),
              HasSubstr("ref.csv:2: column 'check': expected range | range_or_not_climbed"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,P\n"),
              HasSubstr("ref.csv:2: expected 12 fields"));
  EXPECT_THAT(ErrorOf(kHeader + "slip_uphill,sand,10,deg,slip_pct,range,env,4,30,,\"P,M\n"),
              HasSubstr("ref.csv:2: unterminated quoted field"));
  EXPECT_THAT(ErrorOf("group,soil,x\n"),
              HasSubstr("ref.csv:1: header: expected a column 'x_unit'"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("ref.csv: expected a header line"));
}

TEST(MobilityReference, MissingFileIsAnInputErrorNamingIt) {
  try {
    LoadMobilityReference("/nonexistent/ref.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/ref.csv"));
  }
}

}  // namespace
}  // namespace marsdrive::scenarios

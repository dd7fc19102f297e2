// JUnit XML: a suite's and a comparison's validate against Jenkins' junit-10.xsd (xmllint),
// text is escaped whatever it holds, runs over limits fail, and equal results give equal bytes.

#include "scenarios/junit.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/compare.h"
#include "tests/scenarios/results_test_util.h"
#include "tests/util/command.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunSpec;

const std::string kSchema = std::string(MARSDRIVE_SOURCE_DIR) + "/tests/data/junit-10.xsd";

bool HaveXmllint() { return testing::RunCommand("command -v xmllint").exit_code == 0; }

// xmllint's verdict on `xml` against the schema: "" when valid, else what it printed.
std::string SchemaErrors(const std::string& xml, const std::string& tag) {
  testing::TempDir tmp("junit-" + tag);
  WriteTextFile(tmp / "junit.xml", xml);
  const testing::CommandResult r = testing::RunCommand("xmllint --noout --schema '" + kSchema +
                                                       "' '" + (tmp / "junit.xml").string() + "'");
  return r.exit_code == 0 ? "" : r.err + r.out;
}

std::vector<RunSpec> MixedSpecs() {
  std::vector<RunSpec> specs(5);
  specs[0].seed = 1;  // clean: passes
  specs[1].seed = 2;  // over the tilt limit and short of the goal
  specs[1].hazards[2] = 2;
  specs[1].goal_reached = false;
  specs[1].progress_m = 20;
  specs[2].seed = 3;  // failed, with a reason full of characters XML must escape
  specs[2].status = RunStatus::kFailed;
  specs[2].failure = "error";
  specs[2].reason = "threw <std::runtime_error> \"a & b\" 'c'\x01\x1f bad utf-8 \xff\xfe end";
  specs[3].seed = 4;  // skipped
  specs[3].status = RunStatus::kSkipped;
  specs[3].reason = "shard 2/2";
  specs[4].planner = "scripted & co <naive>";
  return specs;
}

TEST(Junit, SuiteXmlValidatesAgainstTheSchema) {
  if (!HaveXmllint()) GTEST_SKIP() << "xmllint not installed (apt-get install libxml2-utils)";
  const std::string xml = SuiteJunitXml(testing::MakeResults(MixedSpecs()));
  EXPECT_EQ(SchemaErrors(xml, "suite"), "") << xml;
  // Control: the validator does reject a document the schema forbids (no tests attribute).
  std::string broken = xml;
  const std::size_t at = broken.find("<testsuite name=");
  broken.replace(at, 16, "<testsuite nme=");
  EXPECT_NE(SchemaErrors(broken, "broken"), "");
}

TEST(Junit, CountsAndMarksFailuresAndSkips) {
  const std::string xml = SuiteJunitXml(testing::MakeResults(MixedSpecs()));
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"test-suite\" tests=\"5\" failures=\"2\""));
  EXPECT_THAT(xml, HasSubstr("tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"shard 2/2\">"));
  EXPECT_THAT(xml, HasSubstr("type=\"goal_not_reached\""));
  EXPECT_THAT(xml, HasSubstr("tilt above the limit (2 events"));
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"ledge/seed-1\" classname=\"test-suite.astar\">"));
}

TEST(Junit, EscapesEverythingItWrites) {
  const std::string xml = SuiteJunitXml(testing::MakeResults(MixedSpecs()));
  EXPECT_THAT(xml, HasSubstr("threw &lt;std::runtime_error&gt; &quot;a &amp; b&quot;"));
  EXPECT_THAT(xml, HasSubstr("scripted &amp; co &lt;naive&gt;"));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
  EXPECT_THAT(xml, Not(HasSubstr("\xff")));
  EXPECT_THAT(xml, HasSubstr("\xef\xbf\xbd"));  // U+FFFD stands for what XML cannot hold
}

TEST(Junit, FailureReasonsOfOneRun) {
  RunSpec clean;
  EXPECT_EQ(JunitFailure(testing::MakeRecord(clean)), "");
  RunSpec slip = clean;
  slip.hazards[4] = 1;  // keep_out
  RunRecord record = testing::MakeRecord(slip);
  record.metrics["slip"]["distance_over_limit_m"] = 3.5;
  const std::string why = JunitFailure(record);
  EXPECT_THAT(why, HasSubstr("slip above the limit 0.40 for 3.50 m"));
  EXPECT_THAT(why, HasSubstr("entered a keep-out"));
  RunSpec rock = clean;
  rock.hazards[1] = 3;  // wheel_on_rock alone is not over a limit the header names
  EXPECT_EQ(JunitFailure(testing::MakeRecord(rock)), "");
}

TEST(Junit, EqualResultsGiveEqualBytes) {
  const std::string a = SuiteJunitXml(testing::MakeResults(MixedSpecs()));
  SuiteResults other = testing::MakeResults(MixedSpecs());
  for (RunEntry& e : other.runs) e.record.wall_time_s = 123.4;  // measured: not in the XML
  EXPECT_EQ(a, SuiteJunitXml(other));
  other.runs[0].record.score = 0.5;  // control: a real change shows
  EXPECT_NE(a, SuiteJunitXml(other));
}

TEST(Junit, ComparisonVerdictValidatesAgainstTheSchema) {
  if (!HaveXmllint()) GTEST_SKIP() << "xmllint not installed (apt-get install libxml2-utils)";
  std::vector<RunSpec> base(4), cand(4);
  for (std::size_t i = 0; i < 4; ++i) {
    base[i].seed = cand[i].seed = i + 1;
    cand[i].score = base[i].score - 0.1 - 0.01 * static_cast<double>(i);
  }
  cand[1].hazards[0] = 1;  // a new body contact
  const Comparison c = Compare(testing::MakeResults(base), testing::MakeResults(cand), {},
                               "base <1>.json", "cand & 2.json");
  ASSERT_TRUE(c.Regressed());
  const std::string xml = ComparisonJunitXml(c);
  EXPECT_EQ(SchemaErrors(xml, "compare"), "") << xml;
  EXPECT_THAT(xml, HasSubstr("tests=\"4\" failures=\"2\""));  // astar score, new hazard kinds
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"astar score\" classname=\"compare.score\">"));
  EXPECT_THAT(xml, HasSubstr("value=\"cand &amp; 2.json\""));
  // Control: an identical candidate passes every case.
  const std::string same =
      ComparisonJunitXml(Compare(testing::MakeResults(base), testing::MakeResults(base), {}));
  EXPECT_THAT(same, HasSubstr("failures=\"0\""));
  EXPECT_THAT(same, Not(HasSubstr("<failure")));
  EXPECT_EQ(SchemaErrors(same, "same"), "");
}

}  // namespace
}  // namespace marsdrive::scenarios

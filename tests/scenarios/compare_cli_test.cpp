// `marsdrive compare`: exit 0 for an identical or noise-sized candidate, 1 for a doctored one
// (naming what regressed), 2 for bad input (naming the file and field); --junit writes the
// verdict.

#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/text_file.h"
#include "planners/plan_json.h"
#include "tests/scenarios/results_test_util.h"
#include "tests/util/command.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::RunSpec;
using testing::TempDir;

// 2 planners x 2 scenarios x 4 seeds.
std::vector<RunSpec> Specs() {
  std::vector<RunSpec> specs;
  for (const char* planner : {"astar", "scripted"}) {
    for (const char* scenario : {"ledge", "dune"}) {
      for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        RunSpec s;
        s.planner = planner, s.scenario = scenario, s.seed = seed;
        s.score = 0.6 + 0.05 * static_cast<double>(seed % 3);
        specs.push_back(s);
      }
    }
  }
  return specs;
}

class CompareCli : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::vector<RunSpec>& specs) {
    testing::WriteResultsJson(tmp_ / name, testing::MakeResults(specs));
    return (tmp_ / name).string();
  }
  std::string WriteText(const std::string& name, const std::string& text) {
    WriteTextFile(tmp_ / name, text);
    return (tmp_ / name).string();
  }
  TempDir tmp_{"compare-cli"};
};

TEST_F(CompareCli, IdenticalCandidatePasses) {
  const std::string base = Write("base.json", Specs());
  const auto r = Marsdrive("compare " + base + " " + base);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("no regressions"));
  EXPECT_THAT(r.out, HasSubstr("ledge/astar/seed-1"));  // the table of pairs
}

TEST_F(CompareCli, NoiseWithinTolerancePasses) {
  std::vector<RunSpec> noisy = Specs();
  for (std::size_t i = 0; i < noisy.size(); ++i) {
    noisy[i].score += 0.012 * std::sin(2.3 * static_cast<double>(i));
  }
  const auto r =
      Marsdrive("compare " + Write("base.json", Specs()) + " " + Write("noisy.json", noisy));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CompareCli, DoctoredCandidateFailsNamingWhatRegressed) {
  std::vector<RunSpec> doctored = Specs();
  for (RunSpec& s : doctored) {
    if (s.planner == "scripted" && s.scenario == "dune") s.score -= 0.2;  // all seeds
  }
  doctored[1].hazards[2] = 1;               // ledge/astar/seed-2: tilt
  doctored[6].status = RunStatus::kFailed;  // dune/astar/seed-3
  doctored[6].failure = "timeout";
  doctored[6].reason = "over the run time limit";
  doctored[6].score = 0;
  const std::string base = Write("base.json", Specs());
  const std::string cand = Write("cand.json", doctored);
  const std::string junit = (tmp_ / "verdict.xml").string();
  const auto r = Marsdrive("compare " + base + " " + cand + " --junit " + junit);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("score drop: scripted"));
  EXPECT_THAT(r.out, HasSubstr("new hazard kind: ledge/astar/seed-2: tilt"));
  EXPECT_THAT(r.out, HasSubstr("new failure: dune/astar/seed-3"));
  const std::string xml = testing::ReadWholeFile(junit);
  EXPECT_THAT(xml, HasSubstr("<failure type=\"regression\""));
  // A looser tolerance lets the score drop through, but not the hazard or the failure.
  const auto loose = Marsdrive("compare " + base + " " + cand + " --tolerance 0.5");
  EXPECT_EQ(loose.exit_code, 1);
  EXPECT_THAT(loose.out, ::testing::Not(HasSubstr("score drop")));
}

TEST_F(CompareCli, BadInputExitsTwoNamingFileAndField) {
  const std::string base = Write("base.json", Specs());
  struct Case {
    std::string name, text, expect;
  };
  nlohmann::ordered_json wrong_seed = ResultsToJson(testing::MakeResults(Specs()));
  wrong_seed["runs"][2]["seed"] = "two";
  nlohmann::ordered_json bad_counts = ResultsToJson(testing::MakeResults(Specs()));
  bad_counts["runs"][5]["metrics"]["hazard_counts"]["tilt"] = -1;
  const std::vector<Case> cases = {
      {"not-json.json", "{\"schema\": ", "not-json.json: not valid JSON"},
      {"schema.json", R"({"schema": "marsdrive/results/0", "runs": []})",
       "schema.json: schema: expected \"marsdrive/results/1\""},
      {"seed.json", wrong_seed.dump(), "seed.json: runs[2]"},
      {"counts.json", bad_counts.dump(), "counts.json: runs[5].metrics.hazard_counts.tilt"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = Marsdrive("compare " + base + " " + WriteText(c.name, c.text));
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expect));
  }
  const auto missing = Marsdrive("compare " + base + " " + (tmp_ / "nowhere.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nowhere.json"));
  const auto tolerance = Marsdrive("compare " + base + " " + base + " --tolerance -0.1");
  EXPECT_EQ(tolerance.exit_code, 2);
  EXPECT_THAT(tolerance.err, HasSubstr("--tolerance"));
}

}  // namespace
}  // namespace marsdrive::scenarios

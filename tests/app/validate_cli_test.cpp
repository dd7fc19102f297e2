// End-to-end tests of `marsdrive validate mobility` (docs/validation.md): bad input exits 2
// naming what was wrong; the quick matrix writes the documented files and schema, its exit
// code agrees with the cases, and its validation.json does not depend on --jobs. The
// terramechanics model (issue 12) puts every quick case with a reference inside it: exit 0.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::ReadWholeFile;
using testing::TempDir;

class ValidateQuick : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir("validate-quick");
    result_ = new testing::CommandResult(
        Marsdrive("validate mobility --quick --jobs 2 --out " + (tmp_->path() / "a").string()));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete tmp_;
  }
  static fs::path Out() { return tmp_->path() / "a"; }
  static TempDir* tmp_;
  static testing::CommandResult* result_;
};
TempDir* ValidateQuick::tmp_ = nullptr;
testing::CommandResult* ValidateQuick::result_ = nullptr;

TEST_F(ValidateQuick, WritesTheDocumentedFilesSchemaAndEveryGroup) {
  ASSERT_EQ(result_->exit_code, 0) << result_->out << result_->err;
  for (const char* file : {"validation.json", "validation.md", "slip_vs_slope.png",
                           "cross_slope.png", "step_climb.png"}) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(fs::exists(Out() / file));
    EXPECT_GT(fs::file_size(Out() / file), 1000u);
  }
  EXPECT_EQ(ReadWholeFile(Out() / "slip_vs_slope.png").substr(1, 3), "PNG");
  const auto doc = nlohmann::json::parse(ReadWholeFile(Out() / "validation.json"));
  EXPECT_EQ(doc["schema"], "marsdrive/validation/1");
  EXPECT_EQ(doc["matrix"], "quick");
  ASSERT_TRUE(doc["cases"].is_array());
  std::string previous_id;
  int outside = 0;
  for (const auto& c : doc["cases"]) {
    SCOPED_TRACE(c.dump());
    const std::string id = c["id"].get<std::string>();
    EXPECT_LT(previous_id, id);  // sorted, unique
    previous_id = id;
    EXPECT_TRUE(c["group"].is_string());
    EXPECT_TRUE(c["soil"].is_string());
    EXPECT_TRUE(c["measured"].is_object());
    EXPECT_FALSE(c.contains("error"));
    if (c.contains("reference")) {
      EXPECT_TRUE(c["within"].is_boolean());
      EXPECT_FALSE(c["reference"]["source"].get<std::string>().empty());
      EXPECT_TRUE(c["reference"].contains("range") || c["reference"].contains("value"));
      if (!c["within"].get<bool>()) ++outside;
    } else {
      EXPECT_TRUE(c["within"].is_null());
    }
  }
  EXPECT_EQ(doc["counts"]["outside"], outside);
  EXPECT_EQ(result_->exit_code, outside > 0 ? 1 : 0);
  // Every group of the matrix is there, and the table carries the sources.
  std::set<std::string> groups;
  for (const auto& c : doc["cases"]) groups.insert(c["group"].get<std::string>());
  for (const char* g : {"slip_uphill", "slip_order", "cross_slope", "step", "step_ensemble", "rock",
                        "tip_over", "parking", "dt_convergence"}) {
    EXPECT_TRUE(groups.count(g)) << g;
  }
  const std::string md = ReadWholeFile(Out() / "validation.md");
  EXPECT_THAT(md, HasSubstr("| case | measured | reference | within | source |"));
  EXPECT_THAT(md, HasSubstr("NASA Glenn"));  // sources travel with the table
}

TEST_F(ValidateQuick, SameResultWithOneThread) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  const fs::path b = tmp_->path() / "b";
  const auto r = Marsdrive("validate mobility --quick --jobs 1 --out " + b.string());
  EXPECT_EQ(r.exit_code, result_->exit_code) << r.err;
  EXPECT_EQ(ReadWholeFile(b / "validation.json"), ReadWholeFile(Out() / "validation.json"));
  EXPECT_EQ(ReadWholeFile(b / "validation.md"), ReadWholeFile(Out() / "validation.md"));
}

TEST(ValidateCli, BadInputExitsTwoNamingIt) {
  TempDir tmp("validate-bad");
  auto r = Marsdrive("validate mobility --quick --jobs 0 --out " + (tmp / "o").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--jobs: expected a number of threads >= 1, got 0"));
  const fs::path csv = tmp / "ref.csv";
  std::ofstream(csv) << "group,soil,x,x_unit,quantity,check,name,lo,hi,value,source,confidence\n"
                        "slip_uphill,sand,ten,deg,slip_pct,range,env,4,30,,P,M\n";
  r = Marsdrive("validate mobility --quick --reference " + csv.string() + " --out " +
                (tmp / "o").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(csv.string() + ":2: column 'x'"));
  EXPECT_FALSE(fs::exists(tmp / "o" / "validation.json"));  // nothing ran
  r = Marsdrive("validate mobility --quick");               // --out is required
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--out"));
}

}  // namespace
}  // namespace marsdrive

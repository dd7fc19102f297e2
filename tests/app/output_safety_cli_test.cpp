// Names are data and outputs never go through links (issue 14), at the command line: a scenario
// name, planner label or seed list that would collapse or repeat run directories, a duplicate
// YAML key, a symbolic link or a file given as --out, and links planted inside an output
// directory are each refused with one line naming the file (or option) and field, exit 2, and
// the link's target is left untouched.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::HasSubstr;
using testing::Marsdrive;
using testing::ReadWholeFile;
using testing::TempDir;

class OutputSafetyCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("output-safety-cli");
    Write("short.yaml", Scenario("short"));
    Write("suite.yaml",
          "schema: marsdrive/suite/1\nname: tiny\nscenarios: [short.yaml]\nplanners: [{name: "
          "scripted}]\nseeds: [1]\n");
    fs::create_directories(Dir() / "victim");
    std::ofstream(Dir() / "victim" / "keep.txt") << "precious\n";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path Dir() { return dir_->path(); }
  static std::string Scenario(const std::string& name, const std::string& extra = "") {
    return "schema: marsdrive/scenario/1\nname: " + name +
           "\nseed: 5\nterrain: {preset: flat, size_m: [14, 8], resolution_m: 0.1}\nstart: {x: "
           "2.5, y: 4}\ngoal: {x: 6.5, y: 4, tolerance_m: 1}\nlimits: {time_s: 400}\n" +
           extra;
  }
  static fs::path Write(const std::string& name, const std::string& text) {
    std::ofstream(Dir() / name) << text;
    return Dir() / name;
  }
  static std::string Cache() { return " --terrain-cache " + (Dir() / "cache").string(); }
  // The victim directory still holds exactly its one file, unchanged.
  static void ExpectVictimUntouched() {
    EXPECT_EQ(ReadWholeFile(Dir() / "victim" / "keep.txt"), "precious\n");
    EXPECT_EQ(std::distance(fs::directory_iterator(Dir() / "victim"), fs::directory_iterator()), 1);
  }

 private:
  static TempDir* dir_;
};
TempDir* OutputSafetyCli::dir_ = nullptr;

void ExpectOneLineInputError(const CommandResult& r, const std::string& where,
                             const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(where));
  EXPECT_THAT(r.err, HasSubstr(what));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(OutputSafetyCli, ScenarioNameThatIsAPathIsRefused) {
  for (const std::string name : {"'..'", ".", ".hidden", "\"a\\e[2J\""}) {
    SCOPED_TRACE(name);
    const fs::path file = Write("bad-name.yaml", Scenario(name));
    ExpectOneLineInputError(Marsdrive("run " + file.string() + " --planner scripted --out " +
                                      (Dir() / "bad-name").string() + Cache()),
                            file.string() + ": name: ", "expected a name without slashes");
    EXPECT_FALSE(fs::exists(Dir() / "bad-name"));
  }
  // Control: the same file with an ordinary name runs.
  const fs::path good = Write("good-name.yaml", Scenario("short-2"));
  const auto r = Marsdrive("run " + good.string() + " --planner scripted --out " +
                           (Dir() / "good-name").string() + Cache());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(OutputSafetyCli, SuiteLabelsAndRepeatedSeedsAreRefused) {
  const std::string head =
      "schema: marsdrive/suite/1\nname: tiny\nscenarios: [short.yaml]\nplanners: ";
  const fs::path dots = Write("dots.yaml", head + "[{name: scripted, label: '..'}]\n");
  ExpectOneLineInputError(
      Marsdrive("suite " + dots.string() + " --out " + (Dir() / "dots-out").string() + Cache()),
      dots.string() + ": planners[0].label: ", "without slashes");
  const fs::path seeds = Write("seeds.yaml", head + "[{name: scripted}]\nseeds: [2, 2]\n");
  ExpectOneLineInputError(
      Marsdrive("suite " + seeds.string() + " --out " + (Dir() / "seeds-out").string() + Cache()),
      seeds.string() + ": seeds[1]: ", "seed 2 is listed twice");
  const auto label =
      Marsdrive("run " + (Dir() / "short.yaml").string() + " --planner scripted --label .. --out " +
                (Dir() / "label-out").string() + Cache());
  ExpectOneLineInputError(label, "--label: ", "without slashes");
}

TEST_F(OutputSafetyCli, DuplicateScenarioKeyIsRefused) {
  const fs::path file = Write("dup.yaml", Scenario("dup", "goal: {x: 12, y: 4}\n"));
  ExpectOneLineInputError(Marsdrive("run " + file.string() + " --planner scripted --out " +
                                    (Dir() / "dup-out").string() + Cache()),
                          file.string() + ": goal: ", "duplicate key (first at line 6)");
}

TEST_F(OutputSafetyCli, LinkOrFileAsOutIsRefused) {
  fs::create_directory_symlink(Dir() / "victim", Dir() / "link-out");
  std::ofstream(Dir() / "a-file") << "x\n";
  const std::string scenario = (Dir() / "short.yaml").string();
  for (const std::string& command : std::vector<std::string>{
           "run " + scenario + " --planner scripted" + Cache() + " --out ",
           "suite " + (Dir() / "suite.yaml").string() + Cache() + " --out ",
           "terrain generate --preset flat --size 10x10 --resolution 0.5 --out ",
           "validate mobility --quick --out "}) {
    SCOPED_TRACE(command);
    ExpectOneLineInputError(Marsdrive(command + (Dir() / "link-out").string()),
                            "--out " + (Dir() / "link-out").string(), "is a symbolic link");
    ExpectOneLineInputError(Marsdrive(command + (Dir() / "link-out").string() + "/"), "--out ",
                            "is a symbolic link");
    ExpectOneLineInputError(Marsdrive(command + (Dir() / "a-file").string()),
                            "--out " + (Dir() / "a-file").string(),
                            "exists and is not a directory");
  }
  ExpectVictimUntouched();
}

TEST_F(OutputSafetyCli, PlantedLinkInARunDirectoryIsNotWrittenThrough) {
  const fs::path out = Dir() / "planted-run";
  fs::create_directories(out);
  fs::create_symlink(Dir() / "victim" / "keep.txt", out / "plan.json");
  fs::create_symlink(Dir() / "victim" / "keep.txt", out / "run.json.partial");
  const auto r = Marsdrive("run " + (Dir() / "short.yaml").string() + " --planner scripted --out " +
                           out.string() + Cache());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out + r.err, HasSubstr("plan.json: is a symbolic link"));
  ExpectVictimUntouched();
}

TEST_F(OutputSafetyCli, PlantedRunsLinkMakesTheSuiteTouchNothing) {
  const fs::path out = Dir() / "planted-suite";
  fs::create_directories(out / "runs");
  fs::create_directory_symlink(Dir() / "victim", out / "runs" / "short");
  // The run directory the suite would delete and write, through the link.
  fs::create_directories(Dir() / "victim" / "scripted" / "seed-1");
  std::ofstream(Dir() / "victim" / "scripted" / "seed-1" / "keep.txt") << "precious\n";
  for (const char* resume : {"", " --resume"}) {
    SCOPED_TRACE(resume);
    ExpectOneLineInputError(Marsdrive("suite " + (Dir() / "suite.yaml").string() + resume +
                                      " --out " + out.string() + Cache()),
                            (out / "runs" / "short").string(), "is a symbolic link");
  }
  EXPECT_EQ(ReadWholeFile(Dir() / "victim" / "scripted" / "seed-1" / "keep.txt"), "precious\n");
  fs::remove_all(Dir() / "victim" / "scripted");
  ExpectVictimUntouched();
  // Control: without the link the same suite runs.
  fs::remove(out / "runs" / "short");
  const auto r =
      Marsdrive("suite " + (Dir() / "suite.yaml").string() + " --out " + out.string() + Cache());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace marsdrive

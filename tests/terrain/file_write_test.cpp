// Output files are never written through a symbolic link (terrain/file_write.h): a link planted
// at the output's name, or at the atomic write's temporary name, leaves its target untouched.

#include "terrain/file_write.h"

#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "terrain/check.h"
#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadWholeFile;
using testing::TempDir;

class FileWrite : public ::testing::Test {
 protected:
  void SetUp() override { WriteFileNoFollow(victim_, "precious\n"); }
  TempDir dir_{"file-write"};
  fs::path victim_ = dir_ / "victim.txt";
};

TEST_F(FileWrite, WritesAndReplacesPlainFiles) {
  WriteFileNoFollow(dir_ / "a.txt", "one");
  WriteFileNoFollow(dir_ / "a.txt", "two");
  EXPECT_EQ(ReadWholeFile(dir_ / "a.txt"), "two");
  WriteFileAtomically(dir_ / "b.json", "{}\n");
  WriteFileAtomically(dir_ / "b.json", "[]\n");
  EXPECT_EQ(ReadWholeFile(dir_ / "b.json"), "[]\n");
  EXPECT_FALSE(fs::exists(dir_ / "b.json.partial"));
}

TEST_F(FileWrite, RefusesALinkAtTheOutput) {
  fs::create_symlink(victim_, dir_ / "plan.json");
  try {
    WriteFileNoFollow(dir_ / "plan.json", "evil");
    ADD_FAILURE() << "wrote through the link";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("plan.json: is a symbolic link; refusing to write through"));
  }
  EXPECT_THROW(WriteFileAtomically(dir_ / "plan.json", "evil"), InputError);
  EXPECT_EQ(ReadWholeFile(victim_), "precious\n");
}

TEST_F(FileWrite, ALinkAtTheTemporaryNameIsRemovedNotFollowed) {
  fs::create_symlink(victim_, dir_ / "run.json.partial");
  WriteFileAtomically(dir_ / "run.json", "{\"ok\": true}\n");
  EXPECT_EQ(ReadWholeFile(dir_ / "run.json"), "{\"ok\": true}\n");
  EXPECT_EQ(ReadWholeFile(victim_), "precious\n");
  EXPECT_FALSE(fs::is_symlink(dir_ / "run.json"));
}

}  // namespace
}  // namespace marsdrive

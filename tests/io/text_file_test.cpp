// Whole-file IO: bounded reads name the file; writes are atomic and never follow a symlink.
#include "io/text_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/check.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class TextFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("marsdrive-text-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(TextFile, WritesThenReadsTheSameBytes) {
  const std::string bytes("a\0b\nc", 5);
  WriteTextFile(dir_ / "x.bin", bytes);
  EXPECT_EQ(ReadTextFile(dir_ / "x.bin"), bytes);
  WriteTextFile(dir_ / "x.bin", "shorter");
  EXPECT_EQ(ReadTextFile(dir_ / "x.bin"), "shorter");
  // Nothing but the file itself is left in the folder (no temporary).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(TextFile, RefusesALinkAtTheOutputAndLeavesItsTargetAlone) {
  const fs::path victim = dir_ / "victim.txt";
  WriteTextFile(victim, "precious");
  fs::create_symlink(victim, dir_ / "plan.json");
  try {
    WriteTextFile(dir_ / "plan.json", "evil");
    ADD_FAILURE() << "wrote through the link";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("plan.json: is a symbolic link; refusing to write through"));
  }
  EXPECT_EQ(Slurp(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(dir_ / "plan.json"));
}

TEST_F(TextFile, ALinkAtAnOldTemporaryNameIsNeverUsed) {
  // Older versions wrote through NAME.partial: a link planted there must not be followed.
  const fs::path victim = dir_ / "victim.txt";
  WriteTextFile(victim, "precious");
  fs::create_symlink(victim, dir_ / "run.json.partial");
  WriteTextFile(dir_ / "run.json", "{\"ok\": true}\n");
  EXPECT_EQ(Slurp(dir_ / "run.json"), "{\"ok\": true}\n");
  EXPECT_EQ(Slurp(victim), "precious");
}

TEST_F(TextFile, UnwritableTargetIsAnInputErrorNamingThePath) {
  const fs::path missing = dir_ / "no-such-dir" / "out.json";
  try {
    WriteTextFile(missing, "x");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(missing.string()));
  }
}

TEST_F(TextFile, BoundedReadRefusesLargeFilesAndDirectoriesByName) {
  WriteTextFile(dir_ / "big.txt", std::string(100, 'x'));
  try {
    ReadBoundedTextFile(dir_ / "big.txt", 99, "a small file");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("big.txt: 100 bytes; expected at most 99 (a small file)"));
  }
  EXPECT_THROW(ReadTextFile(dir_), InputError);
  EXPECT_EQ(ReadBoundedTextFile(dir_ / "big.txt", 100, "x").size(), 100u);
}

}  // namespace
}  // namespace marsdrive

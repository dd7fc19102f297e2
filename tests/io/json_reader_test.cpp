// The bounded JSON reader (terrain/json_reader.h): depth, size and number limits checked before
// any DOM is built, with the JSON path named; never recursion on the input's depth.

#include "io/json_reader.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "base/check.h"

namespace marsdrive {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Nested(std::size_t depth, const std::string& inner = "1") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

std::string ErrorOf(const std::string& text, const std::string& source = "in.json") {
  try {
    (void)ParseBoundedJson<JsonReader::Json>(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(BoundedJson, AcceptsNestingUpToTheLimit) {
  const auto doc = ParseBoundedJson<nlohmann::json>(Nested(kJsonMaxDepth), "in.json");
  EXPECT_TRUE(doc.is_array());
  EXPECT_EQ(CheckJsonLimits(Nested(kJsonMaxDepth)), "");
}

TEST(BoundedJson, RefusesNestingBeyondTheLimitNamingThePath) {
  // 64 levels of "[0]" (192 characters), shortened to its start and end.
  const std::string error = ErrorOf(Nested(kJsonMaxDepth + 1));
  EXPECT_THAT(error, ::testing::StartsWith("in.json: [0][0][0]"));
  EXPECT_THAT(error, HasSubstr("...[0][0]"));
  EXPECT_LT(error.size(), 260u);
  EXPECT_THAT(
      error, ::testing::EndsWith("[0]: nested deeper than 64 levels (lists and objects inside each "
                                 "other)"));
  // 65 objects inside each other: the path of the 65th, "a.a.(64 keys).a", short enough whole.
  std::string objects, path;
  for (std::size_t i = 0; i <= kJsonMaxDepth; ++i) objects += "{\"a\": ";
  objects += "1" + std::string(kJsonMaxDepth + 1, '}');
  for (std::size_t i = 0; i < kJsonMaxDepth; ++i) path += i == 0 ? "a" : ".a";
  EXPECT_EQ(
      ErrorOf(objects),
      "in.json: " + path + ": nested deeper than 64 levels (lists and objects inside each other)");
}

TEST(BoundedJson, RefusesTwoHundredThousandLevelsWithoutCrashing) {
  const std::string error = ErrorOf(Nested(200000));
  EXPECT_THAT(error, HasSubstr("nested deeper than 64 levels"));
  EXPECT_LT(error.size(), 400u);  // the path stops at the limit: no 200 KB message
  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(200000, '}');
  EXPECT_THAT(ErrorOf(objects), HasSubstr("a.a.a.a"));
  EXPECT_TRUE(ParseBoundedJsonOrDiscarded<nlohmann::json>(objects).is_discarded());
}

TEST(BoundedJson, RefusesNonFiniteNumbersNamingThePath) {
  EXPECT_THAT(ErrorOf("{\"goal\": {\"x\": 1, \"y\": 1e999}}"),
              HasSubstr("in.json: goal.y: expected a finite number, got \"1e999\""));
  EXPECT_THAT(ErrorOf("[1, 2, [3, -1e400]]"), HasSubstr("in.json: [2][1]: expected a finite"));
  EXPECT_EQ(ErrorOf("{\"goal\": {\"x\": 1, \"y\": 1e300}}"), "");  // control: large but finite
  // JSON has no NaN or Infinity literals: a syntax error, named as such.
  EXPECT_THAT(ErrorOf("[NaN]"), HasSubstr("in.json: not valid JSON"));
  EXPECT_THAT(ErrorOf("[Infinity]"), HasSubstr("in.json: not valid JSON"));
}

TEST(BoundedJson, RefusesDocumentsAboveTheSizeLimit) {
  const JsonLimits limits{.max_depth = kJsonMaxDepth, .max_bytes = 16};
  EXPECT_THAT(CheckJsonLimits("[1, 2, 3, 4, 5, 6, 7]", limits),
              HasSubstr("expected at most 16 bytes, got 21"));
  EXPECT_EQ(CheckJsonLimits("[1, 2, 3]", limits), "");
}

TEST(BoundedJson, SyntaxErrorsQuoteOnlyAShortEscapedExcerpt) {
  const std::string long_string = "[\"" + std::string(100000, 'x') + "\x1b[2J\xff";
  const std::string error = ErrorOf(long_string);
  EXPECT_THAT(error, HasSubstr("in.json: not valid JSON"));
  EXPECT_LT(error.size(), 400u);
  EXPECT_THAT(error, Not(HasSubstr("\x1b")));
  // A key with control characters is escaped when it appears in a path.
  EXPECT_THAT(ErrorOf("{\"a\\u001b[31m\": 1e999}"), HasSubstr("\"a\\x1b[31m\": expected a finite"));
}

TEST(BoundedJson, JsonReaderAndDescribeNeverEchoWholeValues) {
  const JsonReader r("p.json");
  std::string list = "1";
  for (int i = 1; i < 5000; ++i) list += ",1";
  const auto doc = r.Parse("{\"x\": [" + list + "], \"s\": \"" + std::string(5000, 'y') + "\"}");
  try {
    (void)r.Number(doc, "", "x");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "p.json: x: expected a number, got a list of 5000");
  }
  EXPECT_LT(DescribeJson(doc["s"]).size(), 50u);
  // A number too long to be a double is cut short in the message too.
  EXPECT_THAT(ErrorOf("[" + std::string(100000, '7') + "]"),
              HasSubstr("in.json: [0]: expected a finite number, got \"7777"));
  EXPECT_LT(ErrorOf("[" + std::string(100000, '7') + "]").size(), 200u);
}

TEST(BoundedTextFile, RefusesMissingDirectoriesAndFilesAboveTheLimit) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("json-reader-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "big.json") << std::string(100, ' ') << "[]";
  EXPECT_EQ(ReadBoundedTextFile(dir / "big.json", 102, "a list").size(), 102u);
  EXPECT_THROW((void)ReadBoundedTextFile(dir / "big.json", 101, "a list"), InputError);
  EXPECT_THROW((void)ReadBoundedTextFile(dir / "missing.json", 101, "a list"), InputError);
  EXPECT_THROW((void)ReadBoundedTextFile(dir, 101, "a list"), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace marsdrive

// YAML structure checks before any tree is built (io/yaml_structure.h): a repeated key is
// an error naming its path and both lines; an alias bomb is refused without expanding it, while
// ordinary anchors and aliases still load.

#include "io/yaml_structure.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "io/yaml_reader.h"

namespace marsdrive {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& text) {
  try {
    CheckYamlStructure(text, "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Nine levels of ten aliases each: 10^9 nodes once expanded, about 1 KB as written.
std::string BillionLaughs() {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "a" + string + ... chains.
    const std::string level = std::to_string(i);
    const std::string prev = std::to_string(i - 1);
    text += "a";
    text += level;
    text += ": &a";
    text += level;
    text += " [";
    for (int k = 0; k < 10; ++k) {
      if (k > 0) text += ", ";
      text += "*a";
      text += prev;
    }
    text += "]\n";
  }
  return text;
}

TEST(YamlStructure, DuplicateTopLevelKeyNamesTheKeyAndTheFirstLine) {
  EXPECT_EQ(ErrorOf("name: a\ngoal: {x: 1}\nseed: 2\ngoal: {x: 9}\n"),
            "s.yaml: goal: duplicate key (first at line 2); each key may appear once");
}

TEST(YamlStructure, DuplicateNestedKeysNameTheirPath) {
  EXPECT_THAT(ErrorOf("goal: {x: 1, y: 2, x: 3}\n"), HasSubstr("s.yaml: goal.x: duplicate key"));
  EXPECT_THAT(ErrorOf("planners:\n  - {name: a}\n  - {name: b, name: c}\n"),
              HasSubstr("s.yaml: planners[1].name: duplicate key"));
  EXPECT_THAT(ErrorOf("a:\n  b:\n    c: 1\n    c: 2\n"), HasSubstr("s.yaml: a.b.c: duplicate key"));
}

TEST(YamlStructure, SameKeyInDifferentMapsIsFine) {
  EXPECT_EQ(ErrorOf("start: {x: 1, y: 2}\ngoal: {x: 3, y: 4}\nlist: [{x: 1}, {x: 2}]\n"), "");
  EXPECT_EQ(ErrorOf("a: [x, x, x]\n"), "");  // repeated values are not keys
  EXPECT_EQ(ErrorOf(""), "");
}

TEST(YamlStructure, AliasBombIsRefusedBeforeItExpands) {
  const std::string bomb = BillionLaughs();
  EXPECT_LT(bomb.size(), 2000u);
  EXPECT_THAT(ErrorOf(bomb), HasSubstr("aliases expand the document by more than 1000000 nodes"));
  EXPECT_THAT(ErrorOf(bomb), HasSubstr("s.yaml: a5[7]: "));  // where the limit was crossed
}

TEST(YamlStructure, OrdinaryAliasesLoad) {
  const std::string text =
      "defaults: &d {rock_k: 0.1, sand: 0.2}\na: *d\nb: *d\nname: &n quick\nlabel: *n\n";
  EXPECT_EQ(ErrorOf(text), "");
  const YAML::Node root = ParseYamlText(text, "s.yaml");  // control: yaml-cpp reads it
  EXPECT_EQ(root["b"]["sand"].as<std::string>(), "0.2");
  // Control for the bomb: the same shape two levels deep adds 110 nodes and is fine.
  EXPECT_EQ(ErrorOf("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\na1: [*a0, *a0, *a0, *a0, *a0, *a0, "
                    "*a0, *a0, *a0, *a0]\n"),
            "");
}

TEST(YamlStructure, ParseYamlTextRefusesDuplicatesToo) {
  EXPECT_THROW((void)ParseYamlText("goal: 1\ngoal: 2\n", "s.yaml"), InputError);
  EXPECT_NO_THROW((void)ParseYamlText("goal: 1\nstart: 2\n", "s.yaml"));
}

}  // namespace
}  // namespace marsdrive

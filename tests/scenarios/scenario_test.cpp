// Scenario and suite files: a good file reads back field by field; every malformed field in a
// table of bad files fails naming the file, the key path and what was expected.

#include "scenarios/scenario.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "io/list_limits.h"
#include "io/yaml_reader.h"
#include "scenarios/suite.h"
#include "scenarios/terrain_cache.h"
#include "tests/util/command.h"

namespace marsdrive::scenarios {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

constexpr const char* kGood = R"(schema: marsdrive/scenario/1
name: rim-ledge-01
seed: 7
terrain: {preset: jezero-rim, size_m: [200, 150], resolution_m: 0.1, params: {ledge_count: 3},
          rocks: [{x: 50, y: 60, diameter_m: 0.8}]}
start: {x: 10, y: 10, yaw_deg: 45}
goal: {x: 180, y: 140, tolerance_m: 2.0}
keep_out: [[[60, 40], [80, 40], [80, 70], [60, 70]]]
planner: {name: astar, params: {max_spacing_m: 20}}
limits: {time_s: 3600, tilt_deg: 25, slip: 0.3}
)";

std::filesystem::path Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// `good` with line `key_prefix...` replaced by `replacement` (or removed when empty).
std::string Edit(const std::string& key_prefix, const std::string& replacement) {
  std::string text = kGood;
  const auto at = text.find(key_prefix);
  EXPECT_NE(at, std::string::npos) << key_prefix;
  auto end = text.find('\n', at);
  // A flow map may continue on the next line (terrain).
  while (end + 1 < text.size() && text[end + 1] == ' ') end = text.find('\n', end + 1);
  text.replace(at, end - at + 1, replacement.empty() ? "" : replacement + "\n");
  return text;
}

TEST(Scenario, GoodFileReadsBackFieldByField) {
  const TempDir dir("scenario");
  const Scenario s = LoadScenario(Write(dir, "good.yaml", kGood));
  EXPECT_EQ(s.name, "rim-ledge-01");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.terrain.preset, "jezero-rim");
  EXPECT_EQ(s.terrain.size_x_m, 200);
  EXPECT_EQ(s.terrain.size_y_m, 150);
  EXPECT_EQ(s.terrain.resolution_m, 0.1);
  EXPECT_EQ(s.terrain.params.GetString("ledge_count", ""), "3");
  ASSERT_EQ(s.terrain.rocks.size(), 1u);
  EXPECT_EQ(s.terrain.rocks[0].diameter_m, 0.8);
  EXPECT_DOUBLE_EQ(s.terrain.rocks[0].height_m, 0.4);  // 0.5 D by default
  EXPECT_EQ(s.start.x_m, 10);
  EXPECT_NEAR(s.start.yaw_rad, M_PI / 4, 1e-12);
  EXPECT_EQ(s.goal.tolerance_m, 2.0);
  ASSERT_EQ(s.keep_outs.size(), 1u);
  EXPECT_EQ(s.keep_outs[0].polygon.size(), 4u);
  EXPECT_EQ(s.keep_outs[0].polygon[2], (planners::Point2{80, 70}));
  ASSERT_TRUE(s.planner.has_value());
  EXPECT_EQ(s.planner->name, "astar");
  EXPECT_EQ(s.planner->label, "astar");
  EXPECT_EQ(s.planner->params.GetString("max_spacing_m", ""), "20");
  EXPECT_EQ(s.limits.time_s, 3600);
  EXPECT_EQ(s.limits.tilt_deg, 25);
  EXPECT_EQ(s.limits.slip, 0.3);
  EXPECT_TRUE(s.file.is_absolute());
}

TEST(Scenario, RelativePathsResolveAgainstTheFile) {
  const TempDir dir("scenario-rel");
  std::filesystem::create_directories(dir / "sub");
  Write(dir, "rocks.yaml", "- {x: 5, y: 5, diameter_m: 1}\n");
  const std::string text =
      Edit("terrain:", "terrain: {preset: flat, size_m: [20, 20], rocks: ../rocks.yaml}");
  const auto goal_fixed =
      std::string(text).replace(text.find("goal: {x: 180, y: 140"), 21, "goal: {x: 15, y: 14");
  const Scenario s = LoadScenario(Write(dir, "sub/s.yaml", goal_fixed));
  EXPECT_EQ(s.terrain.rocks_file, (dir / "rocks.yaml").lexically_normal().string());
}

struct BadCase {
  std::string label;
  std::string text;
  std::string expected;  // substring of the message (after the file name)
};

std::vector<BadCase> BadCases() {
  return {
      {"unknown top-level key", std::string(kGood) + "colour: red\n",
       "unknown key 'colour' (expected one of:"},
      {"wrong schema", Edit("schema:", "schema: marsdrive/scenario/9"),
       "schema: expected \"marsdrive/scenario/1\""},
      {"missing schema", Edit("schema:", ""), "schema: missing (required)"},
      {"missing name", Edit("name:", ""), "name: missing (required)"},
      {"name with a slash", Edit("name:", "name: a/b"), "name: expected a name without slashes"},
      // Names become directory names (issue 14): never ".", "..", hidden, or control bytes.
      {"name ..", Edit("name:", "name: '..'"), "name: expected a name without slashes"},
      {"name .", Edit("name:", "name: ."), "name: expected a name without slashes"},
      {"name hidden", Edit("name:", "name: .rim"), "name: expected a name without slashes"},
      {"name with a backslash", Edit("name:", "name: a\\b"), "got 'a\\\\b'"},
      {"name with ESC", Edit("name:", "name: \"a\\e[31m\""), "got 'a\\x1b[31m'"},
      {"name in UTF-8", Edit("name:", "name: caf\xc3\xa9"), "got 'caf\\xc3\\xa9'"},
      {"planner label ..", Edit("planner:", "planner: {name: astar, label: '..'}"),
       "planner.label: expected a name without slashes"},
      {"planner name with a slash", Edit("planner:", "planner: {name: ../astar}"),
       "planner.name: expected a name without slashes"},
      {"duplicate key", std::string(kGood) + "goal: {x: 1, y: 1}\n",
       "goal: duplicate key (first at line"},
      {"seed not an integer", Edit("seed:", "seed: seven"), "seed: expected an integer >= 0"},
      {"seed negative", Edit("seed:", "seed: -3"), "seed: expected an integer >= 0"},
      {"terrain not a map", Edit("terrain:", "terrain: jezero"), "terrain: expected a map"},
      {"terrain both preset and dem",
       Edit("terrain:", "terrain: {preset: flat, dem: x.tif, size_m: [10, 10]}"),
       "terrain: expected exactly one of 'preset'"},
      {"terrain neither", Edit("terrain:", "terrain: {size_m: [10, 10]}"),
       "terrain: expected exactly one of 'preset'"},
      {"size missing", Edit("terrain:", "terrain: {preset: flat}"),
       "terrain.size_m: missing (required with a preset)"},
      {"size wrong length", Edit("terrain:", "terrain: {preset: flat, size_m: [10]}"),
       "terrain.size_m: expected a list of 2 finite numbers > 0, got a list of 1"},
      {"size negative", Edit("terrain:", "terrain: {preset: flat, size_m: [10, -4]}"),
       "terrain.size_m[1]: expected a list of 2 finite numbers > 0"},
      {"resolution text",
       Edit("terrain:", "terrain: {preset: flat, size_m: [200, 200], resolution_m: fine}"),
       "terrain.resolution_m: expected a finite number > 0, got 'fine'"},
      {"unknown terrain key",
       Edit("terrain:", "terrain: {preset: flat, size_m: [200, 200], colour: red}"),
       "terrain: unknown key 'colour'"},
      {"params not a map",
       Edit("terrain:", "terrain: {preset: flat, size_m: [200, 200], params: [1]}"),
       "terrain.params: expected a map of parameters"},
      {"rock missing diameter",
       Edit("terrain:", "terrain: {preset: flat, size_m: [200, 200], rocks: [{x: 1, y: 2}]}"),
       "terrain.rocks[0].diameter_m: missing (required)"},
      {"rock shape_seed beyond 32 bits",
       Edit("terrain:",
            "terrain: {preset: flat, size_m: [200, 200], "
            "rocks: [{x: 1, y: 2, diameter_m: 1, shape_seed: 1e10}]}"),
       "terrain.rocks[0].shape_seed: expected an integer in [0, 2^32), got '1e10'"},
      {"rock shape_seed fractional",
       Edit("terrain:",
            "terrain: {preset: flat, size_m: [200, 200], "
            "rocks: [{x: 1, y: 2, diameter_m: 1, shape_seed: 2.5}]}"),
       "terrain.rocks[0].shape_seed: expected an integer in [0, 2^32)"},
      {"rock file missing",
       Edit("terrain:", "terrain: {preset: flat, size_m: [200, 200], rocks: nowhere.yaml}"),
       "terrain.rocks: no such file"},
      {"rock off the map",
       Edit("terrain:",
            "terrain: {preset: flat, size_m: [200, 200], rocks: [{x: 300, y: 2, diameter_m: 1}]}"),
       "terrain.rocks: (300, 2) is off the map"},
      {"dem missing file", Edit("terrain:", "terrain: {dem: nowhere.tif}"),
       "terrain.dem: no such file"},
      {"dem with preset keys", Edit("terrain:", "terrain: {dem: nowhere.tif, size_m: [10, 10]}"),
       "size_m, params and rocks apply to a preset"},
      {"window inverted", Edit("terrain:", "terrain: {dem: x.tif, window: [10, 0, 0, 10]}"),
       "terrain.window: expected [x0, y0, x1, y1] with x0 < x1"},
      {"start missing", Edit("start:", ""), "start: missing (required)"},
      {"start x missing", Edit("start:", "start: {y: 10}"), "start.x: missing (required)"},
      {"start x text", Edit("start:", "start: {x: east, y: 10}"),
       "start.x: expected a finite number, got 'east'"},
      {"start x NaN", Edit("start:", "start: {x: .nan, y: 10}"),
       "start.x: expected a finite number, got '.nan'"},
      {"start off the map", Edit("start:", "start: {x: -5, y: 10}"),
       "start: (-5, 10) is off the map: the terrain covers x 0..200 m, y 0..150 m"},
      {"goal off the map", Edit("goal:", "goal: {x: 180, y: 151}"),
       "goal: (180, 151) is off the map"},
      {"goal tolerance zero", Edit("goal:", "goal: {x: 180, y: 140, tolerance_m: 0}"),
       "goal.tolerance_m: expected a finite number > 0, got 0"},
      {"keep-out not a list", Edit("keep_out:", "keep_out: {a: 1}"),
       "keep_out: expected a list of polygons"},
      {"keep-out two vertices", Edit("keep_out:", "keep_out: [[[1, 2], [3, 4]]]"),
       "keep_out[0]: expected a polygon: a list of at least 3 [x, y] vertices, got 2 vertices"},
      {"keep-out vertex of three numbers",
       Edit("keep_out:", "keep_out: [[[1, 2, 3], [3, 4], [5, 6]]]"),
       "keep_out[0][0]: expected a list of 2 finite numbers"},
      {"planner without name", Edit("planner:", "planner: {params: {}}"),
       "planner.name: missing (required)"},
      {"planner param list", Edit("planner:", "planner: {name: astar, params: {a: [1]}}"),
       "planner.params.a: expected a number or a string"},
      {"limits unknown key", Edit("limits:", "limits: {speed: 3}"), "limits: unknown key 'speed'"},
      {"tilt over 90", Edit("limits:", "limits: {tilt_deg: 95}"), "limits.tilt_deg: expected < 90"},
      {"slip over 1", Edit("limits:", "limits: {slip: 1.5}"),
       "limits.slip: expected a ratio in (0, 1]"},
      {"time negative", Edit("limits:", "limits: {time_s: -1}"),
       "limits.time_s: expected a finite number > 0, got -1"},
      {"malformed YAML", "schema: marsdrive/scenario/1\nname: [unclosed\n", "malformed YAML"},
      {"not a map", "- just\n- a list\n", "expected a map, got a list"},
  };
}

TEST(Scenario, EveryMalformedFieldNamesFileKeyAndExpectation) {
  const TempDir dir("scenario-bad");
  int index = 0;
  for (const BadCase& c : BadCases()) {
    const auto path = Write(dir, "bad-" + std::to_string(index++) + ".yaml", c.text);
    try {
      (void)LoadScenario(path);
      ADD_FAILURE() << c.label << ": accepted";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_THAT(message, HasSubstr(path.string())) << c.label;
      EXPECT_THAT(message, HasSubstr(c.expected)) << c.label;
    }
  }
}

TEST(Scenario, MissingFileIsAnInputError) {
  EXPECT_THROW((void)LoadScenario("/nonexistent/scenario.yaml"), InputError);
}

TEST(Scenario, OversizedFileIsRefusedBeforeItIsRead) {
  const TempDir dir("scenario-big");
  const auto file = Write(dir, "big.yaml", "# padding\n");
  std::filesystem::resize_file(file, marsdrive::kYamlMaxBytes + 1);  // sparse: nothing is written
  try {
    (void)LoadScenario(file);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
    EXPECT_THAT(e.what(), HasSubstr("expected at most"));
  }
  // Control: the limit itself is accepted as far as size goes (it then fails as YAML or not at
  // all, but not on its size).
  std::filesystem::resize_file(file, 64);
  try {
    (void)LoadScenario(file);
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), Not(HasSubstr("expected at most")));
  }
}

// ---- suites ------------------------------------------------------------------------------------

std::string ScenarioText(const std::string& name) {
  return "schema: marsdrive/scenario/1\nname: " + name +
         "\nterrain: {preset: flat, size_m: [20, 20]}\nstart: {x: 2, y: 2}\ngoal: {x: 15, y: "
         "15}\n";
}

TEST(Suite, GlobsExpandSortedAndRunsFollowScenarioPlannerSeedOrder) {
  const TempDir dir("suite");
  Write(dir, "b-2.yaml", ScenarioText("b-2"));
  Write(dir, "b-1.yaml", ScenarioText("b-1"));
  Write(dir, "a.yaml", ScenarioText("a"));
  const auto file = Write(dir, "suite.yaml",
                          "schema: marsdrive/suite/1\nname: s\nscenarios: [a.yaml, \"b-*.yaml\", "
                          "a.yaml]\nplanners: [{name: scripted}, {name: astar, label: astar-16, "
                          "params: {connectivity: 16}}]\nseeds: [3, 1]\nrun_time_limit_s: 60\n");
  const Suite suite = LoadSuite(file);
  ASSERT_EQ(suite.scenarios.size(), 3u);  // a.yaml listed twice counts once
  EXPECT_EQ(suite.scenarios[1].name, "b-1");
  EXPECT_EQ(suite.run_time_limit_s, 60);
  const std::vector<PlannedRun> runs = ExpandRuns(suite);
  ASSERT_EQ(runs.size(), 12u);
  EXPECT_EQ(runs[0].id, "a/scripted/seed-3");
  EXPECT_EQ(runs[1].id, "a/scripted/seed-1");
  EXPECT_EQ(runs[2].id, "a/astar-16/seed-3");
  EXPECT_EQ(runs[2].planner.params.GetString("connectivity", ""), "16");
  EXPECT_EQ(runs[11].id, "b-2/astar-16/seed-1");

  // Shards partition the runs, each in suite order.
  std::vector<std::string> joined;
  for (int i = 1; i <= 5; ++i) {
    for (const PlannedRun& r : SelectShard(runs, {i, 5})) joined.push_back(r.id);
  }
  EXPECT_EQ(joined.size(), runs.size());
  std::sort(joined.begin(), joined.end());
  EXPECT_EQ(std::adjacent_find(joined.begin(), joined.end()), joined.end());
}

TEST(Suite, APlannerEntryMayAskForAPlanCheck) {
  const TempDir dir("suite-check");
  Write(dir, "a.yaml", ScenarioText("a"));
  const auto file = Write(dir, "suite.yaml",
                          "schema: marsdrive/suite/1\nname: s\nscenarios: [a.yaml]\nplanners: "
                          "[{name: astar, check: {trials: 12}}, {name: scripted}]\n");
  const std::vector<PlannedRun> runs = ExpandRuns(LoadSuite(file));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].planner.check_trials, 12);
  EXPECT_EQ(runs[1].planner.check_trials, 0);  // control: no check unless asked
}

TEST(Suite, BadSuitesNameFileAndKey) {
  const TempDir dir("suite-bad");
  Write(dir, "a.yaml", ScenarioText("a"));
  Write(dir, "a-again.yaml", ScenarioText("a"));
  const std::string head = "schema: marsdrive/suite/1\nname: s\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + "scenarios: [\"z-*.yaml\"]\nplanners: [{name: astar}]\n", "matches no file"},
      {head + "scenarios: [missing.yaml]\nplanners: [{name: astar}]\n", "no such scenario file"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar}, {name: astar}]\n",
       "two entries are labelled 'astar'"},
      {head + "scenarios: [a.yaml, a-again.yaml]\nplanners: [{name: astar}]\n",
       "two scenarios are named 'a'"},
      {head + "scenarios: [a.yaml]\n", "planners: missing, and scenario"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar}]\nseeds: [0]\n",
       "seeds[0]: expected an integer >= 1"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar}]\nseeds: [1, 2, 1]\n",
       "seeds[2]: seed 1 is listed twice (also seeds[0])"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, label: '..'}]\n",
       "planners[0].label: expected a name without slashes"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar}]\nname: t\n",
       "name: duplicate key (first at line 2)"},
      {head + "scenarios: []\n", "scenarios: expected a non-empty list"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar}]\nrun_time_limit_s: 0\n",
       "run_time_limit_s: expected a finite number > 0"},
      {"schema: marsdrive/suite/2\nname: s\nscenarios: [a.yaml]\n", "schema: expected"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, check: {trials: 0}}]\n",
       "planners[0].check.trials: expected 1 to 1000 trials, got 0"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, check: {trials: 5000}}]\n",
       "planners[0].check.trials: expected 1 to 1000 trials"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, check: {runs: 3}}]\n",
       "planners[0].check: unknown key 'runs'"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, check: 16}]\n",
       "planners[0].check: expected a map such as {trials: 16}"},
      {head + "scenarios: [a.yaml]\nplanners: [{name: astar, check: {}}]\n",
       "planners[0].check.trials: missing"},
  };
  int index = 0;
  for (const auto& [text, expected] : cases) {
    const auto file = Write(dir, "suite-" + std::to_string(index++) + ".yaml", text);
    try {
      (void)LoadSuite(file);
      ADD_FAILURE() << expected << ": accepted";
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), HasSubstr(file.string())) << expected;
      EXPECT_THAT(e.what(), HasSubstr(expected));
    }
  }
  // A bad scenario inside a suite is reported with the scenario's own file.
  Write(dir, "broken.yaml", ScenarioText("broken") + "colour: red\n");
  const auto file = Write(dir, "suite-broken.yaml",
                          head + "scenarios: [broken.yaml]\nplanners: [{name: astar}]\n");
  try {
    (void)LoadSuite(file);
    ADD_FAILURE() << "accepted a suite with a broken scenario";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir / "broken.yaml").string() + ": unknown key 'colour'"));
  }
}

TEST(Shard, ParsesOneBasedSlices) {
  EXPECT_TRUE(ParseShard("1/1").has_value());
  EXPECT_EQ(ParseShard("2/4")->index, 2);
  EXPECT_EQ(ParseShard("2/4")->count, 4);
  for (const char* bad : {"0/4", "5/4", "1/0", "a/b", "1-4", "1/4x", ""}) {
    EXPECT_FALSE(ParseShard(bad).has_value()) << bad;
  }
}

// ---- terrain cache keys ----------------------------------------------------------------------

TEST(TerrainCache, KeyChangesWithEverythingThatShapesTheTerrain) {
  TerrainRequest base;
  base.spec.preset = "jezero-rim";
  base.spec.size_x_m = 40;
  base.spec.size_y_m = 30;
  base.seed = 7;
  const std::string key = TerrainKey(base);
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(TerrainKey(base), key);  // stable
  std::vector<TerrainRequest> variants(6, base);
  variants[0].seed = 8;
  variants[1].detail_seed = 1;
  variants[2].spec.size_x_m = 41;
  variants[3].spec.resolution_m = 0.1;
  variants[4].spec.params.Set("rock_k", "0.2");
  variants[5].spec.rocks.push_back({1, 2, 0.5, 0.25, 0});
  for (std::size_t i = 0; i < variants.size(); ++i) {
    EXPECT_NE(TerrainKey(variants[i]), key) << "variant " << i;
  }
}

// Lists have documented caps (io/list_limits.h; docs/limits.md).
std::string Repeated(const std::string& item, std::size_t count, std::size_t first = 1) {
  std::string list = "[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) list += ", ";
    list += item.empty() ? std::to_string(first + i) : item;
  }
  return list + "]";
}

TEST(ListLimits, SeedsAreCappedAtTenThousand) {
  const TempDir dir("list-limits-seeds");
  Write(dir, "a.yaml", ScenarioText("a"));
  const std::string head =
      "schema: marsdrive/suite/1\nname: s\nscenarios: [a.yaml]\nplanners: [{name: astar}]\n";
  const auto ok = Write(dir, "ok.yaml", head + "seeds: " + Repeated("", kMaxSeeds) + "\n");
  EXPECT_EQ(ExpandRuns(LoadSuite(ok)).size(), kMaxSeeds);  // control: the cap itself is fine
  const auto bad = Write(dir, "bad.yaml", head + "seeds: " + Repeated("", kMaxSeeds + 1) + "\n");
  try {
    (void)LoadSuite(bad);
    ADD_FAILURE() << "accepted 10001 seeds";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(bad.string() + ": seeds: expected at most 10000 seeds, got "
                                                   "10001"));
  }
}

TEST(ListLimits, KeepOutPolygonsAndTheirVerticesAreCapped) {
  const TempDir dir("list-limits-keep-out");
  const std::string triangle = "[[1, 1], [2, 1], [2, 2]]";
  const auto many =
      Write(dir, "many.yaml",
            ScenarioText("many") + "keep_out: " + Repeated(triangle, kMaxKeepOuts + 1) + "\n");
  try {
    (void)LoadScenario(many);
    ADD_FAILURE() << "accepted 10001 polygons";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(many.string() + ": keep_out: expected at most 10000 keep-out "
                                                    "polygons, got 10001"));
  }
  const auto big = Write(
      dir, "big.yaml",
      ScenarioText("big") + "keep_out: [" + Repeated("[1, 1]", kMaxPolygonVertices + 1) + "]\n");
  try {
    (void)LoadScenario(big);
    ADD_FAILURE() << "accepted 100001 vertices";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(big.string() + ": keep_out[0]: expected at most 100000 "
                                                   "vertices, got 100001"));
  }
  // Control: ten triangles load.
  const auto ten =
      Write(dir, "ten.yaml", ScenarioText("ten") + "keep_out: " + Repeated(triangle, 10) + "\n");
  EXPECT_EQ(LoadScenario(ten).keep_outs.size(), 10u);
}

}  // namespace
}  // namespace marsdrive::scenarios

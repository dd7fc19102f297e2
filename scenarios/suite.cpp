#include "scenarios/suite.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <system_error>

#include <glob.h>

#include "base/check.h"
#include "io/list_limits.h"
#include "io/yaml_reader.h"
#include "scenarios/planner_entry.h"
#include "scenarios/run_scenario.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

namespace {

// The files a scenarios entry names: one file, or a glob's matches (sorted).
std::vector<fs::path> ExpandEntry(const fs::path& suite_file, const std::string& entry,
                                  const std::string& where) {
  fs::path pattern(entry);
  if (pattern.is_relative()) pattern = suite_file.parent_path() / pattern;
  if (entry.find_first_of("*?[") == std::string::npos) return {pattern.lexically_normal()};
  glob_t matches{};
  const int rc = ::glob(pattern.c_str(), 0, nullptr, &matches);
  std::vector<fs::path> files;
  if (rc == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) files.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  MD_THROW_UNLESS(!files.empty(), where + "the pattern '" + entry + "' matches no file (in " +
                                      pattern.parent_path().string() + ")");
  std::sort(files.begin(), files.end());
  return files;
}

PlannerChoice ReadPlanner(const YamlMapReader& owner, const YAML::Node& n, std::size_t i) {
  YamlMapReader m(n, owner.file(), owner.Path("planners") + "[" + std::to_string(i) + "]");
  return ReadPlannerEntry(m);
}

}  // namespace

Suite LoadSuite(const fs::path& file) {
  std::error_code ec;
  Suite suite;
  suite.file = fs::absolute(file, ec).lexically_normal();
  const YAML::Node root = LoadYamlFile(suite.file, "suite");
  YamlMapReader top(root, file.string(), "");
  std::string schema, description;
  std::vector<std::string> entries;
  top.String("schema", schema);
  top.String("name", suite.name);
  top.String("description", description);
  top.On("scenarios", [&top, &entries](const YAML::Node& n) {
    MD_THROW_UNLESS(n.IsSequence() && n.size() > 0,
                    top.Where("scenarios") +
                        "expected a non-empty list of scenario files or "
                        "globs, got " +
                        DescribeYaml(n));
    for (std::size_t i = 0; i < n.size(); ++i) {
      MD_THROW_UNLESS(n[i].IsScalar() && !n[i].Scalar().empty(),
                      top.Where("scenarios[" + std::to_string(i) + "]") +
                          "expected a file name or glob, got " + DescribeYaml(n[i]));
      entries.push_back(n[i].Scalar());
    }
  });
  top.On("planners", [&top, &suite](const YAML::Node& n) {
    MD_THROW_UNLESS(
        n.IsSequence(),
        top.Where("planners") + "expected a list of {name, params, label}, got " + DescribeYaml(n));
    for (std::size_t i = 0; i < n.size(); ++i) suite.planners.push_back(ReadPlanner(top, n[i], i));
  });
  top.On("seeds", [&top, &suite](const YAML::Node& n) {
    MD_THROW_UNLESS(
        n.IsSequence() && n.size() > 0,
        top.Where("seeds") + "expected a non-empty list of integers >= 1, got " + DescribeYaml(n));
    const std::string too_many = ListTooLong(n.size(), kMaxSeeds, "seeds");
    MD_THROW_UNLESS(too_many.empty(), top.Where("seeds") + too_many);
    suite.seeds.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      std::uint64_t seed = 0;
      const std::string text = n[i].IsScalar() ? n[i].Scalar() : "";
      const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), seed);
      MD_THROW_UNLESS(
          !text.empty() && err == std::errc() && end == text.data() + text.size() && seed >= 1,
          top.Where("seeds[" + std::to_string(i) + "]") + "expected an integer >= 1, got " +
              DescribeYaml(n[i]));
      // A repeated seed would run the same run twice under one id (issue 14).
      const auto first = std::find(suite.seeds.begin(), suite.seeds.end(), seed);
      MD_THROW_UNLESS(first == suite.seeds.end(), top.Where("seeds[" + std::to_string(i) + "]") +
                                                      "seed " + std::to_string(seed) +
                                                      " is listed twice (also seeds[" +
                                                      std::to_string(first - suite.seeds.begin()) +
                                                      "]); each seed names a run");
      suite.seeds.push_back(seed);
    }
  });
  top.Number("run_time_limit_s", suite.run_time_limit_s, true);
  for (const char* key : {"schema", "name", "scenarios"}) top.Require(key);
  top.Run();
  MD_THROW_UNLESS(schema == kSuiteSchema, top.Where("schema") + "expected \"" + kSuiteSchema +
                                              "\", got \"" + schema + "\"");

  std::set<fs::path> seen;
  std::set<std::string> names;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string where = top.Where("scenarios[" + std::to_string(i) + "]");
    for (const fs::path& path : ExpandEntry(suite.file, entries[i], where)) {
      if (!seen.insert(path).second) continue;  // listed twice (e.g. by two globs)
      MD_THROW_UNLESS(fs::is_regular_file(path, ec),
                      where + "no such scenario file: " + path.string());
      Scenario scenario = LoadScenario(path);
      MD_THROW_UNLESS(names.insert(scenario.name).second,
                      where + "two scenarios are named '" + scenario.name + "' (the second in " +
                          path.string() + "); names identify runs and must be unique");
      suite.scenarios.push_back(std::move(scenario));
    }
  }
  if (suite.planners.empty()) {
    for (const Scenario& s : suite.scenarios) {
      MD_THROW_UNLESS(s.planner.has_value(), top.Where("planners") + "missing, and scenario " +
                                                 s.file.string() + " names no planner either");
    }
  }
  (void)ExpandRuns(suite);  // label clashes fail now, not half-way through a suite
  return suite;
}

std::vector<PlannedRun> ExpandRuns(const Suite& suite) {
  std::set<std::string> labels;
  for (const PlannerChoice& p : suite.planners) {
    MD_THROW_UNLESS(labels.insert(p.label).second,
                    suite.file.string() + ": planners: two entries are labelled '" + p.label +
                        "': give each parameter set its own label");
  }
  std::vector<PlannedRun> runs;
  for (std::size_t s = 0; s < suite.scenarios.size(); ++s) {
    const std::vector<PlannerChoice> planners =
        suite.planners.empty() ? std::vector<PlannerChoice>{*suite.scenarios[s].planner}
                               : suite.planners;
    for (const PlannerChoice& planner : planners) {
      for (const std::uint64_t seed : suite.seeds) {
        runs.push_back({RunId(suite.scenarios[s].name, planner.label, seed), s, planner, seed});
      }
    }
  }
  return runs;
}

std::optional<Shard> ParseShard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Shard shard;
  const char* begin = text.data();
  const auto a = std::from_chars(begin, begin + slash, shard.index);
  const auto b = std::from_chars(begin + slash + 1, begin + text.size(), shard.count);
  if (a.ec != std::errc() || a.ptr != begin + slash || b.ec != std::errc() ||
      b.ptr != begin + text.size() || shard.count < 1 || shard.index < 1 ||
      shard.index > shard.count) {
    return std::nullopt;
  }
  return shard;
}

std::vector<PlannedRun> SelectShard(const std::vector<PlannedRun>& runs, const Shard& shard) {
  std::vector<PlannedRun> slice;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index - 1) {
      slice.push_back(runs[i]);
    }
  }
  return slice;
}

}  // namespace marsdrive::scenarios

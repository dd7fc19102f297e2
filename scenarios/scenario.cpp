#include "scenarios/scenario.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>

#include "base/check.h"
#include "io/list_limits.h"
#include "io/text_file.h"
#include "io/yaml_reader.h"
#include "scenarios/planner_entry.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;

namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

std::string Num(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// A path in the file, resolved against the file's directory.
std::string Resolve(const fs::path& file, const std::string& value) {
  const fs::path p(value);
  return (p.is_absolute() ? p : file.parent_path() / p).lexically_normal().string();
}

std::vector<planners::Point2> ReadPolygon(const YamlMapReader& owner, const YAML::Node& n,
                                          const std::string& key) {
  MD_THROW_UNLESS(n.IsSequence() && n.size() >= 3,
                  owner.Where(key) +
                      "expected a polygon: a list of at least 3 [x, y] vertices, "
                      "got " +
                      (n.IsSequence() ? std::to_string(n.size()) + " vertices" : DescribeYaml(n)));
  const std::string too_many = ListTooLong(n.size(), kMaxPolygonVertices, "vertices");
  MD_THROW_UNLESS(too_many.empty(), owner.Where(key) + too_many);
  std::vector<planners::Point2> polygon;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const auto v = owner.ReadNumbers(n[i], key + "[" + std::to_string(i) + "]", 2, false);
    polygon.push_back({v[0], v[1]});
  }
  return polygon;
}

std::vector<terrain::Rock> ReadRocks(const YamlMapReader& owner, const YAML::Node& n) {
  std::vector<terrain::Rock> rocks;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string path = owner.Path("rocks") + "[" + std::to_string(i) + "]";
    YamlMapReader item(n[i], owner.file(), path);
    terrain::Rock rock;
    double shape_seed = 0;
    item.Number("x", rock.x_m, false);
    item.Number("y", rock.y_m, false);
    item.Number("diameter_m", rock.diameter_m, true);
    item.Number("height_m", rock.height_m, true);
    // An integer below 2^32 (as in a rock file): converting a larger value, e.g. 1e10, to the
    // 32-bit seed was undefined behaviour (found by tests/fuzz/fuzz_scenario_yaml).
    item.On("shape_seed", [&item, &shape_seed](const YAML::Node& s) {
      shape_seed = item.ReadNumber(s, "shape_seed", false);
      MD_THROW_UNLESS(
          shape_seed >= 0 && shape_seed <= 4294967295.0 && shape_seed == std::floor(shape_seed),
          item.Where("shape_seed") + "expected an integer in [0, 2^32), got " + DescribeYaml(s));
    });
    item.Require("x");
    item.Require("y");
    item.Require("diameter_m");
    item.Run();
    if (rock.height_m == 0) rock.height_m = terrain::kRockHeightPerDiameter * rock.diameter_m;
    rock.shape_seed = static_cast<std::uint32_t>(shape_seed);
    rocks.push_back(rock);
  }
  return rocks;
}

void ReadTerrain(YamlMapReader& m, TerrainSpec& t) {
  const fs::path file = m.file();
  m.String("preset", t.preset);
  m.Numbers("size_m", 2, true, [&t](const std::vector<double>& v) {
    t.size_x_m = v[0];
    t.size_y_m = v[1];
  });
  double resolution_m = 0;
  m.Number("resolution_m", resolution_m, true);
  m.On("params", [&m, &t](const YAML::Node& n) { t.params = ReadParamMap(m, n, "params"); });
  m.On("rocks", [&m, &t, file](const YAML::Node& n) {
    if (n.IsScalar()) {
      t.rocks_file = Resolve(file, n.Scalar());
      return;
    }
    MD_THROW_UNLESS(n.IsSequence(), m.Where("rocks") +
                                        "expected a list of rocks {x, y, diameter_m, height_m?} "
                                        "or a rock file name, got " +
                                        DescribeYaml(n));
    t.rocks = ReadRocks(m, n);
  });
  m.On("dem", [&m, &t, file](const YAML::Node& n) {
    MD_THROW_UNLESS(n.IsScalar() && !n.Scalar().empty(),
                    m.Where("dem") + "expected a DEM file name, got " + DescribeYaml(n));
    t.dem = Resolve(file, n.Scalar());
  });
  m.Numbers("window", 4, false, [&m, &t](const std::vector<double>& v) {
    MD_THROW_UNLESS(v[0] < v[2] && v[1] < v[3],
                    m.Where("window") + "expected [x0, y0, x1, y1] with x0 < x1 and y0 < y1");
    t.window = std::array<double, 4>{v[0], v[1], v[2], v[3]};
  });
  m.On("rocks_k", [&m, &t](const YAML::Node& n) {
    const double k = m.ReadNumber(n, "rocks_k", false);
    MD_THROW_UNLESS(k >= 0 && k < 1, m.Where("rocks_k") + "expected a fraction in [0, 1)");
    t.rocks_k = k;
  });
  m.Bool("fill_nodata", t.fill_nodata);
  m.Run();

  MD_THROW_UNLESS(t.preset.empty() != t.dem.empty(),
                  m.Where("") +
                      "expected exactly one of 'preset' (procedural) or 'dem' (a DEM "
                      "file)");
  if (t.IsDem()) {
    MD_THROW_UNLESS(
        t.size_x_m == 0 && t.params.values().empty() && t.rocks.empty() && t.rocks_file.empty(),
        m.Where("") +
            "size_m, params and rocks apply to a preset, not to a dem (use "
            "window, resolution_m, rocks_k, fill_nodata)");
    if (resolution_m > 0) t.dem_resolution_m = resolution_m;
    std::error_code ec;
    MD_THROW_UNLESS(fs::is_regular_file(t.dem, ec), m.Where("dem") + "no such file: " + t.dem);
  } else {
    MD_THROW_UNLESS(t.size_x_m > 0, m.Where("size_m") + "missing (required with a preset)");
    MD_THROW_UNLESS(!t.window && !t.rocks_k && !t.fill_nodata,
                    m.Where("") +
                        "window, rocks_k and fill_nodata apply to a dem, not to a "
                        "preset");
    if (resolution_m > 0) t.resolution_m = resolution_m;
    MD_THROW_UNLESS(!t.params.GetOptional("rocks"),
                    m.Where("params.rocks") + "give rocks as terrain.rocks, not as a parameter");
    MD_THROW_UNLESS(
        !t.params.GetOptional("detail_seed"),
        m.Where("params.detail_seed") + "set by the suite's seeds, not by the scenario");
    if (!t.rocks_file.empty()) {
      std::error_code ec;
      MD_THROW_UNLESS(fs::is_regular_file(t.rocks_file, ec),
                      m.Where("rocks") + "no such file: " + t.rocks_file);
    }
  }
}

void CheckOnMap(const YamlMapReader& top, const std::string& key, double x, double y,
                const TerrainSpec& t) {
  if (t.IsDem()) return;  // known once imported; the runner checks then
  MD_THROW_UNLESS(x >= 0 && x <= t.size_x_m && y >= 0 && y <= t.size_y_m,
                  top.Where(key) + "(" + Num(x) + ", " + Num(y) +
                      ") is off the map: the terrain "
                      "covers x 0.." +
                      Num(t.size_x_m) + " m, y 0.." + Num(t.size_y_m) + " m");
}

}  // namespace

Scenario ParseScenario(const std::string& yaml_text, const fs::path& file) {
  const YAML::Node root = ParseYamlText(yaml_text, file.string());
  Scenario s;
  s.file = file;
  YamlMapReader top(root, file.string(), "");
  std::string schema, description;
  top.String("schema", schema);
  top.String("name", s.name);
  top.String("description", description);
  top.Unsigned("seed", s.seed);
  top.Section("terrain", [&s](YamlMapReader& m) { ReadTerrain(m, s.terrain); });
  top.Map("start", [&s](YamlMapReader& m) {
    m.Number("x", s.start.x_m, false);
    m.Number("y", s.start.y_m, false);
    m.Degrees("yaw_deg", s.start.yaw_rad, false);
    m.Require("x");
    m.Require("y");
  });
  top.Map("goal", [&s](YamlMapReader& m) {
    m.Number("x", s.goal.x_m, false);
    m.Number("y", s.goal.y_m, false);
    m.Number("tolerance_m", s.goal.tolerance_m, true);
    m.Require("x");
    m.Require("y");
  });
  top.On("keep_out", [&top, &s](const YAML::Node& n) {
    MD_THROW_UNLESS(n.IsSequence(),
                    top.Where("keep_out") + "expected a list of polygons, got " + DescribeYaml(n));
    const std::string too_many = ListTooLong(n.size(), kMaxKeepOuts, "keep-out polygons");
    MD_THROW_UNLESS(too_many.empty(), top.Where("keep_out") + too_many);
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string key = "keep_out[" + std::to_string(i) + "]";
      s.keep_outs.push_back({key, ReadPolygon(top, n[i], key)});
    }
  });
  top.Section("planner", [&s](YamlMapReader& m) { s.planner = ReadPlannerEntry(m); });
  top.Map("limits", [&s](YamlMapReader& m) {
    m.Number("time_s", s.limits.time_s, true);
    m.Number("tilt_deg", s.limits.tilt_deg, true);
    m.Number("slip", s.limits.slip, true);
    m.Number("plan_time_s", s.limits.plan_time_s, true);
  });
  for (const char* key : {"schema", "name", "terrain", "start", "goal"}) top.Require(key);
  top.Run();

  MD_THROW_UNLESS(schema == kScenarioSchema, top.Where("schema") + "expected \"" + kScenarioSchema +
                                                 "\", got \"" + schema + "\"");
  RequireSafeName(top.Where("name"), s.name);
  MD_THROW_UNLESS(s.limits.tilt_deg < 90, top.Where("limits.tilt_deg") + "expected < 90");
  MD_THROW_UNLESS(s.limits.slip <= 1, top.Where("limits.slip") + "expected a ratio in (0, 1]");
  CheckOnMap(top, "start", s.start.x_m, s.start.y_m, s.terrain);
  CheckOnMap(top, "goal", s.goal.x_m, s.goal.y_m, s.terrain);
  for (const terrain::Rock& rock : s.terrain.rocks) {
    CheckOnMap(top, "terrain.rocks", rock.x_m, rock.y_m, s.terrain);
  }
  return s;
}

Scenario LoadScenario(const fs::path& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec).lexically_normal();
  MD_THROW_UNLESS(fs::is_regular_file(absolute, ec),
                  file.string() + ": cannot open scenario (missing or unreadable)");
  // Bounded as every YAML input is (io/yaml_reader.h), read once.
  const std::string text = ReadBoundedTextFile(absolute, kYamlMaxBytes, "a scenario file");
  Scenario s = ParseScenario(text, file);
  s.file = absolute;
  return s;
}

}  // namespace marsdrive::scenarios

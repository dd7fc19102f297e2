#include "scenarios/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "base/check.h"
#include "base/format.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/compare.h"
#include "scenarios/report_calibration.h"
#include "scenarios/report_map.h"
#include "scenarios/report_plots.h"
#include "sim/drive_run.h"
#include "sim/metrics.h"
#include "sim/telemetry_csv.h"
#include "terrain/orbital_dir.h"

namespace marsdrive::scenarios {

namespace {

namespace fs = std::filesystem;
using planners::Point2;
using Points = std::vector<std::pair<double, double>>;

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr int kPlotWidthPx = 380, kPlotHeightPx = 220;

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1300px}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;font-size:.9em}
th{background:#f0f0f0}td.l,th.l{text-align:left}
tr.failed td{background:#fde8e8}tr.skipped td{color:#888}
.sw{display:inline-block;width:.9em;height:.9em;border:1px solid #333;vertical-align:middle;
margin-right:.3em}
.legend span.item{margin-right:1.2em;white-space:nowrap}
.plots{display:flex;flex-wrap:wrap;gap:.5em}
svg.plot{font-size:10px;background:#fff}svg.plot .title{font-size:12px;font-weight:bold}
svg.plot .frame{fill:none;stroke:#888}svg.plot .grid{stroke:#eee}
svg.plot .limit{stroke:#c00;stroke-dasharray:4 3}
.note{color:#a00}img.map{max-width:100%;height:auto;border:1px solid #888}
)";

std::string Anchor(const std::string& scenario) {
  std::string id = "scenario-";
  for (const char c : scenario) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return id;
}

// What the report draws and lists of one run, loaded once.
struct LoadedRun {
  const RunEntry* entry = nullptr;
  std::size_t planner_index = 0;
  std::optional<RunFigures> figures;
  sim::Telemetry telemetry;  // while its scenario is drawn
  std::vector<Point2> waypoints;
  std::vector<Point2> hazards;
  std::vector<std::string> notes;  // what could not be read, and why
};

LoadedRun LoadRun(const fs::path& results_dir, const RunEntry& entry) {
  LoadedRun run;
  run.entry = &entry;
  const RunRecord& r = entry.record;
  const fs::path dir = results_dir / entry.dir;
  try {
    run.figures = FiguresOf(r, "results", r.id);
  } catch (const InputError& e) {
    run.notes.push_back(e.what());
  }
  if (r.status == RunStatus::kSkipped) return run;
  if (r.metrics.is_object() && r.metrics.contains("hazards") && r.metrics["hazards"].is_array()) {
    for (const auto& h : r.metrics["hazards"]) {
      if (h.is_object() && h.contains("x") && h.contains("y") && h["x"].is_number() &&
          h["y"].is_number()) {
        run.hazards.push_back({h["x"].get<double>(), h["y"].get<double>()});
      }
    }
  }
  if (!r.files.plan.empty() && fs::exists(dir / r.files.plan)) {
    try {
      run.waypoints = planners::LoadPlanResult(dir / r.files.plan).waypoints;
    } catch (const InputError& e) {
      run.notes.push_back(e.what());
    }
  }
  return run;
}

// Telemetry is big (a long drive holds megabytes): read one scenario's at a time.
void LoadTelemetry(const fs::path& results_dir, LoadedRun& run) {
  const RunRecord& r = run.entry->record;
  if (r.status == RunStatus::kSkipped || r.files.telemetry.empty() || !r.metrics.is_object()) {
    return;
  }
  try {
    run.telemetry = sim::ReadTelemetryCsv(results_dir / run.entry->dir / r.files.telemetry);
  } catch (const InputError& e) {
    run.notes.push_back(e.what());
  }
}

// Truth distance driven at `time_s` (interpolated between samples).
double DistanceAt(const sim::Telemetry& t, double time_s) {
  const auto it = std::lower_bound(t.begin(), t.end(), time_s,
                                   [](const auto& s, double v) { return s.time_s < v; });
  if (it == t.begin()) return t.front().truth_distance_m;
  if (it == t.end()) return t.back().truth_distance_m;
  const auto& b = *it;
  const auto& a = *(it - 1);
  const double f = b.time_s > a.time_s ? (time_s - a.time_s) / (b.time_s - a.time_s) : 0.0;
  return a.truth_distance_m + f * (b.truth_distance_m - a.truth_distance_m);
}

struct RunSeries {
  Points slip, tilt, progress;
};

RunSeries SeriesOf(const LoadedRun& run, std::size_t max_points) {
  RunSeries s;
  const sim::Telemetry& t = run.telemetry;
  if (t.empty()) return s;
  const planners::GoalRegion& goal = run.entry->record.goal;
  const auto to_goal = [&](const sim::TelemetrySample& p) {
    return std::hypot(goal.x_m - p.position_map_m[0], goal.y_m - p.position_map_m[1]);
  };
  const double start_to_goal = to_goal(t.front());
  for (const sim::TelemetrySample& p : t) {
    s.tilt.emplace_back(p.truth_distance_m, p.tilt_rad * kRadToDeg);
    s.progress.emplace_back(p.truth_distance_m, start_to_goal - to_goal(p));
  }
  // Slip as the metrics define it: per window of odometry (sim/metrics.h).
  const sim::Metrics m = sim::ComputeMetrics(t, sim::MetricsConfig{});
  for (const sim::SlipWindow& w : m.slip_windows) {
    s.slip.emplace_back(DistanceAt(t, w.start_s), w.slip);
  }
  s.tilt = ThinPeaks(s.tilt, max_points);
  s.progress = ThinPeaks(s.progress, max_points);
  s.slip = ThinPeaks(s.slip, max_points);
  return s;
}

std::string Label(const RunRecord& r) {
  return r.planner_label + " seed " + std::to_string(r.seed);
}

std::string Cell(const std::string& text, bool left = false) {
  return left ? "<td class=\"l\">" + HtmlEscape(text) + "</td>"
              : "<td>" + HtmlEscape(text) + "</td>";
}

std::string ScorecardHtml(const SuiteResults& results,
                          const std::map<std::string, std::size_t>& planner_index) {
  const std::vector<PlannerAggregate> aggregates = Aggregate(results.runs);
  const bool oracle_ran = !OracleLabel(aggregates).empty();
  std::string html =
      "<table><tr><th class=\"l\">planner</th><th>runs</th><th>ok</th><th>failed</th>"
      "<th>skipped</th><th>goal reached</th><th>score (mean &plusmn; 95 % CI)</th>"
      "<th>slip p95 (mean)</th><th>hazards / 100 m</th><th>distance (m)</th>";
  html += oracle_ran ? "<th>score vs oracle</th></tr>\n" : "</tr>\n";
  const auto swatch = [&](const PlannerAggregate& a) {
    const auto it = planner_index.find(a.planner);
    const std::size_t index = it == planner_index.end() ? 0 : it->second;
    return ColorSwatch(PlannerColor(index)) + HtmlEscape(a.planner) +
           (a.privileged ? " <b>(privileged)</b>" : "");
  };
  const auto ratio = [](const std::optional<double>& v) {
    return v ? base::FormatFixed(*v, 3) : "-";
  };
  for (const PlannerAggregate& a : aggregates) {
    std::string score = base::FormatFixed(a.score_mean, 3);
    if (a.score_ci95) score += " \u00b1 " + base::FormatFixed(*a.score_ci95, 3);
    html += "<tr><td class=\"l\">" + swatch(a) + "</td>" + Cell(std::to_string(a.runs)) +
            Cell(std::to_string(a.ok)) + Cell(std::to_string(a.failed)) +
            Cell(std::to_string(a.skipped)) + Cell(base::FormatFixed(a.completion_pct, 1) + " %") +
            Cell(score) + Cell(base::FormatFixed(a.slip_p95_mean, 3)) +
            Cell(base::FormatFixed(a.hazards_per_100m, 2)) +
            Cell(base::FormatFixed(a.distance_m, 1));
    if (oracle_ran) html += Cell(ratio(a.score_vs_oracle));
    html += "</tr>\n";
  }
  html +=
      "</table>\n<h3>Why runs end</h3>\n<table><tr><th class=\"l\">planner</th>"
      "<th class=\"l\">runs by how they ended</th></tr>\n";
  for (const PlannerAggregate& a : aggregates) {
    html +=
        "<tr><td class=\"l\">" + swatch(a) + "</td>" + Cell(EndReasonsText(a), true) + "</tr>\n";
  }
  html += "</table>\n";
  if (!oracle_ran) return html;
  html +=
      "<h3>Score vs oracle per scenario</h3>\n<p class=\"note\">planner mean score "
      "&divide; the privileged oracle's mean score on the same scenario and seeds</p>\n"
      "<table><tr><th class=\"l\">planner</th><th class=\"l\">scenario</th><th>runs</th>"
      "<th>score (mean)</th><th>score vs oracle</th></tr>\n";
  for (const PlannerAggregate& a : aggregates) {
    for (const PlannerAggregate::PerScenario& sc : a.scenarios) {
      html += "<tr><td class=\"l\">" + swatch(a) + "</td>" + Cell(sc.scenario, true) +
              Cell(std::to_string(sc.runs)) + Cell(base::FormatFixed(sc.score_mean, 3)) +
              Cell(ratio(sc.score_vs_oracle)) + "</tr>\n";
    }
  }
  return html + "</table>\n";
}

std::string RunsHtml(const std::vector<LoadedRun>& runs) {
  // The plan check's column only when some run checked its plan (docs/plan-check.md).
  const bool checked = std::any_of(runs.begin(), runs.end(), [](const LoadedRun& run) {
    return run.entry->record.check.has_value();
  });
  std::string html =
      "<table><tr><th class=\"l\">scenario</th><th class=\"l\">planner</th><th>seed</th>"
      "<th class=\"l\">status</th><th>score</th><th>completion</th><th>distance (m)</th>"
      "<th>slip p95</th><th>tilt max (deg)</th><th>hazards</th>";
  html += checked ? "<th class=\"l\">plan check</th><th class=\"l\">reason</th></tr>\n"
                  : "<th class=\"l\">reason</th></tr>\n";
  for (const LoadedRun& run : runs) {
    const RunRecord& r = run.entry->record;
    const bool drove = run.figures && run.figures->drove;
    std::string hazards;
    if (drove) {
      hazards = std::to_string(run.figures->hazards);
      for (const auto& [kind, n] : run.figures->hazard_counts) {
        if (n > 0) hazards += " " + kind + "=" + std::to_string(n);
      }
    }
    std::string reason = r.failure.empty() ? r.reason : r.failure + ": " + r.reason;
    for (const std::string& note : run.notes) reason += (reason.empty() ? "" : "; ") + note;
    std::string status = ToString(r.status);
    html += "<tr class=\"" + status + "\">" + Cell(r.scenario, true) + "<td class=\"l\">" +
            ColorSwatch(PlannerColor(run.planner_index)) + HtmlEscape(r.planner_label) + "</td>" +
            Cell(std::to_string(r.seed)) + Cell(status, true) +
            Cell(r.score ? base::FormatFixed(*r.score, 3) : "") +
            Cell(drove ? base::FormatFixed(100 * run.figures->completion, 1) + " %" : "") +
            Cell(drove ? base::FormatFixed(run.figures->distance_m, 1) : "") +
            Cell(drove ? base::FormatFixed(run.figures->slip_p95, 3) : "") +
            Cell(drove ? base::FormatFixed(run.figures->tilt_max_deg, 1) : "") + Cell(hazards);
    if (checked)
      html += "<td class=\"l\" style=\"white-space:nowrap\">" + RunCheckHtml(*run.entry) + "</td>";
    html += Cell(reason, true) + "</tr>\n";
  }
  return html + "</table>\n";
}

// The drives that ended in a fault (off_map, rollover, sim_fault: sim/fault_detect.h), listed
// on their own: each is a failed run whose physics or route needs a look.
std::string DriveFaultsHtml(const std::vector<LoadedRun>& runs) {
  std::string items;
  for (const LoadedRun& run : runs) {
    const RunRecord& r = run.entry->record;
    const auto& m = r.metrics;
    if (!m.is_object() || !m.contains("status") || !m["status"].is_string()) continue;
    const std::string status = m["status"].get<std::string>();
    if (!sim::IsFault(status)) continue;
    const std::string reason =
        m.contains("reason") && m["reason"].is_string() ? m["reason"].get<std::string>() : "";
    items += "<li>" + ColorSwatch(PlannerColor(run.planner_index)) + HtmlEscape(Label(r)) +
             ": <b>" + HtmlEscape(status) + "</b>" +
             (reason.empty() ? "" : ": " + HtmlEscape(reason)) + "</li>\n";
  }
  if (items.empty()) return "<p>No drive ended in a fault (off_map, rollover, sim_fault).</p>\n";
  return "<ul>\n" + items + "</ul>\n";
}

// The map of a scenario as an <img> with a data URI, or a note saying why there is none.
// The map is drawn on the first run's terrain that loads (seeds may perturb rocks, but the
// orthoimage of one scenario looks the same).
std::string MapHtml(const fs::path& results_dir, const std::vector<const LoadedRun*>& runs,
                    const ReportOptions& options) {
  std::string why = "no run names its terrain";
  std::optional<terrain::OrbitalProducts> orbital;
  for (const LoadedRun* run : runs) {
    const RunRecord& r = run->entry->record;
    if (r.terrain_dir.empty()) continue;
    try {
      orbital = terrain::LoadOrbitalProducts(results_dir / run->entry->dir / r.terrain_dir);
      break;
    } catch (const InputError& e) {
      why = e.what();
    }
  }
  if (!orbital) return "<p class=\"note\">map unavailable: " + HtmlEscape(why) + "</p>\n";

  const RunRecord& first = runs.front()->entry->record;
  MapScene scene{first.start, first.goal, first.keep_outs, {}};
  for (const LoadedRun* run : runs) {
    MapRun m{.color = PlannerColor(run->planner_index),
             .waypoints = run->waypoints,
             .track = {},
             .hazards = run->hazards};
    for (const sim::TelemetrySample& s : run->telemetry) {
      m.track.push_back({s.position_map_m[0], s.position_map_m[1]});
    }
    scene.runs.push_back(std::move(m));
  }
  planners::MapImage image;
  try {
    image = RenderScenarioMap(*orbital, scene, options.map_max_side_px);
  } catch (const InputError& e) {
    return "<p class=\"note\">map unavailable: " + HtmlEscape(e.what()) + "</p>\n";
  }
  return MapImageHtml(image, "map of " + first.scenario);
}

std::string LegendHtml(const std::vector<const LoadedRun*>& runs) {
  std::vector<std::size_t> seen;
  std::string html = "<p class=\"legend\">";
  for (const LoadedRun* run : runs) {
    if (std::find(seen.begin(), seen.end(), run->planner_index) != seen.end()) continue;
    seen.push_back(run->planner_index);
    html += "<span class=\"item\">" + ColorSwatch(PlannerColor(run->planner_index)) +
            HtmlEscape(run->entry->record.planner_label) + "</span>";
  }
  html +=
      "<span class=\"item\">thin light line and dots: planned waypoints; thick line: driven "
      "track</span><span class=\"item\">" +
      ColorSwatch(kHazardColor) + "&times; hazard</span><span class=\"item\">" +
      ColorSwatch(planners::kStartColor) + "start</span><span class=\"item\">" +
      ColorSwatch(planners::kGoalColor) + "goal</span><span class=\"item\">" +
      ColorSwatch(planners::kKeepOutColor) + "keep-out</span></p>\n";
  return html;
}

std::string PlotsHtml(const std::vector<const LoadedRun*>& runs, const ReportOptions& options) {
  std::vector<PlotSeries> slip, tilt, progress;
  std::optional<double> slip_limit;
  for (const LoadedRun* run : runs) {
    if (run->telemetry.empty()) continue;
    const RunSeries s = SeriesOf(*run, options.plot_max_points);
    const MapColor color = PlannerColor(run->planner_index);
    const std::string label = Label(run->entry->record);
    slip.push_back({label, color, s.slip});
    tilt.push_back({label, color, s.tilt});
    progress.push_back({label, color, s.progress});
    if (run->figures && run->figures->slip_limit > 0) slip_limit = run->figures->slip_limit;
  }
  if (slip.empty()) return "<p class=\"note\">no drive to plot</p>\n";
  std::string html = "<div class=\"plots\">";
  html += SvgPlot({.title = "slip per window",
                   .x_label = "distance driven (m)",
                   .y_label = "slip",
                   .reference_y = slip_limit,
                   .reference_label = "slip limit",
                   .width_px = kPlotWidthPx,
                   .height_px = kPlotHeightPx},
                  slip);
  html += SvgPlot({.title = "tilt",
                   .x_label = "distance driven (m)",
                   .y_label = "tilt (deg)",
                   .reference_y = std::nullopt,
                   .reference_label = "",
                   .width_px = kPlotWidthPx,
                   .height_px = kPlotHeightPx},
                  tilt);
  html += SvgPlot({.title = "progress toward the goal",
                   .x_label = "distance driven (m)",
                   .y_label = "progress (m)",
                   .reference_y = std::nullopt,
                   .reference_label = "",
                   .width_px = kPlotWidthPx,
                   .height_px = kPlotHeightPx},
                  progress);
  return html + "</div>\n";
}

std::string ScenarioHtml(const fs::path& results_dir, const std::string& scenario,
                         const std::vector<const LoadedRun*>& runs, const ReportOptions& options) {
  std::string html = "<h2 id=\"" + HtmlEscape(Anchor(scenario)) + "\">Scenario " +
                     HtmlEscape(scenario) + "</h2>\n";
  html += LegendHtml(runs);
  html += MapHtml(results_dir, runs, options);
  html += PlotsHtml(runs, options);
  std::string notes;
  for (const LoadedRun* run : runs) {
    const RunRecord& r = run->entry->record;
    if (r.status == RunStatus::kOk && run->notes.empty()) continue;
    std::string text = Label(r) + ": " + ToString(r.status);
    if (!r.failure.empty()) text += " (" + r.failure + ")";
    if (!r.reason.empty()) text += ": " + r.reason;
    for (const std::string& note : run->notes) text += "; " + note;
    notes += "<li>" + ColorSwatch(PlannerColor(run->planner_index)) + HtmlEscape(text) + "</li>\n";
  }
  if (!notes.empty()) html += "<ul>\n" + notes + "</ul>\n";
  return html;
}

}  // namespace

std::string ReportHtml(const fs::path& results_dir, const SuiteResults& results,
                       const ReportOptions& options) {
  std::map<std::string, std::size_t> planner_index;
  std::vector<std::string> scenarios;
  std::vector<LoadedRun> runs;
  runs.reserve(results.runs.size());
  for (const RunEntry& entry : results.runs) {
    const RunRecord& r = entry.record;
    planner_index.emplace(r.planner_label, planner_index.size());
    if (std::find(scenarios.begin(), scenarios.end(), r.scenario) == scenarios.end()) {
      scenarios.push_back(r.scenario);
    }
    LoadedRun run = LoadRun(results_dir, entry);
    run.planner_index = planner_index[r.planner_label];
    runs.push_back(std::move(run));
  }
  // Scenario sections first: reading telemetry adds notes the runs table shows.
  std::string sections;
  for (const std::string& scenario : scenarios) {
    std::vector<const LoadedRun*> of_scenario;
    for (LoadedRun& run : runs) {
      if (run.entry->record.scenario != scenario) continue;
      LoadTelemetry(results_dir, run);
      of_scenario.push_back(&run);
    }
    sections += ScenarioHtml(results_dir, scenario, of_scenario, options);
    for (LoadedRun& run : runs) sim::Telemetry().swap(run.telemetry);
  }
  const std::string title =
      "marsdrive report: " + (results.suite.empty() ? "suite" : results.suite);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html +=
      "<title>" + HtmlEscape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + HtmlEscape(title) + "</h1>\n<p>suite file: " + HtmlEscape(results.suite_file) +
          "; " + std::to_string(results.runs.size()) + " runs, " +
          std::to_string(planner_index.size()) + " planners, " + std::to_string(scenarios.size()) +
          " scenarios. Score: docs/scoring.md.</p>\n";
  html += "<p>Scenarios:";
  for (const std::string& s : scenarios) {
    html += " <a href=\"#" + HtmlEscape(Anchor(s)) + "\">" + HtmlEscape(s) + "</a>";
  }
  html += "</p>\n<h2>Scorecard</h2>\n" + ScorecardHtml(results, planner_index);
  html += CalibrationSectionHtml(Aggregate(results.runs), planner_index);
  html += "<h2>Runs</h2>\n" + RunsHtml(runs);
  html += "<h2>Drive faults</h2>\n" + DriveFaultsHtml(runs);
  html += sections;
  html += "</body>\n</html>\n";
  return html;
}

fs::path WriteReport(const fs::path& results_dir, const SuiteResults& results,
                     const ReportOptions& options) {
  const fs::path path = results_dir / "report.html";
  WriteTextFile(path, ReportHtml(results_dir, results, options));
  return path;
}

}  // namespace marsdrive::scenarios

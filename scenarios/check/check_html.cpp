#include "scenarios/check/check_html.h"

#include <algorithm>
#include <cstdio>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "base/format.h"
#include "io/text_file.h"
#include "scenarios/check/check_map.h"
#include "scenarios/check/check_page.h"
#include "scenarios/report_map.h"
#include "scenarios/report_plots.h"

namespace marsdrive::check {

namespace {

namespace fs = std::filesystem;
using planners::Rgb;
using scenarios::ColorSwatch;
using scenarios::HexColor;
using scenarios::HtmlEscape;

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1250px}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;font-size:.9em}
th{background:#f0f0f0}td.l,th.l{text-align:left}
.verdict{display:inline-block;font-size:2.4em;font-weight:bold;text-transform:uppercase;
color:#fff;padding:.1em .6em;border-radius:.2em}
.v-go{background:#1a9850}.v-marginal{background:#e69500}.v-no_go{background:#d7191c}
.v-other{background:#777}
ul.reasons li{margin:.2em 0}
tr.worst td{background:#fde8e8;font-weight:bold}tr.severe td.l:first-child{font-weight:bold}
.sw{display:inline-block;width:.9em;height:.9em;border:1px solid #333;vertical-align:middle;
margin-right:.3em}
.ramp{display:inline-block;width:6em;height:.9em;border:1px solid #333;vertical-align:middle;
margin:0 .3em}
.legend span.item{margin-right:1.2em;white-space:nowrap}
.plots{display:flex;flex-wrap:wrap;gap:.5em}
svg.plot{font-size:10px;background:#fff}svg.plot .title{font-size:12px;font-weight:bold}
svg.plot .frame{fill:none;stroke:#888}svg.plot .grid{stroke:#eee}
svg.plot .limit{stroke:#c00;stroke-dasharray:4 3}
td a{white-space:nowrap}
.note{color:#a00}img.map{max-width:100%;height:auto;border:1px solid #888}
)";

std::string Cell(const std::string& text, bool left = false) {
  return (left ? "<td class=\"l\">" : "<td>") + HtmlEscape(text) + "</td>";
}

// "(x, y)", appended piecewise: g++ 12 warns (-Wrestrict, a false positive) on "(" + string.
std::string Point(const planners::Point2& p) {
  std::string text = "(";
  text += base::FormatFixed(p.x_m, 1);
  text += ", ";
  text += base::FormatFixed(p.y_m, 1);
  text += ")";
  return text;
}

std::string Interval(const PageProportion& p) {
  return base::FormatFixed(p.lo, 2) + "\u2013" + base::FormatFixed(p.hi, 2);
}

std::string VerdictHtml(const CheckPage& page) {
  const std::string& v = page.verdict;
  const std::string css = v == "go" || v == "marginal" || v == "no_go" ? "v-" + v : "v-other";
  std::string html = "<h1>Plan check <span class=\"verdict " + css + "\">" + HtmlEscape(v) +
                     "</span></h1>\n<ul class=\"reasons\">\n";
  for (const std::string& reason : page.reasons) html += "<li>" + HtmlEscape(reason) + "</li>\n";
  return html + "</ul>\n";
}

std::string ProportionsHtml(const CheckPage& page) {
  const PageProportion& g = page.goal;
  std::string html = "<p><b>p_goal " + base::FormatFixed(g.p, 2) + "</b> (" +
                     std::to_string(g.count) + " of " + std::to_string(g.trials) +
                     " trials reached the goal; 95 % CI " + Interval(g) + ")</p>\n";
  html +=
      "<table><tr><th class=\"l\">hazard</th><th>trials with it</th><th>p</th>"
      "<th>95 % CI</th></tr>\n";
  for (const PageProportion& h : page.hazards) {
    const bool severe = h.name == "severe";
    html += std::string(severe ? "<tr class=\"severe\">" : "<tr>") +
            Cell(severe ? "severe (any)" : h.name, true) +
            Cell(std::to_string(h.count) + " of " + std::to_string(h.trials)) +
            Cell(base::FormatFixed(h.p, 2)) + Cell(Interval(h)) + "</tr>\n";
  }
  return html + "</table>\n";
}

std::string InputsHtml(const CheckPage& page) {
  std::string keep_outs;
  for (const planners::KeepOut& k : page.keep_outs)
    keep_outs += (keep_outs.empty() ? "" : ", ") + k.name;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"plan", page.plan},
      {"orbital products", page.orbital_dir},
      {"trials", std::to_string(page.trial_count)},
      {"seed", std::to_string(page.seed)},
      {"flight rules", page.rules_source},
      {"start", Point({page.start.x_m, page.start.y_m}) + ", yaw " +
                    base::FormatFixed(page.start.yaw_rad * kRadToDeg, 1) + "\u00b0"},
      {"goal", Point({page.goal_region.x_m, page.goal_region.y_m}) + " \u00b1 " +
                   base::FormatFixed(page.goal_region.tolerance_m, 2) + " m"},
      {"keep-outs", keep_outs.empty() ? "none" : keep_outs},
  };
  std::string html = "<table>\n";
  for (const auto& [key, value] : rows) {
    html += "<tr><th class=\"l\">" + HtmlEscape(key) + "</th>" + Cell(value, true) + "</tr>\n";
  }
  return html + "</table>\n";
}

std::string MapLegendHtml() {
  std::string html = "<p class=\"legend\">";
  const std::pair<Rgb, const char*> items[] = {
      {kGoalTrackColor, "reached the goal"},
      {kFailedTrackColor, "failed, nothing severe"},
      {kSevereTrackColor, "severe (keep-out, rollover, body contact, fault, error)"},
      {scenarios::kHazardColor, "&times; where a trial failed"},
      {planners::kStartColor, "start"},
      {planners::kGoalColor, "goal"},
      {planners::kKeepOutColor, "keep-out"},
  };
  for (const auto& [color, text] : items) {
    html += "<span class=\"item\">" + ColorSwatch(color) + text + "</span>";
  }
  html +=
      "<span class=\"item\">plan legs by p_fail: 0<span class=\"ramp\" style=\"background:"
      "linear-gradient(to right," +
      HexColor(LegRiskColor(0)) + "," + HexColor(LegRiskColor(1)) + ")\"></span>1; " +
      ColorSwatch(kUnenteredLegColor) + "no trial got there</span></p>\n";
  return html;
}

// The leg with the highest p_fail among those with failures (the first on ties); none if none.
std::size_t WorstLeg(const std::vector<PageLeg>& legs) {
  std::size_t worst = legs.size();
  for (std::size_t i = 0; i < legs.size(); ++i) {
    if (legs[i].failures > 0 && (worst == legs.size() || legs[i].p_fail > legs[worst].p_fail))
      worst = i;
  }
  return worst;
}

std::string LegsHtml(const CheckPage& page) {
  const std::size_t worst = WorstLeg(page.legs);
  std::string html =
      "<table><tr><th>leg</th><th class=\"l\">from</th><th class=\"l\">to</th>"
      "<th>entered</th><th>failures</th><th>p_fail</th><th class=\"l\">main failure</th></tr>\n";
  for (std::size_t i = 0; i < page.legs.size(); ++i) {
    const PageLeg& l = page.legs[i];
    const Rgb color = l.entered > 0 ? LegRiskColor(l.p_fail) : kUnenteredLegColor;
    html += std::string(i == worst ? "<tr class=\"worst\">" : "<tr class=\"leg\">") + "<td>" +
            ColorSwatch(color) + std::to_string(i + 1) + "</td>" + Cell(Point(l.from), true) +
            Cell(Point(l.to), true) + Cell(std::to_string(l.entered)) +
            Cell(std::to_string(l.failures)) + Cell(base::FormatFixed(l.p_fail, 2)) +
            Cell(l.main_failure.empty() ? "-" : l.main_failure, true) + "</tr>\n";
  }
  html += "</table>\n";
  if (worst < page.legs.size()) {
    html += "<p>Worst leg: " + std::to_string(worst + 1) + " (highlighted).</p>\n";
  }
  return html;
}

// Sorted values as a staircase over the fraction of trials: the empirical CDF on its side, so
// a limit is a horizontal line and the share of trials above it can be read off.
std::vector<std::pair<double, double>> Staircase(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::vector<std::pair<double, double>> points;
  const double n = static_cast<double>(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    points.emplace_back(static_cast<double>(i) / n, values[i]);
    points.emplace_back(static_cast<double>(i + 1) / n, values[i]);
  }
  return points;
}

std::string DistributionPlot(const std::string& title, const std::string& y_label,
                             std::vector<double> values, std::optional<double> limit) {
  return scenarios::SvgPlot({.title = title,
                             .x_label = "fraction of trials (sorted by value)",
                             .y_label = y_label,
                             .reference_y = limit,
                             .reference_label = limit ? "slip limit" : "",
                             .width_px = 400,
                             .height_px = 240},
                            {{title, {31, 119, 180}, Staircase(std::move(values))}});
}

std::string PlotsHtml(const CheckPage& page) {
  std::vector<double> slip, tilt, time;
  for (const PageTrial& t : page.trials) {
    if (t.status == "error") continue;  // as check.json's quantiles: no drive, no values
    slip.push_back(t.slip_p95), tilt.push_back(t.tilt_max_deg), time.push_back(t.time_s);
  }
  if (slip.empty()) return "<p class=\"note\">no trial drove: nothing to plot</p>\n";
  return "<div class=\"plots\">" +
         DistributionPlot("slip p95 per trial", "slip p95", slip, page.slip_limit) +
         DistributionPlot("tilt max per trial", "tilt max (deg)", tilt, std::nullopt) +
         DistributionPlot("time per trial", "time (s)", time, std::nullopt) + "</div>\n";
}

std::string TrialsHtml(const CheckPage& page, const std::vector<TrialTrack>& tracks) {
  std::string html =
      "<table><tr><th>trial</th><th class=\"l\">status</th><th class=\"l\">goal</th>"
      "<th>distance (m)</th><th>slip p95</th><th>tilt max (deg)</th><th>time (s)</th>"
      "<th class=\"l\">failure</th><th class=\"l\">reason</th><th class=\"l\">files</th></tr>\n";
  for (std::size_t i = 0; i < page.trials.size(); ++i) {
    const PageTrial& t = page.trials[i];
    std::string reason = t.reason;
    if (i < tracks.size() && !tracks[i].note.empty()) {
      reason += (reason.empty() ? "" : "; ") + std::string("track not drawn: ") + tracks[i].note;
    }
    html += "<tr><td>" + ColorSwatch(TrialColor(t.kind)) + std::to_string(t.index) + "</td>" +
            Cell(t.status, true) + Cell(t.goal_reached ? "reached" : "no", true) +
            Cell(base::FormatFixed(t.distance_m, 1)) + Cell(base::FormatFixed(t.slip_p95, 3)) +
            Cell(base::FormatFixed(t.tilt_max_deg, 1)) + Cell(base::FormatFixed(t.time_s, 0)) +
            Cell(t.failure.empty() ? "-" : t.failure, true) + Cell(reason, true) +
            "<td class=\"l\"><a href=\"" + HtmlEscape(t.dir) + "/\">" + HtmlEscape(t.dir) +
            "</a></td></tr>\n";
  }
  return html + "</table>\n";
}

std::string TrackNotesHtml(const CheckPage& page, const std::vector<TrialTrack>& tracks) {
  std::string items;
  for (std::size_t i = 0; i < tracks.size() && i < page.trials.size(); ++i) {
    if (tracks[i].note.empty()) continue;
    items += "<li>trial " + std::to_string(page.trials[i].index) +
             ": track missing: " + HtmlEscape(tracks[i].note) + "</li>\n";
  }
  return items.empty() ? "" : "<ul class=\"note\">\n" + items + "</ul>\n";
}

std::string PageHtml(const terrain::OrbitalProducts& orbital, const CheckPage& page,
                     const std::vector<TrialTrack>& tracks) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Plan check: " +
      HtmlEscape(page.verdict) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += VerdictHtml(page) + ProportionsHtml(page);
  html += "<h2>Inputs</h2>\n" + InputsHtml(page);
  html += "<h2>Map</h2>\n" + MapLegendHtml() + CheckMapHtml(orbital, page, tracks) +
          TrackNotesHtml(page, tracks);
  html += "<h2>Risk per leg</h2>\n" + LegsHtml(page);
  html += "<h2>Distributions over the trials</h2>\n" + PlotsHtml(page);
  html += "<h2>Trials</h2>\n" + TrialsHtml(page, tracks);
  return html + "</body>\n</html>\n";
}

}  // namespace

void WriteCheckHtml(const fs::path& out, const terrain::OrbitalProducts& orbital,
                    const nlohmann::ordered_json& check) {
  const CheckPage page = ReadCheckPage(JsonReader((out / "check.json").string()), check);
  const std::vector<TrialTrack> tracks = LoadTrialTracks(out, page);
  WriteTextFile(out / "check.html", PageHtml(orbital, page, tracks));
}

}  // namespace marsdrive::check

#include "scenarios/report_calibration.h"

#include <cstdio>

#include "base/format.h"
#include "scenarios/report_map.h"
#include "scenarios/report_plots.h"

namespace marsdrive::scenarios {

namespace {

std::string Td(const std::string& text) { return "<td>" + HtmlEscape(text) + "</td>"; }

// part / whole with 3 decimals, or "-" when whole is 0.
std::string Rate(int part, int whole) {
  return whole > 0 ? base::FormatFixed(static_cast<double>(part) / whole, 3) : "-";
}

MapColor ColorOf(const std::string& label, const std::map<std::string, std::size_t>& index) {
  const auto it = index.find(label);
  return PlannerColor(it == index.end() ? 0 : it->second);
}

std::string Diagram(const PlannerAggregate& a, MapColor color) {
  std::vector<ReliabilityPoint> points;
  for (const ReliabilityBin& bin : a.calibration->bins) {
    if (bin.count > 0) points.push_back({bin.mean_predicted, bin.observed_rate, bin.count});
  }
  return SvgReliabilityDiagram({.title = a.planner,
                                .x_label = "predicted p_goal",
                                .y_label = "observed goal rate",
                                .color = color,
                                .size_px = 260},
                               points);
}

std::string TableRow(const PlannerAggregate& a, MapColor color) {
  const Calibration& c = *a.calibration;
  return "<tr><td class=\"l\"><span class=\"sw\" style=\"background:" + HexColor(color) +
         "\"></span>" + HtmlEscape(a.planner) + "</td>" + Td(std::to_string(c.count)) +
         Td(c.count > 0 ? base::FormatFixed(c.brier, 3) : "-") + Td(std::to_string(c.go_count)) +
         Td(std::to_string(c.go_failed)) + Td(Rate(c.go_failed, c.go_count)) +
         Td(std::to_string(c.marginal_count)) + Td(std::to_string(c.no_go_count)) +
         Td(std::to_string(c.no_go_succeeded)) + Td(Rate(c.no_go_succeeded, c.no_go_count)) +
         "</tr>\n";
}

const char* VerdictColor(const std::string& verdict) {
  if (verdict == "go") return "#1a9850";
  if (verdict == "marginal") return "#b36b00";
  if (verdict == "no_go") return "#d7191c";
  return "#555";
}

// A link only to a path below the report's directory: no scheme, not absolute.
bool IsPlainRelative(const std::string& path) {
  return !path.empty() && path.find(':') == std::string::npos && path.front() != '/' &&
         path.front() != '\\';
}

}  // namespace

std::string CalibrationSectionHtml(const std::vector<PlannerAggregate>& aggregates,
                                   const std::map<std::string, std::size_t>& planner_index) {
  std::string diagrams, rows;
  for (const PlannerAggregate& a : aggregates) {
    if (!a.calibration) continue;
    const MapColor color = ColorOf(a.planner, planner_index);
    diagrams += Diagram(a, color);
    rows += TableRow(a, color);
  }
  if (rows.empty()) return "";
  return "<h2>Digital-twin calibration</h2>\n<p>Runs that checked their plan before the drive "
         "(a planner entry's <code>check</code>): the twin's predicted <code>p_goal</code> "
         "against whether the drive on the ground truth then reached the goal. A point below the "
         "diagonal means the twin was optimistic. Brier: mean (p_goal &minus; reached)&sup2;, 0 "
         "is perfect, 0.25 is always saying 0.5 (docs/plan-check.md).</p>\n"
         "<div class=\"plots\">" +
         diagrams +
         "</div>\n<table><tr><th class=\"l\">planner</th><th>checked runs</th><th>Brier</th>"
         "<th>go</th><th>go failed</th><th>go failed rate</th><th>marginal</th><th>no_go</th>"
         "<th>no_go succeeded</th><th>no_go succeeded rate</th></tr>\n" +
         rows + "</table>\n";
}

std::string RunCheckHtml(const RunEntry& entry) {
  if (!entry.record.check) return "";
  const RunCheck& c = *entry.record.check;
  const std::string text = "<b style=\"color:" + std::string(VerdictColor(c.verdict)) + "\">" +
                           HtmlEscape(c.verdict) + "</b> p_goal " + base::FormatFixed(c.p_goal, 2) +
                           " (" + std::to_string(c.goal_count) + "/" + std::to_string(c.trials) +
                           ")";
  const std::string href = entry.dir + "/" + c.dir + "/check.html";
  if (!IsPlainRelative(entry.dir) || !IsPlainRelative(c.dir)) return text;
  return "<a href=\"" + HtmlEscape(href) + "\">" + text + "</a>";
}

}  // namespace marsdrive::scenarios

// JUnit XML (junit-10.xsd) of a suite and of a comparison verdict. Output is a pure function
// of the results: no timestamps, host names or wall times, so equal suites give equal bytes.

#include "scenarios/junit.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/format.h"
#include "io/markup_escape.h"
#include "scenarios/compare.h"

namespace marsdrive::scenarios {

namespace {

std::string Attr(std::string_view text) { return EscapeMarkup(text, true); }
std::string Text(std::string_view text) { return EscapeMarkup(text, false); }

// A small writer that keeps the element nesting readable below.
class Xml {
 public:
  Xml() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }
  // <name a="v" ...> (or "/>" when `empty`)
  void Open(const std::string& name, const std::vector<std::pair<std::string, std::string>>& attrs,
            bool empty = false) {
    StartTag(name, attrs);
    out_ += empty ? "/>\n" : ">\n";
    if (!empty) ++depth_;
  }
  void Close(const std::string& name) {
    --depth_;
    out_.append(static_cast<std::size_t>(2 * depth_), ' ');
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  // <name attrs>text</name> on one line.
  void Element(const std::string& name,
               const std::vector<std::pair<std::string, std::string>>& attrs,
               const std::string& text) {
    StartTag(name, attrs);
    out_ += '>';
    out_ += Text(text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void Properties(const std::vector<std::pair<std::string, std::string>>& properties) {
    Open("properties", {});
    for (const auto& [name, value] : properties) {
      Open("property", {{"name", name}, {"value", value}}, true);
    }
    Close("properties");
  }
  const std::string& str() const { return out_; }

 private:
  // Indentation, '<', the name and the attributes of a start tag (unclosed).
  void StartTag(const std::string& name,
                const std::vector<std::pair<std::string, std::string>>& attrs) {
    out_.append(static_cast<std::size_t>(2 * depth_), ' ');
    out_ += '<';
    out_ += name;
    for (const auto& [key, value] : attrs) {
      out_ += ' ';
      out_ += key;
      out_ += "=\"";
      out_ += Attr(value);
      out_ += '"';
    }
  }
  std::string out_;
  int depth_ = 0;
};

// A test case's failure: its type and message ("" when it passes).
struct CaseFailure {
  std::string type, message;
};

CaseFailure FailureOf(const RunRecord& record) {
  if (record.status == RunStatus::kSkipped) return {};
  if (record.status == RunStatus::kFailed) {
    return {record.failure.empty() ? "failed" : record.failure, JunitFailure(record)};
  }
  const std::string message = JunitFailure(record);
  if (message.empty()) return {};
  RunFigures figures;
  try {
    figures = FiguresOf(record);
  } catch (const InputError&) {
    return {"metrics", message};
  }
  return {figures.goal_reached == false ? "goal_not_reached" : "over_limits", message};
}

// What the run measured, for the test case's system-out.
std::string Summary(const RunRecord& record) {
  std::string text = "id: " + record.id + "\nplanner: " + record.planner +
                     "\nseed: " + std::to_string(record.seed) +
                     "\nstatus: " + ToString(record.status);
  if (record.score) text += "\nscore: " + base::FormatFixed(*record.score, 4);
  if (!record.plan_status.empty()) text += "\nplan: " + record.plan_status;
  try {
    const RunFigures f = FiguresOf(record);
    if (f.drove) {
      text += "\ncompletion: " + base::FormatFixed(100 * f.completion, 1) + " %";
      text += "\ndistance: " + base::FormatFixed(f.distance_m, 2) + " m";
      text += "\nslip p95: " + base::FormatFixed(f.slip_p95, 3);
      text += "\ntilt max: " + base::FormatFixed(f.tilt_max_deg, 1) + " deg";
      text += "\nhazards: " + std::to_string(f.hazards);
      for (const auto& [kind, n] : f.hazard_counts) {
        if (n > 0) text += " " + kind + "=" + std::to_string(n);
      }
    }
  } catch (const InputError& e) {
    text += "\nmetrics: ";
    text += e.what();
  }
  if (!record.reason.empty()) text += "\nreason: " + record.reason;
  return text;
}

std::string Name(const std::string& suite) { return suite.empty() ? "marsdrive" : suite; }

}  // namespace

std::string JunitFailure(const RunRecord& record) {
  if (record.status == RunStatus::kSkipped) return "";
  if (record.status == RunStatus::kFailed) {
    std::string text = "run failed";
    if (!record.failure.empty()) text += " (" + record.failure + ")";
    if (!record.reason.empty()) text += ": " + record.reason;
    return text;
  }
  RunFigures f;
  try {
    f = FiguresOf(record);
  } catch (const InputError& e) {
    return std::string("metrics unreadable: ") + e.what();
  }
  if (!f.drove) return "";
  std::vector<std::string> why;
  if (f.goal_reached == false) {
    why.push_back("goal not reached (completion " + base::FormatFixed(100 * f.completion, 1) +
                  " %)");
  }
  if (f.slip_over_limit_m > 0) {
    why.push_back("slip above the limit " + base::FormatFixed(f.slip_limit, 2) + " for " +
                  base::FormatFixed(f.slip_over_limit_m, 2) + " m");
  }
  if (const int n = f.HazardCount("tilt"); n > 0) {
    why.push_back("tilt above the limit (" + std::to_string(n) + " events, max " +
                  base::FormatFixed(f.tilt_max_deg, 1) + " deg)");
  }
  if (const int n = f.HazardCount("keep_out"); n > 0) {
    why.push_back("entered a keep-out (" + std::to_string(n) + " events)");
  }
  if (const int n = f.HazardCount("body_contact"); n > 0) {
    why.push_back("body contact (" + std::to_string(n) + " events)");
  }
  std::string text;
  for (const std::string& w : why) text += (text.empty() ? "" : "; ") + w;
  return text;
}

std::string SuiteJunitXml(const SuiteResults& results) {
  // One <testsuite> per planner label, in order of first appearance.
  std::vector<std::string> planners;
  std::map<std::string, std::vector<const RunEntry*>> by_planner;
  for (const RunEntry& entry : results.runs) {
    auto& list = by_planner[entry.record.planner_label];
    if (list.empty()) planners.push_back(entry.record.planner_label);
    list.push_back(&entry);
  }
  int failures = 0;
  for (const RunEntry& entry : results.runs) {
    if (!FailureOf(entry.record).message.empty()) ++failures;
  }
  const std::string suite = Name(results.suite);
  Xml xml;
  xml.Open("testsuites", {{"name", suite},
                          {"tests", std::to_string(results.runs.size())},
                          {"failures", std::to_string(failures)},
                          {"errors", "0"}});
  for (const std::string& planner : planners) {
    const auto& runs = by_planner[planner];
    int planner_failures = 0, skipped = 0;
    for (const RunEntry* entry : runs) {
      if (entry->record.status == RunStatus::kSkipped) ++skipped;
      if (!FailureOf(entry->record).message.empty()) ++planner_failures;
    }
    const std::string classname = suite + "." + planner;
    xml.Open("testsuite", {{"name", classname},
                           {"tests", std::to_string(runs.size())},
                           {"failures", std::to_string(planner_failures)},
                           {"errors", "0"},
                           {"skipped", std::to_string(skipped)}});
    xml.Properties({{"suite", results.suite},
                    {"suite_file", results.suite_file},
                    {"planner", planner},
                    {"planner_name", runs.front()->record.planner}});
    for (const RunEntry* entry : runs) {
      const RunRecord& r = entry->record;
      xml.Open("testcase", {{"name", r.scenario + "/seed-" + std::to_string(r.seed)},
                            {"classname", classname}});
      if (r.status == RunStatus::kSkipped) {
        xml.Element("skipped", {{"message", r.reason}}, "");
      } else if (const CaseFailure f = FailureOf(r); !f.message.empty()) {
        xml.Element("failure", {{"type", f.type}, {"message", f.message}}, f.message);
      }
      xml.Element("system-out", {}, Summary(r));
      xml.Close("testcase");
    }
    xml.Close("testsuite");
  }
  xml.Close("testsuites");
  return xml.str();
}

std::string ComparisonJunitXml(const Comparison& c) {
  struct Case {
    std::string classname, name;
    std::string failure;  // "" when it passes
    std::string out;
  };
  std::vector<Case> cases;
  const auto regressions_of = [&](RegressionKind kind) {
    std::string text;
    for (const Regression& r : c.regressions) {
      if (r.kind == kind) text += (text.empty() ? "" : "\n") + r.message;
    }
    return text;
  };
  for (const PlannerVerdict& v : c.planners) {
    std::string out = "pairs: " + std::to_string(v.pairs) + "\ntest: " + v.test +
                      "\nmean score delta: " + base::FormatFixed(v.mean_delta, 4);
    if (v.p_value) out += "\none-sided p: " + base::FormatFixed(*v.p_value, 4);
    std::string failure;
    for (const Regression& r : c.regressions) {
      if (r.kind == RegressionKind::kScoreDrop && r.subject == v.planner) failure = r.message;
    }
    cases.push_back({"compare.score", v.planner + " score", failure, out});
  }
  std::string new_runs;
  for (const std::string& id : c.new_runs) new_runs += (new_runs.empty() ? "" : "\n") + id;
  cases.push_back({"compare.runs", "lost runs", regressions_of(RegressionKind::kLostRun),
                   new_runs.empty() ? "" : "new in the candidate (fine):\n" + new_runs});
  cases.push_back(
      {"compare.runs", "new failures", regressions_of(RegressionKind::kNewFailure), ""});
  cases.push_back(
      {"compare.runs", "new hazard kinds", regressions_of(RegressionKind::kNewHazard), ""});
  if (c.options.exact) {
    cases.push_back({"compare.runs", "changed runs", regressions_of(RegressionKind::kChanged), ""});
  }

  int failures = 0;
  for (const Case& k : cases) failures += k.failure.empty() ? 0 : 1;
  Xml xml;
  const std::string tests = std::to_string(cases.size());
  xml.Open("testsuites", {{"name", "marsdrive compare"},
                          {"tests", tests},
                          {"failures", std::to_string(failures)},
                          {"errors", "0"}});
  xml.Open("testsuite", {{"name", "compare"},
                         {"tests", tests},
                         {"failures", std::to_string(failures)},
                         {"errors", "0"},
                         {"skipped", "0"}});
  xml.Properties({{"baseline", c.baseline_source},
                  {"candidate", c.candidate_source},
                  {"tolerance", base::FormatFixed(c.options.tolerance, 6)},
                  {"alpha", base::FormatFixed(c.options.alpha, 6)}});
  for (const Case& k : cases) {
    xml.Open("testcase", {{"name", k.name}, {"classname", k.classname}});
    if (!k.failure.empty()) {
      const std::string first_line = k.failure.substr(0, k.failure.find('\n'));
      xml.Element("failure", {{"type", "regression"}, {"message", first_line}}, k.failure);
    }
    if (!k.out.empty()) xml.Element("system-out", {}, k.out);
    xml.Close("testcase");
  }
  xml.Close("testsuite");
  xml.Close("testsuites");
  return xml.str();
}

}  // namespace marsdrive::scenarios

#include "scenarios/results.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <system_error>

#include "base/check.h"
#include "base/format.h"
#include "base/statistics.h"
#include "io/json_reader.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/junit.h"

#ifndef MARSDRIVE_VERSION
#define MARSDRIVE_VERSION "unknown"
#endif

namespace marsdrive::scenarios {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// A metric from a run's metrics object, or `fallback` when the run has none.
double MetricOr(const RunRecord& r, const char* group, const char* key, double fallback) {
  const Json& m = r.metrics;
  if (!m.is_object()) return fallback;
  const Json* v = &m;
  if (group != nullptr) {
    if (!m.contains(group) || !m[group].is_object()) return fallback;
    v = &m[group];
  }
  if (!v->contains(key) || !(*v)[key].is_number()) return fallback;
  return (*v)[key].get<double>();
}

int HazardCount(const RunRecord& r) {
  int n = 0;
  if (r.metrics.is_object() && r.metrics.contains("hazards") && r.metrics["hazards"].is_array()) {
    n = static_cast<int>(r.metrics["hazards"].size());
  }
  return n;
}

bool GoalReached(const RunRecord& r) {
  return r.metrics.is_object() && r.metrics.contains("goal_reached") &&
         r.metrics["goal_reached"].is_boolean() && r.metrics["goal_reached"].get<bool>();
}

// A CSV field: quoted when it holds a separator, a quote or a line break.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ResultsCsv(const SuiteResults& results) {
  std::ostringstream out;
  out << "id,scenario,planner,seed,status,failure,score,goal_reached,distance_m,progress_m,"
         "slip_mean,slip_p95,slip_max,slip_over_limit_m,tilt_max_deg,hazards,energy_j,"
         "sim_time_s,plan_status,reason,dir\n";
  for (const RunEntry& e : results.runs) {
    const RunRecord& r = e.record;
    const bool driven = r.metrics.is_object();
    const auto metric = [&](const char* group, const char* key) {
      return driven ? base::FormatFixed(MetricOr(r, group, key, 0.0), 6) : std::string();
    };
    out << CsvField(r.id) << ',' << CsvField(r.scenario) << ',' << CsvField(r.planner_label) << ','
        << r.seed << ',' << ToString(r.status) << ',' << r.failure << ','
        << (r.score ? base::FormatFixed(*r.score, 6) : "") << ','
        << (driven ? (GoalReached(r) ? "1" : "0") : "") << ',' << metric(nullptr, "distance_m")
        << ',' << metric(nullptr, "progress_m") << ',' << metric("slip", "mean") << ','
        << metric("slip", "p95") << ',' << metric("slip", "max") << ','
        << metric("slip", "distance_over_limit_m") << ',' << metric(nullptr, "tilt_max_deg") << ','
        << (driven ? std::to_string(HazardCount(r)) : "") << ',' << metric(nullptr, "energy_j")
        << ',' << metric(nullptr, "sim_time_s") << ',' << r.plan_status << ',' << CsvField(r.reason)
        << ',' << CsvField(e.dir) << '\n';
  }
  return out.str();
}

}  // namespace

namespace {

void CountReason(std::vector<std::pair<std::string, int>>& counts, const std::string& reason) {
  for (auto& [name, n] : counts) {
    if (name == reason) {
      ++n;
      return;
    }
  }
  counts.emplace_back(reason, 1);
}

// Per planner and scenario: score_mean over its non-skipped runs; score_vs_oracle over the
// (scenario, seed) pairs the oracle also ran (non-skipped).
void AddScoreVsOracle(const std::vector<RunEntry>& runs, std::vector<PlannerAggregate>& out) {
  const std::string oracle = OracleLabel(out);
  using Key = std::pair<std::string, std::uint64_t>;  // scenario, seed
  std::map<Key, double> oracle_scores;
  for (const RunEntry& e : runs) {
    const RunRecord& r = e.record;
    if (!oracle.empty() && r.planner_label == oracle && r.status != RunStatus::kSkipped) {
      oracle_scores.emplace(Key{r.scenario, r.seed}, r.score.value_or(0.0));
    }
  }
  struct Sums {
    int n = 0, paired = 0;
    double score = 0, planner_paired = 0, oracle_paired = 0;
  };
  for (PlannerAggregate& a : out) {
    std::vector<std::string> order;
    std::map<std::string, Sums> per;
    Sums total;
    for (const RunEntry& e : runs) {
      const RunRecord& r = e.record;
      if (r.planner_label != a.planner || r.status == RunStatus::kSkipped) continue;
      if (!per.contains(r.scenario)) order.push_back(r.scenario);
      Sums& s = per[r.scenario];
      const double score = r.score.value_or(0.0);
      ++s.n;
      s.score += score;
      const auto o = oracle_scores.find(Key{r.scenario, r.seed});
      if (o == oracle_scores.end()) continue;
      for (Sums* t : {&s, &total}) {
        ++t->paired;
        t->planner_paired += score;
        t->oracle_paired += o->second;
      }
    }
    const auto ratio = [](const Sums& s) -> std::optional<double> {
      if (s.paired == 0 || !(s.oracle_paired > 0)) return std::nullopt;
      return s.planner_paired / s.oracle_paired;  // the ratio of the two means (same n)
    };
    if (oracle.empty()) continue;
    a.score_vs_oracle = ratio(total);
    for (const std::string& name : order) {
      const Sums& s = per[name];
      a.scenarios.push_back({name, s.n, s.score / s.n, ratio(s)});
    }
  }
}

// "digital twin" block of the scorecard: per planner its plan checks against its drives; ""
// when no planner checked a plan.
std::string CalibrationText(const std::vector<PlannerAggregate>& aggregates, std::size_t width) {
  const bool any = std::any_of(aggregates.begin(), aggregates.end(),
                               [](const PlannerAggregate& a) { return a.calibration.has_value(); });
  if (!any) return "";
  std::string text = "\ndigital twin (plan checks before the drive):\n";
  char line[256];
  for (const PlannerAggregate& a : aggregates) {
    const std::string name = a.privileged ? a.planner + " (privileged)" : a.planner;
    std::snprintf(line, sizeof line, "  %-*s ", static_cast<int>(width), name.c_str());
    text += line;
    if (!a.calibration) {
      text += "not checked\n";
      continue;
    }
    const Calibration& c = *a.calibration;
    std::snprintf(line, sizeof line,
                  "%d checked, Brier %s; go %d (%d failed), marginal %d, no_go %d (%d would have "
                  "succeeded)\n",
                  c.count, c.count > 0 ? base::FormatFixed(c.brier, 3).c_str() : "-", c.go_count,
                  c.go_failed, c.marginal_count, c.no_go_count, c.no_go_succeeded);
    text += line;
  }
  return text;
}

}  // namespace

std::string RunEndReason(const RunRecord& r) {
  if (r.status == RunStatus::kSkipped) return "skipped";
  if (GoalReached(r)) return "goal";
  if (r.failure == "plan") return "plan_failure";
  if (r.metrics.is_object() && r.metrics.contains("status") && r.metrics["status"].is_string()) {
    const std::string status = r.metrics["status"].get<std::string>();
    return status == "completed" ? "route_end" : status;
  }
  return r.failure.empty() ? "unknown" : r.failure;
}

std::string OracleLabel(const std::vector<PlannerAggregate>& aggregates) {
  for (const PlannerAggregate& a : aggregates) {
    if (a.privileged) return a.planner;
  }
  return "";
}

std::string EndReasonsText(const PlannerAggregate& aggregate) {
  std::string text;
  for (const auto& [reason, n] : aggregate.end_reasons) {
    if (!text.empty()) text += ", ";
    text += reason;
    text += ' ';
    text += std::to_string(n);
  }
  return text;
}

std::vector<PlannerAggregate> Aggregate(const std::vector<RunEntry>& runs) {
  std::vector<PlannerAggregate> out;
  std::map<std::string, std::size_t> index;
  std::map<std::string, std::vector<double>> scores, slip_p95;
  std::map<std::string, int> hazards;
  std::map<std::string, std::vector<CalibrationSample>> checks;
  for (const RunEntry& e : runs) {
    const RunRecord& r = e.record;
    auto [it, added] = index.emplace(r.planner_label, out.size());
    if (added) {
      out.emplace_back();
      out.back().planner = r.planner_label;
    }
    PlannerAggregate& a = out[it->second];
    ++a.runs;
    a.privileged = a.privileged || r.privileged;
    CountReason(a.end_reasons, RunEndReason(r));
    if (r.status == RunStatus::kSkipped) {
      ++a.skipped;
      continue;
    }
    (r.status == RunStatus::kOk ? a.ok : a.failed) += 1;
    scores[r.planner_label].push_back(r.score.value_or(0.0));
    if (GoalReached(r)) ++a.goals_reached;
    if (r.metrics.is_object()) {
      if (r.check)
        checks[r.planner_label].push_back({r.check->p_goal, r.check->verdict, GoalReached(r)});
      slip_p95[r.planner_label].push_back(MetricOr(r, "slip", "p95", 0.0));
      a.distance_m += MetricOr(r, nullptr, "distance_m", 0.0);
      hazards[r.planner_label] += HazardCount(r);
    }
  }
  for (PlannerAggregate& a : out) {
    const std::vector<double>& s = scores[a.planner];
    const int n = static_cast<int>(s.size());
    if (n == 0) continue;
    a.completion_pct = 100.0 * a.goals_reached / n;
    double sum = 0;
    for (const double v : s) sum += v;
    a.score_mean = sum / n;
    if (n >= 2) {
      double ss = 0;
      for (const double v : s) ss += (v - a.score_mean) * (v - a.score_mean);
      a.score_ci95 = base::StudentT95(n - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(n);
    }
    const std::vector<double>& p = slip_p95[a.planner];
    if (!p.empty()) {
      double total = 0;
      for (const double v : p) total += v;
      a.slip_p95_mean = total / static_cast<double>(p.size());
    }
    if (a.distance_m > 0) a.hazards_per_100m = 100.0 * hazards[a.planner] / a.distance_m;
    const std::vector<CalibrationSample>& c = checks[a.planner];
    if (!c.empty()) a.calibration = ComputeCalibration(c);
  }
  AddScoreVsOracle(runs, out);
  return out;
}

Json ResultsToJson(const SuiteResults& results) {
  Json doc;
  doc["schema"] = kResultsSchema;
  doc["suite"] = results.suite;
  doc["suite_file"] = results.suite_file;
  doc["tool"] = {{"name", "marsdrive"}, {"version", MARSDRIVE_VERSION}};
  Json runs = Json::array();
  for (const RunEntry& e : results.runs) {
    Json run = RunRecordToJson(e.record);
    run["dir"] = e.dir;
    run["index"] = e.index;
    runs.push_back(std::move(run));
  }
  doc["runs"] = std::move(runs);
  Json aggregates = Json::array();
  const std::vector<PlannerAggregate> all = Aggregate(results.runs);
  const bool oracle_ran = !OracleLabel(all).empty();
  const auto optional_number = [](const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
  };
  for (const PlannerAggregate& a : all) {
    aggregates.push_back({{"planner", a.planner},
                          {"runs", a.runs},
                          {"ok", a.ok},
                          {"failed", a.failed},
                          {"skipped", a.skipped},
                          {"goals_reached", a.goals_reached},
                          {"completion_pct", a.completion_pct},
                          {"score_mean", a.score_mean},
                          {"score_ci95", a.score_ci95 ? Json(*a.score_ci95) : Json(nullptr)},
                          {"slip_p95_mean", a.slip_p95_mean},
                          {"hazards_per_100m", a.hazards_per_100m},
                          {"distance_m", a.distance_m}});
    Json& entry = aggregates.back();
    if (a.privileged) entry["privileged"] = true;
    Json reasons = Json::object();
    for (const auto& [reason, n] : a.end_reasons) reasons[reason] = n;
    entry["end_reasons"] = std::move(reasons);
    if (oracle_ran) {
      entry["score_vs_oracle"] = optional_number(a.score_vs_oracle);
      Json scenarios = Json::array();
      for (const PlannerAggregate::PerScenario& sc : a.scenarios) {
        scenarios.push_back({{"scenario", sc.scenario},
                             {"runs", sc.runs},
                             {"score_mean", sc.score_mean},
                             {"score_vs_oracle", optional_number(sc.score_vs_oracle)}});
      }
      entry["scenarios"] = std::move(scenarios);
    }
    if (a.calibration) entry["calibration"] = CalibrationToJson(*a.calibration);
  }
  doc["aggregates"] = std::move(aggregates);
  return doc;
}

SuiteResults ResultsFromJson(const Json& json, const std::string& source) {
  const JsonReader r(source);
  r.RequireSchema(json, kResultsSchema);
  SuiteResults results;
  results.suite = r.StringOr(json, "", "suite", "");
  results.suite_file = r.StringOr(json, "", "suite_file", "");
  const Json& runs = r.Array(json, "", "runs");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string where = source + ": " + JsonReader::Index("runs", i);
    RunEntry entry;
    entry.record = RunRecordFromJson(runs[i], where);
    entry.dir = r.StringOr(runs[i], JsonReader::Index("runs", i), "dir", "");
    entry.index =
        runs[i].contains("index") ? r.Unsigned(runs[i], JsonReader::Index("runs", i), "index") : i;
    results.runs.push_back(std::move(entry));
  }
  return results;
}

SuiteResults LoadResults(const fs::path& results_json) {
  const JsonReader r(results_json.string());
  return ResultsFromJson(r.Parse(ReadTextFile(results_json)), results_json.string());
}

void WriteResultsFiles(const fs::path& dir, const SuiteResults& results) {
  WriteTextFile(dir / "results.json", ResultsToJson(results).dump(2) + "\n");
  WriteTextFile(dir / "results.csv", ResultsCsv(results));
  WriteTextFile(dir / "junit.xml", SuiteJunitXml(results));
}

std::string ScorecardText(const std::vector<PlannerAggregate>& aggregates) {
  const bool oracle_ran = !OracleLabel(aggregates).empty();
  const auto label = [](const PlannerAggregate& a) {
    return a.privileged ? a.planner + " (privileged)" : a.planner;
  };
  std::size_t width = 7;
  for (const PlannerAggregate& a : aggregates) width = std::max(width, label(a).size());
  char line[256];
  std::string text;
  std::snprintf(line, sizeof line, "%-*s %5s %6s %7s %6s %16s %9s %11s %11s",
                static_cast<int>(width), "planner", "runs", "failed", "skipped", "goal%",
                "score (95% CI)", "slip p95", "haz/100m", "distance_m");
  text += line;
  text += oracle_ran ? " vs oracle\n" : "\n";
  for (const PlannerAggregate& a : aggregates) {
    const std::string name = label(a);
    if (a.runs == a.skipped) {  // nothing ran: no figures to show
      std::snprintf(line, sizeof line, "%-*s %5d %6d %7d %6s %16s %9s %11s %11s",
                    static_cast<int>(width), name.c_str(), a.runs, a.failed, a.skipped, "-", "-",
                    "-", "-", "-");
      text += line;
      text += oracle_ran ? "         -\n" : "\n";
      continue;
    }
    const std::string score = base::FormatFixed(a.score_mean, 3) +
                              (a.score_ci95 ? " +- " + base::FormatFixed(*a.score_ci95, 3) : "");
    std::snprintf(line, sizeof line, "%-*s %5d %6d %7d %6.1f %16s %8.1f%% %11.2f %11.1f",
                  static_cast<int>(width), name.c_str(), a.runs, a.failed, a.skipped,
                  a.completion_pct, score.c_str(), 100.0 * a.slip_p95_mean, a.hazards_per_100m,
                  a.distance_m);
    text += line;
    if (oracle_ran) {
      std::snprintf(line, sizeof line, " %9s",
                    a.score_vs_oracle ? base::FormatFixed(*a.score_vs_oracle, 3).c_str() : "-");
      text += line;
    }
    text += "\n";
  }
  text += "\nwhy runs end:\n";
  for (const PlannerAggregate& a : aggregates) {
    std::snprintf(line, sizeof line, "  %-*s ", static_cast<int>(width), label(a).c_str());
    text += line;
    text += EndReasonsText(a);
    text += '\n';
  }
  text += CalibrationText(aggregates, width);
  return text;
}

}  // namespace marsdrive::scenarios

#include "scenarios/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/check.h"
#include "base/statistics.h"
#include "io/json_reader.h"
#include "scenarios/baseline.h"

namespace marsdrive::scenarios {

namespace {

using Json = nlohmann::ordered_json;

std::string Fixed(double value, int decimals, bool sign = false) {
  char text[64];
  std::snprintf(text, sizeof text, sign ? "%+.*f" : "%.*f", decimals, value);
  return text;
}

std::string Key(const RunRecord& r) {
  return r.scenario + '\n' + r.planner_label + '\n' + std::to_string(r.seed);
}

std::string RunPath(std::size_t i) { return JsonReader::Index("runs", i); }

// Key -> index in `runs`; a repeated key is an error naming both entries.
std::map<std::string, std::size_t> IndexRuns(const SuiteResults& results,
                                             const std::string& source) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const RunRecord& r = results.runs[i].record;
    const auto [it, inserted] = index.emplace(Key(r), i);
    if (!inserted) {
      throw InputError(source + ": " + RunPath(i) + ": the run (scenario \"" + r.scenario +
                       "\", planner \"" + r.planner_label + "\", seed " + std::to_string(r.seed) +
                       ") is listed twice (also " + RunPath(it->second) + ")");
    }
  }
  return index;
}

constexpr const char* kGroupSeparator = " @ ";

// "astar @ rim-ledges-01": a planner's runs on one scenario.
std::string GroupLabel(const std::string& planner, const std::string& scenario) {
  return planner + kGroupSeparator + scenario;
}

PlannerVerdict Verdict(const std::string& planner, const std::vector<double>& deltas,
                       const CompareOptions& options) {
  PlannerVerdict v;
  v.planner = planner;
  v.pairs = static_cast<int>(deltas.size());
  if (deltas.empty()) {
    v.test = "no pairs";
    return v;
  }
  double sum = 0;
  for (const double d : deltas) sum += d;
  v.mean_delta = sum / v.pairs;
  const bool drop_beyond_tolerance = -v.mean_delta > options.tolerance;
  if (v.pairs == 1) {
    v.test = "single pair";
    v.regressed = drop_beyond_tolerance;
    return v;
  }
  double ss = 0;
  for (const double d : deltas) ss += (d - v.mean_delta) * (d - v.mean_delta);
  v.sd_delta = std::sqrt(ss / (v.pairs - 1));
  v.test = "paired t (n=" + std::to_string(v.pairs) + ")";
  // Scores come from a deterministic simulation: identical differences (sd 0) are common, and
  // their mean is then known exactly.
  constexpr double kExact = 1e-12;
  if (v.sd_delta <= kExact * std::max(1.0, std::abs(v.mean_delta))) {
    v.p_value = v.mean_delta < 0 ? 0.0 : 1.0;
  } else {
    v.t = v.mean_delta / (v.sd_delta / std::sqrt(static_cast<double>(v.pairs)));
    v.p_value = base::StudentTCdf(*v.t, v.pairs - 1);
  }
  v.regressed = *v.p_value < options.alpha && drop_beyond_tolerance;
  return v;
}

// "changed: <id>: <first few differences> (and N more)".
Regression ChangedRun(const RunPair& p) {
  constexpr std::size_t kShown = 3;
  std::string message = "changed: " + p.id + ": ";
  for (std::size_t i = 0; i < p.changes.size() && i < kShown; ++i) {
    if (i > 0) message += "; ";
    message += p.changes[i];
  }
  if (p.changes.size() > kShown) {
    message += " (and " + std::to_string(p.changes.size() - kShown) + " more)";
  }
  return {RegressionKind::kChanged, p.id, message};
}

std::string Pad(const std::string& text, std::size_t width, bool right = false) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

std::string Row(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += "  ";
    line += Pad(cells[i], widths[i], i > 0);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string text;
  for (const auto& row : rows) text += Row(row, widths);
  return text;
}

}  // namespace

int RunFigures::HazardCount(const std::string& kind) const {
  for (const auto& [k, n] : hazard_counts) {
    if (k == kind) return n;
  }
  return 0;
}

RunFigures FiguresOf(const RunRecord& record, const std::string& source, const std::string& path) {
  RunFigures f;
  const Json& m = record.metrics;
  if (m.is_null()) return f;
  const JsonReader r(source);
  const std::string at = path.empty() ? "metrics" : path + ".metrics";
  if (!m.is_object()) r.Fail(at, "expected an object or null");
  f.drove = true;
  f.distance_m = r.Number(m, at, "distance_m");
  f.progress_m = r.Number(m, at, "progress_m");
  if (m.contains("goal_reached") && !m["goal_reached"].is_null()) {
    if (!m["goal_reached"].is_boolean())
      r.Fail(at + ".goal_reached", "expected true, false or null");
    f.goal_reached = m["goal_reached"].get<bool>();
  }
  const double start_goal_m =
      std::hypot(record.goal.x_m - record.start.x_m, record.goal.y_m - record.start.y_m);
  if (f.goal_reached.value_or(false)) {
    f.completion = 1;
  } else if (start_goal_m > 0) {
    f.completion = std::clamp(f.progress_m / start_goal_m, 0.0, 1.0);
  }
  const Json& slip = r.Member(m, at, "slip");
  f.slip_p95 = r.Number(slip, at + ".slip", "p95");
  f.slip_over_limit_m = r.NumberOr(slip, at + ".slip", "distance_over_limit_m", 0.0);
  f.slip_limit = r.NumberOr(slip, at + ".slip", "limit", 0.0);
  f.tilt_max_deg = r.NumberOr(m, at, "tilt_max_deg", 0.0);
  const Json& counts = r.Member(m, at, "hazard_counts");
  if (!counts.is_object()) r.Fail(at + ".hazard_counts", "expected an object {kind: events}");
  for (const auto& [kind, n] : counts.items()) {
    // Integers read from text are unsigned; ones built in memory may be signed. Counts and their
    // total fit an int (two counts of 2^31 - 1 overflowed the total: found by
    // tests/fuzz/fuzz_run_json).
    constexpr std::int64_t kMaxEvents = std::numeric_limits<int>::max();
    if (!n.is_number_integer() || n.get<std::int64_t>() < 0 ||
        n.get<std::int64_t>() > kMaxEvents - f.hazards) {
      r.Fail(at + ".hazard_counts." + kind,
             "expected an integer >= 0 (all kinds together at most 2147483647), got " +
                 DescribeJson(n));
    }
    f.hazard_counts.emplace_back(kind, n.get<int>());
    f.hazards += n.get<int>();
  }
  return f;
}

const char* ToString(RegressionKind kind) {
  switch (kind) {
    case RegressionKind::kLostRun:
      return "lost_run";
    case RegressionKind::kNewFailure:
      return "new_failure";
    case RegressionKind::kNewHazard:
      return "new_hazard";
    case RegressionKind::kScoreDrop:
      return "score_drop";
    case RegressionKind::kChanged:
      return "changed";
  }
  return "score_drop";
}

Comparison Compare(const SuiteResults& baseline, const SuiteResults& candidate,
                   const CompareOptions& options, const std::string& baseline_source,
                   const std::string& candidate_source) {
  MD_THROW_UNLESS(
      options.tolerance >= 0 && std::isfinite(options.tolerance),
      "--tolerance: expected a score difference >= 0, got " + Fixed(options.tolerance, 6));
  MD_THROW_UNLESS(options.alpha > 0 && options.alpha < 1,
                  "--alpha: expected a level in (0, 1), got " + Fixed(options.alpha, 6));
  Comparison c;
  c.baseline_source = baseline_source;
  c.candidate_source = candidate_source;
  c.options = options;
  const auto base_index = IndexRuns(baseline, baseline_source);
  const auto cand_index = IndexRuns(candidate, candidate_source);

  // Score tests per planner (pooled over scenarios and seeds) and per planner on each scenario
  // (over seeds), so one scenario collapsing is not diluted by the others.
  std::vector<std::string> planners, groups;
  std::map<std::string, std::vector<double>> deltas;
  std::map<std::string, std::set<std::string>> scenarios_of;
  for (std::size_t i = 0; i < baseline.runs.size(); ++i) {
    const RunRecord& b = baseline.runs[i].record;
    if (!deltas.contains(b.planner_label)) {
      planners.push_back(b.planner_label);
      deltas[b.planner_label];
    }
    const std::string group = GroupLabel(b.planner_label, b.scenario);
    if (!deltas.contains(group)) {
      groups.push_back(group);
      deltas[group];
    }
    scenarios_of[b.planner_label].insert(b.scenario);
    const auto found = cand_index.find(Key(b));
    if (found == cand_index.end()) {
      c.lost_runs.push_back(b.id);
      c.regressions.push_back({RegressionKind::kLostRun, b.id,
                               "lost run: " + b.id + " (in the baseline, not in the candidate)"});
      continue;
    }
    RunPair p;
    p.baseline = b;
    p.candidate = candidate.runs[found->second].record;
    p.id = b.id;
    p.scenario = b.scenario;
    p.planner = b.planner_label;
    p.seed = b.seed;
    p.baseline_figures = FiguresOf(b, baseline_source, RunPath(i));
    p.candidate_figures = FiguresOf(p.candidate, candidate_source, RunPath(found->second));
    if (b.score && p.candidate.score) {
      p.score_delta = *p.candidate.score - *b.score;
      deltas[p.planner].push_back(*p.score_delta);
      deltas[GroupLabel(p.planner, p.scenario)].push_back(*p.score_delta);
    }
    if (b.status == RunStatus::kOk && p.candidate.status == RunStatus::kFailed) {
      p.new_failure = true;
      std::string why = p.candidate.failure.empty() ? "failed" : p.candidate.failure;
      if (!p.candidate.reason.empty()) why += ": " + p.candidate.reason;
      c.regressions.push_back({RegressionKind::kNewFailure, p.id,
                               "new failure: " + p.id + " (ok in the baseline; " + why + ")"});
    }
    // Only between two drives: a baseline without a drive has no hazards to compare with.
    if (p.baseline_figures.drove && p.candidate_figures.drove) {
      for (const auto& [kind, n] : p.candidate_figures.hazard_counts) {
        if (n > 0 && p.baseline_figures.HazardCount(kind) == 0) {
          p.new_hazard_kinds.push_back(kind);
          c.regressions.push_back({RegressionKind::kNewHazard, p.id,
                                   "new hazard kind: " + p.id + ": " + kind + " (0 -> " +
                                       std::to_string(n) + " events)"});
        }
      }
    }
    if (options.exact) {
      p.changes = DeterministicDifferences(b, p.candidate);
      if (!p.changes.empty()) c.regressions.push_back(ChangedRun(p));
    }
    c.pairs.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < candidate.runs.size(); ++i) {
    if (!base_index.contains(Key(candidate.runs[i].record))) {
      const std::string& id = candidate.runs[i].record.id;
      c.new_runs.push_back(id);
      if (options.exact) {
        c.regressions.push_back(
            {RegressionKind::kChanged, id, "changed: " + id + ": new run (not in the baseline)"});
      }
    }
  }
  for (const std::string& group : groups) {
    // A planner on a single scenario: its group is the pooled test already.
    if (scenarios_of[group.substr(0, group.find(kGroupSeparator))].size() > 1) {
      planners.push_back(group);
    }
  }
  for (const std::string& planner : planners) {
    PlannerVerdict v = Verdict(planner, deltas[planner], options);
    if (v.regressed) {
      std::string message = "score drop: " + planner + ": mean " + Fixed(v.mean_delta, 4, true) +
                            " over " + std::to_string(v.pairs) + " pairs, beyond the tolerance " +
                            Fixed(options.tolerance, 4);
      if (v.p_value) {
        message += " (" + v.test + ": one-sided p = " + Fixed(*v.p_value, 4) + " < alpha " +
                   Fixed(options.alpha, 3) + ")";
      }
      c.regressions.push_back({RegressionKind::kScoreDrop, planner, message});
    }
    c.planners.push_back(std::move(v));
  }
  return c;
}

std::string ComparisonText(const Comparison& c) {
  std::string text = "compare: baseline " + c.baseline_source + " vs candidate " +
                     c.candidate_source + " (tolerance " + Fixed(c.options.tolerance, 4) +
                     ", alpha " + Fixed(c.options.alpha, 3) + (c.options.exact ? ", exact" : "") +
                     ")\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"run", "score base", "cand", "delta", "completion", "slip p95", "hazards", "flags"}};
  for (const RunPair& p : c.pairs) {
    const auto score = [](const RunRecord& r) {
      return r.score ? Fixed(*r.score, 4) : std::string(ToString(r.status));
    };
    const RunFigures& b = p.baseline_figures;
    const RunFigures& k = p.candidate_figures;
    const bool both = b.drove && k.drove;
    std::string flags;
    if (p.new_failure) flags += "NEW FAILURE ";
    for (const std::string& kind : p.new_hazard_kinds) flags += "NEW " + kind + " ";
    if (!p.changes.empty()) flags += "CHANGED ";
    if (!flags.empty()) flags.pop_back();
    rows.push_back(
        {p.id, score(p.baseline), score(p.candidate),
         p.score_delta ? Fixed(*p.score_delta, 4, true) : "-",
         both ? Fixed(100 * (k.completion - b.completion), 1, true) + " %" : "-",
         both ? Fixed(k.slip_p95 - b.slip_p95, 3, true) : "-",
         both ? (k.hazards >= b.hazards ? "+" : "") + std::to_string(k.hazards - b.hazards) : "-",
         flags});
  }
  text += Table(rows) + "\n";
  rows = {{"planner", "pairs", "mean delta", "sd", "t", "p (one-sided)", "test", "verdict"}};
  for (const PlannerVerdict& v : c.planners) {
    rows.push_back(
        {v.planner, std::to_string(v.pairs), v.pairs > 0 ? Fixed(v.mean_delta, 4, true) : "-",
         v.pairs > 1 ? Fixed(v.sd_delta, 4) : "-", v.t ? Fixed(*v.t, 2) : "-",
         v.p_value ? Fixed(*v.p_value, 4) : "-", v.test, v.regressed ? "REGRESSED" : "ok"});
  }
  text += Table(rows);
  if (!c.new_runs.empty()) {
    text += c.options.exact ? "\nnew in the candidate (not in the baseline):\n"
                            : "\nnew in the candidate (fine):\n";
    for (const std::string& id : c.new_runs) text += "  " + id + "\n";
  }
  if (c.regressions.empty()) {
    text += "\ncompare: no regressions (" + std::to_string(c.pairs.size()) + " runs paired)\n";
  } else {
    text += "\ncompare: " + std::to_string(c.regressions.size()) + " regression" +
            (c.regressions.size() == 1 ? "" : "s") + ":\n";
    for (const Regression& r : c.regressions) text += "  " + r.message + "\n";
  }
  return text;
}

}  // namespace marsdrive::scenarios

#include "scenarios/check/check_rules.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "base/check.h"
#include "base/format.h"
#include "base/statistics.h"
#include "base/text.h"
#include "io/yaml_reader.h"
#include "sim/drive_run.h"
#include "sim/metrics.h"

namespace marsdrive::check {

namespace {

// ---- reading ---------------------------------------------------------------------------------

void Probability(YamlMapReader& m, const std::string& key, double& out) {
  m.On(key, [&m, key, &out](const YAML::Node& n) {
    double value = 0;
    MD_THROW_UNLESS(ParseFiniteYaml(n, value) && value >= 0 && value <= 1,
                    m.Where(key) + "expected a probability in [0, 1], got " + DescribeYaml(n));
    out = value;
  });
}

// `key` must be on the `go` side of `other`, or `go` and `no_go` overlap and `marginal` is lost.
void CheckOrder(const std::string& file, const std::string& key, double value, const char* order,
                const std::string& other, double other_value) {
  const bool ok = std::string(order) == "<=" ? value <= other_value : value >= other_value;
  MD_THROW_UNLESS(ok, file + ": " + key + ": expected " + order + " " + other + " (" +
                          base::FormatExact(other_value) + "), got " + base::FormatExact(value));
}

// ---- deciding --------------------------------------------------------------------------------

// One measured proportion and the two rules on it. "Worse" is below the threshold for p_goal
// and slip_ok, above it for p_severe; a rule breaks only when strictly worse.
struct Measure {
  const char* name;
  Proportion p;
  bool higher_is_better;
  double go;
  const char* go_key;
  double no_go;
  const char* no_go_key;
  std::string why;  // said after a broken rule: what happened in the trials
};

bool Worse(const Measure& m, double threshold) {
  return m.higher_is_better ? m.p.p() < threshold : m.p.p() > threshold;
}

std::string Fixed2(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// Thresholds as "0.60", unless two decimals would hide a digit the user wrote (0.025).
std::string Threshold(double value) {
  const std::string fixed = Fixed2(value);
  return std::stod(fixed) == value ? fixed : base::FormatExact(value);
}

// "p_goal 0.41 (41 of 100 trials, 95 % CI 0.32-0.51)"
std::string Measured(const Measure& m) {
  const base::ProportionInterval ci = base::WilsonInterval95(m.p.count, m.p.trials);
  return std::string(m.name) + " " + Fixed2(m.p.p()) + " (" + std::to_string(m.p.count) + " of " +
         std::to_string(m.p.trials) + " trials, 95 % CI " + Fixed2(ci.lo) + "-" + Fixed2(ci.hi) +
         ")";
}

std::string Broken(const Measure& m, double threshold, const char* key) {
  std::string text = Measured(m) + (m.higher_is_better ? " below " : " above ") +
                     Threshold(threshold) + " (" + key + ")";
  return m.why.empty() ? text : text + ": " + m.why;
}

using Counts = std::vector<std::pair<std::string, int>>;

// Most first, ties by name: the same order on every machine.
void SortMostFirst(Counts& counts) {
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
}

// Counts by name, most first, as "name (3 trials), name (1)".
std::string MostFirst(Counts counts, bool quote) {
  SortMostFirst(counts);
  std::string text;
  for (const auto& [name, count] : counts) {
    if (count <= 0) continue;
    const bool first = text.empty();  // only the first says what is counted
    text += std::string(first ? "" : ", ") + (quote ? base::QuoteExcerpt(name, 40, '\'') : name) +
            " (" + std::to_string(count) +
            (!first       ? ")"
             : count == 1 ? " trial)"
                          : " trials)");
  }
  return text;
}

// Appends "label: list" to `why` when the list is not empty.
void Add(std::string& why, const std::string& label, const std::string& list) {
  if (!list.empty()) why += (why.empty() ? "" : "; ") + label + ": " + list;
}

// The keep-out zones entered, the severe hazards met and the drive faults.
std::string SevereWhy(const CheckSummary& s) {
  std::string why;
  Add(why, "entered keep-out zones",
      MostFirst({s.keep_out_zones.begin(), s.keep_out_zones.end()}, /*quote=*/true));
  Counts hazards, faults;
  for (const sim::HazardKind kind :
       {sim::HazardKind::kKeepOut, sim::HazardKind::kRollover, sim::HazardKind::kBodyContact}) {
    const auto it = s.hazards.find(sim::ToString(kind));
    if (it != s.hazards.end()) hazards.emplace_back(it->first, it->second.count);
  }
  for (const auto& [status, count] : s.statuses) {
    if (sim::IsFault(status)) faults.emplace_back(status, count);
  }
  Add(why, "hazards", MostFirst(hazards, false));
  Add(why, "drive faults", MostFirst(faults, false));
  return why;
}

// How the trials ended, leaving out those that completed the drive unless nothing else did.
std::string GoalWhy(const CheckSummary& s) {
  Counts ended;
  for (const auto& [status, count] : s.statuses) {
    if (status != sim::ToString(sim::DriveStatus::kCompleted)) ended.emplace_back(status, count);
  }
  if (ended.empty()) ended.assign(s.statuses.begin(), s.statuses.end());
  SortMostFirst(ended);
  std::string list;
  for (const auto& [status, count] : ended) {
    if (count > 0) list += (list.empty() ? "" : ", ") + std::to_string(count) + " " + status;
  }
  return list.empty() ? "" : "trials ended: " + list;
}

std::string SlipWhy(const CheckSummary& s) {
  return std::to_string(s.slip_over_limit.count) + " of " + std::to_string(s.trials) +
         " trials had a slip p95 above the rover's " + base::FormatNumber(s.slip_limit * 100) +
         " % slip limit";
}

void DemandConsistent(const CheckSummary& s, const Proportion& p) {
  MD_DEMAND(p.trials == s.trials && p.count >= 0 && p.count <= p.trials);
}

}  // namespace

FlightRules DefaultFlightRules() {
  FlightRules rules;
  rules.source = "default";
  return rules;
}

std::filesystem::path BundledFlightRulesPath() {
  return std::filesystem::path(MARSDRIVE_CHECK_DATA_DIR) / "flight_rules.yaml";
}

FlightRules LoadFlightRules(const std::filesystem::path& file) {
  const YAML::Node root = LoadYamlFile(file, "flight rules");
  FlightRules r = DefaultFlightRules();
  r.source = file.string();
  YamlMapReader top(root, file.string(), "");
  top.Map("go", [&r](YamlMapReader& m) {
    Probability(m, "p_goal_min", r.go_p_goal_min);
    Probability(m, "p_severe_max", r.go_p_severe_max);
    Probability(m, "slip_ok_min", r.go_slip_ok_min);
  });
  top.Map("no_go", [&r](YamlMapReader& m) {
    Probability(m, "p_goal_below", r.no_go_p_goal_below);
    Probability(m, "p_severe_above", r.no_go_p_severe_above);
    Probability(m, "slip_ok_below", r.no_go_slip_ok_below);
  });
  top.Run();
  const std::string f = file.string();
  CheckOrder(f, "no_go.p_goal_below", r.no_go_p_goal_below, "<=", "go.p_goal_min", r.go_p_goal_min);
  CheckOrder(f, "no_go.p_severe_above", r.no_go_p_severe_above, ">=", "go.p_severe_max",
             r.go_p_severe_max);
  CheckOrder(f, "no_go.slip_ok_below", r.no_go_slip_ok_below, "<=", "go.slip_ok_min",
             r.go_slip_ok_min);
  return r;
}

Verdict Decide(const CheckSummary& s, const FlightRules& rules) {
  MD_THROW_UNLESS(s.trials > 0,
                  "check: a check needs at least one trial, got " + std::to_string(s.trials));
  for (const Proportion& p : {s.goal, s.severe, s.slip_over_limit}) DemandConsistent(s, p);
  const Proportion slip_ok{s.trials - s.slip_over_limit.count, s.trials};
  const Measure measures[] = {
      {"p_goal", s.goal, true, rules.go_p_goal_min, "go.p_goal_min", rules.no_go_p_goal_below,
       "no_go.p_goal_below", GoalWhy(s)},
      {"p_severe", s.severe, false, rules.go_p_severe_max, "go.p_severe_max",
       rules.no_go_p_severe_above, "no_go.p_severe_above", SevereWhy(s)},
      {"slip_ok", slip_ok, true, rules.go_slip_ok_min, "go.slip_ok_min", rules.no_go_slip_ok_below,
       "no_go.slip_ok_below", SlipWhy(s)},
  };
  Verdict v{"go", {}};
  for (const Measure& m : measures) {
    // Per measure the harder rule it breaks: a no_go reason, else a go reason.
    if (Worse(m, m.no_go)) {
      v.verdict = "no_go";
      v.reasons.push_back(Broken(m, m.no_go, m.no_go_key));
    } else if (Worse(m, m.go)) {
      if (v.verdict == "go") v.verdict = "marginal";
      v.reasons.push_back(Broken(m, m.go, m.go_key));
    }
  }
  if (v.verdict != "go") return v;
  std::string held = "all flight rules held:";
  for (const Measure& m : measures) {
    held += std::string(held.back() == ':' ? " " : ", ") + Measured(m) +
            (m.higher_is_better ? " >= " : " <= ") + Threshold(m.go) + " (" + m.go_key + ")";
  }
  v.reasons.push_back(held);
  return v;
}

}  // namespace marsdrive::check

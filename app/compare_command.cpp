#include "app/compare_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/baseline.h"
#include "scenarios/compare.h"
#include "scenarios/results.h"

namespace marsdrive::app {

namespace {

struct CompareCommandOptions {
  std::string baseline, candidate, junit;
  scenarios::CompareOptions compare;
  bool write_baseline = false;
};

// --write-baseline: shows what changes against the old baseline (when there is one), then
// replaces it with the candidate's deterministic fields. An intended change, so exit 0.
int WriteBaseline(const CompareCommandOptions& o) {
  const scenarios::SuiteResults candidate = scenarios::LoadResults(o.candidate);
  std::error_code ec;
  if (std::filesystem::exists(o.baseline, ec)) {
    scenarios::CompareOptions exact = o.compare;
    exact.exact = true;
    const scenarios::Comparison comparison = scenarios::Compare(
        scenarios::LoadResults(o.baseline), candidate, exact, o.baseline, o.candidate);
    std::fputs(scenarios::ComparisonText(comparison).c_str(), stdout);
  }
  scenarios::WriteBaseline(o.baseline, candidate);
  std::printf("baseline: wrote %s (%zu runs; wall times and paths stripped)\n", o.baseline.c_str(),
              candidate.runs.size());
  return 0;
}

int RunCompare(const CompareCommandOptions& o) {
  if (o.write_baseline) return WriteBaseline(o);
  const scenarios::SuiteResults baseline = scenarios::LoadResults(o.baseline);
  const scenarios::SuiteResults candidate = scenarios::LoadResults(o.candidate);
  const scenarios::Comparison comparison =
      scenarios::Compare(baseline, candidate, o.compare, o.baseline, o.candidate);
  std::fputs(scenarios::ComparisonText(comparison).c_str(), stdout);
  if (!o.junit.empty()) {
    WriteTextFile(o.junit, scenarios::ComparisonJunitXml(comparison));
    std::printf("junit: %s\n", o.junit.c_str());
  }
  return comparison.Regressed() ? 1 : 0;
}

}  // namespace

void AddCompareCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CompareCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "compare a candidate suite's results.json with a baseline's: pairs runs by (scenario, "
      "planner, seed), prints the deltas and decides whether anything regressed");
  cmd->footer(
      "Regressions: a baseline run missing from the candidate; a run ok in the baseline and\n"
      "failed in the candidate; a hazard kind a run never had in the baseline; a planner's\n"
      "score dropping: paired one-sided t test over its shared runs at level --alpha AND a mean\n"
      "drop above --tolerance (one shared run: a drop above --tolerance). With --exact, also\n"
      "any change of a deterministic field of a run, and any run new in the candidate.\n"
      "--write-baseline writes CANDIDATE, without wall times and paths, to BASELINE.\n"
      "See docs/scoring.md.\n"
      "exit status: 0 no regression (or the baseline written); 1 a regression; 2 bad input.");
  cmd->add_option("baseline", o->baseline, "baseline results.json")->required();
  cmd->add_option("candidate", o->candidate, "candidate results.json")->required();
  cmd->add_option("--tolerance", o->compare.tolerance,
                  "largest mean score drop (score points; scores are in [0, 1]) that is never "
                  "a regression")
      ->capture_default_str();
  cmd->add_option("--alpha", o->compare.alpha,
                  "level of the one-sided paired t test on the score differences")
      ->capture_default_str();
  cmd->add_option("--junit", o->junit, "also write the verdict as JUnit XML to this file");
  cmd->add_flag("--exact", o->compare.exact,
                "also a regression: any difference in a run's deterministic fields (everything "
                "but wall times and paths), better or worse, and any run the baseline lacks; "
                "for a baseline of the same code (results are bit-identical)");
  cmd->add_flag("--write-baseline", o->write_baseline,
                "write CANDIDATE without wall times and paths to BASELINE (replacing it, after "
                "printing what changed) instead of deciding; for an intended change");
  cmd->callback([o, &exit_code] { exit_code = RunCompare(*o); });
}

}  // namespace marsdrive::app

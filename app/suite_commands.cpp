#include "app/suite_commands.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "app/out_dir.h"
#include "base/check.h"
#include "io/params.h"
#include "scenarios/check/check_run.h"
#include "scenarios/planner_entry.h"
#include "scenarios/report.h"
#include "scenarios/results.h"
#include "scenarios/run_scenario.h"
#include "scenarios/scenario.h"
#include "scenarios/suite.h"
#include "scenarios/suite_runner.h"
#include "scenarios/terrain_cache.h"

namespace marsdrive::app {

namespace fs = std::filesystem;
using namespace scenarios;

namespace {

struct RunOptionsCli {
  std::string scenario;
  std::string planner;
  std::string label;
  std::vector<std::string> params;
  std::uint64_t seed = 0;
  std::string out;
  std::string terrain_cache;
  double time_limit_s = 0;
  double time_budget_s = 0;
  int check_trials = 0;
};

struct SuiteOptionsCli {
  std::string suite;
  std::string out;
  int jobs = 0;
  bool resume = false;
  std::string shard;
  std::string terrain_cache;
  int check_trials = 0;
};

struct MergeOptionsCli {
  std::vector<std::string> dirs;
  std::string out;
  int expect_shards = 0;  // 0: not given
};

fs::path SelfExecutable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  MD_THROW_UNLESS(!ec, "cannot find the marsdrive program itself (/proc/self/exe)");
  return self;
}

std::string Percent(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %%", 100.0 * ratio);
  return text;
}

void PrintRun(const RunRecord& r, const fs::path& out) {
  std::string line = "run " + r.id + ": " + ToString(r.status);
  if (r.score) {
    char score[32];
    std::snprintf(score, sizeof score, ", score %.3f", *r.score);
    line += score;
  }
  if (r.metrics.is_object()) {
    const auto& m = r.metrics;
    char text[200];
    std::snprintf(text, sizeof text, "; %.1f m driven, goal %s, slip p95 %s, %zu hazards",
                  m.value("distance_m", 0.0),
                  m.value("goal_reached", false) ? "reached" : "not reached",
                  Percent(m["slip"].value("p95", 0.0)).c_str(),
                  m.contains("hazards") ? m["hazards"].size() : std::size_t{0});
    line += text;
  }
  if (!r.reason.empty()) line += " (" + r.reason + ")";
  std::printf("%s. Wrote %s.\n", line.c_str(), (out / "run.json").string().c_str());
}

int Run(const RunOptionsCli& o) {
  RequireOutDir(o.out);
  if (!o.planner.empty()) RequireSafeName("--planner: ", o.planner);
  if (!o.label.empty()) RequireSafeName("--label: ", o.label);
  const Scenario scenario = LoadScenario(o.scenario);
  RunOptions options;
  options.out_dir = o.out;
  options.plan_checker = check::CheckPlanForRun;
  options.terrain_cache = o.terrain_cache.empty() ? DefaultTerrainCache(fs::path(o.out) / "terrain")
                                                  : fs::path(o.terrain_cache);
  if (!o.planner.empty()) {
    PlannerChoice choice;
    choice.name = o.planner;
    choice.label = o.label.empty() ? o.planner : o.label;
    choice.params = marsdrive::ParamMap::Parse(o.params, "--param");
    if (o.time_budget_s != 0) {
      MD_THROW_UNLESS(std::isfinite(o.time_budget_s) && o.time_budget_s > 0,
                      "--time-budget: expected wall-clock seconds > 0");
      choice.time_budget_s = o.time_budget_s;
    }
    MD_THROW_UNLESS(o.check_trials >= 0 && o.check_trials <= kMaxCheckTrials,
                    "--check-trials " + std::to_string(o.check_trials) + ": expected 0 to " +
                        std::to_string(kMaxCheckTrials));
    choice.check_trials = o.check_trials;
    options.planner = choice;
  } else {
    MD_THROW_UNLESS(
        o.params.empty() && o.label.empty() && o.time_budget_s == 0 && o.check_trials == 0,
        "--param, --label, --time-budget and --check-trials need --planner (the "
        "scenario's planner takes its parameters from the scenario file)");
  }
  options.seed = o.seed;
  if (o.time_limit_s != 0) {
    MD_THROW_UNLESS(std::isfinite(o.time_limit_s) && o.time_limit_s > 0,
                    "--time-limit: expected simulated seconds > 0");
    options.time_limit_s = o.time_limit_s;
  }
  const RunRecord record = RunScenario(scenario, options);
  PrintRun(record, o.out);
  if (record.failure == "input") {
    std::fprintf(stderr, "marsdrive: error: %s\n", record.reason.c_str());
    return 2;
  }
  const bool reached = record.metrics.is_object() && record.metrics.value("goal_reached", false);
  return record.status == RunStatus::kOk && reached ? 0 : 1;
}

// Progress on a terminal: one line redrawn; otherwise one plain line per finished run.
std::function<void(const SuiteProgress&)> ProgressPrinter() {
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  return [tty](const SuiteProgress& p) {
    const double eta = p.done > 0 ? p.elapsed_s / p.done * (p.total - p.done) : 0.0;
    if (!tty) {
      if (p.last_id.empty()) {
        std::fprintf(stderr, "suite: %d runs to do\n", p.total);
      } else {
        std::fprintf(stderr, "[%d/%d] %s: %s\n", p.done, p.total, p.last_id.c_str(),
                     p.last_status.c_str());
      }
      return;
    }
    constexpr int kWidth = 30;
    const int filled = p.total > 0 ? kWidth * p.done / p.total : kWidth;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    std::fprintf(stderr, "\r[%s] %d/%d runs, %d failed, %d running, ETA %dm%02ds   ", bar.c_str(),
                 p.done, p.total, p.failed, p.running, static_cast<int>(eta) / 60,
                 static_cast<int>(eta) % 60);
    if (p.done == p.total && !p.last_id.empty()) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };
}

// The report is a view of results already saved: failing to draw it loses nothing.
void WriteReportOrWarn(const fs::path& out, const SuiteResults& results) {
  try {
    WriteReport(out, results);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "marsdrive: warning: report.html not written: %s\n", e.what());
  }
}

void PrintScorecard(const SuiteResults& results, const fs::path& out) {
  std::printf("suite %s: %zu runs\n%s", results.suite.c_str(), results.runs.size(),
              ScorecardText(Aggregate(results.runs)).c_str());
  std::printf("results: %s\n", (out / "results.json").string().c_str());
  const fs::path report = out / "report.html";
  if (fs::exists(report)) std::printf("report: %s\n", report.string().c_str());
}

// --check-trials N: every planner entry without a `check:` of its own checks its plans.
void AddChecks(int trials, Suite& suite) {
  MD_THROW_UNLESS(trials >= 0 && trials <= kMaxCheckTrials,
                  "--check-trials " + std::to_string(trials) + ": expected 0 to " +
                      std::to_string(kMaxCheckTrials));
  auto add = [trials](PlannerChoice& p) {
    if (p.check_trials == 0) p.check_trials = trials;
  };
  for (PlannerChoice& p : suite.planners) add(p);
  for (Scenario& scenario : suite.scenarios) {
    if (scenario.planner) add(*scenario.planner);
  }
}

int RunSuiteCommand(const SuiteOptionsCli& o) {
  RequireOutDir(o.out);
  Suite suite = LoadSuite(o.suite);
  AddChecks(o.check_trials, suite);
  SuiteOptions options;
  options.out_dir = o.out;
  MD_THROW_UNLESS(o.jobs >= 0, "--jobs: expected a number of processes >= 1 (0: every core)");
  options.jobs = o.jobs;
  options.resume = o.resume;
  if (!o.shard.empty()) {
    options.shard = ParseShard(o.shard);
    MD_THROW_UNLESS(options.shard.has_value(),
                    "--shard '" + o.shard + "': expected I/N with 1 <= I <= N, e.g. 2/4");
  }
  options.terrain_cache = o.terrain_cache;
  options.executable = SelfExecutable();
  options.on_progress = ProgressPrinter();
  const SuiteResults results = RunSuite(suite, options);
  WriteReportOrWarn(o.out, results);
  PrintScorecard(results, o.out);
  for (const RunEntry& e : results.runs) {
    if (e.record.status == RunStatus::kFailed) return 1;
  }
  return 0;
}

int Merge(const MergeOptionsCli& o) {
  std::vector<fs::path> dirs(o.dirs.begin(), o.dirs.end());
  const fs::path out = o.out.empty() ? dirs.front() : fs::path(o.out);
  if (!o.out.empty()) RequireOutDir(o.out);
  MergeOptions options;
  if (o.expect_shards != 0) {
    MD_THROW_UNLESS(o.expect_shards >= 1,
                    "--expect-shards: expected a number of shards >= 1, got " +
                        std::to_string(o.expect_shards));
    options.expect_shards = o.expect_shards;
  }
  SuiteResults results;
  try {
    results = MergeResults(dirs, out, options);
  } catch (const IncompleteMerge& e) {
    for (const std::string& problem : e.problems()) {
      std::fprintf(stderr, "marsdrive: merge: %s\n", problem.c_str());
    }
    std::fprintf(stderr,
                 "marsdrive: merge: %zu problem(s); nothing merged into %s (the suite is "
                 "incomplete: `marsdrive submit --resubmit` reruns the missing shards)\n",
                 e.problems().size(), out.string().c_str());
    return 1;
  }
  WriteReportOrWarn(out, results);
  PrintScorecard(results, out);
  return 0;
}

}  // namespace

void AddSuiteCommands(CLI::App& app, int& exit_code) {
  auto run = std::make_shared<RunOptionsCli>();
  CLI::App* r = app.add_subcommand(
      "run", "one scenario: terrain (cached), plan, drive with AutoNav, metrics, score");
  r->footer(
      "writes OUT/run.json (schema marsdrive/run/1), plan.json, metrics.json, telemetry.csv and "
      "autonav.json.\nexit status: 0 the goal was reached; 1 the run failed, was skipped or "
      "did not reach the goal; 2 bad input.");
  r->add_option("scenario", run->scenario, "scenario file (YAML, docs/scenarios.md)")->required();
  r->add_option("--planner", run->planner, "planner name (default: the scenario's, else astar)");
  r->add_option("--label", run->label, "the planner's label in the run id (default: its name)");
  r->add_option("--param", run->params, "planner parameter key=value (repeatable)");
  r->add_option("--time-budget", run->time_budget_s,
                "the planner's wall-clock budget in s (default: the scenario's "
                "limits.plan_time_s)");
  r->add_option("--check-trials", run->check_trials,
                "check the plan with this many digital-twin trials before the drive "
                "(docs/plan-check.md; 0: no check)");
  r->add_option("--seed", run->seed,
                "Monte Carlo seed: perturbs rocks, sand and sensor noise (0: the scenario as "
                "written)")
      ->capture_default_str();
  r->add_option("--out", run->out, "run directory")->required();
  r->add_option("--terrain-cache", run->terrain_cache,
                "terrain cache directory (default: $MARSDRIVE_CACHE_DIR/terrain, "
                "$MARSDRIVE_CACHE/terrain or ~/.cache/marsdrive/terrain)");
  r->add_option("--time-limit", run->time_limit_s,
                "simulated time limit in s (default: the scenario's limits.time_s)");
  r->callback([run, &exit_code] { exit_code = Run(*run); });

  auto suite = std::make_shared<SuiteOptionsCli>();
  CLI::App* s = app.add_subcommand(
      "suite", "a suite: scenarios x planners x seeds in parallel, scored, with a scorecard");
  s->footer(
      "writes OUT/results.json (schema marsdrive/results/1), results.csv, junit.xml, "
      "report.html and runs/<scenario>/<planner>/seed-<n>/.\nexit status: 0 every run "
      "finished (a run that misses its goal still counts); 1 some run failed; 2 bad input.");
  s->add_option("suite", suite->suite, "suite file (YAML, docs/scenarios.md)")->required();
  s->add_option("--out", suite->out, "output directory")->required();
  s->add_option("--jobs", suite->jobs, "runs in parallel (default 0: every core)");
  s->add_flag("--resume", suite->resume, "keep finished runs in OUT and run only the missing");
  s->add_option("--check-trials", suite->check_trials,
                "check every plan with this many digital-twin trials before its drive, unless "
                "its planner entry says otherwise (docs/plan-check.md; results.json then gives "
                "each planner's calibration)");
  s->add_option("--shard", suite->shard, "run only slice I of N (I/N, 1-based), e.g. 1/4");
  s->add_option("--terrain-cache", suite->terrain_cache,
                "terrain cache directory (default: OUT/terrain)");
  s->callback([suite, &exit_code] { exit_code = RunSuiteCommand(*suite); });

  auto merge = std::make_shared<MergeOptionsCli>();
  CLI::App* m = app.add_subcommand("merge", "join the output directories of suite shards");
  m->add_option("dirs", merge->dirs, "suite output directories (e.g. one per shard)")->required();
  m->add_option("--out", merge->out, "merged output directory (default: the first DIR)");
  m->add_option("--expect-shards", merge->expect_shards,
                "N: require every shard 1..N of one suite, finished (shard.json), no run twice; "
                "else name each missing shard and run and exit 1");
  m->footer(
      "exit status: 0 merged; 1 --expect-shards found missing or duplicate shards or runs "
      "(nothing merged); 2 bad input (a run directory outside its shard, shards of different "
      "suites, ...).");
  m->callback([merge, &exit_code] { exit_code = Merge(*merge); });
}

}  // namespace marsdrive::app

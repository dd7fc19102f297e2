#include "app/validate_command.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "app/out_dir.h"
#include "base/check.h"
#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/mobility_reference.h"
#include "scenarios/validation_report.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::app {

namespace {

struct ValidateOptions {
  std::string out;
  bool quick = false;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string reference;  // empty: the bundled CSV
  std::string rover;      // empty: the bundled Perseverance
};

int RunValidateMobility(const ValidateOptions& o) {
  MD_THROW_UNLESS(o.jobs >= 1,
                  "--jobs: expected a number of threads >= 1, got " + std::to_string(o.jobs));
  MD_THROW_UNLESS(!o.out.empty(), "--out: expected an output directory, got ''");
  RequireOutDir(o.out);
  const std::filesystem::path reference_path = o.reference.empty()
                                                   ? scenarios::BundledMobilityReferencePath()
                                                   : std::filesystem::path(o.reference);
  const std::string reference_text = ReadTextFile(reference_path);
  const scenarios::MobilityReference reference =
      scenarios::ParseMobilityReference(reference_text, reference_path.string());
  const vehicle::RoverSpec rover =
      o.rover.empty() ? vehicle::DefaultRoverSpec() : vehicle::LoadRoverSpec(o.rover);

  scenarios::MobilityMatrixOptions options;
  options.quick = o.quick;
  options.jobs = o.jobs;
  options.on_run_done = [](int done, int total, const std::string& key) {
    std::fprintf(stderr, "validate: [%d/%d] %s\n", done, total, key.c_str());
  };
  const auto start = std::chrono::steady_clock::now();
  const scenarios::MobilityValidation v =
      scenarios::ValidateMobility(reference, reference_text, rover, options);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  scenarios::WriteValidationOutputs(o.out, v);

  const scenarios::ValidationCounts n = scenarios::CountCases(v.cases);
  std::printf("validate mobility (%s matrix, %d runs, %.0f s wall on %d threads)\n",
              v.info.matrix.c_str(), v.info.run_count, wall_s, o.jobs);
  std::printf("  %d of %d cases with a reference within it, %d outside; %d without a reference\n",
              n.within, n.with_reference, n.outside, n.no_reference);
  for (const scenarios::ValidationCase& c : v.cases) {
    if (c.within && !*c.within) std::printf("  outside: %s\n", c.id.c_str());
  }
  std::printf(
      "  written: %s/{validation.json, validation.md, slip_vs_slope.png, "
      "cross_slope.png, step_climb.png}\n",
      o.out.c_str());
  return n.outside > 0 ? 1 : 0;
}

}  // namespace

void AddValidateCommand(CLI::App& app, int& exit_code) {
  CLI::App* validate = app.add_subcommand(
      "validate", "check the simulator against published rover data (docs/validation.md)");
  validate->require_subcommand(1);
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* mobility = validate->add_subcommand(
      "mobility",
      "run the mobility validation matrix (uphill slip vs slope per soil, cross-slope, ledges "
      "with perturbation ensembles, rocks, static tip-over, parking hold, dt convergence) and "
      "compare it with the reference data");
  mobility->footer(
      "Writes DIR/validation.json (schema marsdrive/validation/1), validation.md,\n"
      "slip_vs_slope.png, cross_slope.png and step_climb.png. Results do not depend on --jobs.\n"
      "exit status: 0 every case with a reference within it; 1 a case outside; 2 bad input.");
  mobility->add_option("--out", o->out, "output directory (created if needed)")->required();
  mobility->add_flag("--quick", o->quick, "a subset of the matrix (the tests run it; < 2 min)");
  mobility->add_option("--jobs", o->jobs, "runs in parallel threads (>= 1; default: every core)");
  mobility->add_option("--reference", o->reference,
                       "reference CSV (default: the bundled "
                       "scenarios/validation/mobility-reference.csv)");
  mobility->add_option("--rover", o->rover, "rover specification YAML (default: Perseverance)");
  mobility->callback([o, &exit_code] { exit_code = RunValidateMobility(*o); });
}

}  // namespace marsdrive::app

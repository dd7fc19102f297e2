#pragma once
// DIR/report.html: one self-contained page (it opens offline and can be mailed or archived as
// one file): the scorecard per planner, every run in a table, and per scenario a map (PNG as a
// base64 data URI: orthoimage, planned waypoints, driven tracks, hazards, keep-outs, start and
// goal) and inline SVG plots of slip, tilt and progress over distance. Failed and skipped runs
// show their reason. With plan checks, a "Digital-twin calibration" section and each run's
// verdict linked to its check.html (scenarios/report_calibration.h). Files a run lacks (no drive, a
// missing terrain) become a note in the page, never an error: a report of a half-failed suite is
// when it is needed most.
//
// The map <img> carries its georeference as data attributes (data-min-x-m, data-max-y-m,
// data-metres-per-px, data-map-left-px, data-map-top-px) so tools and tests can project map
// coordinates onto it: u = left + (x - min_x) / mpp - 0.5, v = top + (max_y - y) / mpp - 0.5.

#include <filesystem>
#include <string>

#include "scenarios/results.h"

namespace marsdrive::scenarios {

struct ReportOptions {
  int map_max_side_px = 800;          // longer side of each scenario's map image
  std::size_t plot_max_points = 300;  // per series: keeps a quick suite's page small
};

// The page; run directories are read relative to `results_dir`.
std::string ReportHtml(const std::filesystem::path& results_dir, const SuiteResults& results,
                       const ReportOptions& options = {});

// Writes DIR/report.html (atomically) and returns its path.
std::filesystem::path WriteReport(const std::filesystem::path& results_dir,
                                  const SuiteResults& results, const ReportOptions& options = {});

}  // namespace marsdrive::scenarios

#pragma once
// One drive's pipeline, shared by `marsdrive drive` and scenario runs (scenarios/run_scenario.h):
// run the drive, timed here (sim/ never reads the clock), compute its metrics and write
// telemetry.csv, metrics.json and, for a waypoint drive, autonav.json into a directory.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "sim/drive_run.h"
#include "sim/metrics.h"

namespace marsdrive::scenarios {

struct RecordedDrive {
  sim::DriveResult result;
  sim::Metrics metrics;
  nlohmann::ordered_json metrics_json;  // as written to metrics.json
  bool wrote_autonav = false;           // autonav.json (waypoint drives)
};

// `out` must exist. Throws InputError for a bad request, IoError when a file cannot be written.
RecordedDrive RunAndRecordDrive(const sim::DriveRequest& request, const sim::MetricsConfig& config,
                                const std::filesystem::path& out);

}  // namespace marsdrive::scenarios

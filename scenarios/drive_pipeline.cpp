#include "scenarios/drive_pipeline.h"

#include <chrono>

#include "io/text_file.h"
#include "planners/plan_json.h"
#include "scenarios/autonav_json.h"
#include "scenarios/metrics_json.h"
#include "sim/drive_metrics.h"
#include "sim/telemetry_csv.h"

namespace marsdrive::scenarios {

RecordedDrive RunAndRecordDrive(const sim::DriveRequest& request, const sim::MetricsConfig& config,
                                const std::filesystem::path& out) {
  RecordedDrive drive;
  const auto wall_start = std::chrono::steady_clock::now();
  drive.result = sim::RunDrive(request);
  drive.result.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  drive.metrics = sim::ComputeDriveMetrics(drive.result, config);
  sim::WriteTelemetryCsv(out / "telemetry.csv", drive.result.telemetry);
  drive.metrics_json = scenarios::MetricsToJson(drive.metrics);
  WriteTextFile(out / "metrics.json", drive.metrics_json.dump(2) + "\n");
  if (!request.waypoints.empty()) {
    WriteTextFile(out / "autonav.json",
                  scenarios::AutoNavToJson(request, drive.result).dump() + "\n");
    drive.wrote_autonav = true;
  }
  return drive;
}

}  // namespace marsdrive::scenarios

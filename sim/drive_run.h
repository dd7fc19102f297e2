#pragma once
// One drive: a rover on ground truth executing a list of drive commands in its own Bullet world,
// producing telemetry. Metrics are computed from the telemetry afterwards (sim/metrics.h).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/telemetry.h"
#include "terrain/terrain_truth.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::sim {

enum class DriveStatus {
  kCompleted,         // every command executed
  kStuck,             // commanded motion, no progress for stuck_time_s
  kTimeLimit,         // simulated time reached time_limit_s
  kNumericalFailure,  // a non-finite pose or velocity; reason names the body
};
const char* ToString(DriveStatus status);

struct DriveRequest {
  std::shared_ptr<const terrain::TerrainTruth> terrain;  // read-only, shared by parallel runs
  vehicle::RoverSpec rover;
  vehicle::Pose2 start;                        // map frame; the rover is settled onto the ground
  std::vector<vehicle::DriveCommand> commands;
  double dt_s = 1.0 / 60.0;                    // fixed physics step
  double time_limit_s = 7200;                  // simulated seconds
  double stuck_time_s = 60;                    // commanded motion without progress -> kStuck
  std::optional<double> friction_override;     // a single Coulomb mu for every contact ("mu=")
  double telemetry_period_s = 0.25;            // decimation of the stored telemetry
  int solver_iterations = 10;                  // constraint-solver iterations per step
};

struct DriveResult {
  DriveStatus status = DriveStatus::kCompleted;
  std::string reason;          // why, whenever status != kCompleted
  Telemetry telemetry;         // decimated; first sample after settling, last at the end
  double sim_time_s = 0;
  double wall_time_s = 0;      // measured, reported, never fed back into the simulation
  std::size_t step_count = 0;
};

// Throws InputError for bad input (start off the map or inside a rock, non-finite values);
// everything that happens while driving is a status, never an exception.
DriveResult RunDrive(const DriveRequest& request);

}  // namespace marsdrive::sim

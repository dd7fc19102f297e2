#pragma once
// One drive: a rover on ground truth executing a list of drive commands, or following waypoints
// with the onboard executive and AutoNav (vehicle/waypoint_executive.h), in its own Bullet
// world, producing telemetry (and AutoNav's decisions). Metrics are computed from the telemetry
// afterwards (sim/metrics.h, sim/drive_metrics.h).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "sim/telemetry.h"
#include "terrain/truth/terrain_truth.h"
#include "vehicle/autonav.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"
#include "vehicle/soil_params.h"
#include "vehicle/waypoint_executive.h"

namespace marsdrive::sim {

enum class DriveStatus {
  kCompleted,         // every command executed / the last waypoint reached
  kStuck,             // commanded motion, no progress for stuck_time_s
  kTimeLimit,         // simulated time reached time_limit_s
  kNumericalFailure,  // a non-finite pose or velocity; reason names the body
  kNoSafePath,        // waypoints: AutoNav found no safe option (reason: where, why)
  kTiltLimit,         // waypoints: tilt above rover.limits.max_tilt_rad (fault protection)
  kSlipLimit,         // waypoints: the slip check above rover.limits.slip_limit (sim/slip_check.h)
  kSlide,  // sliding sideways beyond the slide check (sim/slide_check.h), in every drive mode
  // Faults (sim/fault_detect.h), in every drive mode; reason names what and where.
  kOffMap,     // a wheel centre left the terrain (off the grid or onto nodata)
  kRollover,   // beyond static tip-over (vehicle/tip_over.h) or upside down
  kSimFault,   // the simulation went wrong: under the surface, overspeed or energy gain
  kCancelled,  // stopped on request (DriveRequest::stop) before it ended
};
const char* ToString(DriveStatus status);
// Whether the status is a fault of the drive (off_map, rollover, sim_fault): the run failed.
bool IsFault(DriveStatus status);
bool IsFault(std::string_view status);

struct DriveRequest {
  std::shared_ptr<const terrain::TerrainTruth> terrain;  // read-only, shared by parallel runs
  vehicle::RoverSpec rover;
  vehicle::Pose2 start;  // map frame; the rover is settled onto the ground
  // What to drive: a command list, or waypoints (then `commands` must be empty).
  std::vector<vehicle::DriveCommand> commands;
  std::vector<vehicle::Waypoint> waypoints;      // map frame; reached in order
  vehicle::WaypointDriveParams waypoint_params;  // tolerances, AutoNav on/off and its params
  std::uint64_t seed = 1;                        // the run's seed (AutoNav's sensor noise)
  double dt_s = 1.0 / 60.0;                      // fixed physics step
  double time_limit_s = 7200;                    // simulated seconds
  double stuck_time_s = 60;                      // commanded motion without progress -> kStuck
  // Waypoint drives: the slip check's interval of wheel odometry (sim/slip_check.h; rover.md
  // §5: MER checked every 5 m); 0 turns the check off.
  double slip_check_interval_m = 5.0;
  std::optional<double> friction_override;  // a single Coulomb mu for every contact ("mu=")
  // The wheel-soil parameters of each class (default: vehicle/data/soils.yaml); a plan check
  // (scenarios/check/) draws them within each class's uncertainty.
  std::optional<vehicle::SoilTable> soils;
  // Proprioceptive errors, constant over the drive (a plan check draws them; scenario runs keep
  // them 0): wheel odometry reads (1 + odometry_scale_error) times the distance the wheels
  // rolled, and the IMU yaw it is dead-reckoned with drifts at imu_yaw_drift_radps. They reach
  // the slip check and the odometry in telemetry; navigation uses visual odometry (truth).
  double odometry_scale_error = 0;
  double imu_yaw_drift_radps = 0;
  double telemetry_period_s = 0.25;  // decimation of the stored telemetry
  int solver_iterations = 20;  // constraint-solver iterations per step (docs/vehicle-physics.md §3)
  // Live observers (the viewer's --live mode): called on the drive's thread with every stored
  // sample; must not touch the request. A stop request ends the drive as kCancelled.
  std::function<void(const TelemetrySample&)> on_sample;
  std::stop_token stop;
};

struct DriveResult {
  DriveStatus status = DriveStatus::kCompleted;
  std::string reason;   // why, whenever status != kCompleted
  Telemetry telemetry;  // decimated; first sample after settling, last at the end
  double sim_time_s = 0;
  // Set by the caller that timed the drive (sim/ never reads the clock); reported, never fed
  // back into the simulation.
  double wall_time_s = 0;
  std::size_t step_count = 0;
  // Waypoint drives only.
  int waypoints_reached = 0;
  int waypoint_count = 0;
  std::vector<vehicle::SkippedWaypoint> skipped_waypoints;  // given up on (the executive)
  std::vector<vehicle::AutoNavDecision> autonav_decisions;  // every decision, in time order
};

// The "mu" parameter of a validation terrain (terrain.json params): one Coulomb friction
// coefficient for every contact, or nullopt. Throws InputError naming `terrain_dir` when
// malformed.
std::optional<double> FrictionOverride(const terrain::TerrainTruth& truth,
                                       const std::string& terrain_dir);

// Throws InputError naming the field for a request that cannot be driven (non-finite or
// out-of-range values, start off the map, commands and waypoints both given, a bad rover).
void CheckDriveRequest(const DriveRequest& request);

// A DriveSession (sim/drive_session.h) run to its end. Throws InputError for bad input (as
// CheckDriveRequest, and a start inside a rock); everything that happens while driving is a
// status, never an exception.
DriveResult RunDrive(const DriveRequest& request);

}  // namespace marsdrive::sim

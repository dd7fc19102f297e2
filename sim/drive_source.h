#pragma once
// What commands the rover during a drive (sim/drive_session.h): an operator's command list
// (vehicle::DriveController) or waypoints with the onboard executive and AutoNav
// (vehicle::WaypointExecutive), behind one interface so that the session has no mode switch.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/telemetry.h"
#include "terrain/truth/terrain_truth.h"
#include "vehicle/drive_command.h"
#include "vehicle/drive_controller.h"
#include "vehicle/rover_spec.h"
#include "vehicle/waypoint_executive.h"

namespace marsdrive::sim {

struct DriveRequest;
struct DriveResult;
enum class DriveStatus;

// Commanded motion for the stuck rule (sim/metrics.h StuckDetector): what and which way.
struct CommandedMotion {
  CommandKind kind = CommandKind::kNone;
  int sign = 1;
};

class DriveSource {
 public:
  virtual ~DriveSource() = default;
  virtual bool Done() const = 0;
  // This step's actuator command; nullopt when the source finished while deciding.
  virtual std::optional<vehicle::ActuatorCommand> Update(
      const vehicle::ExecutiveObservation& observation, double dt_s) = 0;
  virtual CommandKind Kind() const = 0;  // the command being executed (telemetry)
  virtual int CommandIndex() const = 0;  // its index (command or segment), -1 when none
  // Commanded motion, nullopt when none: the stuck rule runs only while the rover is told to move.
  virtual std::optional<CommandedMotion> Motion() const = 0;
  // The kind of segment the slip check measures (waypoint drives), nullopt for none.
  virtual std::optional<vehicle::DriveCommandKind> SlipCheckedKind() const = 0;
  // Waypoint drives: tilt and slip fault protection as on the rover.
  virtual bool FaultProtected() const = 0;
  // Adds what the source knows of the end to the result (may turn kCompleted into a status).
  virtual void Finish(DriveResult& result) = 0;
};

// The request's command list or waypoints.
std::unique_ptr<DriveSource> MakeDriveSource(const DriveRequest& request);

CommandKind ToCommandKind(vehicle::DriveCommandKind kind);

}  // namespace marsdrive::sim

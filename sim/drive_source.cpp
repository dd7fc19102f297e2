#include "sim/drive_source.h"

#include <utility>

#include "sim/drive_run.h"

namespace marsdrive::sim {
namespace {

int DirectionSign(const vehicle::DriveCommand& c) {
  switch (c.kind) {
    case vehicle::DriveCommandKind::kStraight:
      return c.distance_m < 0 ? -1 : 1;
    case vehicle::DriveCommandKind::kTurnInPlace:
      return c.angle_rad < 0 ? -1 : 1;
    default:
      return 1;
  }
}

CommandKind KindOf(const std::optional<vehicle::DriveCommandKind>& kind) {
  return kind ? ToCommandKind(*kind) : CommandKind::kNone;
}

// An operator's command list, executed in order by the drive controller.
class CommandSource final : public DriveSource {
 public:
  CommandSource(const vehicle::RoverSpec& rover, std::vector<vehicle::DriveCommand> commands)
      : commands_(commands), controller_(rover, std::move(commands)) {}

  bool Done() const override { return controller_.Done(); }
  std::optional<vehicle::ActuatorCommand> Update(const vehicle::ExecutiveObservation& observation,
                                                 double dt_s) override {
    return controller_.Update(observation.drive, dt_s);
  }
  CommandKind Kind() const override { return KindOf(controller_.CurrentKind()); }
  int CommandIndex() const override { return controller_.CommandIndex(); }
  std::optional<CommandedMotion> Motion() const override {
    if (!controller_.CommandingMotion()) return std::nullopt;
    const auto& command = commands_[static_cast<std::size_t>(controller_.CommandIndex())];
    return CommandedMotion{Kind(), DirectionSign(command)};
  }
  std::optional<vehicle::DriveCommandKind> SlipCheckedKind() const override { return std::nullopt; }
  bool FaultProtected() const override { return false; }
  void Finish(DriveResult&) override {}

 private:
  std::vector<vehicle::DriveCommand> commands_;
  vehicle::DriveController controller_;
};

// Waypoints, driven by the onboard executive (with AutoNav when enabled).
class WaypointSource final : public DriveSource {
 public:
  explicit WaypointSource(const DriveRequest& r)
      : executive_(r.rover, r.waypoints, r.waypoint_params, r.terrain.get(), r.seed) {}

  bool Done() const override { return executive_.Done(); }
  std::optional<vehicle::ActuatorCommand> Update(const vehicle::ExecutiveObservation& observation,
                                                 double dt_s) override {
    const vehicle::ActuatorCommand command = executive_.Update(observation, dt_s);
    if (executive_.Done()) return std::nullopt;
    return command;
  }
  CommandKind Kind() const override { return KindOf(executive_.CurrentKind()); }
  int CommandIndex() const override { return executive_.SegmentIndex(); }
  // From the first segment to the end, steering and segment changes included: a rover spinning
  // its wheels against a rock must not re-arm the stuck rule with every new segment.
  std::optional<CommandedMotion> Motion() const override {
    const auto& command = executive_.current_command();
    if (!command) return std::nullopt;
    return CommandedMotion{ToCommandKind(command->kind), DirectionSign(*command)};
  }
  std::optional<vehicle::DriveCommandKind> SlipCheckedKind() const override {
    return executive_.CurrentKind();
  }
  bool FaultProtected() const override { return true; }
  void Finish(DriveResult& result) override {
    if (result.status == DriveStatus::kCompleted &&
        executive_.status() == vehicle::ExecutiveStatus::kNoSafePath) {
      result.status = DriveStatus::kNoSafePath;
      result.reason = executive_.reason();
    }
    result.waypoints_reached = executive_.waypoints_reached();
    result.skipped_waypoints = executive_.skipped();
    result.waypoint_count = executive_.waypoint_count();
    result.autonav_decisions = executive_.TakeDecisions();
  }

 private:
  vehicle::WaypointExecutive executive_;
};

}  // namespace

CommandKind ToCommandKind(vehicle::DriveCommandKind kind) {
  switch (kind) {
    case vehicle::DriveCommandKind::kStraight:
      return CommandKind::kStraight;
    case vehicle::DriveCommandKind::kArc:
      return CommandKind::kArc;
    case vehicle::DriveCommandKind::kTurnInPlace:
      return CommandKind::kTurnInPlace;
    case vehicle::DriveCommandKind::kStop:
      return CommandKind::kStop;
  }
  return CommandKind::kNone;
}

std::unique_ptr<DriveSource> MakeDriveSource(const DriveRequest& request) {
  if (!request.waypoints.empty()) return std::make_unique<WaypointSource>(request);
  return std::make_unique<CommandSource>(request.rover, request.commands);
}

}  // namespace marsdrive::sim

#pragma once
// A drive as a session (sim::RunDrive runs one to its end): the Bullet world, the rover, what
// commands it (sim/drive_source.h) and its fault protection (sim/fault_protection.h), advanced one
// physics step at a time. Each step is split as MuJoCo's mj_step1 / mj_step2: PreStep senses,
// decides and acts (then the world steps); PostStep reads the step's contacts, integrates
// odometry and energy and runs fault protection. Deterministic; no wall clock (callers measure).

#include <array>
#include <memory>
#include <optional>

#include "sim/bullet_world.h"
#include "sim/drive_run.h"
#include "sim/drive_source.h"
#include "sim/fault_protection.h"

namespace marsdrive::sim {

class DriveSession {
 public:
  // Validates the request (InputError), builds the world and settles the rover onto the start.
  // `request` must outlive the session.
  explicit DriveSession(const DriveRequest& request);
  DriveSession(const DriveSession&) = delete;
  DriveSession& operator=(const DriveSession&) = delete;
  ~DriveSession();

  // One physics step; false once the drive has ended (then call Finish).
  bool Step();
  // The result: status, reason, telemetry (with a last sample), the source's records.
  DriveResult Finish();

 private:
  std::optional<DriveEnd> PreStep();
  std::optional<DriveEnd> PostStep();
  void Settle();
  void ReadContacts();
  void UpdateCommand();
  void Sample();

  const DriveRequest& request_;
  std::unique_ptr<BulletWorld> world_;
  std::unique_ptr<vehicle::RoverModel> rover_;
  std::unique_ptr<DriveSource> source_;
  std::optional<FaultProtection> protection_;
  StepContacts contacts_;
  double load_alpha_ = 1;
  int period_steps_ = 1;
  // Drive state after the last step.
  std::size_t step_ = 0;
  double time_s_ = 0, odometry_m_ = 0, truth_m_ = 0, energy_J_ = 0;
  std::array<double, 2> odo_xy_{};
  btTransform pose_;
  terrain::Vec3 position_;
  double roll_ = 0, pitch_ = 0, yaw_ = 0, heading_unwrapped_ = 0, last_yaw_ = 0;
  CommandKind kind_ = CommandKind::kNone;
  int command_index_ = -1;
  std::optional<DriveEnd> end_;
  DriveResult result_;
};

}  // namespace marsdrive::sim

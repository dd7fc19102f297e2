#include "sim/drive_session.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/angle.h"
#include "base/check.h"
#include "base/format.h"
#include "sim/rover_placement.h"

namespace marsdrive::sim {
namespace {

using base::FormatNumber;

// Settling before the first sample: at least kSettleMinS, at most kSettleMaxS, until the
// chassis is still.
constexpr double kSettleMinS = 0.5;
constexpr double kSettleMaxS = 2.0;
constexpr double kSettleSpeedMps = 2e-3;
// Rock / floating-origin maintenance period (steps).
constexpr int kMaintainEverySteps = 30;
// Time constant of the wheel load seen by the soil model (s).
constexpr double kLoadFilterS = 0.25;

// ZYX Euler angles (yaw, pitch, roll) of a rotation.
void Euler(const btMatrix3x3& m, double& roll, double& pitch, double& yaw) {
  const double r20 = m[2][0];
  pitch = std::asin(std::clamp(-r20, -1.0, 1.0));
  roll = std::atan2(static_cast<double>(m[2][1]), static_cast<double>(m[2][2]));
  yaw = std::atan2(static_cast<double>(m[1][0]), static_cast<double>(m[0][0]));
}

std::array<double, 3> ToArray(const terrain::Vec3& v) { return {v.x, v.y, v.z}; }

// What the fault detector needs of the rover after a step (sim/fault_detect.h).
FaultSample MakeFaultSample(const vehicle::RoverModel& rover, const BulletWorld& world,
                            const vehicle::TerrainContactModel& contact, double time_s,
                            double energy_J) {
  FaultSample f;
  f.time_s = time_s;
  for (int w = 0; w < vehicle::kWheels; ++w) {
    const auto i = static_cast<std::size_t>(w);
    f.wheel_centres_map_m[i] = ToArray(world.ToMap(rover.WheelPose(w).getOrigin()));
    f.commanded_speed_mps =
        std::max(f.commanded_speed_mps, std::fabs(contact.wheels[i].surface_speed_mps));
  }
  f.com_map_m = ToArray(world.ToMap(rover.CenterOfMass()));
  const btTransform pose = rover.NavPose();
  const btVector3& up = pose.getBasis()[2];  // row 2: the map z axis in the body frame
  f.up_body = {up.x(), up.y(), up.z()};
  f.actuator_work_J = energy_J;
  return f;
}

// Per-wheel longitudinal slip 1 - (v_hub . d) / (omega r), d the wheel's rolling direction on
// its contact plane; 0 when the wheel is not driven or not in contact (docs/vehicle-physics.md
// §6).
double WheelSlipRatio(const vehicle::RoverModel& rover, const vehicle::WheelContactState& state,
                      int wheel, double wheel_radius_m) {
  const double omega_r = rover.WheelSpeed(wheel) * wheel_radius_m;
  if (!state.in_contact || std::fabs(omega_r) <= 1e-4) return 0.0;
  const btVector3 v = rover.WheelHubVelocity(wheel);
  const auto& d = state.rolling_dir_map;
  const double v_along = v.x() * d[0] + v.y() * d[1] + v.z() * d[2];
  return 1.0 - v_along / omega_r;
}

// The world with its floating origin at the start, whole metres.
std::unique_ptr<BulletWorld> MakeWorld(const DriveRequest& r) {
  const double ground0 = r.terrain->dem.HeightAt(r.start.x_m, r.start.y_m);
  WorldDef def;
  def.step_s = r.dt_s;
  def.friction_override = r.friction_override;
  def.solver_iterations = r.solver_iterations;
  auto world = std::make_unique<BulletWorld>(
      r.terrain, def,
      terrain::Vec3{std::round(r.start.x_m), std::round(r.start.y_m),
                    std::isfinite(ground0) ? std::round(ground0) : 0.0});
  vehicle::TerrainContactModel& contact = world->contact();
  contact.wheel_radius_m = r.rover.wheel_radius_m;
  contact.wheel_width_m = r.rover.wheel_width_m;
  contact.grouser_height_m = r.rover.wheel_grouser_m;
  contact.step_s = r.dt_s;
  if (r.soils) contact.soils = *r.soils;
  return world;
}

const DriveRequest& Checked(const DriveRequest& request) {
  CheckDriveRequest(request);
  return request;
}

}  // namespace

DriveSession::DriveSession(const DriveRequest& request)
    : request_(Checked(request)),
      world_(MakeWorld(request)),
      rover_(std::make_unique<vehicle::RoverModel>(world_->world(), request.rover,
                                                   PlaceRover(request, *world_), request.dt_s)),
      load_alpha_(std::min(1.0, request.dt_s / kLoadFilterS)) {
  world_->Maintain(*rover_);
  source_ = MakeDriveSource(request);
  const double weight_per_wheel =
      rover_->TotalMass() * kMarsGravityMps2 / static_cast<double>(vehicle::kWheels);
  for (auto& w : world_->contact().wheels) {
    w.load_N = weight_per_wheel;
    w.drive_force_limit_N = request.rover.drive_torque_limit_Nm / request.rover.wheel_radius_m;
  }
  Settle();
  pose_ = rover_->NavPose();
  position_ = world_->ToMap(pose_.getOrigin());
  odo_xy_ = {position_.x, position_.y};
  Euler(pose_.getBasis(), roll_, pitch_, yaw_);
  heading_unwrapped_ = yaw_;
  last_yaw_ = yaw_;
  protection_.emplace(request, rover_->TotalMass(), source_->FaultProtected());
  period_steps_ =
      std::max(1, static_cast<int>(std::llround(request.telemetry_period_s / request.dt_s)));
  UpdateCommand();
  Sample();
}

DriveSession::~DriveSession() = default;

// The wheel loads the soil model sees: the normal forces of the last step, low-pass filtered.
void DriveSession::ReadContacts() {
  world_->CollectContacts(contacts_);
  for (int w = 0; w < vehicle::kWheels; ++w) {
    auto& state = world_->contact().wheels[static_cast<std::size_t>(w)];
    state.load_N += load_alpha_ * (contacts_.normal_N[static_cast<std::size_t>(w)] - state.load_N);
  }
}

// Onto the ground, wheels braked, rigid ground holding (vehicle/terrain_contact.h `settling`).
void DriveSession::Settle() {
  vehicle::TerrainContactModel& contact = world_->contact();
  vehicle::ActuatorCommand hold;
  for (int w = 0; w < vehicle::kWheels; ++w) hold.steer_rad[static_cast<std::size_t>(w)] = 0;
  const int min_steps = static_cast<int>(std::ceil(kSettleMinS / request_.dt_s));
  const int max_steps = static_cast<int>(std::ceil(kSettleMaxS / request_.dt_s));
  contact.settling = true;
  for (int k = 0; k < max_steps; ++k) {
    for (auto& w : contact.wheels) w.surface_speed_mps = 0;
    rover_->ApplyCommand(hold, contact);
    world_->Step();
    rover_->EndStep();
    ReadContacts();
    if (!rover_->NonFiniteBody().empty()) break;
    if (k >= min_steps && rover_->NavVelocity().length() < kSettleSpeedMps &&
        rover_->AngularVelocity().length() < 0.01) {
      break;
    }
  }
  contact.settling = false;
}

void DriveSession::UpdateCommand() {
  kind_ = source_->Kind();
  command_index_ = source_->CommandIndex();
}

bool DriveSession::Step() {
  if (end_) return false;
  end_ = PreStep();
  if (!end_) end_ = PostStep();
  if (end_) return false;
  if (step_ % static_cast<std::size_t>(period_steps_) == 0) Sample();
  if (step_ % kMaintainEverySteps == 0) world_->Maintain(*rover_);
  return true;
}

// Step 1: the end conditions before moving, then sense, decide, act and step the world.
std::optional<DriveEnd> DriveSession::PreStep() {
  if (source_->Done()) return DriveEnd{DriveStatus::kCompleted, ""};
  if (time_s_ >= request_.time_limit_s - 0.5 * request_.dt_s) {
    return DriveEnd{DriveStatus::kTimeLimit,
                    "time limit of " + FormatNumber(request_.time_limit_s) + " s reached"};
  }
  if (request_.stop.stop_requested()) {
    return DriveEnd{DriveStatus::kCancelled,
                    "stopped on request at " + FormatNumber(time_s_) + " s"};
  }
  vehicle::ExecutiveObservation observation;
  observation.time_s = time_s_;
  observation.drive.odometry_m = odometry_m_;
  observation.drive.heading_rad = heading_unwrapped_;
  for (int w = 0; w < vehicle::kWheels; ++w) {
    observation.drive.steer_rad[static_cast<std::size_t>(w)] = rover_->SteerAngle(w);
  }
  observation.pose = {position_.x, position_.y, position_.z, roll_, pitch_, yaw_};
  const auto command = source_->Update(observation, request_.dt_s);
  if (!command) return DriveEnd{DriveStatus::kCompleted, ""};
  UpdateCommand();
  const double r = request_.rover.wheel_radius_m;
  vehicle::TerrainContactModel& contact = world_->contact();
  for (int w = 0; w < vehicle::kWheels; ++w) {
    const auto i = static_cast<std::size_t>(w);
    contact.wheels[i].surface_speed_mps =
        std::clamp(command->wheel_speed_radps[i], -request_.rover.max_wheel_speed_radps,
                   request_.rover.max_wheel_speed_radps) *
        r;
  }
  rover_->ApplyCommand(*command, contact);
  world_->Step();
  rover_->EndStep();
  ++step_;
  time_s_ = static_cast<double>(step_) * request_.dt_s;
  return std::nullopt;
}

// Step 2: what the step did (contacts, proprioception, true motion), then fault protection.
std::optional<DriveEnd> DriveSession::PostStep() {
  const std::string bad = rover_->NonFiniteBody();
  if (!bad.empty()) {
    return DriveEnd{DriveStatus::kNumericalFailure,
                    "non-finite state of " + bad + " at t = " + FormatNumber(time_s_) + " s"};
  }
  ReadContacts();
  // Proprioception: wheel odometry (mean longitudinal wheel speed), IMU attitude.
  const double r = request_.rover.wheel_radius_m, dt = request_.dt_s;
  double v_odo = 0;
  for (int w = 0; w < vehicle::kWheels; ++w) {
    v_odo += rover_->WheelSpeed(w) * r * std::cos(rover_->SteerAngle(w));
    energy_J_ +=
        std::fabs(contacts_.traction_N[static_cast<std::size_t>(w)] * r * rover_->WheelSpeed(w)) *
            dt +
        std::fabs(rover_->SteerTorque(w) * rover_->SteerRate(w)) * dt;
  }
  v_odo /= vehicle::kWheels;
  pose_ = rover_->NavPose();
  Euler(pose_.getBasis(), roll_, pitch_, yaw_);
  heading_unwrapped_ += base::WrapPi(yaw_ - last_yaw_);
  last_yaw_ = yaw_;
  StepFacts facts;
  facts.odometry_step_m = v_odo * dt * (1 + request_.odometry_scale_error);
  facts.cos_pitch = std::cos(pitch_);
  const double imu_yaw = yaw_ + request_.imu_yaw_drift_radps * time_s_;  // exact when no drift
  facts.cos_yaw = std::cos(imu_yaw);
  facts.sin_yaw = std::sin(imu_yaw);
  odometry_m_ += std::fabs(facts.odometry_step_m);
  odo_xy_[0] += facts.odometry_step_m * facts.cos_pitch * facts.cos_yaw;
  odo_xy_[1] += facts.odometry_step_m * facts.cos_pitch * facts.sin_yaw;
  const terrain::Vec3 new_position = world_->ToMap(pose_.getOrigin());
  truth_m_ += std::sqrt((new_position.x - position_.x) * (new_position.x - position_.x) +
                        (new_position.y - position_.y) * (new_position.y - position_.y) +
                        (new_position.z - position_.z) * (new_position.z - position_.z));
  facts.previous = position_;
  position_ = new_position;
  facts.time_s = time_s_;
  facts.position = position_;
  facts.yaw_rad = yaw_;
  facts.tilt_rad =
      std::acos(std::clamp(static_cast<double>(pose_.getBasis().getColumn(2).z()), -1.0, 1.0));
  facts.fault = MakeFaultSample(*rover_, *world_, world_->contact(), time_s_, energy_J_);
  facts.slip_checked_kind = source_->SlipCheckedKind();
  facts.motion = source_->Motion();
  return protection_->Check(facts);
}

void DriveSession::Sample() {
  TelemetrySample t;
  t.time_s = time_s_;
  t.position_map_m = {position_.x, position_.y, position_.z};
  t.roll_rad = roll_;
  t.pitch_rad = pitch_;
  t.yaw_rad = yaw_;
  const btVector3 body_z = pose_.getBasis().getColumn(2);
  t.tilt_rad = std::acos(std::clamp(static_cast<double>(body_z.z()), -1.0, 1.0));
  const btVector3 v = rover_->NavVelocity();
  t.velocity_map_mps = {v.x(), v.y(), v.z()};
  t.odometry_position_map_m = odo_xy_;
  t.odometry_distance_m = odometry_m_;
  t.truth_distance_m = truth_m_;
  const double r = request_.rover.wheel_radius_m;
  for (int w = 0; w < vehicle::kWheels; ++w) {
    const auto i = static_cast<std::size_t>(w);
    const vehicle::WheelContactState& state = world_->contact().wheels[i];
    WheelSample& ws = t.wheels[i];
    ws.angle_rad = rover_->WheelAngle(w);
    ws.speed_radps = rover_->WheelSpeed(w);
    ws.torque_Nm = contacts_.traction_N[i] * r;
    ws.steer_rad = rover_->SteerAngle(w);
    ws.normal_force_N = contacts_.normal_N[i];
    ws.sinkage_m = state.in_contact && !state.on_rock ? state.sinkage_m : 0.0;
    ws.slip_ratio = WheelSlipRatio(*rover_, state, w, r);
    ws.in_contact = state.in_contact;
    ws.on_rock = state.on_rock;
    ws.rock_height_m = state.on_rock ? state.rock_height_m : 0.0;
  }
  t.rocker_left_rad = rover_->RockerAngle(vehicle::kLeft);
  t.rocker_right_rad = rover_->RockerAngle(vehicle::kRight);
  t.bogie_left_rad = rover_->BogieAngle(vehicle::kLeft);
  t.bogie_right_rad = rover_->BogieAngle(vehicle::kRight);
  // The bar turns with the rockers' differential angle (lever ratio 1, EST).
  t.differential_rad = 0.5 * (t.rocker_left_rad - t.rocker_right_rad);
  t.body_contacts = contacts_.body;
  t.energy_J = energy_J_;
  t.command = kind_;
  t.command_index = command_index_;
  result_.telemetry.push_back(std::move(t));
  if (request_.on_sample) request_.on_sample(result_.telemetry.back());
}

DriveResult DriveSession::Finish() {
  if (result_.telemetry.empty() || result_.telemetry.back().time_s != time_s_) {
    UpdateCommand();
    Sample();
  }
  const DriveEnd end = end_.value_or(DriveEnd{DriveStatus::kCompleted, ""});
  result_.status = end.status;
  result_.reason = end.reason;
  source_->Finish(result_);
  result_.sim_time_s = time_s_;
  result_.step_count = step_;
  return std::move(result_);
}

}  // namespace marsdrive::sim

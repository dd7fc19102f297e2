#pragma once
// The rocker-bogie rover as one btMultiBody (Featherstone) tree in a btMultiBodyDynamicsWorld:
//   base  = chassis (floating, 6 DoF)
//   per side: rocker (revolute about body y, hinged to the chassis), bogie (revolute, hinged to
//   the rocker), front steering link (vertical axis through the wheel centre, on the rocker) and
//   front wheel, middle wheel (on the bogie), rear steering link and rear wheel (on the bogie).
//   The differential is a btMultiBodyGearConstraint with ratio 1 between the rocker joints
//   (q_left + q_right = 0: equal and opposite angles); four position servos (rate-limited
//   btMultiBodyJointMotor) steer the corner wheels; hard stops limit the rockers, bogies and
//   steering.
//   Drive: the wheels are fixed links; each drive motor is modelled at the contact as a
//   velocity-controlled tread: the friction row along the wheel targets the commanded surface
//   speed omega r (limited by the Coulomb cone and by the motor torque). A wheel's angle is the
//   integral of its commanded speed and its torque is its traction times r (sim/). This removes
//   six joint-motor rows whose Gauss-Seidel coupling with the friction rows left the wheels
//   ~10 % under speed at 10 iterations (docs/vehicle-physics.md).
// Choice and measurements (btMultiBody vs rigid bodies): docs/vehicle-physics.md.
//
// Internal to vehicle/ and sim/ (includes Bullet). Joint signs: rocker / bogie + = front up,
// steering + = left (counter-clockwise seen from above), wheel + = rolling forward.

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <BulletDynamics/Featherstone/btMultiBody.h>
#include <BulletDynamics/Featherstone/btMultiBodyDynamicsWorld.h>
#include <BulletDynamics/Featherstone/btMultiBodyGearConstraint.h>
#include <BulletDynamics/Featherstone/btMultiBodyJointLimitConstraint.h>
#include <BulletDynamics/Featherstone/btMultiBodyJointMotor.h>
#include <BulletDynamics/Featherstone/btMultiBodyLinkCollider.h>
#include <btBulletDynamicsCommon.h>

#include "vehicle/actuator_command.h"
#include "vehicle/rover_spec.h"
#include "vehicle/terrain_contact.h"

namespace marsdrive::vehicle {

// Non-wheel parts with a collider (btCollisionObject::getUserIndex2() of a kPart collider).
enum class RoverPart : int { kChassis = 0, kRockerLeft, kRockerRight, kBogieLeft, kBogieRight };

class RoverModel {
 public:
  // Builds the rover with its nav frame at X_world_nav (Bullet world coordinates) and adds it to
  // `world`; the world must outlive the model.
  RoverModel(btMultiBodyDynamicsWorld& world, const RoverSpec& spec, const btTransform& X_world_nav,
             double step_s);
  RoverModel(const RoverModel&) = delete;
  RoverModel& operator=(const RoverModel&) = delete;
  RoverModel(RoverModel&&) = delete;
  RoverModel& operator=(RoverModel&&) = delete;
  ~RoverModel();  // removes everything it added from the world

  // Before a step: records the wheels' velocities for the soil model, sets drive speeds and the
  // steering servo.
  void ApplyCommand(const ActuatorCommand& command, TerrainContactModel& contact);
  // After a step: advances the wheel angles.
  void EndStep();

  // ---- state (after a step) ----
  btTransform NavPose() const;          // nav frame in the world
  btVector3 NavVelocity() const;        // velocity of the nav-frame origin, world frame
  btVector3 AngularVelocity() const;    // chassis, world frame
  double WheelAngle(int wheel) const;   // accumulated drive-axle angle
  double WheelSpeed(int wheel) const;   // drive-axle rate (the motor tracks its command)
  double SteerAngle(int wheel) const;   // 0 for the middle wheels
  double SteerTorque(int wheel) const;  // steering motor torque of the last step (0: middle)
  double SteerRate(int wheel) const;
  double RockerAngle(int side) const;
  double BogieAngle(int side) const;
  btTransform WheelPose(int wheel) const;       // wheel frame (y = axle) in the world
  btVector3 WheelHubVelocity(int wheel) const;  // world frame
  btVector3 CenterOfMass() const;               // whole rover, world frame
  double TotalMass() const { return total_mass_kg_; }
  // The first non-finite body ("chassis", "wheel_lf", ...) or empty when all are finite.
  std::string NonFiniteBody() const;
  const btMultiBody& multibody() const { return *body_; }
  const RoverSpec& spec() const { return spec_; }

  // Floating origin: translates the whole rover by `delta` (world frame).
  void Translate(const btVector3& delta);

 private:
  void AddCollider(int link, std::unique_ptr<btCollisionShape> shape, ColliderKind kind, int index,
                   int group, int mask);
  int WheelLink(int wheel) const { return wheel_link_[static_cast<std::size_t>(wheel)]; }
  void RecordWheelVelocities(TerrainContactModel& contact) const;

  btMultiBodyDynamicsWorld& world_;
  RoverSpec spec_;
  double step_s_;
  btVector3 nav_in_base_;  // nav-frame origin in the chassis (base) frame
  double total_mass_kg_ = 0;
  std::array<int, kWheels> wheel_link_{};
  std::array<int, kWheels> steer_link_{};  // -1 for the middle wheels
  std::array<int, 2> rocker_link_{};
  std::array<int, 2> bogie_link_{};

  // Owned Bullet objects; destroyed in reverse order after being removed from the world.
  std::vector<std::unique_ptr<btCollisionShape>> shapes_;
  std::unique_ptr<btMultiBody> body_;
  std::vector<std::unique_ptr<btMultiBodyLinkCollider>> colliders_;
  std::vector<std::unique_ptr<btMultiBodyConstraint>> constraints_;
  std::array<double, kWheels> wheel_speed_radps_{};
  std::array<double, kWheels> wheel_angle_rad_{};
  std::array<btMultiBodyJointMotor*, kWheels> steer_{};  // null for the middle wheels
};

}  // namespace marsdrive::vehicle

#include "vehicle/rover_model.h"

#include <algorithm>
#include <cmath>

#include "base/check.h"

namespace marsdrive::vehicle {
namespace {

// Steering servo: fraction of the angle error corrected per step (rate capped at the steering
// rate).
constexpr double kSteerErp = 0.5;
// Impulse cap of the differential and of the hard stops (N m s per step): effectively rigid.
constexpr double kRigidTorqueNm = 1e6;
// Collision margin of the wheel cylinders and body boxes (m).
constexpr btScalar kMargin = btScalar(0.01);

btVector3 ToBt(const Vec3& v) {
  return {static_cast<btScalar>(v.x), static_cast<btScalar>(v.y), static_cast<btScalar>(v.z)};
}
Vec3 Mirror(const Vec3& v, int side) { return side == kLeft ? v : Vec3{v.x, -v.y, v.z}; }

// A box child of a compound spanning the segment a -> b (frame of the compound), shortened by
// `trim_b` at the b end, with a square section of `thickness`.
void AddBeam(btCompoundShape& compound, std::vector<std::unique_ptr<btCollisionShape>>& shapes,
             const btVector3& a, const btVector3& b, btScalar trim_b, btScalar thickness) {
  btVector3 d = b - a;
  const btScalar full = d.length();
  d /= full;
  const btScalar len = std::max(full - trim_b, btScalar(0.05));
  auto box = std::make_unique<btBoxShape>(btVector3(len / 2, thickness / 2, thickness / 2));
  box->setMargin(kMargin);
  const btVector3 x(1, 0, 0);
  btQuaternion rot = btQuaternion::getIdentity();
  const btVector3 axis = x.cross(d);
  if (axis.length() > btScalar(1e-6)) {
    rot =
        btQuaternion(axis.normalized(), std::acos(std::clamp(x.dot(d), btScalar(-1), btScalar(1))));
  }
  compound.addChildShape(btTransform(rot, a + d * (len / 2)), box.get());
  shapes.push_back(std::move(box));
}

}  // namespace

RoverModel::RoverModel(btMultiBodyDynamicsWorld& world, const RoverSpec& spec,
                       const btTransform& X_world_nav, double step_s)
    : world_(world), spec_(spec), step_s_(step_s) {
  const RoverSpec& s = spec_;
  const Vec3 chassis_com = ChassisComM(s);
  nav_in_base_ = -ToBt(chassis_com);
  total_mass_kg_ = TotalMassKg(s);

  constexpr int kLinks = 14;
  body_ = std::make_unique<btMultiBody>(kLinks, static_cast<btScalar>(s.chassis_mass_kg),
                                        ToBt(s.chassis_inertia_kgm2), /*fixedBase=*/false,
                                        /*canSleep=*/false);
  body_->setLinearDamping(0);
  body_->setAngularDamping(0);
  body_->setMaxCoordinateVelocity(100);
  body_->setMaxAppliedImpulse(btScalar(1e6));
  body_->setHasSelfCollision(false);
  body_->setBaseName("chassis");

  const btQuaternion identity = btQuaternion::getIdentity();
  const btVector3 pitch_axis(0, -1, 0);  // + = front up
  const btVector3 steer_axis(0, 0, 1);   // + = left
  const btVector3 zero(0, 0, 0);
  const btScalar wheel_m = static_cast<btScalar>(s.wheel_mass_kg);
  const btVector3 wheel_inertia = ToBt(s.wheel_inertia_kgm2);
  const btScalar steer_m = static_cast<btScalar>(s.steer_mass_kg);

  int link = 0;
  for (int side = kLeft; side <= kRight; ++side) {
    const btVector3 rocker_pivot = ToBt(Mirror(s.rocker_pivot_m, side));
    const btVector3 rocker_com = ToBt(Mirror(RockerComM(s), side));
    const btVector3 bogie_pivot = ToBt(Mirror(s.bogie_pivot_m, side));
    const btVector3 bogie_com = ToBt(Mirror(BogieComM(s), side));
    const btVector3 front = ToBt(Mirror(s.front_wheel_m, side));
    const btVector3 middle = ToBt(Mirror(s.middle_wheel_m, side));
    const btVector3 rear = ToBt(Mirror(s.rear_wheel_m, side));
    const int base_wheel = side == kLeft ? 0 : 3;

    const int rocker = link++;
    body_->setupRevolute(rocker, static_cast<btScalar>(s.rocker_mass_kg),
                         ToBt(s.rocker_inertia_kgm2), -1, identity, pitch_axis,
                         rocker_pivot - ToBt(chassis_com), rocker_com - rocker_pivot, true);
    const int bogie = link++;
    body_->setupRevolute(bogie, static_cast<btScalar>(s.bogie_mass_kg), ToBt(s.bogie_inertia_kgm2),
                         rocker, identity, pitch_axis, bogie_pivot - rocker_com,
                         bogie_com - bogie_pivot, true);
    const int steer_front = link++;
    body_->setupRevolute(steer_front, steer_m, ToBt(s.steer_inertia_kgm2), rocker, identity,
                         steer_axis, front - rocker_com, zero, true);
    const int wheel_front = link++;
    body_->setupFixed(wheel_front, wheel_m, wheel_inertia, steer_front, identity, zero, zero);
    const int wheel_middle = link++;
    body_->setupFixed(wheel_middle, wheel_m, wheel_inertia, bogie, identity, middle - bogie_com,
                      zero);
    const int steer_rear = link++;
    body_->setupRevolute(steer_rear, steer_m, ToBt(s.steer_inertia_kgm2), bogie, identity,
                         steer_axis, rear - bogie_com, zero, true);
    const int wheel_rear = link++;
    body_->setupFixed(wheel_rear, wheel_m, wheel_inertia, steer_rear, identity, zero, zero);

    rocker_link_[static_cast<std::size_t>(side)] = rocker;
    bogie_link_[static_cast<std::size_t>(side)] = bogie;
    wheel_link_[static_cast<std::size_t>(base_wheel + 0)] = wheel_front;
    wheel_link_[static_cast<std::size_t>(base_wheel + 1)] = wheel_middle;
    wheel_link_[static_cast<std::size_t>(base_wheel + 2)] = wheel_rear;
    steer_link_[static_cast<std::size_t>(base_wheel + 0)] = steer_front;
    steer_link_[static_cast<std::size_t>(base_wheel + 1)] = -1;
    steer_link_[static_cast<std::size_t>(base_wheel + 2)] = steer_rear;
    body_->getLink(rocker).m_linkName = side == kLeft ? "rocker_left" : "rocker_right";
    body_->getLink(bogie).m_linkName = side == kLeft ? "bogie_left" : "bogie_right";
    body_->getLink(steer_front).m_linkName = side == kLeft ? "steer_lf" : "steer_rf";
    body_->getLink(steer_rear).m_linkName = side == kLeft ? "steer_lr" : "steer_rr";
    body_->getLink(wheel_front).m_linkName = side == kLeft ? "wheel_lf" : "wheel_rf";
    body_->getLink(wheel_middle).m_linkName = side == kLeft ? "wheel_lm" : "wheel_rm";
    body_->getLink(wheel_rear).m_linkName = side == kLeft ? "wheel_lr" : "wheel_rr";
  }
  MD_DEMAND(link == kLinks);
  body_->finalizeMultiDof();

  btTransform X_world_base = X_world_nav;
  X_world_base.setOrigin(X_world_nav(ToBt(chassis_com)));
  body_->setBaseWorldTransform(X_world_base);
  world_.addMultiBody(body_.get(), kGroupPart, 0);

  // ---- colliders ----
  const int part_mask = kGroupTerrain | kGroupRock;
  const btScalar clearance = static_cast<btScalar>(s.limits.ground_clearance_m);
  {
    auto chassis = std::make_unique<btCompoundShape>();
    const btVector3 half(static_cast<btScalar>(0.5 * (s.chassis_max_x_m - s.chassis_min_x_m)),
                         static_cast<btScalar>(s.chassis_half_width_m),
                         static_cast<btScalar>(0.5 * s.chassis_top_m) - clearance / 2);
    const btVector3 centre(static_cast<btScalar>(0.5 * (s.chassis_max_x_m + s.chassis_min_x_m)), 0,
                           static_cast<btScalar>(0.5 * s.chassis_top_m) + clearance / 2);
    auto box = std::make_unique<btBoxShape>(half);
    box->setMargin(kMargin);
    chassis->addChildShape(btTransform(identity, centre - ToBt(chassis_com)), box.get());
    shapes_.push_back(std::move(box));
    AddCollider(-1, std::move(chassis), ColliderKind::kPart, static_cast<int>(RoverPart::kChassis),
                kGroupPart, part_mask);
  }
  const btScalar thickness = static_cast<btScalar>(s.beam_thickness_m);
  const btScalar trim = static_cast<btScalar>(s.wheel_radius_m + 0.05);
  for (int side = kLeft; side <= kRight; ++side) {
    const btVector3 rocker_com = ToBt(Mirror(RockerComM(s), side));
    const btVector3 bogie_com = ToBt(Mirror(BogieComM(s), side));
    const btVector3 rocker_pivot = ToBt(Mirror(s.rocker_pivot_m, side)) - rocker_com;
    const btVector3 bogie_pivot_r = ToBt(Mirror(s.bogie_pivot_m, side)) - rocker_com;
    auto rocker = std::make_unique<btCompoundShape>();
    AddBeam(*rocker, shapes_, rocker_pivot, ToBt(Mirror(s.front_wheel_m, side)) - rocker_com, trim,
            thickness);
    AddBeam(*rocker, shapes_, rocker_pivot, bogie_pivot_r, 0, thickness);
    AddCollider(rocker_link_[static_cast<std::size_t>(side)], std::move(rocker),
                ColliderKind::kPart,
                static_cast<int>(side == kLeft ? RoverPart::kRockerLeft : RoverPart::kRockerRight),
                kGroupPart, part_mask);
    const btVector3 bogie_pivot = ToBt(Mirror(s.bogie_pivot_m, side)) - bogie_com;
    auto bogie = std::make_unique<btCompoundShape>();
    AddBeam(*bogie, shapes_, bogie_pivot, ToBt(Mirror(s.middle_wheel_m, side)) - bogie_com, trim,
            thickness);
    AddBeam(*bogie, shapes_, bogie_pivot, ToBt(Mirror(s.rear_wheel_m, side)) - bogie_com, trim,
            thickness);
    AddCollider(bogie_link_[static_cast<std::size_t>(side)], std::move(bogie), ColliderKind::kPart,
                static_cast<int>(side == kLeft ? RoverPart::kBogieLeft : RoverPart::kBogieRight),
                kGroupPart, part_mask);
  }
  for (int w = 0; w < kWheels; ++w) {
    auto cylinder = std::make_unique<btCylinderShape>(btVector3(
        static_cast<btScalar>(s.wheel_radius_m), static_cast<btScalar>(s.wheel_width_m / 2),
        static_cast<btScalar>(s.wheel_radius_m)));
    cylinder->setMargin(kMargin);
    AddCollider(WheelLink(w), std::move(cylinder), ColliderKind::kWheel, w, kGroupWheel,
                kGroupTerrain);
  }
  {
    btAlignedObjectArray<btQuaternion> world_to_local;
    btAlignedObjectArray<btVector3> local_origin;
    body_->forwardKinematics(world_to_local, local_origin);
    body_->updateCollisionObjectWorldTransforms(world_to_local, local_origin);
  }

  // ---- constraints ----
  const auto add = [&](std::unique_ptr<btMultiBodyConstraint> c) {
    world_.addMultiBodyConstraint(c.get());
    constraints_.push_back(std::move(c));
  };
  const btScalar rigid = static_cast<btScalar>(kRigidTorqueNm * step_s_);
  {
    auto gear = std::make_unique<btMultiBodyGearConstraint>(
        body_.get(), rocker_link_[0], body_.get(), rocker_link_[1], zero, zero,
        btMatrix3x3::getIdentity(), btMatrix3x3::getIdentity());
    gear->setGearRatio(1);  // q_left + q_right = 0
    gear->setErp(1);        // x the solver's non-contact ERP (sim/bullet_world.cpp)
    gear->setMaxAppliedImpulse(rigid);
    add(std::move(gear));
  }
  const auto limit = [&](int l, double lo, double hi) {
    auto c = std::make_unique<btMultiBodyJointLimitConstraint>(
        body_.get(), l, static_cast<btScalar>(lo), static_cast<btScalar>(hi));
    c->setMaxAppliedImpulse(rigid);
    add(std::move(c));
  };
  for (int side = kLeft; side <= kRight; ++side) {
    limit(rocker_link_[static_cast<std::size_t>(side)], s.rocker_stop_min_rad,
          s.rocker_stop_max_rad);
    limit(bogie_link_[static_cast<std::size_t>(side)], s.bogie_stop_min_rad, s.bogie_stop_max_rad);
  }
  for (int w = 0; w < kWheels; ++w) {
    const int steer = steer_link_[static_cast<std::size_t>(w)];
    if (steer < 0) continue;
    limit(steer, -s.steer_stop_rad, s.steer_stop_rad);
    auto servo = std::make_unique<btMultiBodyJointMotor>(
        body_.get(), steer, btScalar(0), static_cast<btScalar>(s.steer_torque_limit_Nm * step_s_));
    // Position servo: desired rate = erp (target - q) / dt, capped at the steering rate.
    servo->setErp(btScalar(kSteerErp));
    servo->setRhsClamp(static_cast<btScalar>(s.steer_rate_radps));
    steer_[static_cast<std::size_t>(w)] = servo.get();
    add(std::move(servo));
  }
}

void RoverModel::AddCollider(int link, std::unique_ptr<btCollisionShape> shape, ColliderKind kind,
                             int index, int group, int mask) {
  auto collider = std::make_unique<btMultiBodyLinkCollider>(body_.get(), link);
  collider->setCollisionShape(shape.get());
  collider->setFriction(1);  // the ground contact sets mu per point; rocks carry their own mu
  collider->setRestitution(0);
  collider->setUserIndex(static_cast<int>(kind));
  collider->setUserIndex2(index);
  world_.addCollisionObject(collider.get(), group, mask);
  if (link < 0) {
    body_->setBaseCollider(collider.get());
  } else {
    body_->getLink(link).m_collider = collider.get();
  }
  shapes_.push_back(std::move(shape));
  colliders_.push_back(std::move(collider));
}

RoverModel::~RoverModel() {
  for (auto it = constraints_.rbegin(); it != constraints_.rend(); ++it) {
    world_.removeMultiBodyConstraint(it->get());
  }
  for (auto it = colliders_.rbegin(); it != colliders_.rend(); ++it) {
    world_.removeCollisionObject(it->get());
  }
  world_.removeMultiBody(body_.get());
}

void RoverModel::ApplyCommand(const ActuatorCommand& command, TerrainContactModel& contact) {
  RecordWheelVelocities(contact);
  for (int w = 0; w < kWheels; ++w) {
    const auto i = static_cast<std::size_t>(w);
    const double speed = std::clamp(command.wheel_speed_radps[i], -spec_.max_wheel_speed_radps,
                                    spec_.max_wheel_speed_radps);
    wheel_speed_radps_[i] = speed;
    if (steer_[i] != nullptr) {
      const double target =
          std::clamp(command.steer_rad[i], -spec_.limits.max_steer_rad, spec_.limits.max_steer_rad);
      steer_[i]->setPositionTarget(static_cast<btScalar>(target), 1);
      steer_[i]->setVelocityTarget(0, 1);
    }
  }
}

void RoverModel::RecordWheelVelocities(TerrainContactModel& contact) const {
  const int n = body_->getNumLinks();
  btAlignedObjectArray<btVector3> omega, vel;
  omega.resize(n + 1);
  vel.resize(n + 1);
  body_->compTreeLinkVelocities(&omega[0], &vel[0]);  // link frames
  for (int w = 0; w < kWheels; ++w) {
    const btMatrix3x3 basis = WheelPose(w).getBasis();
    const btVector3 v = basis * vel[WheelLink(w) + 1];
    const btVector3 o = basis * omega[WheelLink(w) + 1];
    WheelContactState& state = contact.wheels[static_cast<std::size_t>(w)];
    state.hub_velocity_map = {v.x(), v.y(), v.z()};
    state.angular_velocity_map = {o.x(), o.y(), o.z()};
  }
}

void RoverModel::EndStep() {
  for (std::size_t i = 0; i < wheel_angle_rad_.size(); ++i) {
    wheel_angle_rad_[i] += wheel_speed_radps_[i] * step_s_;
  }
}

btTransform RoverModel::NavPose() const {
  btTransform X = body_->getBaseWorldTransform();
  X.setOrigin(X(nav_in_base_));
  return X;
}

btVector3 RoverModel::NavVelocity() const {
  const btVector3 r = body_->getBaseWorldTransform().getBasis() * nav_in_base_;
  return body_->getBaseVel() + body_->getBaseOmega().cross(r);
}

btVector3 RoverModel::AngularVelocity() const { return body_->getBaseOmega(); }

double RoverModel::WheelAngle(int wheel) const {
  return wheel_angle_rad_[static_cast<std::size_t>(wheel)];
}
double RoverModel::WheelSpeed(int wheel) const {
  return wheel_speed_radps_[static_cast<std::size_t>(wheel)];
}
double RoverModel::SteerAngle(int wheel) const {
  const int l = steer_link_[static_cast<std::size_t>(wheel)];
  return l < 0 ? 0.0 : body_->getJointPos(l);
}
double RoverModel::SteerRate(int wheel) const {
  const int l = steer_link_[static_cast<std::size_t>(wheel)];
  return l < 0 ? 0.0 : body_->getJointVel(l);
}
double RoverModel::SteerTorque(int wheel) const {
  auto* servo = steer_[static_cast<std::size_t>(wheel)];
  return servo == nullptr ? 0.0 : servo->getAppliedImpulse(0) / step_s_;
}
double RoverModel::RockerAngle(int side) const {
  return body_->getJointPos(rocker_link_[static_cast<std::size_t>(side)]);
}
double RoverModel::BogieAngle(int side) const {
  return body_->getJointPos(bogie_link_[static_cast<std::size_t>(side)]);
}

btTransform RoverModel::WheelPose(int wheel) const {
  return body_->getLink(WheelLink(wheel)).m_collider->getWorldTransform();
}

btVector3 RoverModel::WheelHubVelocity(int wheel) const {
  const int n = body_->getNumLinks();
  btAlignedObjectArray<btVector3> omega, vel;
  omega.resize(n + 1);
  vel.resize(n + 1);
  body_->compTreeLinkVelocities(&omega[0], &vel[0]);
  return WheelPose(wheel).getBasis() * vel[WheelLink(wheel) + 1];
}

btVector3 RoverModel::CenterOfMass() const {
  btVector3 sum = body_->getBasePos() * body_->getBaseMass();
  btScalar mass = body_->getBaseMass();
  for (int i = 0; i < body_->getNumLinks(); ++i) {
    sum += body_->localPosToWorld(i, btVector3(0, 0, 0)) * body_->getLinkMass(i);
    mass += body_->getLinkMass(i);
  }
  return sum / mass;
}

std::string RoverModel::NonFiniteBody() const {
  const auto finite = [](const btVector3& v) {
    return std::isfinite(v.x()) && std::isfinite(v.y()) && std::isfinite(v.z());
  };
  const btQuaternion& q = body_->getWorldToBaseRot();
  if (!finite(body_->getBasePos()) || !finite(body_->getBaseVel()) ||
      !finite(body_->getBaseOmega()) || !std::isfinite(q.w()) || !std::isfinite(q.x())) {
    return "chassis";
  }
  for (int i = 0; i < body_->getNumLinks(); ++i) {
    if (!std::isfinite(body_->getJointPos(i)) || !std::isfinite(body_->getJointVel(i))) {
      return body_->getLink(i).m_linkName != nullptr ? body_->getLink(i).m_linkName : "link";
    }
  }
  return {};
}

void RoverModel::Translate(const btVector3& delta) {
  body_->setBasePos(body_->getBasePos() + delta);
  btAlignedObjectArray<btQuaternion> world_to_local;
  btAlignedObjectArray<btVector3> local_origin;
  body_->forwardKinematics(world_to_local, local_origin);
  body_->updateCollisionObjectWorldTransforms(world_to_local, local_origin);
}

}  // namespace marsdrive::vehicle

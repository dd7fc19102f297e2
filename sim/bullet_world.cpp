#include "sim/bullet_world.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/check.h"

namespace marsdrive::sim {
namespace {

// A body-part contact point counts when its separation is below this (m).
constexpr double kTouchM = 1e-3;
constexpr int kRockRingPoints = 12;
// Elevation angles (deg) of the rings of a rock's hull; negative = buried part.
constexpr double kRockRingsDeg[] = {-20.0, 0.0, 25.0, 50.0, 72.0};

BodyPart ToBodyPart(int part) {
  switch (static_cast<vehicle::RoverPart>(part)) {
    case vehicle::RoverPart::kChassis:
      return BodyPart::kChassis;
    case vehicle::RoverPart::kRockerLeft:
      return BodyPart::kRockerLeft;
    case vehicle::RoverPart::kRockerRight:
      return BodyPart::kRockerRight;
    case vehicle::RoverPart::kBogieLeft:
      return BodyPart::kBogieLeft;
    case vehicle::RoverPart::kBogieRight:
      return BodyPart::kBogieRight;
  }
  return BodyPart::kOther;
}

}  // namespace

// ---- solver -------------------------------------------------------------------------------

void ThrustSolver::convertContacts(btPersistentManifold** manifolds, int count,
                                   const btContactSolverInfo& info) {
  // Gauss-Seidel favours the rows it solves first; alternating the manifold order every step
  // keeps that bias from steering the rover (left wheels first, then right wheels first).
  // (A copy: the array may be the dispatcher's own, whose order it relies on.)
  order_.assign(manifolds, manifolds + count);
  motor_rows_.clear();
  if (reverse_) std::reverse(order_.begin(), order_.end());
  reverse_ = !reverse_;
  btMultiBodyConstraintSolver::convertContacts(order_.data(), count, info);
  if ((info.m_solverMode & SOLVER_USE_2_FRICTION_DIRECTIONS) == 0) return;
  const btScalar inv_dt = btScalar(1) / info.m_timeStep;
  for (int i = 0; i < m_multiBodyNormalContactConstraints.size(); ++i) {
    const btMultiBodySolverConstraint& normal_row = m_multiBodyNormalContactConstraints[i];
    const auto* cp = static_cast<const btManifoldPoint*>(normal_row.m_originalContactPoint);
    const vehicle::WheelRows* rows = cp != nullptr ? vehicle::WheelRowsOf(*cp) : nullptr;
    btMultiBody* body = normal_row.m_multiBodyA;
    if (rows == nullptr || body == nullptr || normal_row.m_multiBodyB != nullptr ||
        normal_row.m_linkA < 0) {
      continue;
    }
    btMultiBodySolverConstraint& row_n = m_multiBodyNormalContactConstraints[i];
    btMultiBodySolverConstraint& row_p =
        m_multiBodyFrictionContactConstraints[normal_row.m_frictionIndex];
    btMultiBodySolverConstraint& row_q =
        m_multiBodyFrictionContactConstraints[normal_row.m_frictionIndex + 1];
    // Bullet (3.24) always builds the friction rows along btPlaneSpace1(normal), p and q. The
    // rows are linear in their direction, so turn them in place to the wheel's rolling
    // direction d1 = axle x n and to d2 = n x d1 (no new Featherstone solve).
    const btVector3& n = cp->m_normalWorldOnB;
    const btVector3 axle =
        body->getLinkCollider(normal_row.m_linkA)->getWorldTransform().getBasis().getColumn(1);
    btVector3 d1 = axle.cross(n);
    if (d1.length2() < btScalar(0.01)) continue;
    d1.normalize();
    const btVector3 d2 = n.cross(d1);
    const btVector3 p = row_p.m_contactNormal1, q = row_q.m_contactNormal1;
    const int ndof = body->getNumDofs() + 6;
    scratch_.resize(static_cast<std::size_t>(4 * ndof));
    btScalar* jp = &m_data.m_jacobians[row_p.m_jacAindex];
    btScalar* jq = &m_data.m_jacobians[row_q.m_jacAindex];
    btScalar* vp = &m_data.m_deltaVelocitiesUnitImpulse[row_p.m_jacAindex];
    btScalar* vq = &m_data.m_deltaVelocitiesUnitImpulse[row_q.m_jacAindex];
    std::copy(jp, jp + ndof, scratch_.begin());
    std::copy(jq, jq + ndof, scratch_.begin() + ndof);
    std::copy(vp, vp + ndof, scratch_.begin() + 2 * ndof);
    std::copy(vq, vq + ndof, scratch_.begin() + 3 * ndof);
    const btVector3 r1p = row_p.m_relpos1CrossNormal, r1q = row_q.m_relpos1CrossNormal;
    const btVector3 r2p = row_p.m_relpos2CrossNormal, r2q = row_q.m_relpos2CrossNormal;
    const btScalar* velocity = body->getVelocityVector();
    const auto rebuild = [&](btMultiBodySolverConstraint& row, const btVector3& d, btScalar target,
                             btScalar compliance, btScalar mu) {
      const btScalar a = d.dot(p), b = d.dot(q);
      btScalar* jac = &m_data.m_jacobians[row.m_jacAindex];
      btScalar* response = &m_data.m_deltaVelocitiesUnitImpulse[row.m_jacAindex];
      btScalar denom = 0, rel_vel = 0;
      for (int k = 0; k < ndof; ++k) {
        const auto u = static_cast<std::size_t>(k);
        jac[k] = a * scratch_[u] + b * scratch_[u + static_cast<std::size_t>(ndof)];
        response[k] = a * scratch_[u + static_cast<std::size_t>(2 * ndof)] +
                      b * scratch_[u + static_cast<std::size_t>(3 * ndof)];
        denom += jac[k] * response[k];
        rel_vel += jac[k] * velocity[k];
      }
      row.m_contactNormal1 = d;
      row.m_contactNormal2 = -d;
      row.m_relpos1CrossNormal = r1p * a + r1q * b;
      row.m_relpos2CrossNormal = r2p * a + r2q * b;
      const btScalar cfm = compliance * inv_dt;
      row.m_jacDiagABInv = denom + cfm > SIMD_EPSILON ? info.m_sor / (denom + cfm) : 0;
      row.m_rhs = (target - rel_vel) * row.m_jacDiagABInv;
      row.m_rhsPenetration = 0;
      row.m_cfm = cfm * row.m_jacDiagABInv;
      row.m_friction = mu;
      row.m_appliedImpulse = 0;
    };
    // Along the wheel and across it: the soil's linearised force laws (vehicle/wheel_rows.h).
    rebuild(row_p, d1, static_cast<btScalar>(rows->long_target_mps),
            static_cast<btScalar>(rows->long_compliance_mpsN),
            static_cast<btScalar>(rows->long_mu));
    rebuild(row_q, d2, static_cast<btScalar>(rows->lat_target_mps),
            static_cast<btScalar>(rows->lat_compliance_mpsN), static_cast<btScalar>(rows->lat_mu));
    AddMotorRow(normal_row.m_frictionIndex, body, normal_row.m_linkA,
                static_cast<btScalar>(rows->motor_cap_N) * info.m_timeStep);
    // Warm start from the same contact of the previous step (carried over by the contact
    // algorithm): the rover is quasi-static, so last step's impulses are nearly this step's.
    const auto warm = [&](btMultiBodySolverConstraint& row, btScalar impulse) {
      if (!(std::fabs(impulse) > 0) || warm_start_factor_ <= 0) return;
      row.m_appliedImpulse = impulse * warm_start_factor_;
      // As Bullet's own articulated warm start: the solver's working velocities and the body's
      // pending velocity change (3.24 updates velocities during the iterations).
      btScalar* response = &m_data.m_deltaVelocitiesUnitImpulse[row.m_jacAindex];
      body->applyDeltaVeeMultiDof2(response, row.m_appliedImpulse);
      applyDeltaVee(response, row.m_appliedImpulse, row.m_deltaVelAindex, ndof);
    };
    warm(row_n, std::max(cp->m_appliedImpulse, btScalar(0)));
    const btScalar limit = cp->m_combinedFriction * row_n.m_appliedImpulse;
    warm(row_p, std::clamp(cp->m_appliedImpulseLateral1, -limit, limit));
    warm(row_q, std::clamp(cp->m_appliedImpulseLateral2, -limit, limit));
  }
}

void ThrustSolver::AddMotorRow(int friction_index, btMultiBody* body, int link,
                               btScalar cap_impulse) {
  // A wheel's points are consecutive (one manifold per wheel): they share the wheel's motor.
  if (motor_rows_.empty() || motor_rows_.back().body != body || motor_rows_.back().link != link) {
    motor_rows_.push_back({body, link, cap_impulse, {}, 0});
  }
  MotorRow& motor = motor_rows_.back();
  MD_DEMAND(motor.count < static_cast<int>(motor.rows.size()));
  motor.rows[static_cast<std::size_t>(motor.count++)] = friction_index;
}

btScalar ThrustSolver::solveSingleIteration(int iteration, btCollisionObject** bodies,
                                            int num_bodies, btPersistentManifold** manifolds,
                                            int num_manifolds, btTypedConstraint** constraints,
                                            int num_constraints, const btContactSolverInfo& info,
                                            btIDebugDraw* debug_draw) {
  const btScalar residual = btMultiBodyConstraintSolver::solveSingleIteration(
      iteration, bodies, num_bodies, manifolds, num_manifolds, constraints, num_constraints, info,
      debug_draw);
  // The drive motor's torque limit is absolute (not a friction cone, which scales with this
  // iteration's normal impulse): project each wheel's rolling impulses back onto it, so the
  // limit holds at every step however the load jumps (a wheel hitting a ledge).
  for (const MotorRow& motor : motor_rows_) {
    btScalar total = 0;
    for (int index : motor.Rows()) {
      total += m_multiBodyFrictionContactConstraints[index].m_appliedImpulse;
    }
    if (!(std::fabs(total) > motor.cap_impulse) || motor.cap_impulse <= 0) continue;
    const btScalar scale = motor.cap_impulse / std::fabs(total);
    const int ndof = motor.body->getNumDofs() + 6;
    for (int index : motor.Rows()) {
      btMultiBodySolverConstraint& row = m_multiBodyFrictionContactConstraints[index];
      const btScalar delta = row.m_appliedImpulse * (scale - 1);
      row.m_appliedImpulse += delta;
      btScalar* response = &m_data.m_deltaVelocitiesUnitImpulse[row.m_jacAindex];
      motor.body->applyDeltaVeeMultiDof2(response, delta);
      applyDeltaVee(response, delta, row.m_deltaVelAindex, ndof);
    }
  }
  return residual;
}

// ---- world --------------------------------------------------------------------------------

void GroundShape::getAabb(const btTransform& t, btVector3& aabb_min, btVector3& aabb_max) const {
  btHeightfieldTerrainShape::getAabb(t, aabb_min, aabb_max);
  const btVector3 reach(1000, 1000, 1000);  // m beyond the map: its clamped continuation
  aabb_min -= reach;
  aabb_max += reach;
}

BulletWorld::BulletWorld(std::shared_ptr<const terrain::TerrainTruth> terrain, const WorldDef& def,
                         const terrain::Vec3& origin_map_m)
    : def_(def), terrain_(std::move(terrain)) {
  MD_DEMAND(terrain_ != nullptr);
  sampler_ = std::make_unique<terrain::TerrainSampler>(*terrain_);
  contact_.sampler = sampler_.get();
  contact_.friction_override = def_.friction_override;
  contact_.origin_x_m = origin_map_m.x;
  contact_.origin_y_m = origin_map_m.y;
  contact_.origin_z_m = origin_map_m.z;
  contact_.soils = vehicle::DefaultSoilTable();
  contact_.gravity_mps2 = kMarsGravityMps2;

  wheel_create_swapped_.m_swapped = true;
  part_create_swapped_.m_swapped = true;
  dispatcher_.registerCollisionCreateFunc(CYLINDER_SHAPE_PROXYTYPE, TERRAIN_SHAPE_PROXYTYPE,
                                          &wheel_create_);
  dispatcher_.registerCollisionCreateFunc(TERRAIN_SHAPE_PROXYTYPE, CYLINDER_SHAPE_PROXYTYPE,
                                          &wheel_create_swapped_);
  for (int part_type : {BOX_SHAPE_PROXYTYPE, COMPOUND_SHAPE_PROXYTYPE}) {
    dispatcher_.registerCollisionCreateFunc(part_type, TERRAIN_SHAPE_PROXYTYPE, &part_create_);
    dispatcher_.registerCollisionCreateFunc(TERRAIN_SHAPE_PROXYTYPE, part_type,
                                            &part_create_swapped_);
  }

  world_.setGravity(btVector3(0, 0, static_cast<btScalar>(-kMarsGravityMps2)));
  btContactSolverInfo& info = world_.getSolverInfo();
  info.m_numIterations = def_.solver_iterations;
  // Two friction directions (the implicit cone), turned to each wheel by ThrustSolver.
  info.m_solverMode = SOLVER_USE_2_FRICTION_DIRECTIONS | SOLVER_USE_WARMSTARTING | SOLVER_SIMD;
  info.m_erp2 = btScalar(0.2);
  info.m_globalCfm = 0;
  info.m_splitImpulse = 0;
  // Non-contact rows (differential, steering servos, hard stops) correct 80 % of their position
  // error per step: the differential holds the rockers opposite within ~0.01 deg.
  info.m_erp = btScalar(0.8);

  // The ground truth, read in place: the shape keeps a pointer to the grid's floats.
  const terrain::GridSpec& spec = terrain_->dem.spec();
  float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
  for (float h : terrain_->dem.heights_m.Values()) {
    if (std::isfinite(h)) {
      lo = std::min(lo, h);
      hi = std::max(hi, h);
    }
  }
  if (lo > hi) lo = hi = 0;
  hi = std::max(hi, lo + 0.01f);
  terrain_shape_ = std::make_unique<GroundShape>(
      spec.width_px, spec.height_px, terrain_->dem.heights_m.Values().data(), lo, hi, 2, false);
  const auto res = static_cast<btScalar>(spec.resolution_m);
  terrain_shape_->setLocalScaling(btVector3(res, res, 1));
  terrain_centre_x_m_ = spec.origin_x_m + 0.5 * spec.WidthM();
  terrain_centre_y_m_ = spec.origin_y_m + 0.5 * spec.HeightM();
  terrain_centre_z_m_ = 0.5 * (static_cast<double>(lo) + static_cast<double>(hi));
  terrain_object_ = ObjectPtr(new btCollisionObject(), RemoveAndDelete{&world_});
  terrain_object_->setCollisionShape(terrain_shape_.get());
  terrain_object_->setWorldTransform(
      btTransform(btQuaternion::getIdentity(),
                  ToWorld(terrain_centre_x_m_, terrain_centre_y_m_, terrain_centre_z_m_)));
  terrain_object_->setFriction(1);  // the ground contact sets mu per point
  terrain_object_->setRestitution(0);
  terrain_object_->setUserIndex(static_cast<int>(vehicle::ColliderKind::kTerrain));
  world_.addCollisionObject(terrain_object_.get(), vehicle::kGroupTerrain,
                            vehicle::kGroupWheel | vehicle::kGroupPart);
}

btVector3 BulletWorld::ToWorld(double x_m, double y_m, double z_m) const {
  return {static_cast<btScalar>(x_m - contact_.origin_x_m),
          static_cast<btScalar>(y_m - contact_.origin_y_m),
          static_cast<btScalar>(z_m - contact_.origin_z_m)};
}

terrain::Vec3 BulletWorld::ToMap(const btVector3& p) const {
  return {p.x() + contact_.origin_x_m, p.y() + contact_.origin_y_m, p.z() + contact_.origin_z_m};
}

void BulletWorld::AddRock(int index) {
  const terrain::RockShape& r = sampler_->rocks()[static_cast<std::size_t>(index)];
  auto shape = std::make_unique<btConvexHullShape>();
  for (double elevation_deg : kRockRingsDeg) {
    const double phi = elevation_deg * std::numbers::pi / 180.0;
    for (int k = 0; k < kRockRingPoints; ++k) {
      const double theta = 2 * std::numbers::pi * k / kRockRingPoints;
      const double u = r.semi_a_m * std::cos(phi) * std::cos(theta);
      const double v = r.semi_b_m * std::cos(phi) * std::sin(theta);
      shape->addPoint(btVector3(static_cast<btScalar>(u * r.cos_yaw - v * r.sin_yaw),
                                static_cast<btScalar>(u * r.sin_yaw + v * r.cos_yaw),
                                static_cast<btScalar>(r.top_m * std::sin(phi))),
                      false);
    }
  }
  shape->addPoint(btVector3(0, 0, static_cast<btScalar>(r.top_m)), true);
  shape->setMargin(btScalar(0.005));
  ObjectPtr object(new btCollisionObject(), RemoveAndDelete{&world_});
  object->setCollisionShape(shape.get());
  object->setWorldTransform(
      btTransform(btQuaternion::getIdentity(), ToWorld(r.x_m, r.y_m, r.base_z_m)));
  // Bullet multiplies the two friction coefficients; rover parts carry 1.
  object->setFriction(
      static_cast<btScalar>(def_.friction_override.value_or(vehicle::kRockFriction)));
  object->setRestitution(0);
  object->setUserIndex(static_cast<int>(vehicle::ColliderKind::kRock));
  object->setUserIndex2(index);
  world_.addCollisionObject(object.get(), vehicle::kGroupRock, vehicle::kGroupPart);
  rocks_.emplace(index, RockBody{std::move(shape), std::move(object)});
}

void BulletWorld::UpdateRocks(double x_map_m, double y_map_m) {
  // Remove far rocks (in index order), then add near ones (in index order).
  for (auto it = rocks_.begin(); it != rocks_.end();) {
    const terrain::RockShape& r = sampler_->rocks()[static_cast<std::size_t>(it->first)];
    const double gap = std::hypot(r.x_m - x_map_m, r.y_m - y_map_m) - r.BoundingRadiusM();
    it = gap > def_.rock_stream_out_m ? rocks_.erase(it) : std::next(it);
  }
  sampler_->RocksNear(x_map_m, y_map_m, def_.rock_stream_in_m, near_);
  for (int index : near_) {
    const terrain::RockShape& r = sampler_->rocks()[static_cast<std::size_t>(index)];
    if (r.top_m < def_.min_rock_body_height_m || rocks_.contains(index)) continue;
    AddRock(index);
  }
}

void BulletWorld::Maintain(vehicle::RoverModel& rover) {
  const btVector3 p = rover.NavPose().getOrigin();
  if (std::fabs(p.x()) > def_.recentre_distance_m || std::fabs(p.y()) > def_.recentre_distance_m) {
    // Shift by whole metres so the origin stays a round number.
    const double dx = std::round(static_cast<double>(p.x()));
    const double dy = std::round(static_cast<double>(p.y()));
    const btVector3 delta(static_cast<btScalar>(-dx), static_cast<btScalar>(-dy), 0);
    contact_.origin_x_m += dx;
    contact_.origin_y_m += dy;
    rover.Translate(delta);
    terrain_object_->setWorldTransform(
        btTransform(btQuaternion::getIdentity(),
                    ToWorld(terrain_centre_x_m_, terrain_centre_y_m_, terrain_centre_z_m_)));
    world_.updateSingleAabb(terrain_object_.get());
    for (auto& [index, rock] : rocks_) {
      const terrain::RockShape& r = sampler_->rocks()[static_cast<std::size_t>(index)];
      rock.object->setWorldTransform(
          btTransform(btQuaternion::getIdentity(), ToWorld(r.x_m, r.y_m, r.base_z_m)));
      world_.updateSingleAabb(rock.object.get());
    }
  }
  const terrain::Vec3 map = ToMap(rover.NavPose().getOrigin());
  UpdateRocks(map.x, map.y);
}

// ---- contacts of the last step -------------------------------------------------------------

void BulletWorld::CollectContacts(StepContacts& out) const {
  const double dt = def_.step_s;
  out.normal_N.fill(0);
  out.traction_N.fill(0);
  out.body.clear();
  for (int m = 0; m < dispatcher_.getNumManifolds(); ++m) {
    const btPersistentManifold* manifold = dispatcher_.getManifoldByIndexInternal(m);
    if (manifold->getNumContacts() == 0) continue;
    const btCollisionObject* a = manifold->getBody0();
    const btCollisionObject* b = manifold->getBody1();
    const auto kind_a = static_cast<vehicle::ColliderKind>(a->getUserIndex());
    const auto kind_b = static_cast<vehicle::ColliderKind>(b->getUserIndex());
    if (kind_a == vehicle::ColliderKind::kWheel) {
      const auto w = static_cast<std::size_t>(a->getUserIndex2());
      for (int p = 0; p < manifold->getNumContacts(); ++p) {
        const btManifoldPoint& pt = manifold->getContactPoint(p);
        out.normal_N[w] += pt.getAppliedImpulse() / dt;
        out.traction_N[w] += pt.m_appliedImpulseLateral1 / dt;
      }
      out.traction_N[w] += contact_.wheels[w].resistance_N;
      continue;
    }
    const bool part_a = kind_a == vehicle::ColliderKind::kPart;
    const bool part_b = kind_b == vehicle::ColliderKind::kPart;
    if (!part_a && !part_b) continue;
    const btCollisionObject* part = part_a ? a : b;
    const btCollisionObject* other = part_a ? b : a;
    for (int p = 0; p < manifold->getNumContacts(); ++p) {
      const btManifoldPoint& pt = manifold->getContactPoint(p);
      if (pt.getDistance() > kTouchM) continue;
      BodyContact bc;
      bc.part = ToBodyPart(part->getUserIndex2());
      bc.with_rock =
          static_cast<vehicle::ColliderKind>(other->getUserIndex()) == vehicle::ColliderKind::kRock;
      const terrain::Vec3 q = ToMap(part_a ? pt.getPositionWorldOnA() : pt.getPositionWorldOnB());
      bc.point_map_m = {q.x, q.y, q.z};
      bc.normal_force_N = pt.getAppliedImpulse() / dt;
      out.body.push_back(bc);
    }
  }
}

}  // namespace marsdrive::sim

// btMultiBody vs rigid bodies + constraints for the rocker-bogie (the measurements behind the
// choice in docs/vehicle-physics.md). Both drive the same rover (vehicle/data/perseverance.yaml)
// straight for 60 s at 0.042 m/s over the same rough Jezero-rim patch (no rocks, no sand), with
// the same purpose-written wheel-ground contact (vehicle/terrain_contact.h).
//   BM_Multibody/<steps per s>/<iterations>   the production model: sim::RunDrive
//   BM_RigidBodies/<steps per s>/<iterations> 14 rigid bodies: chassis, rockers, bogies, six
//       spinning wheels on btHingeConstraint with angular motors, and the real differential
//       linkage (a bar hinged on top of the chassis, tied to each rocker by a push rod with two
//       ball joints, btPoint2PointConstraint); no steering joints.
// Counters: us_per_step; joint_gap_mm (largest distance between the two halves of any joint,
// 0 by construction in a multibody); diff_err_deg (largest |rocker_left + rocker_right|);
// distance_m (truth) and odometry_m (wheel rotation x r); exploded (non-finite or > 5 m/s).
// Run: build/bench/vehicle_physics_compare
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <benchmark/benchmark.h>
#include <btBulletDynamicsCommon.h>

#include "sim/drive_run.h"
#include "terrain/truth/generate.h"
#include "vehicle/rover_spec.h"
#include "vehicle/terrain_contact.h"

namespace marsdrive {
namespace {

constexpr double kDriveS = 60.0;
constexpr double kSpeedMps = 0.042;
constexpr double kGravity = 3.721;

std::shared_ptr<const terrain::TerrainTruth> RoughPatch() {
  static const auto truth = [] {
    terrain::GenerateRequest request;
    request.preset = "jezero-rim";
    request.seed = 7;
    request.size_x_m = 20;
    request.size_y_m = 12;
    for (const char* key :
         {"rock_k", "crater_rock_k", "ledge_density", "sand_fraction", "crater_density"}) {
      request.params.Set(key, "0");
    }
    return std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(request));
  }();
  return truth;
}

constexpr vehicle::Pose2 kStart{6, 6, 0};

// ---- multibody (production) ---------------------------------------------------------------------

void BM_Multibody(benchmark::State& state) {
  sim::DriveRequest request;
  request.terrain = RoughPatch();
  request.rover = vehicle::DefaultRoverSpec();
  request.start = kStart;
  vehicle::DriveCommand straight;
  straight.kind = vehicle::DriveCommandKind::kStraight;
  straight.distance_m = kSpeedMps * kDriveS;
  request.commands = {straight};
  request.dt_s = 1.0 / static_cast<double>(state.range(0));
  request.solver_iterations = static_cast<int>(state.range(1));
  request.friction_override = 0.7;
  request.stuck_time_s = 1e9;
  double wall = 0;
  std::size_t steps = 0;
  sim::DriveResult result;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    result = sim::RunDrive(request);
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    steps += result.step_count;
  }
  double diff = 0;
  for (const auto& s : result.telemetry) {
    diff = std::max(diff, std::fabs(s.rocker_left_rad + s.rocker_right_rad));
  }
  const auto& a = result.telemetry.front().position_map_m;
  const auto& b = result.telemetry.back().position_map_m;
  state.counters["us_per_step"] = 1e6 * wall / static_cast<double>(steps);
  state.counters["joint_gap_mm"] = 0;
  state.counters["diff_err_deg"] = diff * 180 / M_PI;
  state.counters["distance_m"] = std::hypot(b[0] - a[0], b[1] - a[1]);
  state.counters["odometry_m"] = result.telemetry.back().odometry_distance_m;
  state.counters["exploded"] = result.status == sim::DriveStatus::kNumericalFailure ? 1 : 0;
}
BENCHMARK(BM_Multibody)
    ->Args({60, 10})
    ->Args({120, 10})
    ->Args({30, 10})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// ---- rigid bodies
// ---------------------------------------------------------------------------------

btVector3 Bt(const vehicle::Vec3& v, int side = 0) {
  return {static_cast<btScalar>(v.x), static_cast<btScalar>(side == 1 ? -v.y : v.y),
          static_cast<btScalar>(v.z)};
}

class RigidRover {
 public:
  RigidRover(const vehicle::RoverSpec& spec, double step_s, int iterations,
             std::shared_ptr<const terrain::TerrainTruth> terrain)
      : spec_(spec), terrain_(std::move(terrain)), sampler_(*terrain_) {
    contact_.sampler = &sampler_;
    contact_.friction_override = 0.7;
    contact_.wheel_radius_m = spec.wheel_radius_m;
    contact_.wheel_width_m = spec.wheel_width_m;
    contact_.step_s = step_s;
    contact_.origin_x_m = kStart.x_m;
    contact_.origin_y_m = kStart.y_m;
    contact_.origin_z_m = 0;
    for (auto& w : contact_.wheels) w.load_N = 636;
    dispatcher_.registerCollisionCreateFunc(CYLINDER_SHAPE_PROXYTYPE, TERRAIN_SHAPE_PROXYTYPE,
                                            &wheel_create_);
    swapped_.m_swapped = true;
    dispatcher_.registerCollisionCreateFunc(TERRAIN_SHAPE_PROXYTYPE, CYLINDER_SHAPE_PROXYTYPE,
                                            &swapped_);
    world_.setGravity(btVector3(0, 0, static_cast<btScalar>(-kGravity)));
    world_.getSolverInfo().m_numIterations = iterations;
    world_.getSolverInfo().m_solverMode =
        SOLVER_USE_2_FRICTION_DIRECTIONS | SOLVER_USE_WARMSTARTING | SOLVER_SIMD;
    // Terrain (read in place), its local origin at the map centre.
    const terrain::GridSpec& g = terrain_->dem.spec();
    float lo = 1e30f, hi = -1e30f;
    for (float h : terrain_->dem.heights_m.Values()) {
      lo = std::min(lo, h);
      hi = std::max(hi, h);
    }
    terrain_shape_ = std::make_unique<btHeightfieldTerrainShape>(
        g.width_px, g.height_px, terrain_->dem.heights_m.Values().data(), lo - 1, hi + 1, 2, false);
    terrain_shape_->setLocalScaling(
        btVector3(static_cast<btScalar>(g.resolution_m), static_cast<btScalar>(g.resolution_m), 1));
    terrain_object_.setCollisionShape(terrain_shape_.get());
    terrain_object_.setWorldTransform(
        btTransform(btQuaternion::getIdentity(),
                    btVector3(static_cast<btScalar>(g.origin_x_m + g.WidthM() / 2 - kStart.x_m),
                              static_cast<btScalar>(g.origin_y_m + g.HeightM() / 2 - kStart.y_m),
                              static_cast<btScalar>((lo + hi) / 2))));
    terrain_object_.setUserIndex(static_cast<int>(vehicle::ColliderKind::kTerrain));
    world_.addCollisionObject(&terrain_object_, vehicle::kGroupTerrain, vehicle::kGroupWheel);

    // Height: every wheel clear of the ground under it.
    double base_z = -1e30;
    for (int side = 0; side < 2; ++side) {
      for (const vehicle::Vec3* w :
           {&spec.front_wheel_m, &spec.middle_wheel_m, &spec.rear_wheel_m}) {
        const double x = kStart.x_m + w->x, y = kStart.y_m + (side ? -w->y : w->y);
        base_z = std::max(base_z, sampler_.GroundHeight(x, y) + spec.wheel_radius_m + 0.01 - w->z);
      }
    }
    lift_ = btVector3(0, 0, static_cast<btScalar>(base_z));

    chassis_ = Body(spec.chassis_mass_kg, Bt(spec.chassis_inertia_kgm2),
                    Bt(vehicle::ChassisComM(spec)), nullptr, -1);
    bar_ = Body(10, btVector3(2.1f, 0.05f, 2.1f), Bt(spec.differential_pivot_m), nullptr,
                -1);  // EST 10 kg, 1.6 m
    Hinge(chassis_, bar_, Bt(spec.differential_pivot_m), btVector3(0, 0, 1), false);
    for (int side = 0; side < 2; ++side) {
      btRigidBody* rocker = Body(spec.rocker_mass_kg, Bt(spec.rocker_inertia_kgm2),
                                 Bt(vehicle::RockerComM(spec), side), nullptr, -1);
      btRigidBody* bogie = Body(spec.bogie_mass_kg, Bt(spec.bogie_inertia_kgm2),
                                Bt(vehicle::BogieComM(spec), side), nullptr, -1);
      rocker_hinge_[side] =
          Hinge(chassis_, rocker, Bt(spec.rocker_pivot_m, side), btVector3(0, 1, 0), false);
      Hinge(rocker, bogie, Bt(spec.bogie_pivot_m, side), btVector3(0, 1, 0), false);
      const vehicle::Vec3* centres[3] = {&spec.front_wheel_m, &spec.middle_wheel_m,
                                         &spec.rear_wheel_m};
      for (int k = 0; k < 3; ++k) {
        const int index = 3 * side + k;
        auto shape = std::make_unique<btCylinderShape>(
            btVector3(static_cast<btScalar>(spec.wheel_radius_m),
                      static_cast<btScalar>(spec.wheel_width_m / 2),
                      static_cast<btScalar>(spec.wheel_radius_m)));
        shape->setMargin(0.01f);
        btRigidBody* wheel = Body(spec.wheel_mass_kg, Bt(spec.wheel_inertia_kgm2),
                                  Bt(*centres[k], side), shape.get(), index);
        shapes_.push_back(std::move(shape));
        wheel_hinge_[index] =
            Hinge(k == 0 ? rocker : bogie, wheel, Bt(*centres[k], side), btVector3(0, 1, 0), true);
      }
      // Differential: bar end -> push rod -> arm 0.24 m above the rocker pivot.
      const btVector3 bar_end(
          static_cast<btScalar>(spec.differential_pivot_m.x),
          static_cast<btScalar>(side ? -spec.rocker_pivot_m.y : spec.rocker_pivot_m.y),
          static_cast<btScalar>(spec.differential_pivot_m.z));
      const btVector3 arm = Bt(spec.rocker_pivot_m, side) +
                            btVector3(0, 0, bar_end.z() - Bt(spec.rocker_pivot_m).z());
      btRigidBody* rod =
          Body(3, btVector3(0.05f, 0.05f, 0.05f), (bar_end + arm) / 2, nullptr, -1);  // EST 3 kg
      Ball(bar_, rod, bar_end);
      Ball(rod, rocker, arm);
      rocker_[side] = rocker;
    }
  }
  RigidRover(const RigidRover&) = delete;
  RigidRover& operator=(const RigidRover&) = delete;
  RigidRover(RigidRover&&) = delete;
  RigidRover& operator=(RigidRover&&) = delete;
  ~RigidRover() {
    for (auto it = joints_.rbegin(); it != joints_.rend(); ++it) world_.removeConstraint(it->get());
    for (auto it = bodies_.rbegin(); it != bodies_.rend(); ++it) world_.removeRigidBody(it->get());
    world_.removeCollisionObject(&terrain_object_);
  }

  void Step(double t, double step_s) {
    const double omega = t < 1 ? 0.0 : std::min(1.0, t - 1) * kSpeedMps / spec_.wheel_radius_m;
    for (btHingeConstraint* h : wheel_hinge_) {
      // The hinge motor drives omega_A - omega_B about the axis: -omega rolls the wheel forward.
      h->enableAngularMotor(true, static_cast<btScalar>(-omega),
                            static_cast<btScalar>(spec_.drive_torque_limit_Nm * step_s));
    }
    world_.stepSimulation(static_cast<btScalar>(step_s), 0);
    for (btHingeConstraint* h : wheel_hinge_) {
      odometry_ += h->getRigidBodyB().getAngularVelocity().dot(
                       h->getRigidBodyA().getWorldTransform().getBasis().getColumn(1)) *
                   spec_.wheel_radius_m * step_s / 6;
    }
  }
  // Largest distance between the two halves of any joint (m).
  double JointGap() const {
    double gap = 0;
    for (const auto& j : joints_) {
      btVector3 a, b;
      if (auto* h = dynamic_cast<btHingeConstraint*>(j.get())) {
        a = h->getRigidBodyA().getWorldTransform() * h->getAFrame().getOrigin();
        b = h->getRigidBodyB().getWorldTransform() * h->getBFrame().getOrigin();
      } else if (auto* p = dynamic_cast<btPoint2PointConstraint*>(j.get())) {
        a = p->getRigidBodyA().getWorldTransform() * p->getPivotInA();
        b = p->getRigidBodyB().getWorldTransform() * p->getPivotInB();
      }
      gap = std::max(gap, static_cast<double>((a - b).length()));
    }
    return gap;
  }
  double DifferentialError() const {
    return std::fabs(rocker_hinge_[0]->getHingeAngle() + rocker_hinge_[1]->getHingeAngle());
  }
  btVector3 ChassisPosition() const { return chassis_->getWorldTransform().getOrigin(); }
  double ChassisSpeed() const { return chassis_->getLinearVelocity().length(); }
  double odometry() const { return odometry_; }

 private:
  btRigidBody* Body(double mass, const btVector3& inertia, const btVector3& at,
                    btCollisionShape* shape, int wheel) {
    btRigidBody::btRigidBodyConstructionInfo info(static_cast<btScalar>(mass), nullptr,
                                                  shape != nullptr ? shape : &empty_, inertia);
    auto body = std::make_unique<btRigidBody>(info);
    body->setWorldTransform(btTransform(btQuaternion::getIdentity(), at + lift_));
    body->setActivationState(DISABLE_DEACTIVATION);
    body->setDamping(0, 0);
    if (wheel >= 0) {
      body->setUserIndex(static_cast<int>(vehicle::ColliderKind::kWheel));
      body->setUserIndex2(wheel);
      world_.addRigidBody(body.get(), vehicle::kGroupWheel, vehicle::kGroupTerrain);
    } else {
      world_.addRigidBody(body.get(), vehicle::kGroupPart, 0);
    }
    bodies_.push_back(std::move(body));
    return bodies_.back().get();
  }
  btHingeConstraint* Hinge(btRigidBody* a, btRigidBody* b, const btVector3& pivot,
                           const btVector3& axis, bool motor) {
    const btVector3 world_pivot = pivot + lift_;
    auto h = std::make_unique<btHingeConstraint>(
        *a, *b, a->getWorldTransform().invXform(world_pivot),
        b->getWorldTransform().invXform(world_pivot), axis, axis);
    if (!motor) h->enableAngularMotor(false, 0, 0);
    world_.addConstraint(h.get(), true);
    btHingeConstraint* raw = h.get();
    joints_.push_back(std::move(h));
    return raw;
  }
  void Ball(btRigidBody* a, btRigidBody* b, const btVector3& pivot) {
    const btVector3 world_pivot = pivot + lift_;
    auto p = std::make_unique<btPoint2PointConstraint>(
        *a, *b, a->getWorldTransform().invXform(world_pivot),
        b->getWorldTransform().invXform(world_pivot));
    world_.addConstraint(p.get(), true);
    joints_.push_back(std::move(p));
  }

  vehicle::RoverSpec spec_;
  std::shared_ptr<const terrain::TerrainTruth> terrain_;
  terrain::TerrainSampler sampler_;
  vehicle::TerrainContactModel contact_;
  vehicle::WheelTerrainCreateFunc wheel_create_{&contact_};
  vehicle::WheelTerrainCreateFunc swapped_{&contact_};
  btDefaultCollisionConfiguration config_;
  btCollisionDispatcher dispatcher_{&config_};
  btDbvtBroadphase broadphase_;
  btSequentialImpulseConstraintSolver solver_;
  btDiscreteDynamicsWorld world_{&dispatcher_, &broadphase_, &solver_, &config_};
  std::unique_ptr<btHeightfieldTerrainShape> terrain_shape_;
  btCollisionObject terrain_object_;
  btEmptyShape empty_;
  btVector3 lift_{0, 0, 0};
  std::vector<std::unique_ptr<btCollisionShape>> shapes_;
  std::vector<std::unique_ptr<btRigidBody>> bodies_;
  std::vector<std::unique_ptr<btTypedConstraint>> joints_;
  btRigidBody* chassis_ = nullptr;
  btRigidBody* bar_ = nullptr;
  btRigidBody* rocker_[2] = {nullptr, nullptr};
  btHingeConstraint* rocker_hinge_[2] = {nullptr, nullptr};
  btHingeConstraint* wheel_hinge_[6] = {};
  double odometry_ = 0;
};

void BM_RigidBodies(benchmark::State& state) {
  const double step_s = 1.0 / static_cast<double>(state.range(0));
  const int iterations = static_cast<int>(state.range(1));
  const vehicle::RoverSpec spec = vehicle::DefaultRoverSpec();
  double wall = 0, gap = 0, diff = 0, distance = 0, odometry = 0;
  bool exploded = false;
  std::size_t steps = 0;
  for (auto _ : state) {
    RigidRover rover(spec, step_s, iterations, RoughPatch());
    const int settle = static_cast<int>(std::lround(1.0 / step_s));
    const int total = static_cast<int>(std::lround((kDriveS + 2.0) / step_s));
    btVector3 start(0, 0, 0);
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < total; ++k) {
      rover.Step(k * step_s, step_s);
      if (k == settle) start = rover.ChassisPosition();
      if (k > settle) {
        gap = std::max(gap, rover.JointGap());
        diff = std::max(diff, rover.DifferentialError());
      }
      const btVector3 p = rover.ChassisPosition();
      if (!std::isfinite(p.x()) || !std::isfinite(p.z()) || rover.ChassisSpeed() > 5) {
        exploded = true;
        break;
      }
      ++steps;
    }
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const btVector3 end = rover.ChassisPosition();
    distance = std::hypot(end.x() - start.x(), end.y() - start.y());
    odometry = rover.odometry();
  }
  state.counters["us_per_step"] = 1e6 * wall / static_cast<double>(std::max<std::size_t>(steps, 1));
  state.counters["joint_gap_mm"] = 1e3 * gap;
  state.counters["diff_err_deg"] = diff * 180 / M_PI;
  state.counters["distance_m"] = distance;
  state.counters["odometry_m"] = odometry;
  state.counters["exploded"] = exploded ? 1 : 0;
}
BENCHMARK(BM_RigidBodies)
    ->Args({60, 10})
    ->Args({120, 10})
    ->Args({240, 10})
    ->Args({240, 30})
    ->Args({500, 10})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace marsdrive

BENCHMARK_MAIN();

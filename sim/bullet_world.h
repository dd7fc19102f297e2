#pragma once
// One run's Bullet world (STYLE §5 "Ownership"): a btMultiBodyDynamicsWorld at Mars gravity
// with the ground truth as a btHeightfieldTerrainShape read in place (no copy of the grid), the
// rover-terrain contact algorithms of vehicle/terrain_contact.h, rocks as static convex hulls
// streamed in and out around the rover, a floating origin that keeps single-precision
// coordinates small, and a solver that applies the soil's soft thrust per contact.
//
// Internal to sim/ (includes Bullet). Never shared between runs; members die in reverse order,
// which is Bullet's teardown order.

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <BulletCollision/CollisionShapes/btHeightfieldTerrainShape.h>
#include <BulletDynamics/Featherstone/btMultiBodyConstraintSolver.h>
#include <BulletDynamics/Featherstone/btMultiBodyDynamicsWorld.h>
#include <btBulletDynamicsCommon.h>

#include "sim/telemetry.h"
#include "terrain/truth/terrain_truth.h"
#include "vehicle/rover_model.h"
#include "vehicle/terrain_contact.h"

namespace marsdrive::sim {

inline constexpr double kMarsGravityMps2 = 3.721;  // rover.md §1

struct WorldDef {
  double step_s = 1.0 / 60.0;
  int solver_iterations = 20;  // docs/vehicle-physics.md §3: 10 left a 1-point slip error
  std::optional<double> friction_override;  // one Coulomb mu everywhere, soil model off
  double rock_stream_in_m = 5.0;            // rocks whose edge is this close to the rover are added
  double rock_stream_out_m = 7.0;           // ... and removed beyond this (hysteresis)
  double min_rock_body_height_m = 0.15;     // lower rocks cannot reach a body part (EST: lowest
                                            // part ~0.39 m above flat ground); wheels see them all
  double recentre_distance_m = 16.0;        // floating-origin shift threshold
};

// What the contacts of the last step carried, per wheel and for the body parts.
struct StepContacts {
  std::array<double, vehicle::kWheels> normal_N{};
  // Along the rolling direction: gross thrust (the rolling row carries thrust minus the soil's
  // compaction resistance, which is added back: it is what the motor turns).
  std::array<double, vehicle::kWheels> traction_N{};
  std::vector<BodyContact> body;  // every body-part point within 1 mm of terrain or a rock
};

// The multibody solver plus the wheel drive and the soil: for every wheel contact point
// (vehicle/wheel_rows.h) the two friction rows are turned to the wheel's rolling and lateral
// directions and rebuilt as the soil's linearised force laws v = target - compliance x F, solved
// implicitly inside Bullet's friction cone (mu x normal), and the rolling rows of each wheel are
// held to its motor's torque limit after every iteration. Bullet's multibody solver ignores
// per-point friction directions, target motion and CFM (3.24), so the rows are rebuilt after
// conversion.
class ThrustSolver : public btMultiBodyConstraintSolver {
  // (btMultiBodyConstraintSolver is 16-byte aligned; members follow its allocator.)
 public:
  ThrustSolver() = default;
  ThrustSolver(const ThrustSolver&) = delete;
  ThrustSolver& operator=(const ThrustSolver&) = delete;
  ThrustSolver(ThrustSolver&&) = delete;
  ThrustSolver& operator=(ThrustSolver&&) = delete;
  ~ThrustSolver() override = default;

 protected:
  void convertContacts(btPersistentManifold** manifolds, int count,
                       const btContactSolverInfo& info) override;
  btScalar solveSingleIteration(int iteration, btCollisionObject** bodies, int num_bodies,
                                btPersistentManifold** manifolds, int num_manifolds,
                                btTypedConstraint** constraints, int num_constraints,
                                const btContactSolverInfo& info, btIDebugDraw* debug_draw) override;

 private:
  // The rolling rows of one wheel's contact points (at most two: resting and second) and its
  // motor's impulse limit per step. Fixed size: rebuilt every step without allocating.
  struct MotorRow {
    btMultiBody* body = nullptr;
    int link = -1;
    btScalar cap_impulse = 0;
    std::array<int, 2> rows{};  // indices into m_multiBodyFrictionContactConstraints
    int count = 0;
    std::span<const int> Rows() const { return {rows.data(), static_cast<std::size_t>(count)}; }
  };
  void AddMotorRow(int friction_index, btMultiBody* body, int link, btScalar cap_impulse);
  std::vector<MotorRow> motor_rows_;
  bool reverse_ = false;
  std::vector<btPersistentManifold*> order_;
  btScalar warm_start_factor_ = btScalar(0.85);
  std::vector<btScalar> scratch_;
};

// The ground truth as a btHeightfieldTerrainShape (read in place) whose bounding box reaches far
// beyond the map, so that the contact algorithms (which clamp heights at the edges) keep seeing
// a rover that drives off the map instead of letting it fall through.
class GroundShape : public btHeightfieldTerrainShape {
 public:
  using btHeightfieldTerrainShape::btHeightfieldTerrainShape;
  void getAabb(const btTransform& t, btVector3& aabb_min, btVector3& aabb_max) const override;
};

class BulletWorld {
 public:
  BulletWorld(std::shared_ptr<const terrain::TerrainTruth> terrain, const WorldDef& def,
              const terrain::Vec3& origin_map_m);
  // world_ points into our own members, so neither copy nor move is safe.
  BulletWorld(const BulletWorld&) = delete;
  BulletWorld& operator=(const BulletWorld&) = delete;
  BulletWorld(BulletWorld&&) = delete;
  BulletWorld& operator=(BulletWorld&&) = delete;
  ~BulletWorld() = default;

  btMultiBodyDynamicsWorld& world() { return world_; }
  const btCollisionDispatcher& dispatcher() const { return dispatcher_; }
  vehicle::TerrainContactModel& contact() { return contact_; }
  const terrain::TerrainSampler& sampler() const { return *sampler_; }
  double step_s() const { return def_.step_s; }

  void Step() { world_.stepSimulation(static_cast<btScalar>(def_.step_s), 0); }  // one exact step
  // The contacts of the last step (`out`'s storage is reused).
  void CollectContacts(StepContacts& out) const;

  // Map frame (double) <-> Bullet world frame (btScalar, near the floating origin).
  btVector3 ToWorld(double x_m, double y_m, double z_m) const;
  terrain::Vec3 ToMap(const btVector3& p) const;

  // Keeps the floating origin near the rover (translating `rover` with the world) and the rocks
  // near it in the world. Deterministic; call every few steps.
  void Maintain(vehicle::RoverModel& rover);
  int RockBodyCount() const { return static_cast<int>(rocks_.size()); }

 private:
  struct RemoveAndDelete {
    btCollisionWorld* world;
    void operator()(btCollisionObject* object) const {
      world->removeCollisionObject(object);
      delete object;
    }
  };
  using ObjectPtr = std::unique_ptr<btCollisionObject, RemoveAndDelete>;
  struct RockBody {
    std::unique_ptr<btConvexHullShape> shape;
    ObjectPtr object;
  };
  void AddRock(int index);
  void UpdateRocks(double x_map_m, double y_map_m);

  WorldDef def_;
  std::shared_ptr<const terrain::TerrainTruth> terrain_;
  std::unique_ptr<terrain::TerrainSampler> sampler_;
  vehicle::TerrainContactModel contact_;  // read by the algorithms: outlives the dispatcher
  vehicle::WheelTerrainCreateFunc wheel_create_{&contact_};
  vehicle::WheelTerrainCreateFunc wheel_create_swapped_{&contact_};
  vehicle::PartTerrainCreateFunc part_create_{&contact_};
  vehicle::PartTerrainCreateFunc part_create_swapped_{&contact_};
  btDefaultCollisionConfiguration config_;
  btCollisionDispatcher dispatcher_{&config_};
  btDbvtBroadphase broadphase_;
  ThrustSolver solver_;
  btMultiBodyDynamicsWorld world_{&dispatcher_, &broadphase_, &solver_, &config_};
  std::unique_ptr<GroundShape> terrain_shape_;  // reads terrain_'s grid in place
  double terrain_centre_x_m_ = 0;  // map position of the heightfield shape's local origin
  double terrain_centre_y_m_ = 0;
  double terrain_centre_z_m_ = 0;
  ObjectPtr terrain_object_;
  std::map<int, RockBody> rocks_;  // by rock index: deterministic order
  std::vector<int> near_;          // scratch
};

}  // namespace marsdrive::sim

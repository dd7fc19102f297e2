#pragma once
// Purpose-written contact between the rover and the ground truth (docs/references/
// bullet-notes.md: the stock cylinder-vs-heightfield narrow phase is ~95 % of a step).
//
//  * The ground is sampled through terrain::TerrainSampler (terrain/ground_sampler.h: heights,
//    normals, soil classes and analytic rock tops; pure terrain geometry).
//  * Wheels vs ground: each wheel is cut into three slices across its width; in each slice the
//    wheel circle is tested against the terrain profile (ground and rock tops) sampled along the
//    wheel's heading at half the grid spacing. Circle-vs-polyline gives the deepest contact and,
//    on a ledge, a second contact whose normal differs (the riser / edge), so steps and rock
//    sides push back horizontally instead of teleporting the wheel up. Friction per point from
//    the wheel-soil model (vehicle/wheel_soil.h: sinkage and the shear patch of the soil class
//    under the wheel), handed to sim's solver as the point's WheelRows (vehicle/wheel_rows.h).
//  * Body parts (box or compound of boxes) vs ground: grid vertices inside a box and box corners
//    under the surface; these contacts are hazards (telemetry BodyContact).
//
// Internal to vehicle/ and sim/ (includes Bullet); not part of the public interface.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <btBulletCollisionCommon.h>

#include "terrain/truth/ground_sampler.h"
#include "terrain/truth/terrain_truth.h"
#include "vehicle/soil_params.h"
#include "vehicle/wheel_rows.h"
#include "vehicle/wheel_soil.h"

namespace marsdrive::vehicle {

// What a collision object is (btCollisionObject::getUserIndex()); getUserIndex2() is the wheel,
// part or rock index.
enum class ColliderKind : int { kNone = 0, kTerrain = 1, kRock = 2, kWheel = 3, kPart = 4 };

// Collision filter groups (a rover part never collides with another rover part).
enum CollisionGroup : int {
  kGroupTerrain = 1 << 6,
  kGroupRock = 1 << 7,
  kGroupWheel = 1 << 8,
  kGroupPart = 1 << 9,
};

// Per-wheel contact state, shared by the contact algorithm (writes the outputs) and the rover
// model (writes the inputs before each step).
struct WheelContactState {
  // Inputs, set before each step.
  double load_N = 0;                             // normal force of the previous step (filtered)
  double surface_speed_mps = 0;                  // omega r of the drive motor, signed (+ = forward)
  double drive_force_limit_N = 0;                // motor torque limit / r
  std::array<double, 3> hub_velocity_map{};      // wheel hub, end of the previous step
  std::array<double, 3> angular_velocity_map{};  // wheel link, end of the previous step
  // Outputs of the last collision pass.
  bool in_contact = false;
  bool on_rock = false;
  int rock_index = -1;
  double rock_height_m = 0;
  terrain::SoilClass soil = terrain::SoilClass::kRegolith;
  double sinkage_m = 0;
  double slope_rad = 0;
  double resistance_N = 0;                         // compaction resistance (0 on rigid ground)
  std::array<double, 3> rolling_dir_map{1, 0, 0};  // unit, in the contact plane
  WheelSoilState soil_state;  // sinkage, slip estimate and shear patch (vehicle/wheel_soil.h)
};

// Everything the ground contact algorithms need; owned by the run, outlives the dispatcher.
// Coulomb coefficient of rigid points while the rover settles onto its start (not physics: it
// only keeps the placement from sliding; the drive starts from rest).
inline constexpr double kSettleFriction = 1.5;

struct TerrainContactModel {
  const terrain::TerrainSampler* sampler = nullptr;
  std::optional<double> friction_override;  // one Coulomb mu for every contact, no soil model
  double wheel_radius_m = 0.2625;
  double wheel_width_m = 0.38;
  double grouser_height_m = 0.008;
  double gravity_mps2 = 3.721;
  double step_s = 1.0 / 60.0;  // physics step
  // True while the rover settles onto its start pose (sim/drive_run.cpp): rigid points then hold
  // with at least kSettleFriction, so the few millimetres the placement drops the rover do not
  // start a slide that a parked rover would never make (on bedrock at 98 % of its Coulomb limit
  // that slide ran 0.2-0.65 m, depending on dt).
  bool settling = false;
  // Map coordinates of the Bullet world origin (floating origin, kept near the rover).
  double origin_x_m = 0, origin_y_m = 0, origin_z_m = 0;
  std::array<WheelContactState, 6> wheels{};
  SoilTable soils = DefaultSoilTable();  // by SoilClass value (regolith, bedrock, sand)

  const SoilParams& Soil(terrain::SoilClass soil) const {
    const auto i = static_cast<std::size_t>(soil);
    return i < soils.size() ? soils[i] : soils[0];
  }
};

// Collision-algorithm factories to register with a btCollisionDispatcher for
// (CYLINDER_SHAPE_PROXYTYPE, TERRAIN_SHAPE_PROXYTYPE) and (BOX / COMPOUND, TERRAIN) in both
// orders (set m_swapped on the reversed ones). They keep a pointer to the model.
struct WheelTerrainCreateFunc : public btCollisionAlgorithmCreateFunc {
  explicit WheelTerrainCreateFunc(TerrainContactModel* m) : model(m) {}
  btCollisionAlgorithm* CreateCollisionAlgorithm(btCollisionAlgorithmConstructionInfo& ci,
                                                 const btCollisionObjectWrapper* body0,
                                                 const btCollisionObjectWrapper* body1) override;
  TerrainContactModel* model;
};
struct PartTerrainCreateFunc : public btCollisionAlgorithmCreateFunc {
  explicit PartTerrainCreateFunc(TerrainContactModel* m) : model(m) {}
  btCollisionAlgorithm* CreateCollisionAlgorithm(btCollisionAlgorithmConstructionInfo& ci,
                                                 const btCollisionObjectWrapper* body0,
                                                 const btCollisionObjectWrapper* body1) override;
  TerrainContactModel* model;
};

}  // namespace marsdrive::vehicle

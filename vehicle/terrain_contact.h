#pragma once
// Purpose-written contact between the rover and the ground truth (../shared/reference/
// bullet-notes.md: the stock cylinder-vs-heightfield narrow phase is ~95 % of a step).
//
//  * TerrainSampler: bilinear heights, normals and soil classes read in place from the
//    TerrainTruth grid, and every rock as an analytic squashed half-ellipsoid (RockShape) with a
//    bucket index for "rocks near here" queries.
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

#include "terrain/terrain_truth.h"
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

// A rock as the physics sees it: a squashed half-ellipsoid standing on the ground at its centre.
struct RockShape {
  double x_m = 0, y_m = 0;  // map frame centre of the base
  double base_z_m = 0;      // ground height at the centre
  double semi_a_m = 0;      // horizontal semi-axis along (cos_yaw, sin_yaw)
  double semi_b_m = 0;      // horizontal semi-axis across it
  double top_m = 0;         // height of the top above base_z_m (= Rock::height_m)
  double cos_yaw = 1, sin_yaw = 0;
  int index = -1;  // in TerrainTruth::rocks

  double BoundingRadiusM() const { return semi_a_m > semi_b_m ? semi_a_m : semi_b_m; }
  // Height of the rock's top surface at (x, y); -infinity outside its footprint.
  double TopZ(double x_m, double y_m) const;
};

// The seeded shape of a rock: semi-axes D/2 e^{+-j} (j in [-0.2, 0.2]) and a yaw, from
// Rock::shape_seed only.
RockShape MakeRockShape(const terrain::Rock& rock, double base_z_m, int index);

class TerrainSampler {
 public:
  explicit TerrainSampler(const terrain::TerrainTruth& truth);
  TerrainSampler(const TerrainSampler&) = delete;
  TerrainSampler& operator=(const TerrainSampler&) = delete;
  TerrainSampler(TerrainSampler&&) = delete;
  TerrainSampler& operator=(TerrainSampler&&) = delete;
  ~TerrainSampler() = default;

  const terrain::TerrainTruth& truth() const { return truth_; }
  const terrain::GridSpec& spec() const { return spec_; }
  // Bilinear ground height (rocks excluded), clamped flat beyond the outermost cell centres;
  // NaN where a contributing cell is nodata.
  double GroundHeight(double x_m, double y_m) const;
  // Upward unit normal of the bilinear ground.
  terrain::Vec3 GroundNormal(double x_m, double y_m) const;
  // Soil class of the cell containing (x, y) (clamped to the map).
  terrain::SoilClass SoilAt(double x_m, double y_m) const;
  // Height of the grid vertex (cell centre) (col, row); NaN if nodata. No bounds check.
  float VertexHeight(int col, int row) const {
    return heights_[static_cast<std::size_t>(row) * static_cast<std::size_t>(spec_.width_px) +
                    static_cast<std::size_t>(col)];
  }
  bool HasNodata() const { return has_mask_; }

  const std::vector<RockShape>& rocks() const { return rocks_; }
  double max_rock_radius_m() const { return max_rock_radius_m_; }
  // Appends to `out` (cleared first) the indices of rocks whose bounding circle intersects the
  // disc (x, y, radius), in increasing index order.
  void RocksNear(double x_m, double y_m, double radius_m, std::vector<int>& out) const;

 private:
  const terrain::TerrainTruth& truth_;
  terrain::GridSpec spec_;
  const float* heights_ = nullptr;
  bool has_mask_ = false;
  std::vector<RockShape> rocks_;
  double max_rock_radius_m_ = 0;
  // Rock buckets: square cells of bucket_m_, CSR (bucket_start_[b] .. bucket_start_[b + 1]).
  double bucket_m_ = 2.0;
  int buckets_x_ = 0, buckets_y_ = 0;
  std::vector<int> bucket_start_;
  std::vector<int> bucket_rocks_;
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
struct TerrainContactModel {
  const TerrainSampler* sampler = nullptr;
  std::optional<double> friction_override;  // one Coulomb mu for every contact, no soil model
  double wheel_radius_m = 0.2625;
  double wheel_width_m = 0.38;
  double grouser_height_m = 0.008;
  double gravity_mps2 = 3.721;
  double step_s = 1.0 / 60.0;  // physics step
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

// Manifold-point tags (btManifoldPoint::m_partId0) written by the algorithms.
inline constexpr int kPointGround = 1;
inline constexpr int kPointRock = 2;

}  // namespace marsdrive::vehicle

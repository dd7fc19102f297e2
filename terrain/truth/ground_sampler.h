#pragma once
// The ground truth as the physics samples it (pure terrain geometry, no Bullet): bilinear heights,
// normals and soil classes read in place from the TerrainTruth grid, and every rock as an analytic
// squashed half-ellipsoid (RockShape) with a bucket index for "rocks near here" queries. Used by
// the wheel and body contact algorithms (vehicle/terrain_contact.h), the rover's placement and
// rock streaming (sim/), and the onboard sensor model (vehicle/local_map.h).

#include <vector>

#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

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
RockShape MakeRockShape(const Rock& rock, double base_z_m, int index);

class TerrainSampler {
 public:
  explicit TerrainSampler(const TerrainTruth& truth);
  TerrainSampler(const TerrainSampler&) = delete;
  TerrainSampler& operator=(const TerrainSampler&) = delete;
  TerrainSampler(TerrainSampler&&) = delete;
  TerrainSampler& operator=(TerrainSampler&&) = delete;
  ~TerrainSampler() = default;

  const TerrainTruth& truth() const { return truth_; }
  const GridSpec& spec() const { return spec_; }
  // Bilinear ground height (rocks excluded), clamped flat beyond the outermost cell centres;
  // NaN where a contributing cell is nodata.
  double GroundHeight(double x_m, double y_m) const;
  // Upward unit normal of the bilinear ground.
  Vec3 GroundNormal(double x_m, double y_m) const;
  // Soil class of the cell containing (x, y) (clamped to the map).
  SoilClass SoilAt(double x_m, double y_m) const;
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
  const TerrainTruth& truth_;
  GridSpec spec_;
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

}  // namespace marsdrive::terrain

#pragma once
// AutoNav's view of the terrain (ARCHITECTURE, the third view): a local 2.5-D height map around
// the rover within sensor range, as stereo cameras would give it, small rocks included.
//
//  * LocalMap: a square window of map-frame cells aligned to a global lattice (lattice cell
//    (i, j) covers [i c, (i + 1) c) x [j c, (j + 1) c)), re-centred on the rover as it drives;
//    cells that stay inside the window keep their data, so what was seen earlier (the ground
//    under and beside the rover) is remembered. AutoNav's window is its terrain memory
//    (~50 m, scrolled lazily with Follow: vehicle/autonav.h). Each cell holds a height estimate
//    and its variance; unknown cells hold NaN.
//  * TerrainSensor: simulated mast stereo. From the mast camera (rover.md §3: 1.919 m above the
//    ground, on the right of the deck) it rasterises the ground truth within range (the DEM,
//    bilinear at cell centres, plus every rock's top surface), casts rays over the field of
//    view to find the cells in line of sight (a cell behind higher terrain or a rock stays
//    unknown), and fuses each visible cell's height with Gaussian noise whose sigma grows with
//    the square of the range (stereo depth error ~ r^2). The noise of a cell in a frame is a
//    hash of (seed, frame, cell): deterministic, independent of evaluation order.
// Map frame ENU, metres. Bullet-free.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <vector>

#include "terrain/truth/terrain_truth.h"

namespace marsdrive::vehicle {

// The rover's pose: the nav-frame origin (ground below the middle-axle midpoint) in the map
// frame and its ZYX Euler angles (IMU attitude).
struct RoverPose3 {
  double x_m = 0, y_m = 0, z_m = 0;
  double roll_rad = 0, pitch_rad = 0, yaw_rad = 0;
  bool operator==(const RoverPose3&) const = default;
};

// Map-frame height of the point (bx, by) of the rover's nav plane (body x forward, y left).
double NavPlaneHeight(const RoverPose3& pose, double bx_m, double by_m);

class LocalMap {
 public:
  // size_m is rounded up to whole cells.
  LocalMap(double cell_m, double size_m);

  double cell_m() const { return cell_m_; }
  int size_cells() const { return n_; }

  // Moves the window so that (x, y) is at its centre; cells still inside keep their data, the
  // rest become unknown. No allocation.
  void Recenter(double x_m, double y_m);
  // Moves the window only when (x, y) is more than max_offset_m (per axis) from its centre:
  // scrolling a large window (AutoNav's memory) every decision would copy it every time.
  void Follow(double x_m, double y_m, double max_offset_m);
  // Every cell unknown.
  void Clear();

  // Lattice index of the cell containing x (or y).
  int LatticeOf(double v_m) const { return static_cast<int>(std::floor(v_m * inv_cell_)); }
  // Map coordinate of the centre of lattice cell i.
  double CentreOf(int i) const { return (static_cast<double>(i) + 0.5) * cell_m_; }
  // Whether lattice cell (i, j) is inside the window.
  bool Inside(int i, int j) const {
    return static_cast<unsigned>(i - i0_) < static_cast<unsigned>(n_) &&
           static_cast<unsigned>(j - j0_) < static_cast<unsigned>(n_);
  }

  // Height estimate of the cell containing (x, y): NaN when unknown or outside the window.
  float HeightAt(double x_m, double y_m) const {
    const int i = LatticeOf(x_m), j = LatticeOf(y_m);
    return Inside(i, j) ? height_m_[Index(i, j)] : std::numeric_limits<float>::quiet_NaN();
  }
  float HeightOfCell(int i, int j) const {
    return Inside(i, j) ? height_m_[Index(i, j)] : std::numeric_limits<float>::quiet_NaN();
  }
  bool KnownAt(double x_m, double y_m) const { return !std::isnan(HeightAt(x_m, y_m)); }
  // Variance of the cell's height estimate (0 when unknown or outside), m^2.
  float VarianceOfCell(int i, int j) const {
    return Inside(i, j) ? variance_m2_[Index(i, j)] : 0.0f;
  }

  // Sets the cell containing (x, y) (ignored outside the window).
  void Set(double x_m, double y_m, float height_m, float variance_m2);
  // Fuses a measurement into lattice cell (i, j) (inverse-variance weighting; an unknown cell
  // takes the measurement). Ignored outside the window.
  void Fuse(int i, int j, float height_m, float variance_m2);
  // Marks the cell unknown.
  void SetUnknown(int i, int j);

  // Number of known cells in the window.
  int KnownCount() const;
  // Lattice index of the window's lower-left cell.
  int i0() const { return i0_; }
  int j0() const { return j0_; }

 private:
  std::size_t Index(int i, int j) const {
    return static_cast<std::size_t>(j - j0_) * static_cast<std::size_t>(n_) +
           static_cast<std::size_t>(i - i0_);
  }

  double cell_m_;
  double inv_cell_;
  int n_;
  int i0_ = 0, j0_ = 0;
  std::vector<float> height_m_;     // NaN = unknown
  std::vector<float> variance_m2_;  // of the estimate
  std::vector<float> scratch_h_, scratch_v_;
};

struct SensorParams {
  double range_m = 6.0;      // rover.md §6: ENav evaluates paths within ~6 m
  double min_range_m = 1.0;  // EST: closer ground is hidden by the deck (hazcams not modelled)
  double fov_rad = 120.0 * std::numbers::pi / 180.0;  // issue 5: ~120 deg field of view
  // Mast camera in the nav frame (rover.md §3: remote-sensing mast azimuth joint, right side).
  double mast_x_m = 0.804, mast_y_m = -0.559, mast_z_m = 1.919;
  // Height noise sigma = sigma0 + k r^2 (r: horizontal range from the mast). EST: stereo range
  // error grows with r^2; 1 cm at 2 m, 5.7 cm at 6 m.
  double noise_sigma0_m = 0.003;
  double noise_sigma_per_m2 = 0.0015;
  bool noise = true;      // false: exact heights (tests)
  bool occlusion = true;  // false: every cell in range and view is seen (tests)
};

class TerrainSensor {
 public:
  // Keeps a reference to `truth`, which must outlive the sensor.
  TerrainSensor(const terrain::TerrainTruth& truth, const SensorParams& params, std::uint64_t seed);
  TerrainSensor(const TerrainSensor&) = delete;
  TerrainSensor& operator=(const TerrainSensor&) = delete;
  TerrainSensor(TerrainSensor&&) = delete;
  TerrainSensor& operator=(TerrainSensor&&) = delete;
  ~TerrainSensor();

  const SensorParams& params() const { return params_; }
  // True top height at (x, y): ground (bilinear) or the highest rock top there; NaN on nodata.
  double TruthHeight(double x_m, double y_m) const;
  // One stereo frame from `pose` into `map` (whose window must hold the sensor disc: recentre
  // it on the rover first). `frame` numbers the frames of a run (it varies the noise). Returns
  // the number of cells seen. Allocation-free after the first call.
  int Observe(const RoverPose3& pose, std::uint64_t frame, LocalMap& map);

 private:
  struct Impl;
  SensorParams params_;
  std::uint64_t seed_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marsdrive::vehicle

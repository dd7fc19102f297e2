#include "vehicle/local_map.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/check.h"
#include "base/random.h"
#include "vehicle/terrain_contact.h"

namespace marsdrive::vehicle {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Standard normal from a 64-bit hash (Box-Muller on two 32-bit halves of two hashes).
double HashNormal(std::uint64_t h) {
  const std::uint64_t h2 = marsdrive::DeriveSeed(h, 1);
  const double u1 = (static_cast<double>(h >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
  const double u2 = static_cast<double>(h2 >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace

double NavPlaneHeight(const RoverPose3& pose, double bx_m, double by_m) {
  // z row of R = Rz(yaw) Ry(pitch) Rx(roll) applied to (bx, by, 0).
  return pose.z_m - std::sin(pose.pitch_rad) * bx_m +
         std::cos(pose.pitch_rad) * std::sin(pose.roll_rad) * by_m;
}

// ---- LocalMap ---------------------------------------------------------------------------------

LocalMap::LocalMap(double cell_m, double size_m)
    : cell_m_(cell_m),
      inv_cell_(1.0 / cell_m),
      n_(static_cast<int>(std::ceil(size_m / cell_m - 1e-9))) {
  MD_DEMAND(cell_m > 0 && size_m > 0 && n_ > 0);
  const std::size_t count = static_cast<std::size_t>(n_) * static_cast<std::size_t>(n_);
  height_m_.assign(count, kNaN);
  variance_m2_.assign(count, 0.0f);
  scratch_h_.assign(count, kNaN);
  scratch_v_.assign(count, 0.0f);
}

void LocalMap::Clear() {
  std::fill(height_m_.begin(), height_m_.end(), kNaN);
  std::fill(variance_m2_.begin(), variance_m2_.end(), 0.0f);
}

void LocalMap::Recenter(double x_m, double y_m) {
  const int ni0 = LatticeOf(x_m) - n_ / 2;
  const int nj0 = LatticeOf(y_m) - n_ / 2;
  if (ni0 == i0_ && nj0 == j0_) return;
  std::fill(scratch_h_.begin(), scratch_h_.end(), kNaN);
  std::fill(scratch_v_.begin(), scratch_v_.end(), 0.0f);
  const int lo_i = std::max(i0_, ni0), hi_i = std::min(i0_, ni0) + n_;
  const int lo_j = std::max(j0_, nj0), hi_j = std::min(j0_, nj0) + n_;
  for (int j = lo_j; j < hi_j; ++j) {
    for (int i = lo_i; i < hi_i; ++i) {
      const std::size_t from = Index(i, j);
      const std::size_t to = static_cast<std::size_t>(j - nj0) * static_cast<std::size_t>(n_) +
                             static_cast<std::size_t>(i - ni0);
      scratch_h_[to] = height_m_[from];
      scratch_v_[to] = variance_m2_[from];
    }
  }
  height_m_.swap(scratch_h_);
  variance_m2_.swap(scratch_v_);
  i0_ = ni0;
  j0_ = nj0;
}

void LocalMap::Follow(double x_m, double y_m, double max_offset_m) {
  const double centre_i = i0_ + 0.5 * n_, centre_j = j0_ + 0.5 * n_;
  if (std::fabs(x_m * inv_cell_ - centre_i) * cell_m_ > max_offset_m ||
      std::fabs(y_m * inv_cell_ - centre_j) * cell_m_ > max_offset_m) {
    Recenter(x_m, y_m);
  }
}

void LocalMap::Set(double x_m, double y_m, float height_m, float variance_m2) {
  const int i = LatticeOf(x_m), j = LatticeOf(y_m);
  if (!Inside(i, j)) return;
  height_m_[Index(i, j)] = height_m;
  variance_m2_[Index(i, j)] = variance_m2;
}

void LocalMap::Fuse(int i, int j, float height_m, float variance_m2) {
  if (!Inside(i, j)) return;
  const std::size_t k = Index(i, j);
  if (std::isnan(height_m_[k]) || variance_m2 <= 0.0f || variance_m2_[k] <= 0.0f) {
    height_m_[k] = height_m;
    variance_m2_[k] = variance_m2;
    return;
  }
  const float w_old = 1.0f / variance_m2_[k], w_new = 1.0f / variance_m2;
  height_m_[k] = (height_m_[k] * w_old + height_m * w_new) / (w_old + w_new);
  variance_m2_[k] = 1.0f / (w_old + w_new);
}

void LocalMap::SetUnknown(int i, int j) {
  if (!Inside(i, j)) return;
  height_m_[Index(i, j)] = kNaN;
  variance_m2_[Index(i, j)] = 0.0f;
}

int LocalMap::KnownCount() const {
  return static_cast<int>(
      std::count_if(height_m_.begin(), height_m_.end(), [](float h) { return !std::isnan(h); }));
}

// ---- TerrainSensor ----------------------------------------------------------------------------

struct TerrainSensor::Impl {
  explicit Impl(const terrain::TerrainTruth& truth) : sampler(truth) {}
  terrain::TerrainSampler sampler;
  std::vector<int> near_rocks;
  // The truth raster of the sensor disc (lattice cells ci0.., cj0.., m x m) and the cells seen.
  int m = 0;
  std::vector<float> truth_m;
  std::vector<std::uint8_t> seen;
};

TerrainSensor::TerrainSensor(const terrain::TerrainTruth& truth, const SensorParams& params,
                             std::uint64_t seed)
    : params_(params), seed_(seed), impl_(std::make_unique<Impl>(truth)) {
  MD_DEMAND(params.range_m > 0 && params.min_range_m >= 0 && params.fov_rad > 0);
  impl_->near_rocks.reserve(256);
}

TerrainSensor::~TerrainSensor() = default;

double TerrainSensor::TruthHeight(double x_m, double y_m) const {
  double h = impl_->sampler.GroundHeight(x_m, y_m);
  if (std::isnan(h)) return h;
  std::vector<int>& near = impl_->near_rocks;
  impl_->sampler.RocksNear(x_m, y_m, 0.0, near);
  for (int r : near)
    h = std::max(h, impl_->sampler.rocks()[static_cast<std::size_t>(r)].TopZ(x_m, y_m));
  return h;
}

int TerrainSensor::Observe(const RoverPose3& pose, std::uint64_t frame, LocalMap& map) {
  Impl& s = *impl_;
  const double c = map.cell_m();
  const double range = params_.range_m;
  // Mast camera in the map frame: R = Rz(yaw) Ry(pitch) Rx(roll).
  const double cr = std::cos(pose.roll_rad), sr = std::sin(pose.roll_rad);
  const double cp = std::cos(pose.pitch_rad), sp = std::sin(pose.pitch_rad);
  const double cy = std::cos(pose.yaw_rad), sy = std::sin(pose.yaw_rad);
  const double bx = params_.mast_x_m, by = params_.mast_y_m, bz = params_.mast_z_m;
  const double mx =
      pose.x_m + cy * cp * bx + (cy * sp * sr - sy * cr) * by + (cy * sp * cr + sy * sr) * bz;
  const double my =
      pose.y_m + sy * cp * bx + (sy * sp * sr + cy * cr) * by + (sy * sp * cr - cy * sr) * bz;
  const double mz = pose.z_m - sp * bx + cp * sr * by + cp * cr * bz;

  // Truth raster over the disc's bounding square (cells inside the view wedge only).
  const int ci0 = map.LatticeOf(mx - range) - 1, cj0 = map.LatticeOf(my - range) - 1;
  const int m = map.LatticeOf(mx + range) + 2 - ci0;
  const std::size_t cells = static_cast<std::size_t>(m) * static_cast<std::size_t>(m);
  if (s.truth_m.size() < cells) {
    s.truth_m.resize(cells);
    s.seen.resize(cells);
  }
  s.m = m;
  std::fill(s.truth_m.begin(), s.truth_m.begin() + static_cast<std::ptrdiff_t>(cells),
            std::numeric_limits<float>::quiet_NaN());
  std::fill(s.seen.begin(), s.seen.begin() + static_cast<std::ptrdiff_t>(cells), 0);
  const double half_fov = 0.5 * params_.fov_rad;
  const double cos_wedge = std::cos(std::min(std::numbers::pi, half_fov) + 2.0 * c / range);
  const double reach2 = (range + 2 * c) * (range + 2 * c);
  for (int b = 0; b < m; ++b) {
    const double y = map.CentreOf(cj0 + b);
    for (int a = 0; a < m; ++a) {
      const double x = map.CentreOf(ci0 + a);
      const double dx = x - mx, dy = y - my;
      const double d2 = dx * dx + dy * dy;
      if (d2 > reach2) continue;
      const double d = std::sqrt(d2);
      if (d > 2 * c && dx * cy + dy * sy < cos_wedge * d) continue;
      s.truth_m[static_cast<std::size_t>(b) * static_cast<std::size_t>(m) +
                static_cast<std::size_t>(a)] = static_cast<float>(s.sampler.GroundHeight(x, y));
    }
  }
  s.sampler.RocksNear(mx, my, range, s.near_rocks);
  for (int r : s.near_rocks) {
    const terrain::RockShape& rock = s.sampler.rocks()[static_cast<std::size_t>(r)];
    const double radius = rock.BoundingRadiusM();
    const int a0 = std::max(0, map.LatticeOf(rock.x_m - radius) - ci0);
    const int a1 = std::min(m - 1, map.LatticeOf(rock.x_m + radius) - ci0);
    const int b0 = std::max(0, map.LatticeOf(rock.y_m - radius) - cj0);
    const int b1 = std::min(m - 1, map.LatticeOf(rock.y_m + radius) - cj0);
    for (int b = b0; b <= b1; ++b) {
      for (int a = a0; a <= a1; ++a) {
        float& h = s.truth_m[static_cast<std::size_t>(b) * static_cast<std::size_t>(m) +
                             static_cast<std::size_t>(a)];
        if (std::isnan(h)) continue;  // outside the wedge, or nodata
        const double top = rock.TopZ(map.CentreOf(ci0 + a), map.CentreOf(cj0 + b));
        if (top > h) h = static_cast<float>(top);
      }
    }
    // The peak, so that a rock smaller than a cell still shows.
    const int a = map.LatticeOf(rock.x_m) - ci0, b = map.LatticeOf(rock.y_m) - cj0;
    if (a >= 0 && a < m && b >= 0 && b < m) {
      float& h = s.truth_m[static_cast<std::size_t>(b) * static_cast<std::size_t>(m) +
                           static_cast<std::size_t>(a)];
      if (!std::isnan(h)) h = std::max(h, static_cast<float>(rock.base_z_m + rock.top_m));
    }
  }

  // Line of sight: rays over the field of view, marching outward at half a cell; a cell is seen
  // when its top is at or above the steepest sight line to anything nearer on the ray.
  const double step = 0.5 * c;
  const int rays = std::max(2, static_cast<int>(std::ceil(params_.fov_rad * range / step)) + 1);
  const int steps = static_cast<int>(std::floor(range / step));
  for (int k = 0; k < rays; ++k) {
    const double az = pose.yaw_rad - half_fov + params_.fov_rad * k / (rays - 1);
    const double ux = std::cos(az), uy = std::sin(az);
    double max_slope = -std::numeric_limits<double>::infinity();
    for (int t = 1; t <= steps; ++t) {
      const double d = t * step;
      const int a = map.LatticeOf(mx + d * ux) - ci0;
      const int b = map.LatticeOf(my + d * uy) - cj0;
      const std::size_t idx =
          static_cast<std::size_t>(b) * static_cast<std::size_t>(m) + static_cast<std::size_t>(a);
      const float h = s.truth_m[idx];
      if (std::isnan(h)) continue;
      const double slope = (h - mz) / d;
      if (!params_.occlusion || slope >= max_slope - 1e-9) {
        if (d >= params_.min_range_m) s.seen[idx] = 1;
      }
      max_slope = std::max(max_slope, slope);
    }
  }

  // Measurements.
  const std::uint64_t frame_seed = marsdrive::DeriveSeed(seed_, frame);
  int count = 0;
  for (int b = 0; b < m; ++b) {
    for (int a = 0; a < m; ++a) {
      const std::size_t idx =
          static_cast<std::size_t>(b) * static_cast<std::size_t>(m) + static_cast<std::size_t>(a);
      if (s.seen[idx] == 0) continue;
      const int i = ci0 + a, j = cj0 + b;
      const double dx = map.CentreOf(i) - mx, dy = map.CentreOf(j) - my;
      const double r2 = dx * dx + dy * dy;
      const double sigma = params_.noise_sigma0_m + params_.noise_sigma_per_m2 * r2;
      double h = s.truth_m[idx];
      if (params_.noise) {
        const std::uint64_t key =
            (static_cast<std::uint64_t>(static_cast<std::uint32_t>(i)) << 32) |
            static_cast<std::uint64_t>(static_cast<std::uint32_t>(j));
        h += sigma * HashNormal(marsdrive::DeriveSeed(frame_seed, key));
      }
      map.Fuse(i, j, static_cast<float>(h), static_cast<float>(sigma * sigma));
      ++count;
    }
  }
  return count;
}

}  // namespace marsdrive::vehicle

#include "terrain/truth/ground_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "base/check.h"
#include "base/random.h"

namespace marsdrive::terrain {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

// ---- rocks ------------------------------------------------------------------------------------

double RockShape::TopZ(double x_m, double y_m) const {
  const double dx = x_m - this->x_m, dy = y_m - this->y_m;
  const double u = (dx * cos_yaw + dy * sin_yaw) / semi_a_m;
  const double v = (-dx * sin_yaw + dy * cos_yaw) / semi_b_m;
  const double q = 1.0 - u * u - v * v;
  if (q <= 0) return -kInf;
  return base_z_m + top_m * std::sqrt(q);
}

RockShape MakeRockShape(const Rock& rock, double base_z_m, int index) {
  // Three uniform draws from the rock's own seed (splitmix64), independent of every other rock.
  const auto draw = [&](std::uint64_t tag) {
    return static_cast<double>(DeriveSeed(rock.shape_seed, tag) >> 11) * 0x1.0p-53;
  };
  const double j = 0.2 * (2 * draw(1) - 1);
  const double yaw = 2 * std::numbers::pi * draw(2);
  RockShape shape;
  shape.x_m = rock.x_m;
  shape.y_m = rock.y_m;
  shape.base_z_m = base_z_m;
  shape.semi_a_m = 0.5 * rock.diameter_m * std::exp(j);
  shape.semi_b_m = 0.5 * rock.diameter_m * std::exp(-j);
  shape.top_m = rock.height_m;
  shape.cos_yaw = std::cos(yaw);
  shape.sin_yaw = std::sin(yaw);
  shape.index = index;
  return shape;
}

// ---- sampler ----------------------------------------------------------------------------------

TerrainSampler::TerrainSampler(const TerrainTruth& truth) : truth_(truth), spec_(truth.dem.spec()) {
  MD_DEMAND(spec_.width_px > 0 && spec_.height_px > 0);
  MD_DEMAND(truth.classes.spec() == spec_);
  heights_ = truth.dem.heights_m.Values().data();
  has_mask_ = truth.dem.HasMask();

  rocks_.reserve(truth.rocks.size());
  for (std::size_t i = 0; i < truth.rocks.size(); ++i) {
    const Rock& rock = truth.rocks[i];
    double base = GroundHeight(rock.x_m, rock.y_m);
    if (!std::isfinite(base)) base = 0;
    rocks_.push_back(MakeRockShape(rock, base, static_cast<int>(i)));
    max_rock_radius_m_ = std::max(max_rock_radius_m_, rocks_.back().BoundingRadiusM());
  }
  buckets_x_ = std::max(1, static_cast<int>(std::ceil(spec_.WidthM() / bucket_m_)));
  buckets_y_ = std::max(1, static_cast<int>(std::ceil(spec_.HeightM() / bucket_m_)));
  const auto bucket_of = [&](const RockShape& r) {
    const int bx =
        std::clamp(static_cast<int>((r.x_m - spec_.origin_x_m) / bucket_m_), 0, buckets_x_ - 1);
    const int by =
        std::clamp(static_cast<int>((r.y_m - spec_.origin_y_m) / bucket_m_), 0, buckets_y_ - 1);
    return static_cast<std::size_t>(by) * static_cast<std::size_t>(buckets_x_) +
           static_cast<std::size_t>(bx);
  };
  bucket_start_.assign(static_cast<std::size_t>(buckets_x_) * buckets_y_ + 1, 0);
  for (const RockShape& r : rocks_) ++bucket_start_[bucket_of(r) + 1];
  for (std::size_t b = 1; b < bucket_start_.size(); ++b) bucket_start_[b] += bucket_start_[b - 1];
  bucket_rocks_.resize(rocks_.size());
  std::vector<int> fill(bucket_start_.begin(), bucket_start_.end() - 1);
  for (const RockShape& r : rocks_) {
    bucket_rocks_[static_cast<std::size_t>(fill[bucket_of(r)]++)] = r.index;
  }
}

double TerrainSampler::GroundHeight(double x_m, double y_m) const {
  const double u = std::clamp(spec_.ColF(x_m), 0.0, static_cast<double>(spec_.width_px - 1));
  const double v = std::clamp(spec_.RowF(y_m), 0.0, static_cast<double>(spec_.height_px - 1));
  const int c0 = std::min(static_cast<int>(u), spec_.width_px - 1);
  const int r0 = std::min(static_cast<int>(v), spec_.height_px - 1);
  const int c1 = std::min(c0 + 1, spec_.width_px - 1);
  const int r1 = std::min(r0 + 1, spec_.height_px - 1);
  if (has_mask_) {
    const auto& valid = truth_.dem.valid;
    if (valid(c0, r0) == 0 || valid(c1, r0) == 0 || valid(c0, r1) == 0 || valid(c1, r1) == 0) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }
  const double fu = u - c0, fv = v - r0;
  const double h00 = VertexHeight(c0, r0), h10 = VertexHeight(c1, r0);
  const double h01 = VertexHeight(c0, r1), h11 = VertexHeight(c1, r1);
  const double south = h00 + (h10 - h00) * fu;
  const double north = h01 + (h11 - h01) * fu;
  return south + (north - south) * fv;
}

Vec3 TerrainSampler::GroundNormal(double x_m, double y_m) const {
  const Vec3 n = truth_.dem.View().NormalAt(x_m, y_m);
  if (!std::isfinite(n.x) || !std::isfinite(n.y) || !std::isfinite(n.z)) return {0, 0, 1};
  return n;
}

SoilClass TerrainSampler::SoilAt(double x_m, double y_m) const {
  const int col = std::clamp(spec_.ColOf(x_m), 0, spec_.width_px - 1);
  const int row = std::clamp(spec_.RowOf(y_m), 0, spec_.height_px - 1);
  return truth_.classes(col, row);
}

void TerrainSampler::RocksNear(double x_m, double y_m, double radius_m,
                               std::vector<int>& out) const {
  out.clear();
  if (rocks_.empty()) return;
  const double reach = radius_m + max_rock_radius_m_;
  const int bx0 =
      std::max(0, static_cast<int>(std::floor((x_m - reach - spec_.origin_x_m) / bucket_m_)));
  const int bx1 = std::min(
      buckets_x_ - 1, static_cast<int>(std::floor((x_m + reach - spec_.origin_x_m) / bucket_m_)));
  const int by0 =
      std::max(0, static_cast<int>(std::floor((y_m - reach - spec_.origin_y_m) / bucket_m_)));
  const int by1 = std::min(
      buckets_y_ - 1, static_cast<int>(std::floor((y_m + reach - spec_.origin_y_m) / bucket_m_)));
  for (int by = by0; by <= by1; ++by) {
    for (int bx = bx0; bx <= bx1; ++bx) {
      const std::size_t b = static_cast<std::size_t>(by) * static_cast<std::size_t>(buckets_x_) +
                            static_cast<std::size_t>(bx);
      for (int k = bucket_start_[b]; k < bucket_start_[b + 1]; ++k) {
        const RockShape& r =
            rocks_[static_cast<std::size_t>(bucket_rocks_[static_cast<std::size_t>(k)])];
        const double dx = r.x_m - x_m, dy = r.y_m - y_m;
        const double d = radius_m + r.BoundingRadiusM();
        if (dx * dx + dy * dy <= d * d) out.push_back(r.index);
      }
    }
  }
  std::sort(out.begin(), out.end());
}

}  // namespace marsdrive::terrain

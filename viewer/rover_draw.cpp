#include "viewer/rover_draw.h"

#include <cmath>

namespace marsdrive::viewer {

namespace {

constexpr Rgba kBodyColor = Rgb8(225, 225, 218);
constexpr Rgba kDeckColor = Rgb8(150, 150, 145);
constexpr Rgba kBeamColor = Rgb8(205, 205, 200);
constexpr Rgba kWheelColor = Rgb8(95, 95, 100);
constexpr Rgba kHubColor = Rgb8(40, 40, 45);
constexpr Rgba kRtgColor = Rgb8(85, 85, 90);

Rgba Tinted(Rgba c, Rgba tint) { return {c.r * tint.r, c.g * tint.g, c.b * tint.b, c.a}; }

Vec3f ToF(const vehicle::Vec3& v, int side) {
  return {static_cast<float>(v.x), static_cast<float>(side == 0 ? v.y : -v.y),
          static_cast<float>(v.z)};
}

// A box beam of square section from a to b (in the frame of X).
Mat4 Beam(const Mat4& X, const Vec3f& a, const Vec3f& b, float thickness) {
  const Vec3f x = Normalize(b - a);
  Vec3f up{0, 0, 1};
  if (std::abs(Dot(x, up)) > 0.95f) up = {1, 0, 0};
  const Vec3f y = Normalize(Cross(up, x));
  const Vec3f z = Cross(x, y);
  Mat4 basis;
  basis.at(0, 0) = x.x, basis.at(1, 0) = x.y, basis.at(2, 0) = x.z;
  basis.at(0, 1) = y.x, basis.at(1, 1) = y.y, basis.at(2, 1) = y.z;
  basis.at(0, 2) = z.x, basis.at(1, 2) = z.y, basis.at(2, 2) = z.z;
  return X * Translation((a + b) * 0.5f) * basis *
         Scaling({Length(b - a) + thickness, thickness, thickness});
}

Mat4 Box(const Mat4& X, const Vec3f& lo, const Vec3f& hi) {
  return X * Translation((lo + hi) * 0.5f) * Scaling(hi - lo);
}

}  // namespace

void AddRover(const vehicle::RoverSpec& spec, const RoverPose& pose, ShapeInstances& out,
              Rgba tint) {
  const Mat4& B = pose.X_MapBody;
  const float bottom = static_cast<float>(spec.limits.ground_clearance_m);
  const float top = static_cast<float>(spec.chassis_top_m);
  const float x0 = static_cast<float>(spec.chassis_min_x_m);
  const float x1 = static_cast<float>(spec.chassis_max_x_m);
  const float hw = static_cast<float>(spec.chassis_half_width_m);
  // Body, deck, RTG at the back, mast with its head, high-gain antenna.
  out.Add(Shape::kBox, Box(B, {x0 + 0.25f, -hw, bottom}, {x1, hw, top - 0.05f}),
          Tinted(kBodyColor, tint));
  out.Add(Shape::kBox, Box(B, {x0 + 0.3f, -hw + 0.05f, top - 0.05f}, {x1 - 0.05f, hw - 0.05f, top}),
          Tinted(kDeckColor, tint));
  out.Add(Shape::kCylinder,
          B * Translation({x0 + 0.12f, 0, top - 0.1f}) * RotationY(-0.9f) * RotationX(1.5708f) *
              Scaling({0.42f, 0.7f, 0.42f}),
          Tinted(kRtgColor, tint));
  out.Add(Shape::kBox, Box(B, {x1 - 0.35f, hw - 0.35f, top}, {x1 - 0.22f, hw - 0.22f, 2.0f}),
          Tinted(kBeamColor, tint));
  out.Add(Shape::kBox, Box(B, {x1 - 0.42f, hw - 0.6f, 2.0f}, {x1 - 0.12f, hw + 0.02f, 2.22f}),
          Tinted(kBodyColor, tint));
  out.Add(Shape::kCylinder,
          B * Translation({x0 + 0.9f, -hw + 0.45f, top + 0.1f}) * RotationX(1.2f) *
              Scaling({0.6f, 0.05f, 0.6f}),
          Tinted(kDeckColor, tint));

  const float th = static_cast<float>(spec.beam_thickness_m);
  const Vec3f o{0, 0, 0};
  for (int side = 0; side < 2; ++side) {
    const Mat4& R = pose.X_MapRocker[static_cast<std::size_t>(side)];
    const Mat4& G = pose.X_MapBogie[static_cast<std::size_t>(side)];
    const Vec3f rocker_pivot = ToF(spec.rocker_pivot_m, side);
    const Vec3f bogie_pivot = ToF(spec.bogie_pivot_m, side);
    const Vec3f front = ToF(spec.front_wheel_m, side) - rocker_pivot;
    const Vec3f middle = ToF(spec.middle_wheel_m, side) - bogie_pivot;
    const Vec3f rear = ToF(spec.rear_wheel_m, side) - bogie_pivot;
    const float up = 0.30f;  // the beams run above the hubs; steering brackets drop to them
    out.Add(Shape::kBox, Beam(R, o, front + Vec3f{0, 0, up}, th), Tinted(kBeamColor, tint));
    out.Add(Shape::kBox, Beam(R, o, bogie_pivot - rocker_pivot, th), Tinted(kBeamColor, tint));
    out.Add(Shape::kBox, Beam(G, o, middle + Vec3f{0, 0, up}, th), Tinted(kBeamColor, tint));
    out.Add(Shape::kBox, Beam(G, o, rear + Vec3f{0, 0, up}, th), Tinted(kBeamColor, tint));
    // Pivot to body.
    out.Add(Shape::kCylinder, R * Scaling({0.16f, 0.12f, 0.16f}), Tinted(kHubColor, tint));
    out.Add(Shape::kCylinder, G * Scaling({0.14f, 0.12f, 0.14f}), Tinted(kHubColor, tint));
  }
  const float r = static_cast<float>(spec.wheel_radius_m);
  const float w = static_cast<float>(spec.wheel_width_m);
  for (std::size_t i = 0; i < pose.X_MapWheel.size(); ++i) {
    const Mat4& S = pose.X_MapSteer[i];
    const Mat4& W = pose.X_MapWheel[i];
    // Steering bracket (vertical post over the hub, turning with the wheel).
    out.Add(Shape::kBox, Box(S, {-0.05f, -0.05f, 0.0f}, {0.05f, 0.05f, 0.32f}),
            Tinted(kBeamColor, tint));
    out.Add(Shape::kCylinder, W * Scaling({2 * r, w, 2 * r}), Tinted(kWheelColor, tint));
    // Two crossed spokes on each face, so that the wheel's turning shows.
    for (float face : {-1.0f, 1.0f}) {
      const Vec3f c{0, face * (w / 2 + 0.005f), 0};
      out.Add(Shape::kBox, W * Translation(c) * Scaling({2 * r * 0.92f, 0.02f, 0.06f}),
              Tinted(kHubColor, tint));
      out.Add(Shape::kBox, W * Translation(c) * Scaling({0.06f, 0.02f, 2 * r * 0.92f}),
              Tinted(kHubColor, tint));
    }
  }
}

void AddRocks(const std::vector<terrain::Rock>& rocks, const HeightFn& ground,
              ShapeInstances& out) {
  for (const terrain::Rock& rock : rocks) {
    // Shape and shade from the rock's seed: squash, yaw, a grey-brown tone.
    const std::uint32_t s = rock.shape_seed * 2654435761u;
    const float u1 = static_cast<float>(s & 0xffu) / 255.0f;
    const float u2 = static_cast<float>((s >> 8) & 0xffu) / 255.0f;
    const float u3 = static_cast<float>((s >> 16) & 0xffu) / 255.0f;
    const float rx = static_cast<float>(rock.diameter_m / 2) * (0.85f + 0.3f * u1);
    const float ry = static_cast<float>(rock.diameter_m / 2) * (1.15f - 0.3f * u1);
    const float rz = static_cast<float>(rock.height_m);
    const float z = static_cast<float>(ground(rock.x_m, rock.y_m));
    const float tone = 0.42f + 0.2f * u3;
    out.Add(Shape::kSphere,
            Translation({static_cast<float>(rock.x_m), static_cast<float>(rock.y_m), z}) *
                RotationZ(u2 * 6.2832f) * Scaling({rx, ry, rz}),
            {tone * 1.05f, tone * 0.9f, tone * 0.78f, 1.0f});
  }
}

}  // namespace marsdrive::viewer

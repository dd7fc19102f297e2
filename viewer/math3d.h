#pragma once
// Small single-precision 3D math for rendering: vectors, column-major 4x4 matrices (OpenGL's
// layout: m[col * 4 + row]), projections. Header-only and free of OpenGL so that the camera and
// the tests share it.

#include <array>
#include <cmath>

namespace marsdrive::viewer {

struct Vec3f {
  float x = 0, y = 0, z = 0;
  Vec3f operator+(const Vec3f& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3f operator-(const Vec3f& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3f operator*(float s) const { return {x * s, y * s, z * s}; }
  bool operator==(const Vec3f&) const = default;
};
inline float Dot(const Vec3f& a, const Vec3f& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3f Cross(const Vec3f& a, const Vec3f& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline float Length(const Vec3f& a) { return std::sqrt(Dot(a, a)); }
inline Vec3f Normalize(const Vec3f& a) {
  const float n = Length(a);
  return n > 0 ? a * (1.0f / n) : Vec3f{0, 0, 1};
}

struct Vec4f {
  float x = 0, y = 0, z = 0, w = 0;
};

struct Mat4 {
  std::array<float, 16> m{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};  // identity
  float& at(int row, int col) { return m[static_cast<std::size_t>(col * 4 + row)]; }
  float at(int row, int col) const { return m[static_cast<std::size_t>(col * 4 + row)]; }
};

inline Mat4 operator*(const Mat4& a, const Mat4& b) {
  Mat4 r;
  for (int row = 0; row < 4; ++row) {
    for (int col = 0; col < 4; ++col) {
      float s = 0;
      for (int k = 0; k < 4; ++k) s += a.at(row, k) * b.at(k, col);
      r.at(row, col) = s;
    }
  }
  return r;
}
inline Vec4f operator*(const Mat4& a, const Vec4f& v) {
  const float in[4] = {v.x, v.y, v.z, v.w};
  float out[4] = {0, 0, 0, 0};
  for (int row = 0; row < 4; ++row) {
    for (int k = 0; k < 4; ++k) out[row] += a.at(row, k) * in[k];
  }
  return {out[0], out[1], out[2], out[3]};
}
// A point transformed (w = 1, no perspective divide).
inline Vec3f TransformPoint(const Mat4& a, const Vec3f& p) {
  const Vec4f r = a * Vec4f{p.x, p.y, p.z, 1.0f};
  return {r.x, r.y, r.z};
}
// A direction transformed (w = 0).
inline Vec3f TransformDir(const Mat4& a, const Vec3f& d) {
  const Vec4f r = a * Vec4f{d.x, d.y, d.z, 0.0f};
  return {r.x, r.y, r.z};
}

inline Mat4 Translation(const Vec3f& t) {
  Mat4 r;
  r.at(0, 3) = t.x;
  r.at(1, 3) = t.y;
  r.at(2, 3) = t.z;
  return r;
}
inline Mat4 Scaling(const Vec3f& s) {
  Mat4 r;
  r.at(0, 0) = s.x;
  r.at(1, 1) = s.y;
  r.at(2, 2) = s.z;
  return r;
}
inline Mat4 RotationX(float a) {
  Mat4 r;
  r.at(1, 1) = std::cos(a);
  r.at(1, 2) = -std::sin(a);
  r.at(2, 1) = std::sin(a);
  r.at(2, 2) = std::cos(a);
  return r;
}
inline Mat4 RotationY(float a) {
  Mat4 r;
  r.at(0, 0) = std::cos(a);
  r.at(0, 2) = std::sin(a);
  r.at(2, 0) = -std::sin(a);
  r.at(2, 2) = std::cos(a);
  return r;
}
inline Mat4 RotationZ(float a) {
  Mat4 r;
  r.at(0, 0) = std::cos(a);
  r.at(0, 1) = -std::sin(a);
  r.at(1, 0) = std::sin(a);
  r.at(1, 1) = std::cos(a);
  return r;
}

// Right-handed view matrix looking from `eye` at `target`.
inline Mat4 LookAt(const Vec3f& eye, const Vec3f& target, const Vec3f& up) {
  const Vec3f f = Normalize(target - eye);
  const Vec3f s = Normalize(Cross(f, up));
  const Vec3f u = Cross(s, f);
  Mat4 r;
  r.at(0, 0) = s.x, r.at(0, 1) = s.y, r.at(0, 2) = s.z;
  r.at(1, 0) = u.x, r.at(1, 1) = u.y, r.at(1, 2) = u.z;
  r.at(2, 0) = -f.x, r.at(2, 1) = -f.y, r.at(2, 2) = -f.z;
  r.at(0, 3) = -Dot(s, eye);
  r.at(1, 3) = -Dot(u, eye);
  r.at(2, 3) = Dot(f, eye);
  return r;
}
inline Mat4 Perspective(float fovy_rad, float aspect, float near_m, float far_m) {
  const float f = 1.0f / std::tan(fovy_rad / 2);
  Mat4 r;
  r.m.fill(0);
  r.at(0, 0) = f / aspect;
  r.at(1, 1) = f;
  r.at(2, 2) = (far_m + near_m) / (near_m - far_m);
  r.at(2, 3) = 2 * far_m * near_m / (near_m - far_m);
  r.at(3, 2) = -1;
  return r;
}
inline Mat4 Orthographic(float left, float right, float bottom, float top, float near_m,
                         float far_m) {
  Mat4 r;
  r.at(0, 0) = 2 / (right - left);
  r.at(1, 1) = 2 / (top - bottom);
  r.at(2, 2) = -2 / (far_m - near_m);
  r.at(0, 3) = -(right + left) / (right - left);
  r.at(1, 3) = -(top + bottom) / (top - bottom);
  r.at(2, 3) = -(far_m + near_m) / (far_m - near_m);
  return r;
}
// General 4x4 inverse (cofactors); returns identity for a singular matrix.
Mat4 Inverse(const Mat4& a);

}  // namespace marsdrive::viewer

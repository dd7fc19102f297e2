#include "viewer/camera.h"

#include <algorithm>
#include <cmath>

namespace marsdrive::viewer {

const char* ToString(CameraMode mode) {
  switch (mode) {
    case CameraMode::kTop:
      return "top";
    case CameraMode::kFollow:
      return "follow";
    case CameraMode::kOrbit:
      return "orbit";
  }
  return "?";
}

std::optional<CameraMode> ParseCameraMode(std::string_view text) {
  if (text == "top") return CameraMode::kTop;
  if (text == "follow") return CameraMode::kFollow;
  if (text == "orbit") return CameraMode::kOrbit;
  return std::nullopt;
}

double CameraView::MetresPerPixel(double distance_m) const {
  if (orthographic) return 2.0 / (proj.at(1, 1) * height_px);
  return 2.0 * distance_m * std::tan(fovy_rad / 2) / height_px;
}

CameraState DefaultCameraState(CameraMode mode, const Bounds2& roi, float z_min_m, float z_max_m,
                               double aspect) {
  CameraState s;
  s.mode = mode;
  s.centre_x_m = (roi.min_x_m + roi.max_x_m) / 2;
  s.centre_y_m = (roi.min_y_m + roi.max_y_m) / 2;
  s.half_height_m = std::max(roi.max_y_m - roi.min_y_m, (roi.max_x_m - roi.min_x_m) / aspect) / 2;
  s.target = {static_cast<float>(s.centre_x_m), static_cast<float>(s.centre_y_m),
              (z_min_m + z_max_m) / 2};
  const double span = std::max(roi.max_x_m - roi.min_x_m, roi.max_y_m - roi.min_y_m);
  s.distance_m = static_cast<float>(span * 0.85);
  return s;
}

CameraView MakeCameraView(const CameraState& s, const RoverFrame& rover, float z_min_m,
                          float z_max_m, int width_px, int height_px, const HeightFn& ground) {
  CameraView cam;
  cam.width_px = std::max(1, width_px);
  cam.height_px = std::max(1, height_px);
  const float aspect = static_cast<float>(cam.width_px) / static_cast<float>(cam.height_px);
  const float relief = std::max(1.0f, z_max_m - z_min_m);
  auto above_ground = [&](Vec3f eye, float clearance) {
    if (ground) eye.z = std::max(eye.z, static_cast<float>(ground(eye.x, eye.y)) + clearance);
    return eye;
  };
  switch (s.mode) {
    case CameraMode::kTop: {
      cam.orthographic = true;
      cam.eye = {static_cast<float>(s.centre_x_m), static_cast<float>(s.centre_y_m),
                 z_max_m + 50.0f};
      cam.view = LookAt(cam.eye, cam.eye - Vec3f{0, 0, 1}, {0, 1, 0});
      const float hh = static_cast<float>(s.half_height_m);
      cam.proj = Orthographic(-hh * aspect, hh * aspect, -hh, hh, 1.0f, relief + 100.0f);
      break;
    }
    case CameraMode::kFollow: {
      const float a = rover.yaw_rad + s.follow_azimuth_rad;
      const Vec3f back{std::cos(a), std::sin(a), 0};
      const Vec3f target = rover.position + Vec3f{0, 0, 0.8f} + back * 1.5f;
      cam.eye = above_ground(
          rover.position - back * s.follow_distance_m + Vec3f{0, 0, s.follow_height_m}, 1.0f);
      cam.view = LookAt(cam.eye, target, {0, 0, 1});
      cam.fovy_rad = 0.9f;
      cam.proj = Perspective(cam.fovy_rad, aspect, 0.1f, 2000.0f);
      break;
    }
    case CameraMode::kOrbit: {
      const float ce = std::cos(s.elevation_rad);
      const Vec3f dir{ce * std::cos(s.azimuth_rad), ce * std::sin(s.azimuth_rad),
                      std::sin(s.elevation_rad)};
      cam.eye = above_ground(s.target + dir * s.distance_m, 0.5f);
      cam.view = LookAt(cam.eye, s.target, {0, 0, 1});
      cam.fovy_rad = 0.8f;
      const float near_m = std::max(0.05f, s.distance_m * 0.005f);
      cam.proj = Perspective(cam.fovy_rad, aspect, near_m, s.distance_m * 10 + relief * 4);
      break;
    }
  }
  return cam;
}

std::optional<Pixel> ProjectToPixel(const CameraView& camera, const Vec3f& p) {
  const Vec4f clip = camera.ViewProj() * Vec4f{p.x, p.y, p.z, 1.0f};
  if (clip.w <= 1e-6f) return std::nullopt;
  const float nx = clip.x / clip.w, ny = clip.y / clip.w;
  return Pixel{(nx * 0.5f + 0.5f) * static_cast<float>(camera.width_px),
               (1.0f - (ny * 0.5f + 0.5f)) * static_cast<float>(camera.height_px)};
}

Ray PixelRay(const CameraView& camera, float x_px, float y_px) {
  const Mat4 inv = Inverse(camera.ViewProj());
  const float nx = 2.0f * x_px / static_cast<float>(camera.width_px) - 1.0f;
  const float ny = 1.0f - 2.0f * y_px / static_cast<float>(camera.height_px);
  auto unproject = [&](float nz) {
    const Vec4f v = inv * Vec4f{nx, ny, nz, 1.0f};
    return Vec3f{v.x / v.w, v.y / v.w, v.z / v.w};
  };
  const Vec3f a = unproject(-1.0f), b = unproject(1.0f);
  return {a, Normalize(b - a)};
}

std::optional<Vec3f> IntersectGround(const Ray& ray, const HeightFn& ground, const Bounds2& area,
                                     float z_min_m, float z_max_m) {
  // March from where the ray enters the height band [z_min, z_max] to where it leaves it.
  double t0 = 0, t1 = 1e5;
  if (std::abs(ray.direction.z) > 1e-9) {
    const double ta = (z_max_m + 0.01 - ray.origin.z) / ray.direction.z;
    const double tb = (z_min_m - 0.01 - ray.origin.z) / ray.direction.z;
    t0 = std::max(0.0, std::min(ta, tb));
    t1 = std::max(ta, tb);
  }
  if (t1 <= t0) return std::nullopt;
  const int steps = 2000;
  auto at = [&](double t) { return ray.origin + ray.direction * static_cast<float>(t); };
  auto above = [&](double t) {
    const Vec3f p = at(t);
    return p.z > ground(p.x, p.y);
  };
  double prev = t0;
  if (!above(prev)) return std::nullopt;
  for (int i = 1; i <= steps; ++i) {
    const double t = t0 + (t1 - t0) * i / steps;
    if (!above(t)) {
      double lo = prev, hi = t;
      for (int k = 0; k < 30; ++k) {
        const double mid = (lo + hi) / 2;
        (above(mid) ? lo : hi) = mid;
      }
      const Vec3f p = at(hi);
      if (p.x < area.min_x_m || p.y < area.min_y_m || p.x > area.max_x_m || p.y > area.max_y_m)
        return std::nullopt;
      return p;
    }
    prev = t;
  }
  return std::nullopt;
}

}  // namespace marsdrive::viewer

#pragma once
// Cameras (top-down map, follow-rover, orbit) and the projection of map points into the image,
// without OpenGL: the renderer, mouse picking and the screenshot tests all use these functions,
// so a test can compute where a map point lands in a screenshot.

#include <optional>
#include <string_view>

#include "viewer/math3d.h"
#include "viewer/tracks.h"

namespace marsdrive::viewer {

enum class CameraMode { kTop, kFollow, kOrbit };
const char* ToString(CameraMode mode);  // "top", "follow", "orbit"
std::optional<CameraMode> ParseCameraMode(std::string_view text);

// An axis-aligned map rectangle, metres.
struct Bounds2 {
  double min_x_m = 0, min_y_m = 0, max_x_m = 1, max_y_m = 1;
};

// The rover's pose the follow camera tracks.
struct RoverFrame {
  Vec3f position;  // map frame
  float yaw_rad = 0;
};

struct CameraState {
  CameraMode mode = CameraMode::kTop;
  // Top: the map centre in view and the half height of the view (metres, north up).
  double centre_x_m = 0, centre_y_m = 0, half_height_m = 10;
  // Orbit: the point looked at, azimuth from +x, elevation, distance.
  Vec3f target;
  float azimuth_rad = -2.0f, elevation_rad = 0.6f, distance_m = 30.0f;
  // Follow: behind the rover by `follow_distance_m`, `follow_height_m` up, turned by azimuth.
  float follow_distance_m = 8.5f, follow_height_m = 4.0f, follow_azimuth_rad = 0.0f;
};

struct CameraView {
  Mat4 view, proj;
  Vec3f eye;
  int width_px = 1, height_px = 1;
  bool orthographic = false;
  float fovy_rad = 0.8f;
  Mat4 ViewProj() const { return proj * view; }
  // Size of a pixel at distance d from the eye (for level-of-detail choices).
  double MetresPerPixel(double distance_m) const;
};

// The state each mode starts in: top shows `roi` whole; orbit looks at its centre from the
// south-west; follow sits behind the rover. z_min / z_max: the terrain's height range; aspect:
// the image's width / height.
CameraState DefaultCameraState(CameraMode mode, const Bounds2& roi, float z_min_m, float z_max_m,
                               double aspect);

// `ground` (optional) keeps the follow and orbit eyes above the terrain.
CameraView MakeCameraView(const CameraState& state, const RoverFrame& rover, float z_min_m,
                          float z_max_m, int width_px, int height_px,
                          const HeightFn& ground = nullptr);

// Pixel coordinates (x right, y down, origin at the top-left corner of the image: PNG rows) of
// a map point, or nullopt behind the camera.
struct Pixel {
  float x = 0, y = 0;
};
std::optional<Pixel> ProjectToPixel(const CameraView& camera, const Vec3f& point_map);

struct Ray {
  Vec3f origin, direction;  // direction normalised
};
Ray PixelRay(const CameraView& camera, float x_px, float y_px);
// The first point where the ray meets the ground inside `area`, by marching then bisection.
std::optional<Vec3f> IntersectGround(const Ray& ray, const HeightFn& ground, const Bounds2& area,
                                     float z_min_m, float z_max_m);

}  // namespace marsdrive::viewer

#pragma once
// Draws a Scene with OpenGL 3.3 core: terrain chunks at their level of detail, rocks, the
// rover(s) animated from telemetry, wheel tracks, and every overlay line. Construct and use it
// with the context current; it owns its GL objects.

#include <array>
#include <cstddef>
#include <vector>

#include "viewer/camera.h"
#include "viewer/gl.h"
#include "viewer/layer_images.h"
#include "viewer/scene.h"

namespace marsdrive::viewer {

struct RenderSettings {
  std::array<bool, kLayerCount> layers = DefaultLayers();
  OverlayKind overlay = OverlayKind::kSlope;  // drawn when layers[kOverlay]
  bool hillshade = false;                     // plain hillshade instead of the orthoimage
  double time_s = 0;
  float line_width_scale = 1;  // e.g. 2 on a high-resolution screenshot
};

class Renderer {
 public:
  explicit Renderer(const Scene& scene);
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;
  Renderer(Renderer&&) = delete;
  Renderer& operator=(Renderer&&) = delete;
  ~Renderer();

  // Uploads the scene's tracks and lines again (after RebuildSceneGeometry: live mode).
  void ReloadOverlays();

  // Draws into the bound framebuffer (viewport set by the caller).
  void Draw(const CameraView& camera, const RenderSettings& settings);

  struct Stats {
    int chunks_drawn = 0;
    std::size_t terrain_triangles = 0;
    std::size_t rock_count = 0;
    std::size_t rocks_drawn = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  struct GpuMesh {
    GLuint vao = 0, vbo = 0, ebo = 0, instance_vbo = 0;
    GLsizei index_count = 0;
  };
  struct GpuChunk {
    TerrainChunk chunk;
    GLuint vao = 0, vbo = 0;
    std::array<GLuint, kLodLevels> ebo{};
    std::array<GLsizei, kLodLevels> count{};
  };
  void UploadTerrain();
  void UploadShapes();
  void UploadRibbons();
  void UploadLines();
  void SetOverlay(OverlayKind kind);
  void DrawInstances(int shape, const std::vector<float>& instances, GLuint buffer);

  const Scene& scene_;
  GLuint terrain_program_ = 0, shape_program_ = 0, flat_program_ = 0, line_program_ = 0;
  std::vector<GpuChunk> chunks_;
  GLuint ortho_tex_ = 0, overlay_tex_ = 0;
  float ortho_rect_[4] = {0, 0, 1, 1};
  float overlay_rect_[4] = {0, 0, 1, 1};
  int overlay_kind_ = -1;
  std::array<GpuMesh, 4> shapes_;  // Shape order, then a coarse sphere for small rocks
  GLuint rock_instances_ = 0;      // rocks grouped by terrain chunk, largest first in each
  GLsizei rock_count_ = 0;
  std::vector<float> rock_diameters_;                   // in instance order
  std::vector<std::pair<GLint, GLsizei>> rock_ranges_;  // per chunk: first, count
  GLuint rover_instances_ = 0;
  GLuint ribbon_vao_ = 0, ribbon_vbo_ = 0;
  std::array<std::pair<GLint, GLsizei>, kLayerCount> ribbon_ranges_{};  // first, count
  GLuint line_vao_ = 0, line_vbo_ = 0;
  std::array<std::pair<GLint, GLsizei>, kLayerCount> line_ranges_{};
  Stats stats_;
};

}  // namespace marsdrive::viewer

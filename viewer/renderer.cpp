#include "viewer/renderer.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "viewer/gl_util.h"
#include "viewer/rover_draw.h"
#include "viewer/rover_pose.h"
#include "viewer/shaders.h"

namespace marsdrive::viewer {

namespace {

constexpr int kInstanceFloats = 20;  // mat4 + rgba
constexpr int kLineFloats = 14;      // pos, other, side, width, rgba, t0, t1
constexpr int kFlatFloats = 8;       // pos, rgba, t0
constexpr int kChunkQuads = 128;     // terrain chunk size, in post spacings

// Light from the north-west, 35 degrees up (the orthoimage's hillshade sun).
Vec3f LightDir() {
  const float az = 315.0f * static_cast<float>(std::numbers::pi) / 180.0f;
  const float el = 35.0f * static_cast<float>(std::numbers::pi) / 180.0f;
  return Normalize({std::sin(az) * std::cos(el), std::cos(az) * std::cos(el), std::sin(el)});
}

struct MeshData {
  std::vector<float> vertices;  // pos, normal
  std::vector<std::uint32_t> indices;
  void Vertex(Vec3f p, Vec3f n) { vertices.insert(vertices.end(), {p.x, p.y, p.z, n.x, n.y, n.z}); }
  std::uint32_t Next() const { return static_cast<std::uint32_t>(vertices.size() / 6); }
};

MeshData MakeBox() {
  MeshData m;
  const Vec3f normals[6] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
  for (const Vec3f& n : normals) {
    const Vec3f u = std::abs(n.z) > 0.5f ? Vec3f{1, 0, 0} : Vec3f{0, 0, 1};
    const Vec3f v = Cross(n, u);
    const std::uint32_t base = m.Next();
    for (int k = 0; k < 4; ++k) {
      const float su = (k == 0 || k == 3) ? -0.5f : 0.5f;
      const float sv = (k < 2) ? -0.5f : 0.5f;
      m.Vertex(n * 0.5f + u * su + v * sv, n);
    }
    m.indices.insert(m.indices.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
  }
  return m;
}

MeshData MakeCylinder(int segments) {
  MeshData m;
  const float two_pi = 2 * static_cast<float>(std::numbers::pi);
  for (int k = 0; k <= segments; ++k) {  // side: axis along y
    const float a = two_pi * static_cast<float>(k) / static_cast<float>(segments);
    const Vec3f n{std::cos(a), 0, std::sin(a)};
    m.Vertex({0.5f * n.x, -0.5f, 0.5f * n.z}, n);
    m.Vertex({0.5f * n.x, 0.5f, 0.5f * n.z}, n);
  }
  for (std::uint32_t k = 0; k < static_cast<std::uint32_t>(segments); ++k) {
    const std::uint32_t a = 2 * k;
    m.indices.insert(m.indices.end(), {a, a + 1, a + 3, a, a + 3, a + 2});
  }
  for (float side : {-0.5f, 0.5f}) {  // caps
    const Vec3f n{0, side * 2, 0};
    const std::uint32_t centre = m.Next();
    m.Vertex({0, side, 0}, n);
    for (int k = 0; k <= segments; ++k) {
      const float a = two_pi * static_cast<float>(k) / static_cast<float>(segments);
      m.Vertex({0.5f * std::cos(a), side, 0.5f * std::sin(a)}, n);
    }
    for (std::uint32_t k = 0; k < static_cast<std::uint32_t>(segments); ++k) {
      m.indices.insert(m.indices.end(), {centre, centre + 1 + k, centre + 2 + k});
    }
  }
  return m;
}

MeshData MakeSphere(int rings, int sectors) {
  MeshData m;
  const float pi = static_cast<float>(std::numbers::pi);
  for (int r = 0; r <= rings; ++r) {
    const float phi = pi * static_cast<float>(r) / static_cast<float>(rings) - pi / 2;
    for (int s = 0; s <= sectors; ++s) {
      const float th = 2 * pi * static_cast<float>(s) / static_cast<float>(sectors);
      const Vec3f n{std::cos(phi) * std::cos(th), std::cos(phi) * std::sin(th), std::sin(phi)};
      m.Vertex(n, n);
    }
  }
  const auto row = static_cast<std::uint32_t>(sectors + 1);
  for (std::uint32_t r = 0; r < static_cast<std::uint32_t>(rings); ++r) {
    for (std::uint32_t s = 0; s < static_cast<std::uint32_t>(sectors); ++s) {
      const std::uint32_t a = r * row + s, b = a + row;
      m.indices.insert(m.indices.end(), {a, a + 1, b + 1, a, b + 1, b});
    }
  }
  return m;
}

void AppendInstances(const std::vector<Instance>& in, std::vector<float>& out) {
  for (const Instance& i : in) {
    out.insert(out.end(), i.model.m.begin(), i.model.m.end());
    out.insert(out.end(), {i.color.r, i.color.g, i.color.b, i.color.a});
  }
}

// Whether a box lies entirely outside one plane of the view volume.
bool Culled(const Mat4& vp, const Vec3f& lo, const Vec3f& hi) {
  int outside[6] = {0, 0, 0, 0, 0, 0};
  for (int k = 0; k < 8; ++k) {
    const Vec3f p{(k & 1) ? hi.x : lo.x, (k & 2) ? hi.y : lo.y, (k & 4) ? hi.z : lo.z};
    const Vec4f c = vp * Vec4f{p.x, p.y, p.z, 1};
    outside[0] += c.x<-c.w, outside[1] += c.x> c.w;
    outside[2] += c.y<-c.w, outside[3] += c.y> c.w;
    outside[4] += c.z<-c.w, outside[5] += c.z> c.w;
  }
  return std::any_of(std::begin(outside), std::end(outside), [](int n) { return n == 8; });
}

}  // namespace

Renderer::Renderer(const Scene& scene) : scene_(scene) {
  terrain_program_ = MakeProgram(shaders::kTerrainVs, shaders::kTerrainFs, "terrain");
  shape_program_ = MakeProgram(shaders::kShapeVs, shaders::kShapeFs, "shape");
  flat_program_ = MakeProgram(shaders::kFlatVs, shaders::kFlatFs, "flat");
  line_program_ = MakeProgram(shaders::kLineVs, shaders::kLineFs, "line");
  UploadTerrain();
  UploadShapes();
  UploadRibbons();
  UploadLines();
}

Renderer::~Renderer() {
  for (GpuChunk& c : chunks_) {
    glDeleteVertexArrays(1, &c.vao);
    glDeleteBuffers(1, &c.vbo);
    glDeleteBuffers(kLodLevels, c.ebo.data());
  }
  for (GpuMesh& m : shapes_) {
    glDeleteVertexArrays(1, &m.vao);
    glDeleteBuffers(1, &m.vbo);
    glDeleteBuffers(1, &m.ebo);
  }
  const GLuint buffers[] = {rock_instances_, rover_instances_, ribbon_vbo_, line_vbo_};
  glDeleteBuffers(4, buffers);
  const GLuint arrays[] = {ribbon_vao_, line_vao_};
  glDeleteVertexArrays(2, arrays);
  const GLuint textures[] = {ortho_tex_, overlay_tex_};
  glDeleteTextures(2, textures);
  for (GLuint p : {terrain_program_, shape_program_, flat_program_, line_program_})
    glDeleteProgram(p);
}

void Renderer::UploadTerrain() {
  for (const TerrainChunk& chunk : MakeChunks(scene_.lod, kChunkQuads)) {
    const ChunkMesh mesh = BuildChunkMesh(scene_.lod, chunk);
    GpuChunk g;
    g.chunk = chunk;
    glGenVertexArrays(1, &g.vao);
    glBindVertexArray(g.vao);
    g.vbo = MakeArrayBuffer(mesh.vertices);
    SetFloatAttribs({{0, 3}, {1, 3}});
    glGenBuffers(kLodLevels, g.ebo.data());
    for (int l = 0; l < kLodLevels; ++l) {
      const auto& idx = mesh.indices[static_cast<std::size_t>(l)];
      glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ebo[static_cast<std::size_t>(l)]);
      glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                   static_cast<GLsizeiptr>(idx.size() * sizeof(std::uint32_t)), idx.data(),
                   GL_STATIC_DRAW);
      g.count[static_cast<std::size_t>(l)] = static_cast<GLsizei>(idx.size());
    }
    glBindVertexArray(0);
    chunks_.push_back(g);
  }
  const terrain::OrthoImage& ortho = scene_.terrain.orbital->ortho;
  if (ortho.width_px > 0 && !ortho.rgb.empty()) {
    ortho_tex_ = MakeTexture(ortho.width_px, ortho.height_px, 3, ortho.rgb.data());
    ortho_rect_[0] = static_cast<float>(ortho.origin_x_m);
    ortho_rect_[1] = static_cast<float>(ortho.origin_y_m);
    ortho_rect_[2] = static_cast<float>(ortho.width_px * ortho.resolution_m);
    ortho_rect_[3] = static_cast<float>(ortho.height_px * ortho.resolution_m);
  }
}

void Renderer::SetOverlay(OverlayKind kind) {
  if (overlay_kind_ == static_cast<int>(kind)) return;
  const RgbaImage img = MakeOverlayImage(*scene_.terrain.orbital, *scene_.terrain.truth, kind);
  if (overlay_tex_ != 0) glDeleteTextures(1, &overlay_tex_);
  overlay_tex_ = MakeTexture(img.spec.width_px, img.spec.height_px, 4, img.rgba.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  overlay_rect_[0] = static_cast<float>(img.spec.origin_x_m);
  overlay_rect_[1] = static_cast<float>(img.spec.origin_y_m);
  overlay_rect_[2] = static_cast<float>(img.spec.WidthM());
  overlay_rect_[3] = static_cast<float>(img.spec.HeightM());
  overlay_kind_ = static_cast<int>(kind);
}

void Renderer::UploadShapes() {
  const MeshData meshes[4] = {MakeBox(), MakeCylinder(20), MakeSphere(6, 10), MakeSphere(3, 6)};
  for (int s = 0; s < 4; ++s) {
    GpuMesh& g = shapes_[static_cast<std::size_t>(s)];
    glGenVertexArrays(1, &g.vao);
    glBindVertexArray(g.vao);
    g.vbo = MakeArrayBuffer(meshes[s].vertices);
    SetFloatAttribs({{0, 3}, {1, 3}});
    glGenBuffers(1, &g.ebo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ebo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 static_cast<GLsizeiptr>(meshes[s].indices.size() * sizeof(std::uint32_t)),
                 meshes[s].indices.data(), GL_STATIC_DRAW);
    g.index_count = static_cast<GLsizei>(meshes[s].indices.size());
    glBindVertexArray(0);
  }
  // Rocks binned by terrain chunk (culled with it), largest first (small ones are skipped
  // where they would be under a pixel).
  ShapeInstances rocks;
  const std::vector<terrain::Rock>& truth_rocks = scene_.terrain.truth->rocks;
  AddRocks(truth_rocks, scene_.Ground(), rocks);
  const std::vector<Instance>& all = rocks.by_shape[static_cast<int>(Shape::kSphere)];
  std::vector<std::size_t> order(all.size());
  std::vector<int> bin(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    order[i] = i;
    bin[i] = ChunkIndexAt(scene_.lod, kChunkQuads, truth_rocks[i].x_m, truth_rocks[i].y_m);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (bin[a] != bin[b]) return bin[a] < bin[b];
    return truth_rocks[a].diameter_m > truth_rocks[b].diameter_m;
  });
  rock_ranges_.assign(chunks_.size(), {0, 0});
  std::vector<float> data;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    auto& range = rock_ranges_[static_cast<std::size_t>(bin[i])];
    if (range.second == 0) range.first = static_cast<GLint>(k);
    ++range.second;
    AppendInstances({all[i]}, data);
    rock_diameters_.push_back(static_cast<float>(truth_rocks[i].diameter_m));
  }
  rock_instances_ = MakeArrayBuffer(data);
  rock_count_ = static_cast<GLsizei>(all.size());
  stats_.rock_count = all.size();
  rover_instances_ = MakeArrayBuffer({}, GL_STREAM_DRAW);
}

void Renderer::ReloadOverlays() {
  const GLuint buffers[] = {ribbon_vbo_, line_vbo_};
  glDeleteBuffers(2, buffers);
  const GLuint arrays[] = {ribbon_vao_, line_vao_};
  glDeleteVertexArrays(2, arrays);
  ribbon_ranges_ = {};
  line_ranges_ = {};
  UploadRibbons();
  UploadLines();
}

void Renderer::UploadRibbons() {
  std::vector<Ribbon> sorted = scene_.ribbons;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Ribbon& a, const Ribbon& b) { return a.layer < b.layer; });
  std::vector<float> data;
  for (const Ribbon& r : sorted) {
    const std::size_t n = r.points.size();
    const auto layer = static_cast<std::size_t>(r.layer);
    const GLint first = static_cast<GLint>(data.size() / kFlatFloats);
    if (ribbon_ranges_[layer].second == 0) ribbon_ranges_[layer].first = first;
    auto side = [&](std::size_t i) {
      const Vec3f a = r.points[i == 0 ? 0 : i - 1], b = r.points[std::min(i + 1, n - 1)];
      const Vec3f d = Normalize({b.x - a.x, b.y - a.y, 0});
      return Vec3f{-d.y, d.x, 0} * (r.width_m / 2);
    };
    auto vertex = [&](const Vec3f& p, float t) {
      data.insert(data.end(), {p.x, p.y, p.z, r.color.r, r.color.g, r.color.b, r.color.a, t});
    };
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const Vec3f sa = side(i), sb = side(i + 1);
      const Vec3f a = r.points[i], b = r.points[i + 1];
      const float t = r.times_s[i + 1];
      vertex(a + sa, t), vertex(a - sa, t), vertex(b + sb, t);
      vertex(a - sa, t), vertex(b - sb, t), vertex(b + sb, t);
    }
    ribbon_ranges_[layer].second += static_cast<GLsizei>(data.size() / kFlatFloats) - first;
  }
  glGenVertexArrays(1, &ribbon_vao_);
  glBindVertexArray(ribbon_vao_);
  ribbon_vbo_ = MakeArrayBuffer(data);
  SetFloatAttribs({{0, 3}, {1, 4}, {2, 1}});
  glBindVertexArray(0);
}

void Renderer::UploadLines() {
  std::vector<const Polyline*> sorted;
  for (const Polyline& p : scene_.lines) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Polyline* a, const Polyline* b) { return a->layer < b->layer; });
  std::vector<float> data;
  for (const Polyline* p : sorted) {
    const auto layer = static_cast<std::size_t>(p->layer);
    const GLint first = static_cast<GLint>(data.size() / kLineFloats);
    if (line_ranges_[layer].second == 0) line_ranges_[layer].first = first;
    auto vertex = [&](const Vec3f& at, const Vec3f& other, float side) {
      data.insert(data.end(), {at.x, at.y, at.z, other.x, other.y, other.z, side, p->width_px,
                               p->color.r, p->color.g, p->color.b, p->color.a, p->t0_s, p->t1_s});
    };
    for (std::size_t i = 0; i + 1 < p->points.size(); ++i) {
      const Vec3f a = p->points[i], b = p->points[i + 1];
      vertex(a, b, 1), vertex(a, b, -1), vertex(b, a, -1);
      vertex(a, b, -1), vertex(b, a, 1), vertex(b, a, -1);
    }
    line_ranges_[layer].second += static_cast<GLsizei>(data.size() / kLineFloats) - first;
  }
  glGenVertexArrays(1, &line_vao_);
  glBindVertexArray(line_vao_);
  line_vbo_ = MakeArrayBuffer(data);
  SetFloatAttribs({{0, 3}, {1, 3}, {2, 1}, {3, 1}, {4, 4}, {5, 2}});
  glBindVertexArray(0);
}

void Renderer::DrawInstances(int shape, const std::vector<float>& instances, GLuint buffer) {
  if (instances.empty()) return;
  const GpuMesh& m = shapes_[static_cast<std::size_t>(shape)];
  glBindVertexArray(m.vao);
  glBindBuffer(GL_ARRAY_BUFFER, buffer);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(instances.size() * sizeof(float)),
               instances.data(), GL_STREAM_DRAW);
  SetFloatAttribs({{2, 4}, {3, 4}, {4, 4}, {5, 4}, {6, 4}}, 1);
  glDrawElementsInstanced(GL_TRIANGLES, m.index_count, GL_UNSIGNED_INT, nullptr,
                          static_cast<GLsizei>(instances.size() / kInstanceFloats));
}

void Renderer::Draw(const CameraView& camera, const RenderSettings& settings) {
  auto on = [&](Layer l) { return settings.layers[static_cast<std::size_t>(l)]; };
  const Mat4 vp = camera.ViewProj();
  const Vec3f light = LightDir();
  const auto time = static_cast<float>(settings.time_s);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LEQUAL);
  glDisable(GL_CULL_FACE);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  if (camera.orthographic) {
    glClearColor(0.10f, 0.10f, 0.12f, 1.0f);
  } else {
    glClearColor(0.78f, 0.64f, 0.52f, 1.0f);  // a butterscotch Martian sky
  }
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  stats_.chunks_drawn = 0;
  stats_.terrain_triangles = 0;

  if (on(Layer::kTerrain)) {
    if (on(Layer::kOverlay)) SetOverlay(settings.overlay);
    glUseProgram(terrain_program_);
    SetUniform(terrain_program_, "u_vp", vp);
    SetUniform(terrain_program_, "u_light_dir", light.x, light.y, light.z);
    SetUniform(terrain_program_, "u_light_mix", camera.orthographic ? 0.0f : 0.6f);
    SetUniform(terrain_program_, "u_hillshade", settings.hillshade || ortho_tex_ == 0 ? 1 : 0);
    SetUniform(terrain_program_, "u_ortho_rect", ortho_rect_[0], ortho_rect_[1], ortho_rect_[2],
               ortho_rect_[3]);
    SetUniform(terrain_program_, "u_overlay_rect", overlay_rect_[0], overlay_rect_[1],
               overlay_rect_[2], overlay_rect_[3]);
    SetUniform(terrain_program_, "u_overlay_on", on(Layer::kOverlay) ? 1 : 0);
    SetUniform(terrain_program_, "u_ortho", 0);
    SetUniform(terrain_program_, "u_overlay", 1);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, ortho_tex_);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, overlay_tex_);
    glActiveTexture(GL_TEXTURE0);
    const double spacing = scene_.lod.source.resolution_m * scene_.lod.step;
    for (const GpuChunk& c : chunks_) {
      if (Culled(vp, c.chunk.min, c.chunk.max)) continue;
      const Vec3f centre = (c.chunk.min + c.chunk.max) * 0.5f;
      const float radius = Length(c.chunk.max - c.chunk.min) * 0.5f;
      const double dist = std::max(0.1, static_cast<double>(Length(centre - camera.eye) - radius));
      const int level = ChooseLodLevel(spacing, camera.MetresPerPixel(dist));
      const auto l = static_cast<std::size_t>(level);
      glBindVertexArray(c.vao);
      glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, c.ebo[l]);
      glDrawElements(GL_TRIANGLES, c.count[l], GL_UNSIGNED_INT, nullptr);
      ++stats_.chunks_drawn;
      stats_.terrain_triangles += static_cast<std::size_t>(c.count[l] / 3);
    }
  }

  glUseProgram(shape_program_);
  SetUniform(shape_program_, "u_vp", vp);
  SetUniform(shape_program_, "u_light_dir", light.x, light.y, light.z);
  stats_.rocks_drawn = 0;
  if (on(Layer::kRocks) && rock_count_ > 0) {
    glBindBuffer(GL_ARRAY_BUFFER, rock_instances_);
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const auto [first, count] = rock_ranges_[c];
      const TerrainChunk& ch = chunks_[c].chunk;
      if (count == 0 || Culled(vp, ch.min - Vec3f{2, 2, 0}, ch.max + Vec3f{2, 2, 3})) continue;
      const Vec3f centre = (ch.min + ch.max) * 0.5f;
      const float radius = Length(ch.max - ch.min) * 0.5f;
      const double dist = std::max(0.1, static_cast<double>(Length(centre - camera.eye) - radius));
      const auto min_diameter = static_cast<float>(camera.MetresPerPixel(dist));
      const auto begin = rock_diameters_.begin() + first;
      const auto visible = static_cast<GLsizei>(
          std::upper_bound(begin, begin + count, min_diameter, std::greater<float>()) - begin);
      if (visible == 0) continue;
      // Rocks over ~12 px get the fine sphere, the others the coarse one.
      const auto fine = static_cast<GLsizei>(
          std::upper_bound(begin, begin + visible, 12 * min_diameter, std::greater<float>()) -
          begin);
      const std::pair<GLsizei, GLsizei> parts[2] = {{0, fine}, {fine, visible - fine}};
      for (int k = 0; k < 2; ++k) {
        if (parts[k].second == 0) continue;
        const GpuMesh& mesh = shapes_[k == 0 ? 2u : 3u];
        glBindVertexArray(mesh.vao);
        SetFloatAttribs({{2, 4}, {3, 4}, {4, 4}, {5, 4}, {6, 4}}, 1,
                        static_cast<std::size_t>(first + parts[k].first) * kInstanceFloats);
        glDrawElementsInstanced(GL_TRIANGLES, mesh.index_count, GL_UNSIGNED_INT, nullptr,
                                parts[k].second);
      }
      stats_.rocks_drawn += static_cast<std::size_t>(visible);
    }
  }

  // Tracks before the rover, so that the rover hides the ground beneath it.
  glUseProgram(flat_program_);
  SetUniform(flat_program_, "u_vp", vp);
  SetUniform(flat_program_, "u_time", time);
  SetUniform(flat_program_, "u_depth_bias", camera.orthographic ? 0.0f : 2e-5f);
  glBindVertexArray(ribbon_vao_);
  for (Layer l : {Layer::kTracks, Layer::kCompare}) {
    const auto& range = ribbon_ranges_[static_cast<std::size_t>(l)];
    if (on(l) && range.second > 0) glDrawArrays(GL_TRIANGLES, range.first, range.second);
  }

  if (on(Layer::kRover)) {
    ShapeInstances rover;
    AddRover(scene_.spec, CalcRoverPose(scene_.spec, SampleAt(scene_.run.telemetry, time)), rover);
    if (scene_.compare && on(Layer::kCompare)) {
      AddRover(scene_.spec, CalcRoverPose(scene_.spec, SampleAt(scene_.compare->telemetry, time)),
               rover, {1.0f, 0.75f, 0.55f, 1.0f});
    }
    glUseProgram(shape_program_);
    for (int s = 0; s < kShapeCount; ++s) {
      std::vector<float> data;
      AppendInstances(rover.by_shape[s], data);
      DrawInstances(s, data, rover_instances_);
    }
  }

  glUseProgram(line_program_);
  SetUniform(line_program_, "u_vp", vp);
  SetUniform(line_program_, "u_viewport", static_cast<float>(camera.width_px),
             static_cast<float>(camera.height_px));
  SetUniform(line_program_, "u_time", time);
  SetUniform(line_program_, "u_depth_bias", camera.orthographic ? 0.0f : 1e-4f);
  SetUniform(line_program_, "u_width_scale", settings.line_width_scale);
  glBindVertexArray(line_vao_);
  for (int l = 0; l < kLayerCount; ++l) {
    const auto& range = line_ranges_[static_cast<std::size_t>(l)];
    if (settings.layers[static_cast<std::size_t>(l)] && range.second > 0)
      glDrawArrays(GL_TRIANGLES, range.first, range.second);
  }
  glBindVertexArray(0);
}

}  // namespace marsdrive::viewer

#include "viewer/terrain_lod.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace marsdrive::viewer {

int LodGrid::SourceCol(int c) const { return std::min(c * step, source.width_px - 1); }
int LodGrid::SourceRow(int r) const { return std::min(r * step, source.height_px - 1); }

Vec3f LodGrid::Post(int c, int r) const {
  return {static_cast<float>(source.CellCenterX(SourceCol(c))),
          static_cast<float>(source.CellCenterY(SourceRow(r))),
          heights_m[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                    static_cast<std::size_t>(c)]};
}

namespace {

// Post index below continuous source coordinate `f` and the fraction towards the next post.
void Locate(double f, int step, int posts, int source_size, int& i, double& t) {
  f = std::clamp(f, 0.0, static_cast<double>(source_size - 1));
  i = std::min(static_cast<int>(f / step), posts - 2);
  if (i < 0) {
    i = 0;
    t = 0;
    return;
  }
  const double a = i * step;
  const double b = std::min((i + 1) * step, source_size - 1);
  t = b > a ? (f - a) / (b - a) : 0.0;
}

}  // namespace

double LodGrid::HeightAt(double x_m, double y_m) const {
  if (cols < 2 || rows < 2) return heights_m.empty() ? 0.0 : heights_m[0];
  int c = 0, r = 0;
  double tx = 0, ty = 0;
  Locate(source.ColF(x_m), step, cols, source.width_px, c, tx);
  Locate(source.RowF(y_m), step, rows, source.height_px, r, ty);
  auto h = [&](int cc, int rr) {
    return static_cast<double>(
        heights_m[static_cast<std::size_t>(rr) * static_cast<std::size_t>(cols) +
                  static_cast<std::size_t>(cc)]);
  };
  const double h0 = h(c, r) * (1 - tx) + h(c + 1, r) * tx;
  const double h1 = h(c, r + 1) * (1 - tx) + h(c + 1, r + 1) * tx;
  return h0 * (1 - ty) + h1 * ty;
}

LodGrid MakeLodGrid(const terrain::HeightMap& dem, int max_vertices) {
  LodGrid g;
  g.source = dem.spec();
  const int w = g.source.width_px, h = g.source.height_px;
  auto posts = [](int size, int step) { return (size - 1 + step - 1) / step + 1; };
  g.step = 1;
  while (static_cast<long long>(posts(w, g.step)) * posts(h, g.step) > max_vertices) ++g.step;
  g.cols = posts(w, g.step);
  g.rows = posts(h, g.step);
  g.heights_m.resize(static_cast<std::size_t>(g.cols) * static_cast<std::size_t>(g.rows));
  float lo = std::numeric_limits<float>::infinity();
  float hi = -lo;
  for (float v : dem.heights_m.Values()) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) lo = hi = 0;
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const int sc = g.SourceCol(c), sr = g.SourceRow(r);
      float v = dem.heights_m(sc, sr);
      if (!std::isfinite(v) || (dem.HasMask() && dem.valid(sc, sr) == 0)) v = lo;
      g.heights_m[static_cast<std::size_t>(r) * static_cast<std::size_t>(g.cols) +
                  static_cast<std::size_t>(c)] = v;
    }
  }
  g.min_z_m = lo;
  g.max_z_m = hi;
  return g;
}

std::vector<TerrainChunk> MakeChunks(const LodGrid& grid, int chunk_quads) {
  std::vector<TerrainChunk> chunks;
  for (int r0 = 0; r0 < grid.rows - 1; r0 += chunk_quads) {
    for (int c0 = 0; c0 < grid.cols - 1; c0 += chunk_quads) {
      TerrainChunk ch;
      ch.col0 = c0;
      ch.row0 = r0;
      ch.cols = std::min(chunk_quads, grid.cols - 1 - c0) + 1;
      ch.rows = std::min(chunk_quads, grid.rows - 1 - r0) + 1;
      float lo = std::numeric_limits<float>::infinity(), hi = -lo;
      for (int r = r0; r < r0 + ch.rows; ++r) {
        for (int c = c0; c < c0 + ch.cols; ++c) {
          const float z = grid.Post(c, r).z;
          lo = std::min(lo, z), hi = std::max(hi, z);
        }
      }
      const Vec3f a = grid.Post(c0, r0), b = grid.Post(c0 + ch.cols - 1, r0 + ch.rows - 1);
      ch.min = {a.x, a.y, lo};
      ch.max = {b.x, b.y, hi};
      chunks.push_back(ch);
    }
  }
  return chunks;
}

int ChunkIndexAt(const LodGrid& grid, int chunk_quads, double x_m, double y_m) {
  const int chunks_x = (grid.cols - 2) / chunk_quads + 1;
  const int chunks_y = (grid.rows - 2) / chunk_quads + 1;
  const double span = grid.source.resolution_m * grid.step * chunk_quads;
  const Vec3f origin = grid.Post(0, 0);
  const int cx = std::clamp(static_cast<int>(std::floor((x_m - origin.x) / span)), 0, chunks_x - 1);
  const int cy = std::clamp(static_cast<int>(std::floor((y_m - origin.y) / span)), 0, chunks_y - 1);
  return cy * chunks_x + cx;
}

namespace {

// Indices of the posts used at stride s along a run of n posts: 0, s, 2s, ..., n - 1.
std::vector<int> StridedPosts(int n, int s) {
  std::vector<int> out;
  for (int i = 0; i < n - 1; i += s) out.push_back(i);
  out.push_back(n - 1);
  return out;
}

}  // namespace

ChunkMesh BuildChunkMesh(const LodGrid& grid, const TerrainChunk& ch) {
  ChunkMesh mesh;
  const int n = ch.cols * ch.rows;
  auto post = [&](int c, int r) {
    return grid.Post(std::clamp(c, 0, grid.cols - 1), std::clamp(r, 0, grid.rows - 1));
  };
  auto push = [&](const Vec3f& p, const Vec3f& nrm) {
    mesh.vertices.insert(mesh.vertices.end(), {p.x, p.y, p.z, nrm.x, nrm.y, nrm.z});
  };
  std::vector<Vec3f> normals(static_cast<std::size_t>(n));
  for (int r = 0; r < ch.rows; ++r) {
    for (int c = 0; c < ch.cols; ++c) {
      const int gc = ch.col0 + c, gr = ch.row0 + r;
      const Vec3f dx = post(gc + 1, gr) - post(gc - 1, gr);
      const Vec3f dy = post(gc, gr + 1) - post(gc, gr - 1);
      const Vec3f nrm = Normalize(Cross(dx, dy));
      normals[static_cast<std::size_t>(r * ch.cols + c)] = nrm;
      push(post(gc, gr), nrm);
    }
  }
  // Skirts: one bottom vertex under every edge post, deep enough to cover the largest gap.
  const float depth =
      (ch.max.z - ch.min.z) * 0.25f + static_cast<float>(grid.source.resolution_m * grid.step * 8);
  std::vector<int> skirt_of(static_cast<std::size_t>(n), -1);
  int next = n;
  for (int r = 0; r < ch.rows; ++r) {
    for (int c = 0; c < ch.cols; ++c) {
      if (r != 0 && c != 0 && r != ch.rows - 1 && c != ch.cols - 1) continue;
      const auto i = static_cast<std::size_t>(r * ch.cols + c);
      skirt_of[i] = next++;
      push(post(ch.col0 + c, ch.row0 + r) - Vec3f{0, 0, depth}, normals[i]);
    }
  }
  auto id = [&](int c, int r) { return static_cast<std::uint32_t>(r * ch.cols + c); };
  for (int level = 0; level < kLodLevels; ++level) {
    std::vector<std::uint32_t>& idx = mesh.indices[static_cast<std::size_t>(level)];
    const std::vector<int> cs = StridedPosts(ch.cols, 1 << level);
    const std::vector<int> rs = StridedPosts(ch.rows, 1 << level);
    for (std::size_t j = 0; j + 1 < rs.size(); ++j) {
      for (std::size_t i = 0; i + 1 < cs.size(); ++i) {
        const std::uint32_t a = id(cs[i], rs[j]), b = id(cs[i + 1], rs[j]);
        const std::uint32_t c = id(cs[i + 1], rs[j + 1]), d = id(cs[i], rs[j + 1]);
        idx.insert(idx.end(), {a, b, c, a, c, d});
      }
    }
    // Skirt quads along the four edges (two-sided drawing: winding does not matter).
    auto skirt = [&](std::uint32_t p, std::uint32_t q) {
      const auto sp = static_cast<std::uint32_t>(skirt_of[p]);
      const auto sq = static_cast<std::uint32_t>(skirt_of[q]);
      idx.insert(idx.end(), {p, q, sq, p, sq, sp});
    };
    for (std::size_t i = 0; i + 1 < cs.size(); ++i) {
      skirt(id(cs[i], 0), id(cs[i + 1], 0));
      skirt(id(cs[i], ch.rows - 1), id(cs[i + 1], ch.rows - 1));
    }
    for (std::size_t j = 0; j + 1 < rs.size(); ++j) {
      skirt(id(0, rs[j]), id(0, rs[j + 1]));
      skirt(id(ch.cols - 1, rs[j]), id(ch.cols - 1, rs[j + 1]));
    }
  }
  return mesh;
}

int ChooseLodLevel(double post_spacing_m, double metres_per_pixel) {
  if (!(post_spacing_m > 0) || !(metres_per_pixel > 0)) return 0;
  const double ratio = 2.0 * metres_per_pixel / post_spacing_m;
  if (ratio < 2) return 0;
  return std::clamp(static_cast<int>(std::floor(std::log2(ratio))), 0, kLodLevels - 1);
}

}  // namespace marsdrive::viewer

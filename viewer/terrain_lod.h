#pragma once
// Terrain level of detail, without OpenGL. A large height map is first decimated to a grid of
// at most `max_vertices` posts (LodGrid), then cut into square chunks; each chunk has index
// lists for kLodLevels strides (1, 2, 4, 8 posts) and skirts hiding the cracks between chunks
// drawn at different levels. The renderer picks a level per chunk from its size on screen.

#include <array>
#include <cstdint>
#include <vector>

#include "terrain/height_map.h"
#include "viewer/math3d.h"

namespace marsdrive::viewer {

inline constexpr int kLodLevels = 4;

struct LodGrid {
  terrain::GridSpec source;      // the full-resolution grid
  int step = 1;                  // posts are every `step` source cells (the last row/column kept)
  int cols = 0, rows = 0;        // posts along x and y
  std::vector<float> heights_m;  // cols * rows, row 0 south; nodata filled with the minimum
  float min_z_m = 0, max_z_m = 0;

  int SourceCol(int c) const;  // the source cell of post column c
  int SourceRow(int r) const;
  Vec3f Post(int c, int r) const;  // map position of a post (its source cell's centre)
  // Height of the drawn surface at (x, y): bilinear between posts, clamped at the edges.
  double HeightAt(double x_m, double y_m) const;
  std::size_t VertexCount() const { return heights_m.size(); }
};

// Decimates with the smallest step whose grid has at most max_vertices posts.
LodGrid MakeLodGrid(const terrain::HeightMap& dem, int max_vertices);

struct TerrainChunk {
  int col0 = 0, row0 = 0;  // first post
  int cols = 0, rows = 0;  // posts (a chunk shares its last row / column with its neighbour)
  Vec3f min, max;          // bounding box, map frame
};
std::vector<TerrainChunk> MakeChunks(const LodGrid& grid, int chunk_quads);

// The index in MakeChunks(grid, chunk_quads) of the chunk holding map point (x, y) (clamped to
// the grid), so that objects on the ground can be drawn with their chunk.
int ChunkIndexAt(const LodGrid& grid, int chunk_quads, double x_m, double y_m);

struct ChunkMesh {
  std::vector<float> vertices;  // x, y, z, nx, ny, nz per vertex: posts, then skirt bottoms
  std::array<std::vector<std::uint32_t>, kLodLevels> indices;  // triangles per level
};
ChunkMesh BuildChunkMesh(const LodGrid& grid, const TerrainChunk& chunk);

// The coarsest level whose post spacing stays within ~2 screen pixels.
int ChooseLodLevel(double post_spacing_m, double metres_per_pixel);

}  // namespace marsdrive::viewer

// terrain.json (terrain/truth/terrain_dir.h, terrain/orbital_dir.h): a tiny generated terrain
// directory whose terrain.json is replaced by the input, loaded as the drive does
// (LoadTerrainDir: ground truth) and as a planner does (LoadOrbitalProducts).

#include "terrain/orbital.h"
#include "terrain/orbital_dir.h"
#include "terrain/truth/generate.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_dir.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

std::filesystem::path MakeTerrainDir() {
  using namespace marsdrive::terrain;
  GenerateRequest request;
  request.preset = "flat";
  request.size_x_m = request.size_y_m = 8;
  request.resolution_m = 0.5;
  const TerrainTruth truth = GenerateTerrain(request);
  OrbitalParams params;
  params.resolution_m = 1;
  params.ortho_resolution_m = 0.5;
  const std::filesystem::path dir = marsdrive::fuzz::ScratchDir() / "terrain";
  WriteTerrainDir(dir, truth, MakeOrbitalProducts(truth, params));
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive;
  static const std::filesystem::path dir = MakeTerrainDir();
  fuzz::WriteFile(dir / "terrain.json", data, size);
  fuzz::AcceptInputError([&] { (void)terrain::LoadTerrainDir(dir); });
  fuzz::AcceptInputError([&] { (void)terrain::LoadOrbitalProducts(dir); });
  return 0;
}

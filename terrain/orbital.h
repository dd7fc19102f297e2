#pragma once
// Orbital products: everything a ground planner is allowed to see (ARCHITECTURE "two views of
// the terrain"). Built from TerrainTruth by MakeOrbitalProducts(), then held as a separate type
// with no path back to the truth, so a planner cannot read ground truth by accident.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "terrain/height_map.h"
#include "terrain/rocks.h"

namespace marsdrive::terrain {

struct OrbitalParams {
  double resolution_m = 1.0;         // HiRISE DTM post spacing (terrain.md §7: typically 1 m)
  double ortho_resolution_m = 0.25;  // HiRISE orthoimage, product code A (terrain.md §7)
  double rock_detect_diameter_m = kOrbitalRockDetectionDiameterM;  // terrain.md §2
  // Rover footprint over which layers are evaluated: ~3.0 m x 2.7 m (rover.md §1); a disc of
  // this diameter covers it whatever the heading.
  double footprint_diameter_m = 3.0;
  // Traversability limits (rover.md; flight practice): lethal beyond these.
  double max_slope_deg = 30.0;      // drivers avoid > 30 deg tilt (terrain.md §1)
  double max_step_m = 0.35;         // EST: below the 0.56 m clearance with margin (rover.md §3)
  double max_rock_height_m = 0.35;  // visible rocks taller than this are lethal
  // Predicted slip in sand for the cost map, a linear fit in slope (EST: the simulator's own
  // sand measured up its slope preset, docs/vehicle-physics.md §5: 16 % flat, 41 % on 10 deg,
  // 58 % on 15 deg), as rover teams predict slip from orbital terrain class and slope.
  double sand_slip_flat = 0.16;
  double sand_slip_per_deg = 0.028;
  double sun_azimuth_deg = 315.0;  // hillshade light from the north-west (clockwise from north)
  double sun_elevation_deg = 35.0;
};

// An 8-bit RGB image, row 0 at the NORTH (image convention), ortho_resolution_m per pixel.
struct OrthoImage {
  int width_px = 0;
  int height_px = 0;
  double resolution_m = 0;
  double origin_x_m = 0, origin_y_m = 0;  // map coordinates of the image's SW corner
  std::vector<std::uint8_t> rgb;          // width * height * 3, row-major from the north
};

struct OrbitalProducts {
  OrbitalParams params;
  Georeference georef;
  Grid<float> dem_m;                // orbital DEM: truth + visible rocks, area-averaged
  Grid<float> slope_deg;            // max slope over the footprint plane fit
  Grid<float> roughness_m;          // RMS residual of the footprint plane fit
  Grid<float> step_m;               // largest step within the footprint: for each pair of
                                    // 8-neighbouring posts, their height difference minus the
                                    // local gradient just outside them (so a uniform slope is 0
                                    // and a vertical step counts in full)
  Grid<float> rock_hazard;          // [0, 1]: fraction of the footprint covered by visible rocks
  Grid<float> sand;                 // [0, 1]: fraction of the footprint classified as sand: an
                                    // orbital terrain classification of the imagery (SPOC-like;
                                    // EST: exact at the orbital resolution)
  Grid<std::uint8_t> traversable;   // 1 = traversable, 0 = lethal
  Grid<float> cost;                 // >= 1 per metre travelled; +inf where not traversable
  std::vector<Rock> visible_rocks;  // rocks >= rock_detect_diameter_m (an orbital rock count)
  OrthoImage ortho;

  const GridSpec& spec() const { return dem_m.spec(); }
};

}  // namespace marsdrive::terrain

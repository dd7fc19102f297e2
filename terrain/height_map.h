#pragma once
// Height maps: a grid of float heights (metres, z up) in the map frame, with an optional
// nodata mask and georeference, and bilinear height / normal queries.

#include <cstdint>
#include <limits>
#include <string>

#include "terrain/grid.h"

namespace marsdrive::terrain {

// How the map frame relates to a coordinate reference system. marsdrive's map frame is a local
// ENU frame in metres; a georeferenced DEM's projected CRS coordinates are the map coordinates
// plus a constant offset (kept small so single-precision physics stays accurate).
struct Georeference {
  std::string crs_wkt;        // OGC WKT of the projected CRS; empty when not georeferenced
  double crs_offset_x_m = 0;  // CRS easting of the map origin (0, 0)
  double crs_offset_y_m = 0;  // CRS northing of the map origin (0, 0)
  bool empty() const { return crs_wkt.empty(); }
  bool operator==(const Georeference&) const = default;
};

// GDAL geotransform (row 0 at the north edge) of a grid in a georeferenced map frame.
struct GeoTransform {
  double c[6] = {0, 1, 0, 0, 0, -1};
};
GeoTransform MakeGeoTransform(const GridSpec& spec, const Georeference& georef);

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

// A read-only, non-owning height map window: cheap to copy, used for every query.
class HeightMapView {
 public:
  HeightMapView() = default;
  // valid: empty (spec().width_px == 0) means every cell is valid; else 1 = valid, 0 = nodata.
  HeightMapView(GridView<float> heights_m, GridView<std::uint8_t> valid)
      : heights_m_(heights_m), valid_(valid) {}

  const GridSpec& spec() const { return heights_m_.spec(); }
  const GridView<float>& heights_m() const { return heights_m_; }
  bool HasMask() const { return valid_.width_px() > 0; }
  bool IsValid(int col, int row) const { return !HasMask() || valid_(col, row) != 0; }

  // Bilinear height between cell centres at map point (x, y); clamped to the outermost cell
  // centres at the edges. NaN where any contributing cell is nodata.
  double HeightAt(double x_m, double y_m) const;
  // Upward unit normal of the bilinear surface at (x, y), from its analytic gradient.
  Vec3 NormalAt(double x_m, double y_m) const;
  // Cheap sub-window view, in cell coordinates of this view.
  HeightMapView Window(int col0, int row0, int w, int h) const;

 private:
  GridView<float> heights_m_;
  GridView<std::uint8_t> valid_;
};

// An owning height map.
struct HeightMap {
  Grid<float> heights_m;     // metres above the datum (the areoid for real DEMs)
  Grid<std::uint8_t> valid;  // empty: all valid; else same spec, 1 = valid, 0 = nodata
  Georeference georef;

  HeightMap() = default;
  explicit HeightMap(GridSpec spec, float fill_m = 0.0f) : heights_m(spec, fill_m) {}

  const GridSpec& spec() const { return heights_m.spec(); }
  bool HasMask() const { return !valid.empty(); }
  HeightMapView View() const {
    return {heights_m.View(), HasMask() ? valid.View() : GridView<std::uint8_t>{}};
  }
  double HeightAt(double x_m, double y_m) const { return View().HeightAt(x_m, y_m); }
  Vec3 NormalAt(double x_m, double y_m) const { return View().NormalAt(x_m, y_m); }
  HeightMapView Window(int col0, int row0, int w, int h) const {
    return View().Window(col0, row0, w, h);
  }
};

}  // namespace marsdrive::terrain

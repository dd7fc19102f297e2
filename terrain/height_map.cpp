#include "terrain/height_map.h"

#include <algorithm>
#include <cmath>

namespace marsdrive::terrain {

GeoTransform MakeGeoTransform(const GridSpec& spec, const Georeference& georef) {
  GeoTransform gt;
  gt.c[0] = georef.crs_offset_x_m + spec.origin_x_m;
  gt.c[1] = spec.resolution_m;
  gt.c[2] = 0.0;
  gt.c[3] = georef.crs_offset_y_m + spec.MaxY();
  gt.c[4] = 0.0;
  gt.c[5] = -spec.resolution_m;
  return gt;
}

namespace {

// The four cells around continuous cell coordinates (u, v) and the bilinear weights,
// clamped so that queries outside the outermost cell centres extrapolate flat.
struct Bilinear {
  int c0, c1, r0, r1;
  double fu, fv;
};

Bilinear Locate(const GridSpec& spec, double x_m, double y_m) {
  const double u = std::clamp(spec.ColF(x_m), 0.0, static_cast<double>(spec.width_px - 1));
  const double v = std::clamp(spec.RowF(y_m), 0.0, static_cast<double>(spec.height_px - 1));
  Bilinear b;
  b.c0 = std::min(static_cast<int>(u), spec.width_px - 1);
  b.r0 = std::min(static_cast<int>(v), spec.height_px - 1);
  b.c1 = std::min(b.c0 + 1, spec.width_px - 1);
  b.r1 = std::min(b.r0 + 1, spec.height_px - 1);
  b.fu = u - b.c0;
  b.fv = v - b.r0;
  return b;
}

}  // namespace

double HeightMapView::HeightAt(double x_m, double y_m) const {
  MD_DEMAND(spec().width_px > 0 && spec().height_px > 0);
  const Bilinear b = Locate(spec(), x_m, y_m);
  if (!IsValid(b.c0, b.r0) || !IsValid(b.c1, b.r0) || !IsValid(b.c0, b.r1) ||
      !IsValid(b.c1, b.r1)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double h00 = heights_m_(b.c0, b.r0), h10 = heights_m_(b.c1, b.r0);
  const double h01 = heights_m_(b.c0, b.r1), h11 = heights_m_(b.c1, b.r1);
  const double south = h00 + (h10 - h00) * b.fu;
  const double north = h01 + (h11 - h01) * b.fu;
  return south + (north - south) * b.fv;
}

Vec3 HeightMapView::NormalAt(double x_m, double y_m) const {
  MD_DEMAND(spec().width_px > 0 && spec().height_px > 0);
  const Bilinear b = Locate(spec(), x_m, y_m);
  const double h00 = heights_m_(b.c0, b.r0), h10 = heights_m_(b.c1, b.r0);
  const double h01 = heights_m_(b.c0, b.r1), h11 = heights_m_(b.c1, b.r1);
  const double res = spec().resolution_m;
  // Partial derivatives of the bilinear patch; a degenerate (1-cell) axis has zero slope.
  const double dzdx = b.c1 == b.c0 ? 0.0 : ((h10 - h00) * (1 - b.fv) + (h11 - h01) * b.fv) / res;
  const double dzdy = b.r1 == b.r0 ? 0.0 : ((h01 - h00) * (1 - b.fu) + (h11 - h10) * b.fu) / res;
  const double norm = std::sqrt(dzdx * dzdx + dzdy * dzdy + 1.0);
  return {-dzdx / norm, -dzdy / norm, 1.0 / norm};
}

HeightMapView HeightMapView::Window(int col0, int row0, int w, int h) const {
  return {heights_m_.Window(col0, row0, w, h),
          HasMask() ? valid_.Window(col0, row0, w, h) : GridView<std::uint8_t>{}};
}

}  // namespace marsdrive::terrain

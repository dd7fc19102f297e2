// Height map value type: cell geometry, bilinear queries, normals, windows and the nodata mask.
#include <cmath>

#include <gtest/gtest.h>

#include "terrain/height_map.h"

namespace marsdrive::terrain {
namespace {

// A plane z = a x + b y + c sampled at cell centres.
HeightMap MakePlane(GridSpec spec, double a, double b, double c) {
  HeightMap map(spec);
  for (int row = 0; row < spec.height_px; ++row) {
    for (int col = 0; col < spec.width_px; ++col) {
      map.heights_m(col, row) =
          static_cast<float>(a * spec.CellCenterX(col) + b * spec.CellCenterY(row) + c);
    }
  }
  return map;
}

TEST(GridSpec, CellCentresAndIndexingFollowTheMapFrame) {
  const GridSpec spec{4, 3, 0.5, 10.0, 20.0};
  EXPECT_DOUBLE_EQ(spec.CellCenterX(0), 10.25);
  EXPECT_DOUBLE_EQ(spec.CellCenterY(2), 21.25);  // row 2 is the northernmost
  EXPECT_EQ(spec.ColOf(10.49), 0);
  EXPECT_EQ(spec.ColOf(10.5), 1);
  EXPECT_EQ(spec.RowOf(19.99), -1);
  EXPECT_DOUBLE_EQ(spec.MaxX(), 12.0);
  EXPECT_DOUBLE_EQ(spec.MaxY(), 21.5);
  EXPECT_EQ(spec.Index(3, 2), 11u);
  EXPECT_TRUE(spec.Contains(12.0, 21.5));
  EXPECT_FALSE(spec.Contains(12.01, 21.0));
}

TEST(HeightMap, BilinearReproducesAPlaneBetweenCellCentres) {
  const HeightMap plane = MakePlane({20, 10, 0.25, 0, 0}, 0.3, -0.1, 2.0);
  for (double x : {0.2, 1.1, 2.37, 4.6}) {
    for (double y : {0.2, 0.9, 2.3}) {
      SCOPED_TRACE(x * 100 + y);
      EXPECT_NEAR(plane.HeightAt(x, y), 0.3 * x - 0.1 * y + 2.0, 1e-5);
    }
  }
}

TEST(HeightMap, QueriesOutsideTheCellCentresClampToTheEdge) {
  const HeightMap plane = MakePlane({10, 10, 1.0, 0, 0}, 1.0, 0.0, 0.0);
  EXPECT_NEAR(plane.HeightAt(-5.0, 5.0), 0.5, 1e-6);  // first cell centre at x = 0.5
  EXPECT_NEAR(plane.HeightAt(50.0, 5.0), 9.5, 1e-6);  // last at x = 9.5
}

TEST(HeightMap, NormalOfATiltedPlaneIsAnalytic) {
  const double slope = std::tan(20.0 * M_PI / 180.0);
  const HeightMap plane = MakePlane({30, 30, 0.1, 0, 0}, slope, 0.0, 0.0);
  const Vec3 n = plane.NormalAt(1.33, 1.71);
  EXPECT_NEAR(n.x, -std::sin(20.0 * M_PI / 180.0), 1e-5);
  EXPECT_NEAR(n.y, 0.0, 1e-9);
  EXPECT_NEAR(n.z, std::cos(20.0 * M_PI / 180.0), 1e-5);
  // Control: a flat map's normal is straight up, so the check above can fail.
  const Vec3 up = MakePlane({30, 30, 0.1, 0, 0}, 0, 0, 1).NormalAt(1.33, 1.71);
  EXPECT_DOUBLE_EQ(up.z, 1.0);
}

TEST(HeightMap, WindowSharesStorageAndKeepsMapCoordinates) {
  HeightMap plane = MakePlane({40, 40, 0.5, 0, 0}, 0.2, 0.7, 0.0);
  const HeightMapView window = plane.Window(10, 20, 5, 4);
  EXPECT_EQ(window.spec().width_px, 5);
  EXPECT_DOUBLE_EQ(window.spec().origin_x_m, 5.0);
  EXPECT_DOUBLE_EQ(window.spec().origin_y_m, 10.0);
  EXPECT_NEAR(window.HeightAt(6.0, 11.0), plane.HeightAt(6.0, 11.0), 1e-6);
  plane.heights_m(12, 21) = 99.0f;  // a view, not a copy
  EXPECT_EQ(window.heights_m()(2, 1), 99.0f);
  const HeightMapView inner = window.Window(1, 1, 2, 2);
  EXPECT_EQ(inner.heights_m()(1, 0), 99.0f);
}

TEST(HeightMap, NodataCellsMakeHeightQueriesNaN) {
  HeightMap plane = MakePlane({10, 10, 1.0, 0, 0}, 0, 0, 3.0);
  EXPECT_FALSE(std::isnan(plane.HeightAt(4.7, 4.7)));
  plane.valid = Grid<std::uint8_t>(plane.spec(), 1);
  plane.valid(4, 4) = 0;
  EXPECT_TRUE(std::isnan(plane.HeightAt(4.7, 4.7)));   // cell (4,4) contributes
  EXPECT_FALSE(std::isnan(plane.HeightAt(7.5, 7.5)));  // far from it
}

TEST(GeoTransform, PutsRowZeroAtTheNorthEdgeWithTheCrsOffset) {
  const GridSpec spec{100, 50, 2.0, 0, 0};
  Georeference georef{"WKT", 1000.0, -500.0};
  const GeoTransform gt = MakeGeoTransform(spec, georef);
  EXPECT_DOUBLE_EQ(gt.c[0], 1000.0);
  EXPECT_DOUBLE_EQ(gt.c[3], -500.0 + 100.0);
  EXPECT_DOUBLE_EQ(gt.c[1], 2.0);
  EXPECT_DOUBLE_EQ(gt.c[5], -2.0);
}

}  // namespace
}  // namespace marsdrive::terrain

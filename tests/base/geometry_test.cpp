// base::PointInPolygon: inside, outside, the half-open boundary convention (left and bottom
// edges inside, right and top outside), a concave polygon, vertex order and degenerate input.

#include "base/geometry.h"

#include <array>
#include <vector>

#include <gtest/gtest.h>

namespace marsdrive::base {
namespace {

using Polygon = std::vector<std::array<double, 2>>;

const Polygon kSquare = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};  // counter-clockwise

TEST(PointInPolygon, InsideAndOutsideASquare) {
  EXPECT_TRUE(PointInPolygon(kSquare, 0.5, 0.5));
  EXPECT_TRUE(PointInPolygon(kSquare, 0.01, 0.99));
  EXPECT_FALSE(PointInPolygon(kSquare, 1.5, 0.5));
  EXPECT_FALSE(PointInPolygon(kSquare, -0.5, 0.5));
  EXPECT_FALSE(PointInPolygon(kSquare, 0.5, 1.5));
  EXPECT_FALSE(PointInPolygon(kSquare, 0.5, -0.5));
  EXPECT_FALSE(PointInPolygon(kSquare, 2.0, 2.0));
}

TEST(PointInPolygon, EdgesFollowTheHalfOpenConvention) {
  EXPECT_TRUE(PointInPolygon(kSquare, 0.0, 0.5));   // left edge
  EXPECT_TRUE(PointInPolygon(kSquare, 0.5, 0.0));   // bottom edge
  EXPECT_FALSE(PointInPolygon(kSquare, 1.0, 0.5));  // right edge
  EXPECT_FALSE(PointInPolygon(kSquare, 0.5, 1.0));  // top edge
}

TEST(PointInPolygon, VerticesFollowTheHalfOpenConvention) {
  EXPECT_TRUE(PointInPolygon(kSquare, 0.0, 0.0));
  EXPECT_FALSE(PointInPolygon(kSquare, 1.0, 0.0));
  EXPECT_FALSE(PointInPolygon(kSquare, 1.0, 1.0));
  EXPECT_FALSE(PointInPolygon(kSquare, 0.0, 1.0));
}

TEST(PointInPolygon, ASharedEdgeBelongsToExactlyOneOfTwoNeighbours) {
  const Polygon right = {{1, 0}, {2, 0}, {2, 1}, {1, 1}};
  for (double y : {0.0, 0.25, 0.5, 0.75}) {
    SCOPED_TRACE(y);
    EXPECT_NE(PointInPolygon(kSquare, 1.0, y), PointInPolygon(right, 1.0, y));
  }
}

TEST(PointInPolygon, VertexOrderDoesNotMatter) {
  const Polygon clockwise(kSquare.rbegin(), kSquare.rend());
  for (double x = -0.25; x <= 1.25; x += 0.125) {
    for (double y = -0.25; y <= 1.25; y += 0.125) {
      SCOPED_TRACE(testing::Message() << x << ", " << y);
      EXPECT_EQ(PointInPolygon(clockwise, x, y), PointInPolygon(kSquare, x, y));
    }
  }
}

TEST(PointInPolygon, ConcavePolygonExcludesItsNotch) {
  // A "U": 3 x 3 with the notch [1, 2] x [1, 3] cut from the top.
  const Polygon u = {{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}};
  EXPECT_TRUE(PointInPolygon(u, 0.5, 2.5));   // left arm
  EXPECT_TRUE(PointInPolygon(u, 2.5, 2.5));   // right arm
  EXPECT_TRUE(PointInPolygon(u, 1.5, 0.5));   // base
  EXPECT_FALSE(PointInPolygon(u, 1.5, 2.0));  // notch
  EXPECT_FALSE(PointInPolygon(u, 1.5, 1.5));  // notch
  // A ray from the notch crosses the right arm twice: still outside. Control: the same height
  // in the arm is inside.
  EXPECT_FALSE(PointInPolygon(u, 1.9, 2.0));
  EXPECT_TRUE(PointInPolygon(u, 2.1, 2.0));
}

TEST(PointInPolygon, FewerThanThreeVerticesEncloseNothing) {
  EXPECT_FALSE(PointInPolygon(Polygon{}, 0, 0));
  EXPECT_FALSE(PointInPolygon(Polygon{{0, 0}}, 0, 0));
  EXPECT_FALSE(PointInPolygon(Polygon{{0, 0}, {1, 1}}, 0.5, 0.5));
}

TEST(SegmentEntersPolygon, CrossingTouchingAndMissing) {
  // Both ends outside, straight through the square: enters. Control: the same line shifted
  // past the square misses it.
  EXPECT_TRUE(SegmentEntersPolygon(kSquare, {-1, 0.5}, {2, 0.5}));
  EXPECT_FALSE(SegmentEntersPolygon(kSquare, {-1, 1.5}, {2, 1.5}));
  EXPECT_TRUE(SegmentEntersPolygon(kSquare, {0.5, 0.5}, {0.6, 0.6}));  // wholly inside
  EXPECT_TRUE(SegmentEntersPolygon(kSquare, {-1, 2}, {1, 1}));         // touches a corner
  EXPECT_FALSE(SegmentEntersPolygon(kSquare, {-1, 2}, {0.9, 1.1}));    // passes just above it
  EXPECT_FALSE(SegmentEntersPolygon(Polygon{{0, 0}, {1, 1}}, {0, 1}, {1, 0}));
}

}  // namespace
}  // namespace marsdrive::base

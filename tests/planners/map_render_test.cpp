// The map image the VLM planner sends: a PNG of the stated size, north up, start and goal
// markers exactly where their map coordinates project, big maps downscaled.

#include "planners/map_render.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/planners/planner_test_util.h"

namespace marsdrive::planners {
namespace {

cv::Mat Decode(const MapImage& image) {
  return cv::imdecode(image.png, cv::IMREAD_COLOR);  // BGR
}

Rgb ColorAt(const cv::Mat& bgr, const MapImage& image, Point2 p) {
  const Pixel px = image.ToPixel(p);
  const cv::Vec3b c =
      bgr.at<cv::Vec3b>(static_cast<int>(std::lround(px.v)), static_cast<int>(std::lround(px.u)));
  return {c[2], c[1], c[0]};
}

PlanProblem Problem(Point2 start, Point2 goal, int width = 60, int height = 40) {
  return testing::MakeProblem(testing::MakeFlatProducts(width, height), start, goal, 1.5);
}

TEST(MapRender, MarkersSitWhereTheirCoordinatesProject) {
  const PlanProblem problem = Problem({5, 5}, {55, 35});
  const MapImage image = RenderMap(problem, {.max_side_px = 512});
  const cv::Mat bgr = Decode(image);
  ASSERT_FALSE(bgr.empty());
  EXPECT_EQ(bgr.cols, image.width_px);
  EXPECT_EQ(bgr.rows, image.height_px);
  EXPECT_LE(std::max(image.width_px, image.height_px), 512);
  EXPECT_EQ(ColorAt(bgr, image, {5, 5}), kStartColor);
  EXPECT_EQ(ColorAt(bgr, image, {55, 35}), kGoalColor);
  // Control: elsewhere on the map neither colour appears, so the check can fail.
  EXPECT_NE(ColorAt(bgr, image, {30, 20}), kStartColor);
  EXPECT_NE(ColorAt(bgr, image, {5, 35}), kGoalColor);
  // North is up: a start in the north-west lands at the top left.
  const MapImage moved = RenderMap(Problem({5, 35}, {55, 5}), {.max_side_px = 512});
  const cv::Mat moved_bgr = Decode(moved);
  EXPECT_EQ(ColorAt(moved_bgr, moved, {5, 35}), kStartColor);
  EXPECT_NE(ColorAt(moved_bgr, moved, {5, 5}), kStartColor);
  EXPECT_LT(moved.ToPixel({5, 35}).v, moved.ToPixel({5, 5}).v);
}

TEST(MapRender, BigMapsAreDownscaledAndTheScaleIsKept) {
  const MapImage image = RenderMap(Problem({100, 100}, {2900, 900}, 3000, 1000));
  EXPECT_LE(std::max(image.width_px, image.height_px), 1024);
  EXPECT_GT(image.metres_per_px, 3.0);
  EXPECT_NEAR(image.map_width_px * image.metres_per_px, 3000, 1.5 * image.metres_per_px);
  const cv::Mat bgr = Decode(image);
  EXPECT_EQ(ColorAt(bgr, image, {100, 100}), kStartColor);
  EXPECT_EQ(ColorAt(bgr, image, {2900, 900}), kGoalColor);
}

TEST(MapRender, KeepOutsAndTheOrthoimageAreDrawn) {
  PlanProblem problem = Problem({5, 5}, {55, 35});
  auto products = testing::MakeFlatProducts(60, 40);
  products->ortho.width_px = 240, products->ortho.height_px = 160;
  products->ortho.resolution_m = 0.25;
  products->ortho.rgb.assign(240 * 160 * 3, 0);
  for (std::size_t i = 2; i < products->ortho.rgb.size(); i += 3) products->ortho.rgb[i] = 200;
  problem.orbital = products;  // a blue orthoimage
  problem.keep_outs = {{"crater", {{25, 10}, {35, 10}, {35, 30}, {25, 30}}}};
  const MapImage image = RenderMap(problem, {.max_side_px = 512, .overlay = Overlay::kNone});
  const cv::Mat bgr = Decode(image);
  const Rgb open = ColorAt(bgr, image, {12, 28});
  EXPECT_GT(open.b, 150);
  EXPECT_LT(open.r, 60);
  const Rgb inside = ColorAt(bgr, image, {32, 14});  // tinted by the keep-out fill
  EXPECT_GT(inside.r, 50);
  EXPECT_LT(inside.b, open.b);
}

TEST(MapRender, SamePictureSameBytes) {  // cassette keys hash the image
  const PlanProblem problem = Problem({5, 5}, {55, 35});
  EXPECT_EQ(RenderMap(problem).png, RenderMap(problem).png);
  EXPECT_NE(RenderMap(problem).png, RenderMap(Problem({6, 5}, {55, 35})).png);
}

}  // namespace
}  // namespace marsdrive::planners

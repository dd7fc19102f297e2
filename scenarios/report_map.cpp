#include "scenarios/report_map.h"

#include <array>
#include <cmath>
#include <memory>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/check.h"
#include "base/format.h"
#include "io/base64.h"
#include "scenarios/report_plots.h"

namespace marsdrive::scenarios {

namespace {

using planners::MapImage;
using planners::Point2;

cv::Scalar Bgr(MapColor c) {
  return {static_cast<double>(c.b), static_cast<double>(c.g), static_cast<double>(c.r)};
}

// Half way to white: the planned route, beside the driven track of the same colour.
MapColor Lighter(MapColor c) {
  const auto mix = [](std::uint8_t v) { return static_cast<std::uint8_t>((v + 255) / 2); };
  return {mix(c.r), mix(c.g), mix(c.b)};
}

cv::Point At(const MapImage& image, Point2 p) {
  const planners::Pixel px = image.ToPixel(p);
  return {static_cast<int>(std::lround(px.u)), static_cast<int>(std::lround(px.v))};
}

// Pixel polyline without repeated points (telemetry has many samples per pixel).
std::vector<cv::Point> Polyline(const MapImage& image, const std::vector<Point2>& points) {
  std::vector<cv::Point> out;
  for (const Point2& p : points) {
    if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m)) continue;
    const cv::Point q = At(image, p);
    if (out.empty() || out.back() != q) out.push_back(q);
  }
  return out;
}

void Disc(cv::Mat& canvas, cv::Point c, int radius, MapColor color) {
  cv::circle(canvas, c, radius + 1, cv::Scalar(0, 0, 0), cv::FILLED, cv::LINE_8);
  cv::circle(canvas, c, radius, Bgr(color), cv::FILLED, cv::LINE_8);
}

}  // namespace

MapColor PlannerColor(std::size_t index) {
  // Category-10 colours, minus the green and red that start and keep-outs use, then those.
  static constexpr std::array<MapColor, 10> kColors = {{{31, 119, 180},
                                                        {255, 127, 14},
                                                        {23, 190, 207},
                                                        {148, 103, 189},
                                                        {188, 189, 34},
                                                        {227, 119, 194},
                                                        {140, 86, 75},
                                                        {44, 160, 44},
                                                        {214, 39, 40},
                                                        {127, 127, 127}}};
  return kColors[index % kColors.size()];
}

MapImage RenderScenarioMap(const terrain::OrbitalProducts& orbital, const MapScene& scene,
                           int max_side_px) {
  planners::PlanProblem problem;
  // Aliasing shared_ptr: RenderMap only reads the products during this call.
  problem.orbital = std::shared_ptr<const terrain::OrbitalProducts>(
      std::shared_ptr<const terrain::OrbitalProducts>(), &orbital);
  problem.start = scene.start;
  problem.goal = scene.goal;
  problem.keep_outs = scene.keep_outs;
  MapImage image = planners::RenderMap(
      problem, {.max_side_px = max_side_px, .overlay = planners::Overlay::kNone});
  cv::Mat canvas = cv::imdecode(image.png, cv::IMREAD_COLOR);
  MD_THROW_UNLESS(!canvas.empty(), "report: cannot decode the map image");
  // Only the map rectangle: tracks leaving the map do not paint over the axis labels.
  cv::Mat map = canvas(
      cv::Rect(image.map_left_px, image.map_top_px, image.map_width_px, image.map_height_px));
  const cv::Point offset(-image.map_left_px, -image.map_top_px);
  const auto shifted = [&](std::vector<cv::Point> points) {
    for (cv::Point& p : points) p += offset;
    return points;
  };

  for (const MapSegment& s : scene.segments) {
    cv::line(map, At(image, s.from) + offset, At(image, s.to) + offset, Bgr(s.color), s.width_px,
             cv::LINE_8);
  }
  for (const MapRun& run : scene.runs) {
    const std::vector<cv::Point> plan = shifted(Polyline(image, run.waypoints));
    if (plan.size() >= 2) {
      cv::polylines(map, plan, false, Bgr(Lighter(run.color)), 1, cv::LINE_AA);
    }
    for (const cv::Point& p : plan) Disc(map, p, 2, Lighter(run.color));
  }
  for (const MapRun& run : scene.runs) {
    const std::vector<cv::Point> track = shifted(Polyline(image, run.track));
    if (track.size() >= 2) cv::polylines(map, track, false, Bgr(run.color), 2, cv::LINE_8);
  }
  for (const MapRun& run : scene.runs) {
    for (const Point2& h : run.hazards) {
      const cv::Point p = At(image, h) + offset;
      cv::drawMarker(map, p, cv::Scalar(0, 0, 0), cv::MARKER_TILTED_CROSS, 11, 4, cv::LINE_8);
      cv::drawMarker(map, p, Bgr(kHazardColor), cv::MARKER_TILTED_CROSS, 9, 2, cv::LINE_8);
    }
  }
  // Start and goal again on top of the tracks that begin and end there.
  Disc(map, At(image, {scene.start.x_m, scene.start.y_m}) + offset, 4, planners::kStartColor);
  Disc(map, At(image, {scene.goal.x_m, scene.goal.y_m}) + offset, 4, planners::kGoalColor);

  image.png.clear();
  try {
    MD_THROW_UNLESS(cv::imencode(".png", canvas, image.png, {cv::IMWRITE_PNG_COMPRESSION, 9}),
                    "report: cannot encode the map image as PNG");
  } catch (const cv::Exception& e) {
    throw InputError(std::string("report: cannot encode the map image as PNG: ") + e.what());
  }
  return image;
}

std::string MapImageHtml(const planners::MapImage& image, const std::string& alt) {
  return "<img class=\"map\" alt=\"" + HtmlEscape(alt) + "\" width=\"" +
         std::to_string(image.width_px) + "\" height=\"" + std::to_string(image.height_px) +
         "\" data-min-x-m=\"" + base::FormatFixed(image.min_x_m, 6) + "\" data-max-y-m=\"" +
         base::FormatFixed(image.max_y_m, 6) + "\" data-metres-per-px=\"" +
         base::FormatFixed(image.metres_per_px, 9) + "\" data-map-left-px=\"" +
         std::to_string(image.map_left_px) + "\" data-map-top-px=\"" +
         std::to_string(image.map_top_px) + "\" src=\"data:image/png;base64," +
         marsdrive::Base64Encode(image.png) + "\">\n";
}

}  // namespace marsdrive::scenarios

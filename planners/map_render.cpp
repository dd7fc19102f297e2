#include "planners/map_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/check.h"
#include "planners/cost_map.h"

namespace marsdrive::planners {

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
// Margins (px) holding the axis labels: y labels on the left, x labels and the axis title below.
constexpr int kMarginLeft = 64, kMarginRight = 16, kMarginTop = 28, kMarginBottom = 44;
constexpr int kMarkerRadiusPx = 6;
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

cv::Scalar Bgr(Rgb c) {
  return {static_cast<double>(c.b), static_cast<double>(c.g), static_cast<double>(c.r)};
}
const cv::Scalar kWhite(255, 255, 255), kBlack(0, 0, 0), kMargin(32, 32, 32);

// The smallest of 1, 2, 5 x 10^k that is >= x.
double NiceStep(double x) {
  if (!(x > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= x * (1 - 1e-9)) return m * p;
  }
  return 10 * p;
}

std::string Label(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", std::abs(value) < 1e-9 ? 0.0 : value);
  return text;
}

cv::Point At(const MapImage& image, Point2 p) {
  const Pixel px = image.ToPixel(p);
  return {static_cast<int>(std::lround(px.u)), static_cast<int>(std::lround(px.v))};
}

// Text with a dark outline, readable on any background. `anchor` is the baseline's left end.
void OutlinedText(cv::Mat& canvas, const std::string& text, cv::Point anchor, double scale,
                  cv::Scalar color = kWhite) {
  cv::putText(canvas, text, anchor, kFont, scale, kBlack, 3, cv::LINE_AA);
  cv::putText(canvas, text, anchor, kFont, scale, color, 1, cv::LINE_AA);
}

cv::Size TextSize(const std::string& text, double scale) {
  int baseline = 0;
  return cv::getTextSize(text, kFont, scale, 1, &baseline);
}

// The orthoimage resampled onto the map rectangle (BGR), or an empty Mat without one.
cv::Mat OrthoLayer(const terrain::OrthoImage& ortho, const MapImage& image) {
  if (ortho.width_px <= 0 || ortho.height_px <= 0 || !(ortho.resolution_m > 0) ||
      ortho.rgb.size() != static_cast<std::size_t>(ortho.width_px) *
                              static_cast<std::size_t>(ortho.height_px) * 3) {
    return {};
  }
  cv::Mat src(ortho.height_px, ortho.width_px, CV_8UC3);
  for (int r = 0; r < ortho.height_px; ++r) {
    const std::uint8_t* in = ortho.rgb.data() + static_cast<std::size_t>(r) *
                                                    static_cast<std::size_t>(ortho.width_px) * 3;
    auto* out = src.ptr<std::uint8_t>(r);
    for (int c = 0; c < ortho.width_px; ++c) {
      out[3 * c + 0] = in[3 * c + 2];
      out[3 * c + 1] = in[3 * c + 1];
      out[3 * c + 2] = in[3 * c + 0];
    }
  }
  // Downscale by area averaging first (remap alone would alias), then resample exactly.
  double res = ortho.resolution_m;
  const double shrink = res / image.metres_per_px;
  if (shrink < 1.0) {
    cv::Mat small;
    cv::resize(src, small, cv::Size(), shrink, shrink, cv::INTER_AREA);
    res *= static_cast<double>(src.cols) / small.cols;
    src = small;
  }
  const double top_y = ortho.origin_y_m + ortho.height_px * ortho.resolution_m;
  cv::Mat map_x(image.map_height_px, image.map_width_px, CV_32FC1);
  cv::Mat map_y(image.map_height_px, image.map_width_px, CV_32FC1);
  for (int j = 0; j < image.map_height_px; ++j) {
    const double y = image.max_y_m - (j + 0.5) * image.metres_per_px;
    for (int i = 0; i < image.map_width_px; ++i) {
      const double x = image.min_x_m + (i + 0.5) * image.metres_per_px;
      map_x.at<float>(j, i) = static_cast<float>((x - ortho.origin_x_m) / res - 0.5);
      map_y.at<float>(j, i) = static_cast<float>((top_y - y) / res - 0.5);
    }
  }
  cv::Mat out;
  cv::remap(src, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, kBlack);
  return out;
}

// Per map-rectangle pixel, the orbital cell under it (nearest), or -1 off the grid.
struct CellLookup {
  std::vector<int> col_of_u, row_of_v;
};
CellLookup MakeLookup(const terrain::GridSpec& s, const MapImage& image) {
  CellLookup lookup;
  for (int i = 0; i < image.map_width_px; ++i) {
    const int c = s.ColOf(image.min_x_m + (i + 0.5) * image.metres_per_px);
    lookup.col_of_u.push_back(c >= 0 && c < s.width_px ? c : -1);
  }
  for (int j = 0; j < image.map_height_px; ++j) {
    const int r = s.RowOf(image.max_y_m - (j + 0.5) * image.metres_per_px);
    lookup.row_of_v.push_back(r >= 0 && r < s.height_px ? r : -1);
  }
  return lookup;
}

// A hillshade of the orbital DEM (light from the north-west), grey, for maps without an ortho.
cv::Mat HillshadeLayer(const terrain::OrbitalProducts& o, const MapImage& image,
                       const CellLookup& lookup) {
  const terrain::GridSpec& s = o.spec();
  const auto height = [&](int c, int r) {
    c = std::clamp(c, 0, s.width_px - 1), r = std::clamp(r, 0, s.height_px - 1);
    return static_cast<double>(o.dem_m(c, r));
  };
  cv::Mat out(image.map_height_px, image.map_width_px, CV_8UC3);
  const double lx = -std::sqrt(0.5), ly = std::sqrt(0.5), lz = 1.0;  // NW, 45 deg up
  for (int j = 0; j < image.map_height_px; ++j) {
    for (int i = 0; i < image.map_width_px; ++i) {
      const int c = lookup.col_of_u[i], r = lookup.row_of_v[j];
      std::uint8_t grey = 0;
      if (c >= 0 && r >= 0 && std::isfinite(o.dem_m(c, r))) {
        const double gx = (height(c + 1, r) - height(c - 1, r)) / (2 * s.resolution_m);
        const double gy = (height(c, r + 1) - height(c, r - 1)) / (2 * s.resolution_m);
        const double n = std::sqrt(gx * gx + gy * gy + 1);
        const double shade = std::clamp((-gx * lx - gy * ly + lz) / (n * std::sqrt(2.0)), 0.0, 1.0);
        grey = std::isfinite(shade) ? static_cast<std::uint8_t>(60 + 150 * shade) : 0;
      }
      out.at<cv::Vec3b>(j, i) = {grey, grey, grey};
    }
  }
  return out;
}

// Blends the overlay's colour into the map rectangle, cell by cell.
void DrawOverlay(cv::Mat& map, const PlanProblem& problem, Overlay overlay,
                 const CellLookup& lookup) {
  if (overlay == Overlay::kNone) return;
  const terrain::OrbitalProducts& o = *problem.orbital;
  const double max_slope_deg = problem.limits.max_slope_rad * kRadToDeg;
  std::optional<CostMap> costs;
  if (overlay == Overlay::kHazard) costs.emplace(problem);
  for (int j = 0; j < map.rows; ++j) {
    for (int i = 0; i < map.cols; ++i) {
      const int c = lookup.col_of_u[i], r = lookup.row_of_v[j];
      if (c < 0 || r < 0) continue;
      cv::Vec3d color;
      double alpha = 0;
      if (overlay == Overlay::kHazard) {
        const CellKind kind = costs->Kind(c, r);
        if (kind == CellKind::kLethal || kind == CellKind::kOverLimit) {
          color = {0, 0, 255};  // red (BGR)
          alpha = 0.5;
        }
      } else {
        const double slope = o.slope_deg(c, r);
        if (!std::isfinite(slope)) continue;
        const double t = std::clamp(slope / max_slope_deg, 0.0, 1.0);
        color = t < 0.5 ? cv::Vec3d(0, 255, 510 * t) : cv::Vec3d(0, 510 * (1 - t), 255);
        alpha = 0.4;
      }
      if (alpha <= 0) continue;
      cv::Vec3b& px = map.at<cv::Vec3b>(j, i);
      for (int k = 0; k < 3; ++k) {
        px[k] = cv::saturate_cast<std::uint8_t>((1 - alpha) * px[k] + alpha * color[k]);
      }
    }
  }
}

void DrawGrid(cv::Mat& canvas, const MapImage& image) {
  const cv::Rect rect(image.map_left_px, image.map_top_px, image.map_width_px, image.map_height_px);
  cv::Mat lines = canvas(rect).clone();
  const double step = image.grid_step_m;
  const double label_scale = 0.4;
  for (double x = std::ceil(image.min_x_m / step - 1e-9) * step; x <= image.max_x_m + 1e-9;
       x += step) {
    const int u = At(image, {x, image.min_y_m}).x - image.map_left_px;
    cv::line(lines, {u, 0}, {u, rect.height - 1}, kWhite, 1);
    const std::string text = Label(x);
    const cv::Size size = TextSize(text, label_scale);
    cv::putText(canvas, text, {u + image.map_left_px - size.width / 2, rect.br().y + 16}, kFont,
                label_scale, kWhite, 1, cv::LINE_AA);
  }
  for (double y = std::ceil(image.min_y_m / step - 1e-9) * step; y <= image.max_y_m + 1e-9;
       y += step) {
    const int v = At(image, {image.min_x_m, y}).y - image.map_top_px;
    cv::line(lines, {0, v}, {rect.width - 1, v}, kWhite, 1);
    const std::string text = Label(y);
    const cv::Size size = TextSize(text, label_scale);
    cv::putText(canvas, text, {image.map_left_px - size.width - 6, v + image.map_top_px + 4}, kFont,
                label_scale, kWhite, 1, cv::LINE_AA);
  }
  cv::Mat roi = canvas(rect);
  cv::addWeighted(lines, 0.35, roi, 0.65, 0, roi);  // translucent lines
  cv::rectangle(canvas, rect, kWhite, 1);
  cv::putText(canvas, "x (m, east)", {rect.x + rect.width / 2 - 40, rect.br().y + 36}, kFont, 0.45,
              kWhite, 1, cv::LINE_AA);
  cv::putText(canvas, "y (m, north)", {4, 18}, kFont, 0.45, kWhite, 1, cv::LINE_AA);
}

void DrawScaleBarAndNorth(cv::Mat& canvas, const MapImage& image) {
  const int bar_px = static_cast<int>(std::lround(image.scale_bar_m / image.metres_per_px));
  const cv::Point p0(image.map_left_px + 12, image.map_top_px + image.map_height_px - 14);
  const cv::Point p1 = p0 + cv::Point(bar_px, 0);
  cv::rectangle(canvas, p0 + cv::Point(-1, -4), p1 + cv::Point(1, 4), kBlack, cv::FILLED);
  cv::rectangle(canvas, p0 + cv::Point(0, -3), p0 + cv::Point(bar_px / 2, 3), kWhite, cv::FILLED);
  OutlinedText(canvas, Label(image.scale_bar_m) + " m", p1 + cv::Point(6, 5), 0.45);

  const cv::Point tip(image.map_left_px + image.map_width_px - 20, image.map_top_px + 12);
  const cv::Point tail = tip + cv::Point(0, 30);
  cv::arrowedLine(canvas, tail, tip, kBlack, 4, cv::LINE_AA, 0, 0.35);
  cv::arrowedLine(canvas, tail, tip, kWhite, 2, cv::LINE_AA, 0, 0.35);
  OutlinedText(canvas, "N", tail + cv::Point(-5, 16), 0.5);
}

void DrawKeepOuts(cv::Mat& canvas, const PlanProblem& problem, const MapImage& image) {
  const cv::Rect rect(image.map_left_px, image.map_top_px, image.map_width_px, image.map_height_px);
  cv::Mat roi = canvas(rect);
  cv::Mat fill = roi.clone();
  std::vector<std::vector<cv::Point>> polygons;
  for (const KeepOut& keep_out : problem.keep_outs) {
    std::vector<cv::Point> poly;
    for (const Point2& p : keep_out.polygon) poly.push_back(At(image, p) - rect.tl());
    if (poly.size() >= 3) polygons.push_back(std::move(poly));
  }
  if (polygons.empty()) return;
  cv::fillPoly(fill, polygons, Bgr(kKeepOutColor));
  cv::addWeighted(fill, 0.3, roi, 0.7, 0, roi);
  cv::polylines(roi, polygons, true, Bgr(kKeepOutColor), 2, cv::LINE_AA);
  for (std::size_t k = 0; k < problem.keep_outs.size(); ++k) {
    const KeepOut& keep_out = problem.keep_outs[k];
    if (keep_out.polygon.size() < 3) continue;
    double cx = 0, cy = 0;
    for (const Point2& p : keep_out.polygon) cx += p.x_m, cy += p.y_m;
    const auto n = static_cast<double>(keep_out.polygon.size());
    std::string name = "KEEP-OUT";
    if (!keep_out.name.empty()) name += " " + keep_out.name;
    const cv::Size size = TextSize(name, 0.4);
    OutlinedText(canvas, name, At(image, {cx / n, cy / n}) - cv::Point(size.width / 2, -4), 0.4,
                 Bgr(kKeepOutColor));
  }
}

void DrawMarker(cv::Mat& canvas, const MapImage& image, Point2 p, Rgb color,
                const std::string& label) {
  const cv::Point c = At(image, p);
  OutlinedText(canvas, label, c + cv::Point(kMarkerRadiusPx + 4, -kMarkerRadiusPx), 0.5,
               Bgr(color));
  cv::circle(canvas, c, kMarkerRadiusPx + 1, kBlack, cv::FILLED, cv::LINE_8);
  cv::circle(canvas, c, kMarkerRadiusPx, Bgr(color), cv::FILLED, cv::LINE_8);
}

}  // namespace

const char* ToString(Overlay overlay) {
  switch (overlay) {
    case Overlay::kNone:
      return "none";
    case Overlay::kSlope:
      return "slope";
    case Overlay::kHazard:
      return "hazard";
  }
  return "none";
}

std::optional<Overlay> ParseOverlay(std::string_view name) {
  for (const Overlay o : {Overlay::kNone, Overlay::kSlope, Overlay::kHazard}) {
    if (name == ToString(o)) return o;
  }
  return std::nullopt;
}

MapImage RenderMap(const PlanProblem& problem, const MapRenderOptions& options) {
  MD_THROW_UNLESS(problem.orbital != nullptr, "plan problem: no orbital products");
  const terrain::OrbitalProducts& o = *problem.orbital;
  const terrain::GridSpec& s = o.spec();
  MD_THROW_UNLESS(s.width_px > 0 && s.height_px > 0,
                  "plan problem: the orbital products are empty");

  MapImage image;
  image.min_x_m = s.origin_x_m, image.min_y_m = s.origin_y_m;
  image.max_x_m = s.MaxX(), image.max_y_m = s.MaxY();
  const int side = std::max(options.max_side_px, 256);
  const int avail_w = side - kMarginLeft - kMarginRight;
  const int avail_h = side - kMarginTop - kMarginBottom;
  image.metres_per_px = std::max(s.WidthM() / avail_w, s.HeightM() / avail_h);
  image.map_width_px =
      std::clamp(static_cast<int>(std::lround(s.WidthM() / image.metres_per_px)), 1, avail_w);
  image.map_height_px =
      std::clamp(static_cast<int>(std::lround(s.HeightM() / image.metres_per_px)), 1, avail_h);
  image.map_left_px = kMarginLeft, image.map_top_px = kMarginTop;
  image.width_px = kMarginLeft + image.map_width_px + kMarginRight;
  image.height_px = kMarginTop + image.map_height_px + kMarginBottom;
  image.grid_step_m = NiceStep(std::max(s.WidthM(), s.HeightM()) / 12);
  image.scale_bar_m = NiceStep(s.WidthM() / 6);
  if (image.scale_bar_m / image.metres_per_px > 0.4 * image.map_width_px) image.scale_bar_m /= 2;

  const CellLookup lookup = MakeLookup(s, image);
  cv::Mat map = OrthoLayer(o.ortho, image);
  if (map.empty()) map = HillshadeLayer(o, image, lookup);
  DrawOverlay(map, problem, options.overlay, lookup);

  cv::Mat canvas(image.height_px, image.width_px, CV_8UC3, kMargin);
  map.copyTo(canvas(cv::Rect(image.map_left_px, image.map_top_px, map.cols, map.rows)));
  DrawGrid(canvas, image);
  DrawKeepOuts(canvas, problem, image);
  DrawScaleBarAndNorth(canvas, image);
  const GoalRegion& goal = problem.goal;
  const int ring_px = std::max(
      kMarkerRadiusPx + 3, static_cast<int>(std::lround(goal.tolerance_m / image.metres_per_px)));
  cv::circle(canvas, At(image, {goal.x_m, goal.y_m}), ring_px, Bgr(kGoalColor), 2, cv::LINE_AA);
  DrawMarker(canvas, image, {goal.x_m, goal.y_m}, kGoalColor, "GOAL");
  DrawMarker(canvas, image, {problem.start.x_m, problem.start.y_m}, kStartColor, "START");

  // libpng writes no timestamp: equal images give equal bytes (cassette keys depend on it).
  try {
    MD_THROW_UNLESS(cv::imencode(".png", canvas, image.png, {cv::IMWRITE_PNG_COMPRESSION, 6}),
                    "vlm: cannot encode the map image as PNG");
  } catch (const cv::Exception& e) {
    throw InputError(std::string("vlm: cannot encode the map image as PNG: ") + e.what());
  }
  return image;
}

}  // namespace marsdrive::planners

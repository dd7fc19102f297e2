#include "scenarios/report_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "io/markup_escape.h"

namespace marsdrive::scenarios {

namespace {

constexpr int kLeft = 48, kRight = 10, kTop = 22, kBottom = 34;  // plot margins (px)

std::string Num(double value, int decimals = 1) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string Tick(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%g", std::abs(value) < 1e-12 ? 0.0 : value);
  return text;
}

// The smallest of 1, 2, 5 x 10^k that is >= x.
double NiceStep(double x) {
  if (!(x > 0) || !std::isfinite(x)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= x * (1 - 1e-9)) return m * p;
  }
  return 10 * p;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  // Empty or flat ranges get a unit of room; ends snap to the tick step.
  double Fix() {
    if (!(lo <= hi)) lo = 0, hi = 1;
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    const double step = NiceStep((hi - lo) / 5);
    lo = std::floor(lo / step + 1e-9) * step;
    hi = std::ceil(hi / step - 1e-9) * step;
    return step;
  }
};

}  // namespace

std::string HtmlEscape(const std::string& text) { return EscapeMarkup(text, true); }

std::vector<std::pair<double, double>> ThinPeaks(
    const std::vector<std::pair<double, double>>& points, std::size_t max_points) {
  if (points.size() <= max_points || max_points < 2) return points;
  const double x0 = points.front().first, x1 = points.back().first;
  if (!(x1 > x0)) return {points.front(), points.back()};
  const double bin = (x1 - x0) / static_cast<double>(max_points);
  std::vector<std::pair<double, double>> out;
  long current = -1;
  for (const auto& p : points) {
    const long b =
        std::min(static_cast<long>((p.first - x0) / bin), static_cast<long>(max_points) - 1);
    if (b != current) {
      out.push_back(p);
      current = b;
    } else if (p.second > out.back().second) {
      out.back() = p;
    }
  }
  return out;
}

std::string SvgPlot(const PlotSpec& spec, const std::vector<PlotSeries>& series) {
  Range xr, yr;
  for (const PlotSeries& s : series) {
    for (const auto& [x, y] : s.points) xr.Add(x), yr.Add(y);
  }
  if (spec.reference_y) yr.Add(*spec.reference_y);
  const double x_step = xr.Fix(), y_step = yr.Fix();
  const double w = spec.width_px - kLeft - kRight, h = spec.height_px - kTop - kBottom;
  const auto px = [&](double x) { return kLeft + (x - xr.lo) / (xr.hi - xr.lo) * w; };
  const auto py = [&](double y) { return kTop + (yr.hi - y) / (yr.hi - yr.lo) * h; };

  std::string svg = "<svg class=\"plot\" width=\"" + std::to_string(spec.width_px) +
                    "\" height=\"" + std::to_string(spec.height_px) + "\" viewBox=\"0 0 " +
                    std::to_string(spec.width_px) + " " + std::to_string(spec.height_px) +
                    "\" role=\"img\">";
  svg += "<text x=\"" + std::to_string(kLeft) + "\" y=\"14\" class=\"title\">" +
         HtmlEscape(spec.title) + "</text>";
  svg += "<rect x=\"" + Num(kLeft) + "\" y=\"" + Num(kTop) + "\" width=\"" + Num(w) +
         "\" height=\"" + Num(h) + "\" class=\"frame\"/>";
  for (double x = xr.lo; x <= xr.hi + 1e-9 * x_step; x += x_step) {
    svg += "<line x1=\"" + Num(px(x)) + "\" y1=\"" + Num(kTop) + "\" x2=\"" + Num(px(x)) +
           "\" y2=\"" + Num(kTop + h) + "\" class=\"grid\"/>";
    svg += "<text x=\"" + Num(px(x)) + "\" y=\"" + Num(kTop + h + 13) +
           "\" text-anchor=\"middle\">" + Tick(x) + "</text>";
  }
  for (double y = yr.lo; y <= yr.hi + 1e-9 * y_step; y += y_step) {
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(py(y)) + "\" x2=\"" + Num(kLeft + w) +
           "\" y2=\"" + Num(py(y)) + "\" class=\"grid\"/>";
    svg += "<text x=\"" + Num(kLeft - 4) + "\" y=\"" + Num(py(y) + 4) + "\" text-anchor=\"end\">" +
           Tick(y) + "</text>";
  }
  svg += "<text x=\"" + Num(kLeft + w / 2) + "\" y=\"" + Num(spec.height_px - 4) +
         "\" text-anchor=\"middle\">" + HtmlEscape(spec.x_label) + "</text>";
  svg += "<text transform=\"translate(11 " + Num(kTop + h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + HtmlEscape(spec.y_label) + "</text>";
  if (spec.reference_y) {
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(py(*spec.reference_y)) + "\" x2=\"" +
           Num(kLeft + w) + "\" y2=\"" + Num(py(*spec.reference_y)) + "\" class=\"limit\"><title>" +
           HtmlEscape(spec.reference_label) + "</title></line>";
  }
  for (const PlotSeries& s : series) {
    if (s.points.empty()) continue;
    svg += "<polyline fill=\"none\" stroke=\"" + HexColor(s.color) +
           "\" stroke-width=\"1.5\" points=\"";
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      svg += Num(px(x)) + "," + Num(py(y)) + " ";
    }
    if (svg.back() == ' ') svg.pop_back();
    svg += "\"><title>" + HtmlEscape(s.label) + "</title></polyline>";
  }
  svg += "</svg>";
  return svg;
}

namespace {

// The frame, grid and ticks (0, 0.2 .. 1) of a unit square plot whose area starts at (kLeft,
// kTop) and is `side` px wide and high.
std::string UnitSquareAxes(double side, const ReliabilitySpec& spec) {
  std::string svg = "<rect x=\"" + Num(kLeft) + "\" y=\"" + Num(kTop) + "\" width=\"" + Num(side) +
                    "\" height=\"" + Num(side) + "\" class=\"frame\"/>";
  for (int i = 0; i <= 5; ++i) {
    const double at = i / 5.0, x = kLeft + at * side, y = kTop + (1 - at) * side;
    svg += "<line x1=\"" + Num(x) + "\" y1=\"" + Num(kTop) + "\" x2=\"" + Num(x) + "\" y2=\"" +
           Num(kTop + side) + "\" class=\"grid\"/><line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y) +
           "\" x2=\"" + Num(kLeft + side) + "\" y2=\"" + Num(y) + "\" class=\"grid\"/>";
    svg += "<text x=\"" + Num(x) + "\" y=\"" + Num(kTop + side + 13) +
           "\" text-anchor=\"middle\">" + Tick(at) + "</text><text x=\"" + Num(kLeft - 4) +
           "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" + Tick(at) + "</text>";
  }
  svg += "<text x=\"" + Num(kLeft + side / 2) + "\" y=\"" + Num(kTop + side + 28) +
         "\" text-anchor=\"middle\">" + HtmlEscape(spec.x_label) + "</text>";
  svg += "<text transform=\"translate(11 " + Num(kTop + side / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + HtmlEscape(spec.y_label) + "</text>";
  return svg;
}

}  // namespace

std::string SvgReliabilityDiagram(const ReliabilitySpec& spec,
                                  const std::vector<ReliabilityPoint>& points) {
  const double side = spec.size_px - kLeft - kRight;
  const int height_px = static_cast<int>(side) + kTop + kBottom + 16;  // + the legend line
  const auto px = [&](double p) { return kLeft + std::clamp(p, 0.0, 1.0) * side; };
  const auto py = [&](double r) { return kTop + (1 - std::clamp(r, 0.0, 1.0)) * side; };
  int most = 1;
  for (const ReliabilityPoint& p : points) most = std::max(most, p.count);

  std::string svg = "<svg class=\"plot reliability\" width=\"" + std::to_string(spec.size_px) +
                    "\" height=\"" + std::to_string(height_px) + "\" viewBox=\"0 0 " +
                    std::to_string(spec.size_px) + " " + std::to_string(height_px) +
                    "\" role=\"img\">";
  svg += "<text x=\"" + std::to_string(kLeft) + "\" y=\"14\" class=\"title\">" +
         HtmlEscape(spec.title) + "</text>";
  svg += UnitSquareAxes(side, spec);
  const std::string dash = "stroke=\"#555\" stroke-dasharray=\"5 4\"";
  svg += "<line x1=\"" + Num(px(0)) + "\" y1=\"" + Num(py(0)) + "\" x2=\"" + Num(px(1)) +
         "\" y2=\"" + Num(py(1)) + "\" class=\"diagonal\" " + dash +
         "><title>perfectly calibrated</title></line>";
  const double legend_y = height_px - 4;
  svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(legend_y - 4) + "\" x2=\"" +
         Num(kLeft + 22) + "\" y2=\"" + Num(legend_y - 4) + "\" " + dash + "/><text x=\"" +
         Num(kLeft + 27) + "\" y=\"" + Num(legend_y) + "\">perfectly calibrated (y = x)</text>";
  const std::string color = HexColor(spec.color);
  for (const ReliabilityPoint& p : points) {
    if (p.count <= 0 || !std::isfinite(p.predicted) || !std::isfinite(p.observed)) continue;
    const double r = 3 + 6 * std::sqrt(static_cast<double>(p.count) / most);
    const double x = px(p.predicted), y = py(p.observed);
    const bool label_left = p.predicted > 0.8;
    svg += "<circle class=\"bin\" cx=\"" + Num(x) + "\" cy=\"" + Num(y) + "\" r=\"" + Num(r) +
           "\" fill=\"" + color + "\" fill-opacity=\"0.75\" stroke=\"#222\"><title>" +
           std::to_string(p.count) + " plans: predicted " + Num(p.predicted, 3) + ", observed " +
           Num(p.observed, 3) + "</title></circle>";
    svg += "<text x=\"" + Num(label_left ? x - r - 2 : x + r + 2) + "\" y=\"" + Num(y + 4) +
           "\" text-anchor=\"" + (label_left ? "end" : "start") +
           "\">n=" + std::to_string(p.count) + "</text>";
  }
  return svg + "</svg>";
}

std::string HexColor(planners::Rgb c) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", c.r, c.g, c.b);
  return text;
}

std::string ColorSwatch(planners::Rgb c) {
  return "<span class=\"sw\" style=\"background:" + HexColor(c) + "\"></span>";
}

}  // namespace marsdrive::scenarios

#pragma once
// Line plots for the HTML report as inline SVG: crisp at any zoom, a few kilobytes each, and no
// image encoder. One polyline per series; optional dashed reference line (e.g. a limit).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "planners/map_render.h"

namespace marsdrive::scenarios {

struct PlotSeries {
  std::string label;  // shown as the polyline's tooltip
  planners::Rgb color;
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

struct PlotSpec {
  std::string title, x_label, y_label;
  std::optional<double> reference_y;  // a dashed horizontal line (a limit)
  std::string reference_label;
  int width_px = 380, height_px = 220;
};

// An <svg> element (no XML prolog, no namespace URL: HTML5 inline SVG). Text is escaped.
std::string SvgPlot(const PlotSpec& spec, const std::vector<PlotSeries>& series);

// At most `max_points` points of `points` (x ascending): per bin of equal x width, the point of
// largest y, so peaks (slip, tilt) survive the thinning.
std::vector<std::pair<double, double>> ThinPeaks(
    const std::vector<std::pair<double, double>>& points, std::size_t max_points);

// Text escaped for HTML and SVG element text and double-quoted attributes.
std::string HtmlEscape(const std::string& text);

}  // namespace marsdrive::scenarios

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

// One bin of a reliability diagram: the mean predicted probability of its samples, the observed
// rate among them, and how many there were.
struct ReliabilityPoint {
  double predicted = 0, observed = 0;
  int count = 0;
};

struct ReliabilitySpec {
  std::string title;
  std::string x_label = "predicted probability", y_label = "observed rate";
  planners::Rgb color;
  int size_px = 260;  // width; the plot area is square
};

// A reliability diagram as an <svg class="plot">: predicted probability on x, observed rate on
// y, both [0, 1]; the diagonal y = x dashed (class "diagonal": perfectly calibrated); one
// circle per point with a count (class "bin") in the spec's colour, its area growing with the
// count, which is written beside it. Text is escaped.
std::string SvgReliabilityDiagram(const ReliabilitySpec& spec,
                                  const std::vector<ReliabilityPoint>& points);

// At most `max_points` points of `points` (x ascending): per bin of equal x width, the point of
// largest y, so peaks (slip, tilt) survive the thinning.
std::vector<std::pair<double, double>> ThinPeaks(
    const std::vector<std::pair<double, double>>& points, std::size_t max_points);

// "#rrggbb" of a colour, and a small square of it (class "sw": the page's CSS sizes it).
std::string HexColor(planners::Rgb c);
std::string ColorSwatch(planners::Rgb c);

// Text escaped for HTML and SVG element text and double-quoted attributes.
std::string HtmlEscape(const std::string& text);

}  // namespace marsdrive::scenarios

#include "scenarios/validation_plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/check.h"
#include "io/text_file.h"
#include "planners/plan_json.h"

namespace marsdrive::scenarios {

namespace {

using Series = std::vector<std::pair<double, double>>;  // (x, y), x ascending

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr int kMarginLeft = 100, kMarginRight = 250, kMarginTop = 50, kMarginBottom = 84;
const cv::Scalar kInk(30, 30, 30), kGrid(225, 225, 225), kWhite(255, 255, 255);

// Colours (BGR) per soil.
cv::Scalar SoilColor(const std::string& soil) {
  if (soil == "sand") return {0, 140, 240};      // orange
  if (soil == "regolith") return {40, 60, 170};  // brick red
  return {150, 100, 40};                         // bedrock: steel blue
}

enum class Mark { kNone, kSquare, kCircle, kTriangle, kDiamond, kCross };

struct Axis {
  double lo = 0, hi = 1, step = 0.1;
  std::string label;
  int decimals = 0;                  // of the tick labels
  std::optional<double> first_tick;  // default: lo
};

struct LegendEntry {
  std::string label;
  cv::Scalar color;
  Mark mark = Mark::kNone;
  bool line = false;
  bool band = false;
};

std::string TickText(double v, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, std::fabs(v) < 1e-12 ? 0.0 : v);
  return text;
}

// One chart: axes with ticks, grid and labels inside margins; a legend on the right.
class Chart {
 public:
  Chart(int width_px, int height_px, const std::string& title, Axis x, Axis y)
      : canvas_(height_px, width_px, CV_8UC3, kWhite), x_(std::move(x)), y_(std::move(y)) {
    plot_ = {kMarginLeft, kMarginTop, width_px - kMarginLeft - kMarginRight,
             height_px - kMarginTop - kMarginBottom};
    DrawAxes(title);
  }

  cv::Point At(double x, double y) const {
    const double cx = std::clamp(x, x_.lo, x_.hi), cy = std::clamp(y, y_.lo, y_.hi);
    return {static_cast<int>(std::lround(plot_.x + (cx - x_.lo) / (x_.hi - x_.lo) * plot_.width)),
            static_cast<int>(std::lround(plot_.y + (y_.hi - cy) / (y_.hi - y_.lo) * plot_.height))};
  }

  void Polyline(const Series& points, cv::Scalar color, int thickness = 2) {
    for (std::size_t i = 1; i < points.size(); ++i) {
      cv::line(canvas_, At(points[i - 1].first, points[i - 1].second),
               At(points[i].first, points[i].second), color, thickness, cv::LINE_AA);
    }
  }

  // A translucent vertical bar from lo to hi, half_width in x units (at least 6 px tall).
  void Band(double x, double lo, double hi, double half_width, cv::Scalar color) {
    cv::Point a = At(x - half_width, hi), b = At(x + half_width, lo);
    if (b.y - a.y < 6) a.y -= 3, b.y += 3;
    cv::Mat roi = canvas_(cv::Rect(a, b) & cv::Rect(0, 0, canvas_.cols, canvas_.rows));
    cv::Mat fill(roi.size(), roi.type(), color);
    cv::addWeighted(roi, 0.7, fill, 0.3, 0, roi);
    cv::rectangle(canvas_, a, b, color, 1, cv::LINE_AA);
  }

  void Marker(double x, double y, Mark mark, cv::Scalar color) { DrawMark(At(x, y), mark, color); }

  void Legend(const std::vector<LegendEntry>& entries) {
    int y = plot_.y + 10;
    const int x = plot_.x + plot_.width + 20;
    for (const LegendEntry& e : entries) {
      if (e.band) {
        cv::Mat roi = canvas_(cv::Rect(x, y - 7, 28, 14));
        cv::Mat fill(roi.size(), roi.type(), e.color);
        cv::addWeighted(roi, 0.7, fill, 0.3, 0, roi);
        cv::rectangle(canvas_, cv::Rect(x, y - 7, 28, 14), e.color, 1);
      }
      if (e.line) cv::line(canvas_, {x, y}, {x + 28, y}, e.color, 2, cv::LINE_AA);
      DrawMark({x + 14, y}, e.mark, e.color);
      cv::putText(canvas_, e.label, {x + 36, y + 5}, kFont, 0.45, kInk, 1, cv::LINE_AA);
      y += 24;
    }
  }

  void Note(const std::string& text) {
    cv::putText(canvas_, text, {plot_.x, canvas_.rows - 10}, kFont, 0.4, kInk, 1, cv::LINE_AA);
  }

  const cv::Mat& canvas() const { return canvas_; }

 private:
  void DrawMark(cv::Point p, Mark mark, cv::Scalar color) {
    const int r = 5;
    switch (mark) {
      case Mark::kNone:
        return;
      case Mark::kSquare:
        cv::rectangle(canvas_, {p.x - r + 1, p.y - r + 1}, {p.x + r - 1, p.y + r - 1}, color,
                      cv::FILLED);
        return;
      case Mark::kCircle:
        cv::circle(canvas_, p, r, color, 2, cv::LINE_AA);
        return;
      case Mark::kTriangle: {
        const std::vector<cv::Point> t = {
            {p.x, p.y - r - 1}, {p.x - r, p.y + r}, {p.x + r, p.y + r}};
        cv::polylines(canvas_, t, true, color, 2, cv::LINE_AA);
        return;
      }
      case Mark::kDiamond: {
        const std::vector<cv::Point> d = {
            {p.x, p.y - r - 1}, {p.x + r + 1, p.y}, {p.x, p.y + r + 1}, {p.x - r - 1, p.y}};
        cv::fillConvexPoly(canvas_, d, color, cv::LINE_AA);
        return;
      }
      case Mark::kCross:
        cv::line(canvas_, {p.x - r - 1, p.y - r - 1}, {p.x + r + 1, p.y + r + 1}, color, 2,
                 cv::LINE_AA);
        cv::line(canvas_, {p.x - r - 1, p.y + r + 1}, {p.x + r + 1, p.y - r - 1}, color, 2,
                 cv::LINE_AA);
        return;
    }
  }

  void DrawAxes(const std::string& title) {
    int baseline = 0;
    for (double x = x_.first_tick.value_or(x_.lo); x <= x_.hi + 1e-9; x += x_.step) {
      const cv::Point p = At(x, y_.lo);
      cv::line(canvas_, {p.x, plot_.y}, {p.x, plot_.y + plot_.height}, kGrid, 1);
      const std::string t = TickText(x, x_.decimals);
      const cv::Size s = cv::getTextSize(t, kFont, 0.45, 1, &baseline);
      cv::putText(canvas_, t, {p.x - s.width / 2, p.y + 20}, kFont, 0.45, kInk, 1, cv::LINE_AA);
    }
    for (double y = y_.first_tick.value_or(y_.lo); y <= y_.hi + 1e-9; y += y_.step) {
      const cv::Point p = At(x_.lo, y);
      cv::line(canvas_, {plot_.x, p.y}, {plot_.x + plot_.width, p.y}, kGrid, 1);
      const std::string t = TickText(y, y_.decimals);
      const cv::Size s = cv::getTextSize(t, kFont, 0.45, 1, &baseline);
      cv::putText(canvas_, t, {p.x - s.width - 8, p.y + 5}, kFont, 0.45, kInk, 1, cv::LINE_AA);
    }
    cv::rectangle(canvas_, plot_, kInk, 1);
    cv::putText(canvas_, title, {plot_.x, 30}, kFont, 0.65, kInk, 1, cv::LINE_AA);
    const cv::Size xs = cv::getTextSize(x_.label, kFont, 0.55, 1, &baseline);
    cv::putText(canvas_, x_.label,
                {plot_.x + (plot_.width - xs.width) / 2, plot_.y + plot_.height + 44}, kFont, 0.55,
                kInk, 1, cv::LINE_AA);
    // The y label, rotated: drawn on its own strip, then turned a quarter left.
    const cv::Size ys = cv::getTextSize(y_.label, kFont, 0.55, 1, &baseline);
    cv::Mat strip(ys.height + baseline + 6, ys.width + 6, CV_8UC3, kWhite);
    cv::putText(strip, y_.label, {3, ys.height + 3}, kFont, 0.55, kInk, 1, cv::LINE_AA);
    cv::rotate(strip, strip, cv::ROTATE_90_COUNTERCLOCKWISE);
    const int top = std::max(0, plot_.y + (plot_.height - strip.rows) / 2);
    if (top + strip.rows <= canvas_.rows)
      strip.copyTo(canvas_(cv::Rect(8, top, strip.cols, strip.rows)));
  }

  cv::Mat canvas_;
  Axis x_, y_;
  cv::Rect plot_;
};

std::vector<std::uint8_t> Png(const cv::Mat& image) {
  std::vector<std::uint8_t> png;
  MD_DEMAND(cv::imencode(".png", image, png));
  return png;
}

std::optional<double> Number(const nlohmann::ordered_json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  if (j[key].is_boolean()) return j[key].get<bool>() ? 1.0 : 0.0;
  if (j[key].is_number()) return j[key].get<double>();
  return std::nullopt;
}

// One entry per measurement (a measurement checked against several references has several
// cases): the first case of each measured configuration of `group`, by soil.
std::map<std::string, std::vector<const ValidationCase*>> Configurations(
    const std::vector<ValidationCase>& cases, const std::string& group) {
  std::map<std::string, std::vector<const ValidationCase*>> by_soil;
  std::set<std::pair<std::string, double>> seen;
  for (const ValidationCase& c : cases) {
    const std::optional<double> x = c.slope_deg ? c.slope_deg : c.height_m;
    if (c.group != group || !x || !seen.emplace(c.soil, *x).second) continue;
    by_soil[c.soil].push_back(&c);
  }
  for (auto& [soil, list] : by_soil) {
    std::sort(list.begin(), list.end(), [](const ValidationCase* a, const ValidationCase* b) {
      return (a->slope_deg ? *a->slope_deg : *a->height_m) <
             (b->slope_deg ? *b->slope_deg : *b->height_m);
    });
  }
  return by_soil;
}

double X(const ValidationCase& c) { return c.slope_deg ? *c.slope_deg : *c.height_m; }

// Shaded bars for every checked range of `quantity` in `group`, side by side per soil (sand
// left of the configuration's x, regolith on it, bedrock right of it).
void DrawReferenceBands(Chart& chart, const std::vector<ValidationCase>& cases,
                        const std::string& group, const std::string& quantity, double half_width,
                        double y_lo, double y_hi) {
  for (const ValidationCase& c : cases) {
    if (c.group != group || !c.reference || c.reference->quantity != quantity) continue;
    if (!c.slope_deg && !c.height_m) continue;
    const double side = c.soil == "sand" ? -1 : c.soil == "bedrock" ? 1 : 0;
    chart.Band(X(c) + side * 2.2 * half_width, c.range_lo.value_or(y_lo), c.range_hi.value_or(y_hi),
               half_width, SoilColor(c.soil));
  }
}

Series MeasuredSeries(const std::vector<const ValidationCase*>& list, const char* quantity,
                      double scale = 1) {
  Series s;
  for (const ValidationCase* c : list) {
    if (const std::optional<double> v = Number(c->measured, quantity)) {
      s.emplace_back(X(*c), scale * *v);
    }
  }
  return s;
}

// The upper end of an axis holding every value of `series` and at least `min_hi`.
double AxisTop(const std::vector<Series>& series, double min_hi, double step) {
  double hi = min_hi;
  for (const Series& s : series) {
    for (const auto& p : s) hi = std::max(hi, p.second);
  }
  return std::ceil(hi / step - 1e-9) * step;
}

}  // namespace

std::vector<std::uint8_t> SlipVsSlopePng(const std::vector<ValidationCase>& cases) {
  Chart chart(1000, 620, "Uphill slip vs slope (straight ~8 m drives on the slope preset)",
              {-2, 32, 5, "slope (deg)", 0, 0.0}, {0, 100, 10, "mean slip (%)", 0, {}});
  DrawReferenceBands(chart, cases, "slip_uphill", "slip_pct", 0.45, 0, 100);
  std::vector<LegendEntry> legend;
  for (const auto& [soil, list] : Configurations(cases, "slip_uphill")) {
    const Series s = MeasuredSeries(list, "slip_pct");
    chart.Polyline(s, SoilColor(soil));
    for (const ValidationCase* c : list) {
      const std::optional<double> slip = Number(c->measured, "slip_pct");
      const bool climbed = Number(c->measured, "climbed").value_or(0) > 0;
      chart.Marker(X(*c), slip.value_or(100), climbed ? Mark::kSquare : Mark::kCross,
                   SoilColor(soil));
    }
    legend.push_back({soil + " (measured)", SoilColor(soil), Mark::kSquare, true, false});
  }
  // Published points, once each.
  std::set<int> drawn;
  bool viper_2021 = false, viper_2022 = false, other = false;
  for (const ValidationCase& c : cases) {
    if (c.group != "slip_uphill") continue;
    for (const ReferenceRow& p : c.points) {
      if (!drawn.insert(p.line).second) continue;
      const Mark mark = p.name == "viper-2021"   ? Mark::kCircle
                        : p.name == "viper-2022" ? Mark::kTriangle
                                                 : Mark::kDiamond;
      (mark == Mark::kCircle ? viper_2021 : mark == Mark::kTriangle ? viper_2022 : other) = true;
      chart.Marker(*p.x, *p.value, mark, kInk);
    }
  }
  if (viper_2021) legend.push_back({"VIPER GRC-1 2021", kInk, Mark::kCircle, false, false});
  if (viper_2022) legend.push_back({"VIPER GRC-1 2022", kInk, Mark::kTriangle, false, false});
  if (other) legend.push_back({"Mars rover point", kInk, Mark::kDiamond, false, false});
  legend.push_back({"reference range", cv::Scalar(120, 120, 120), Mark::kNone, false, true});
  legend.push_back({"did not climb", kInk, Mark::kCross, false, false});
  chart.Legend(legend);
  chart.Note(
      "Shaded bars: the reference ranges checked (colour of the soil). Sources: "
      "validation.md, scenarios/validation/mobility-reference.csv");
  return Png(chart.canvas());
}

std::vector<std::uint8_t> CrossSlopePng(const std::vector<ValidationCase>& cases) {
  const auto configurations = Configurations(cases, "cross_slope");
  std::vector<Series> slip, drift;
  for (const auto& [soil, list] : configurations) {
    slip.push_back(MeasuredSeries(list, "slip_pct"));
    drift.push_back(MeasuredSeries(list, "drift_pct"));
  }
  double drift_lo = 0;
  for (const Series& s : drift) {
    for (const auto& p : s) drift_lo = std::min(drift_lo, std::floor(p.second / 5) * 5);
  }
  Chart left(760, 520, "Cross-slope: forward slip", {-2, 27, 5, "slope (deg)", 0, 0.0},
             {0, AxisTop(slip, 50, 10), 10, "forward slip (%)", 0, {}});
  Chart right(760, 520, "Cross-slope: downhill drift", {-2, 27, 5, "slope (deg)", 0, 0.0},
              {drift_lo, AxisTop(drift, 15, 5), 5, "downhill drift (% of odometry)", 0, {}});
  DrawReferenceBands(right, cases, "cross_slope", "drift_pct", 0.45, drift_lo, 100);
  std::vector<LegendEntry> legend;
  std::size_t i = 0;
  for (const auto& [soil, list] : configurations) {
    left.Polyline(slip[i], SoilColor(soil));
    right.Polyline(drift[i], SoilColor(soil));
    for (const auto& [x, y] : slip[i]) left.Marker(x, y, Mark::kSquare, SoilColor(soil));
    for (const auto& [x, y] : drift[i]) right.Marker(x, y, Mark::kSquare, SoilColor(soil));
    legend.push_back({soil, SoilColor(soil), Mark::kSquare, true, false});
    ++i;
  }
  legend.push_back({"reference range", cv::Scalar(120, 120, 120), Mark::kNone, false, true});
  left.Legend(legend);
  right.Legend(legend);
  left.Note("Straight ~8 m across a slope rising to the rover's left; slip as sim/metrics.");
  right.Note("Drift: downhill displacement / wheel odometry.");
  cv::Mat both;
  cv::hconcat(left.canvas(), right.canvas(), both);
  return Png(both);
}

std::vector<std::uint8_t> StepClimbPng(const std::vector<ValidationCase>& cases) {
  Chart chart(1000, 600, "Climbing a vertical ledge (ensemble of start offsets, heading, dt)",
              {0.05, 0.65, 0.05, "ledge / rock height (m)", 2, {}},
              {0, 1, 0.1, "climb fraction over the ensemble", 1, {}});
  DrawReferenceBands(chart, cases, "step", "climb_fraction", 0.012, 0, 1);
  std::vector<LegendEntry> legend;
  for (const auto& [soil, list] : Configurations(cases, "step")) {
    const Series s = MeasuredSeries(list, "climb_fraction");
    chart.Polyline(s, SoilColor(soil));
    for (const auto& [x, y] : s) chart.Marker(x, y, Mark::kSquare, SoilColor(soil));
    legend.push_back({"ledge, " + soil, SoilColor(soil), Mark::kSquare, true, false});
  }
  for (const auto& [soil, list] : Configurations(cases, "rock")) {
    for (const ValidationCase* c : list) {
      chart.Marker(X(*c), Number(c->measured, "climbed").value_or(0), Mark::kDiamond, kInk);
    }
    legend.push_back({"rock, left wheels, " + soil, kInk, Mark::kDiamond, false, false});
  }
  legend.push_back(
      {"reference (always climbed)", cv::Scalar(120, 120, 120), Mark::kNone, false, true});
  chart.Legend(legend);
  chart.Note(
      "Ledge: climbed when the rear wheels end on top. Rock (height = half its width): "
      "1 = drove over it, 0 = did not.");
  return Png(chart.canvas());
}

void WriteValidationPlots(const std::filesystem::path& dir,
                          const std::vector<ValidationCase>& cases) {
  const auto write = [&](const char* name, const std::vector<std::uint8_t>& png) {
    WriteTextFile(dir / name, std::string(png.begin(), png.end()));
  };
  write("slip_vs_slope.png", SlipVsSlopePng(cases));
  write("cross_slope.png", CrossSlopePng(cases));
  write("step_climb.png", StepClimbPng(cases));
}

}  // namespace marsdrive::scenarios

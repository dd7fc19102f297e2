#include "viewer/series.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace marsdrive::viewer {

RunSeries MakeRunSeries(const RunData& run) {
  RunSeries out;
  PlotSeries slip{"slip", "", {}}, tilt{"tilt", "deg", {}}, speed{"speed", "m/s", {}};
  PlotSeries torque{"torque", "N m", {}}, progress{"progress", "m", {}};
  const double gx = run.record.goal.x_m, gy = run.record.goal.y_m;
  const auto& first = run.telemetry.front().position_map_m;
  const double d0 = std::hypot(first[0] - gx, first[1] - gy);
  for (const sim::TelemetrySample& s : run.telemetry) {
    out.time_s.push_back(static_cast<float>(s.time_s));
    out.distance_m.push_back(static_cast<float>(s.truth_distance_m));
    double slip_sum = 0, torque_sum = 0;
    int driven = 0;
    for (const sim::WheelSample& w : s.wheels) {
      torque_sum += std::abs(w.torque_Nm);
      if (w.in_contact && std::abs(w.speed_radps) > 1e-4 && std::isfinite(w.slip_ratio)) {
        slip_sum += w.slip_ratio;
        ++driven;
      }
    }
    // Clamped to [-1, 1]: a wheel spinning at near-zero speed gives meaningless outliers.
    slip.values.push_back(
        driven > 0 ? std::clamp(static_cast<float>(slip_sum / driven), -1.0f, 1.0f) : 0.0f);
    tilt.values.push_back(static_cast<float>(s.tilt_rad * 180.0 / std::numbers::pi));
    speed.values.push_back(
        static_cast<float>(std::hypot(s.velocity_map_mps[0], s.velocity_map_mps[1])));
    torque.values.push_back(static_cast<float>(torque_sum / sim::kWheelCount));
    progress.values.push_back(
        static_cast<float>(d0 - std::hypot(s.position_map_m[0] - gx, s.position_map_m[1] - gy)));
  }
  out.series = {std::move(slip), std::move(tilt), std::move(speed), std::move(torque),
                std::move(progress)};
  return out;
}

std::vector<float> ResampleOnAxis(const std::vector<float>& x, const std::vector<float>& y, int n) {
  std::vector<float> out;
  if (x.empty() || x.size() != y.size() || n < 2) return y;
  const float x0 = x.front(), x1 = x.back();
  std::size_t j = 0;
  for (int i = 0; i < n; ++i) {
    const float xi = x0 + (x1 - x0) * static_cast<float>(i) / static_cast<float>(n - 1);
    while (j + 1 < x.size() && x[j + 1] < xi) ++j;
    if (j + 1 >= x.size() || x[j + 1] <= x[j]) {
      out.push_back(y[j]);
      continue;
    }
    const float f = std::clamp((xi - x[j]) / (x[j + 1] - x[j]), 0.0f, 1.0f);
    out.push_back(y[j] + (y[j + 1] - y[j]) * f);
  }
  return out;
}

}  // namespace marsdrive::viewer

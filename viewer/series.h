#pragma once
// Telemetry series for the plots (slip, tilt, speed, wheel torque, progress), over time or
// distance driven, computed without ImGui.

#include <string>
#include <vector>

#include "viewer/run_data.h"

namespace marsdrive::viewer {

struct PlotSeries {
  std::string name;           // "slip", "tilt", "speed", "torque", "progress"
  std::string unit;           // "", "deg", "m/s", "N m", "m"
  std::vector<float> values;  // one per telemetry sample
};

struct RunSeries {
  std::vector<float> time_s;      // x axis options, one per sample
  std::vector<float> distance_m;  // true distance driven
  std::vector<PlotSeries> series;
};

// slip: mean longitudinal slip ratio of the wheels in contact and driven (0 when none);
// tilt: degrees; speed: horizontal, m/s; torque: mean |drive torque| of the six wheels;
// progress: distance to the goal at the start minus distance to the goal now.
RunSeries MakeRunSeries(const RunData& run);

// y(x) resampled at n evenly spaced x from x.front() to x.back() (x non-decreasing), linear
// between samples: the plots' distance axis.
std::vector<float> ResampleOnAxis(const std::vector<float>& x, const std::vector<float>& y, int n);

}  // namespace marsdrive::viewer

#pragma once
// The plots of `marsdrive validate mobility` (docs/validation.md), PNG via OpenCV:
//   slip_vs_slope.png  measured mean uphill slip per soil, the reference envelopes (shaded
//                      bars) and the published points (VIPER/GRC-1, Mars rovers)
//   cross_slope.png    forward slip and downhill drift (% of distance) per soil vs slope
//   step_climb.png     climb fraction over the perturbation ensemble per soil vs ledge height,
//                      the rock cases, and the ledge targets
// Drawn from the cases alone, so they always agree with validation.json.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "scenarios/mobility_cases.h"

namespace marsdrive::scenarios {

// PNG bytes of each plot.
std::vector<std::uint8_t> SlipVsSlopePng(const std::vector<ValidationCase>& cases);
std::vector<std::uint8_t> CrossSlopePng(const std::vector<ValidationCase>& cases);
std::vector<std::uint8_t> StepClimbPng(const std::vector<ValidationCase>& cases);

// Writes the three PNGs into `dir` (InputError naming the file when one cannot be written).
void WriteValidationPlots(const std::filesystem::path& dir,
                          const std::vector<ValidationCase>& cases);

}  // namespace marsdrive::scenarios

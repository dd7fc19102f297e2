#pragma once
// How well plan checks predicted what then happened (docs/plan-check.md "Calibration"): each
// check's p_goal and verdict against whether the drive on the ground truth reached the goal.
// Brier score, a reliability table and the two costly mistakes: a `go` that failed and a
// `no_go` that would have succeeded.

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace marsdrive::scenarios {

// One checked plan: the twin's prediction and the ground truth's outcome.
struct CalibrationSample {
  double p_goal = 0;          // predicted probability of reaching the goal, in [0, 1]
  std::string verdict;        // "go" | "marginal" | "no_go"
  bool goal_reached = false;  // what the drive on the ground truth did
};

// Samples whose p_goal fell in [lo, hi) ([0.9, 1.0] for the last bin).
struct ReliabilityBin {
  double lo = 0, hi = 0;
  int count = 0;
  double mean_predicted = 0;  // mean p_goal; 0 when empty
  double observed_rate = 0;   // fraction that reached the goal; 0 when empty
};

struct Calibration {
  int count = 0;
  double brier = 0;  // mean (p_goal - reached)^2: 0 perfect, 0.25 always saying 0.5, 1 all wrong
  std::vector<ReliabilityBin> bins;  // 10 bins [0, 0.1) .. [0.9, 1.0], empty ones kept
  int go_count = 0, go_failed = 0;   // `go` verdicts; of them, drives that missed the goal
  int marginal_count = 0;
  int no_go_count = 0, no_go_succeeded = 0;  // `no_go` verdicts; of them, drives that reached it
};

// Throws InputError for a p_goal outside [0, 1] (or NaN) or an unknown verdict, naming the sample.
Calibration ComputeCalibration(std::span<const CalibrationSample> samples);

// {count, brier, reliability: [{lo, hi, count, mean_predicted, observed_rate}], go: {count,
// failed, failed_rate}, marginal: {count}, no_go: {count, succeeded, succeeded_rate}}; brier and
// the rates are null when there is nothing to divide by, as are an empty bin's mean and rate.
nlohmann::ordered_json CalibrationToJson(const Calibration& calibration);

}  // namespace marsdrive::scenarios

#include "scenarios/calibration.h"

#include <cmath>

#include "base/check.h"
#include "base/format.h"
#include "base/text.h"

namespace marsdrive::scenarios {

namespace {

constexpr int kBins = 10;

// The bin of p: edges compared as i / 10.0, the same doubles as the literals 0.1 .. 0.9, so a
// p_goal of exactly 0.1 lands in [0.1, 0.2) whatever 0.1 * 10 rounds to; 1.0 in the last.
int BinOf(double p) {
  int bin = 0;
  while (bin + 1 < kBins && p >= (bin + 1) / 10.0) ++bin;
  return bin;
}

void CheckSample(const CalibrationSample& s, std::size_t i) {
  const std::string where = "calibration: sample " + std::to_string(i) + ": ";
  MD_THROW_UNLESS(
      s.p_goal >= 0 && s.p_goal <= 1,  // false for NaN
      where + "p_goal: expected a probability in [0, 1], got " + base::FormatExact(s.p_goal));
  MD_THROW_UNLESS(s.verdict == "go" || s.verdict == "marginal" || s.verdict == "no_go",
                  where + "verdict: expected go, marginal or no_go, got " +
                      base::QuoteExcerpt(s.verdict, 40, '\''));
}

// `value`, or null when it averages over nothing (`count` 0).
nlohmann::ordered_json OrNull(double value, int count) {
  return count > 0 ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json Rate(int part, int whole) {
  return OrNull(whole > 0 ? static_cast<double>(part) / whole : 0, whole);
}

}  // namespace

Calibration ComputeCalibration(std::span<const CalibrationSample> samples) {
  Calibration c;
  for (int i = 0; i < kBins; ++i) c.bins.push_back({.lo = i / 10.0, .hi = (i + 1) / 10.0});
  double squared_error = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const CalibrationSample& s = samples[i];
    CheckSample(s, i);
    const double outcome = s.goal_reached ? 1.0 : 0.0;
    squared_error += (s.p_goal - outcome) * (s.p_goal - outcome);
    ReliabilityBin& bin = c.bins[static_cast<std::size_t>(BinOf(s.p_goal))];
    ++bin.count;
    bin.mean_predicted += s.p_goal;  // sums here, means below
    bin.observed_rate += outcome;
    if (s.verdict == "go") {
      ++c.go_count;
      c.go_failed += s.goal_reached ? 0 : 1;
    } else if (s.verdict == "no_go") {
      ++c.no_go_count;
      c.no_go_succeeded += s.goal_reached ? 1 : 0;
    } else {
      ++c.marginal_count;
    }
  }
  c.count = static_cast<int>(samples.size());
  c.brier = c.count > 0 ? squared_error / c.count : 0;
  for (ReliabilityBin& bin : c.bins) {
    if (bin.count == 0) continue;
    bin.mean_predicted /= bin.count;
    bin.observed_rate /= bin.count;
  }
  return c;
}

nlohmann::ordered_json CalibrationToJson(const Calibration& c) {
  nlohmann::ordered_json reliability = nlohmann::ordered_json::array();
  for (const ReliabilityBin& bin : c.bins) {
    reliability.push_back({{"lo", bin.lo},
                           {"hi", bin.hi},
                           {"count", bin.count},
                           {"mean_predicted", OrNull(bin.mean_predicted, bin.count)},
                           {"observed_rate", OrNull(bin.observed_rate, bin.count)}});
  }
  nlohmann::ordered_json j;
  j["count"] = c.count;
  j["brier"] = OrNull(c.brier, c.count);
  j["reliability"] = std::move(reliability);
  j["go"] = {{"count", c.go_count},
             {"failed", c.go_failed},
             {"failed_rate", Rate(c.go_failed, c.go_count)}};
  j["marginal"] = {{"count", c.marginal_count}};
  j["no_go"] = {{"count", c.no_go_count},
                {"succeeded", c.no_go_succeeded},
                {"succeeded_rate", Rate(c.no_go_succeeded, c.no_go_count)}};
  return j;
}

}  // namespace marsdrive::scenarios

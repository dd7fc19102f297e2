// Metrics on synthetic telemetry whose answers are known by construction: slip windows, hazard
// events, stuck detection, distances and progress. Every test pairs its expectation with a
// control (or a precondition) so that a metric that always returns the same value fails.
#include "sim/metrics.h"

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/metrics_json.h"
#include "sim/drive_metrics.h"

namespace marsdrive::sim {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kPi = std::numbers::pi;

// A drive sampled every dt_s: odometry advances at speed_mps along `odo(s)` and the truth along
// `truth(s)`, s being the odometry distance; every sample carries the same command.
struct Track {
  std::function<std::array<double, 2>(double)> odo;
  std::function<std::array<double, 3>(double)> truth;
};

Telemetry Sampled(const Track& track, double length_m, double step_m, CommandKind command,
                  int command_index = 0, double t0_s = 0, double d0_m = 0) {
  Telemetry t;
  const int n = static_cast<int>(std::round(length_m / step_m));
  for (int k = 0; k <= n; ++k) {
    const double s = std::min(k * step_m, length_m);
    TelemetrySample sample;
    sample.time_s = t0_s + s / 0.04;  // 4 cm/s
    sample.odometry_distance_m = d0_m + s;
    sample.odometry_position_map_m = track.odo(s);
    sample.position_map_m = track.truth(s);
    sample.command = command;
    sample.command_index = command_index;
    t.push_back(sample);
  }
  return t;
}

// Along +x; the truth covers `truth_fraction` of the odometry.
Track AlongX(double truth_fraction) {
  return {[](double s) {
            return std::array<double, 2>{s, 0};
          },
          [truth_fraction](double s) {
            return std::array<double, 3>{truth_fraction * s, 0, 0};
          }};
}

MetricsConfig DefaultConfig() { return MetricsConfig{}; }

// ---------------------------------------------------------------------------------- slip --

TEST(Slip, ZeroWhenTheRoverMovesExactlyAsOdometrySays) {
  const Metrics m =
      ComputeMetrics(Sampled(AlongX(1.0), 10, 0.01, CommandKind::kStraight), DefaultConfig());
  ASSERT_EQ(m.slip.count, 20);  // precondition: there are windows to measure
  for (const SlipWindow& w : m.slip_windows) EXPECT_NEAR(w.slip, 0.0, 1e-12);
  EXPECT_NEAR(m.slip.mean, 0.0, 1e-12);
  EXPECT_NEAR(m.slip.p95, 0.0, 1e-12);
  EXPECT_NEAR(m.slip.max, 0.0, 1e-12);
  EXPECT_EQ(m.slip_distance_over_limit_m, 0.0);
}

TEST(Slip, HalfInEveryWindowWhenTheRoverMovesHalfAsFar) {
  MetricsConfig config;
  config.limits.slip_limit = 0.4;
  const Telemetry t = Sampled(AlongX(0.5), 10, 0.01, CommandKind::kStraight);
  const Metrics m = ComputeMetrics(t, config);
  ASSERT_EQ(m.slip.count, 20);
  for (const SlipWindow& w : m.slip_windows) EXPECT_NEAR(w.slip, 0.5, 1e-9);
  EXPECT_NEAR(m.slip.mean, 0.5, 1e-9);
  EXPECT_NEAR(m.slip.p95, 0.5, 1e-9);
  EXPECT_NEAR(m.slip.max, 0.5, 1e-9);
  EXPECT_NEAR(m.slip_distance_over_limit_m, 10.0, 1e-9);  // all of it is above 40 %
  config.limits.slip_limit = 0.6;                         // control: none above 60 %
  EXPECT_EQ(ComputeMetrics(t, config).slip_distance_over_limit_m, 0.0);
}

TEST(Slip, WindowsAreExactlyTheWindowLengthWhateverTheSampling) {
  // 0.07 m between samples does not divide 0.5 m: windows are cut by interpolation.
  const Metrics m =
      ComputeMetrics(Sampled(AlongX(0.75), 10.01, 0.07, CommandKind::kStraight), DefaultConfig());
  ASSERT_EQ(m.slip.count, 20);  // the trailing 0.01 m is under half a window: dropped
  for (const SlipWindow& w : m.slip_windows) {
    EXPECT_NEAR(w.odometry_m, 0.5, 1e-9);
    EXPECT_NEAR(w.slip, 0.25, 1e-9);
    EXPECT_NEAR(w.end_s - w.start_s, 0.5 / 0.04, 1e-6);
  }
  EXPECT_NEAR(m.slip_windows[3].x_m, 0.75 * 1.5, 1e-9);  // the 4th window starts at 1.5 m odo
}

TEST(Slip, ATrailingPieceCountsWhenItHoldsHalfAWindow) {
  const Metrics kept =
      ComputeMetrics(Sampled(AlongX(1.0), 10.3, 0.01, CommandKind::kStraight), DefaultConfig());
  ASSERT_EQ(kept.slip.count, 21);
  EXPECT_NEAR(kept.slip_windows.back().odometry_m, 0.3, 1e-9);
  const Metrics dropped =
      ComputeMetrics(Sampled(AlongX(1.0), 10.2, 0.01, CommandKind::kStraight), DefaultConfig());
  EXPECT_EQ(dropped.slip.count, 20);
}

TEST(Slip, ATurnInPlaceContributesNoWindows) {
  // The wheels turn (odometry distance grows) but the rover stays where it is.
  const Track spin{[](double) {
                     return std::array<double, 2>{0, 0};
                   },
                   [](double) {
                     return std::array<double, 3>{0, 0, 0};
                   }};
  const Telemetry turning = Sampled(spin, 3, 0.01, CommandKind::kTurnInPlace);
  const Metrics m = ComputeMetrics(turning, DefaultConfig());
  EXPECT_EQ(m.slip.count, 0);
  EXPECT_EQ(m.slip_windows_skipped, 0);
  EXPECT_EQ(m.slip.mean, 0.0);
  // Control: translation with a moving dead-reckoned position and a rover that stays put is
  // measured, and it is 100 % slip.
  const Track stuck{[](double s) {
                      return std::array<double, 2>{s, 0};
                    },
                    [](double) {
                      return std::array<double, 3>{0, 0, 0};
                    }};
  const Metrics control =
      ComputeMetrics(Sampled(stuck, 3, 0.01, CommandKind::kStraight), DefaultConfig());
  EXPECT_EQ(control.slip.count, 6);
  EXPECT_NEAR(control.slip.mean, 1.0, 1e-12);
}

TEST(Slip, WindowsDoNotSpanCommandsOrTurns) {
  // Two straights of 0.7 m: 0.5 + 0.2 each, and 0.2 is dropped: 2 windows.
  Telemetry t = Sampled(AlongX(1.0), 0.7, 0.01, CommandKind::kStraight, 0);
  Telemetry second = Sampled(AlongX(1.0), 0.7, 0.01, CommandKind::kStraight, 1, 0.7 / 0.04, 0.7);
  for (TelemetrySample& s : second) {
    s.odometry_position_map_m[0] += 0.7;
    s.position_map_m[0] += 0.7;
  }
  t.insert(t.end(), second.begin() + 1, second.end());
  EXPECT_EQ(ComputeMetrics(t, DefaultConfig()).slip.count, 2);
  // Control: the same samples as one command make 1.4 m = 0.5 + 0.5 + 0.4 (kept): 3 windows.
  for (TelemetrySample& s : t) s.command_index = 0;
  EXPECT_EQ(ComputeMetrics(t, DefaultConfig()).slip.count, 3);
}

TEST(Slip, ArcsAtOdometrySpeedHaveNoSlipAndSidewaysMotionIsNotProgress) {
  const double r = 3.0;
  const Track arc{[r](double s) {
                    return std::array<double, 2>{r * std::sin(s / r), r - r * std::cos(s / r)};
                  },
                  [r](double s) {
                    return std::array<double, 3>{r * std::sin(s / r), r - r * std::cos(s / r), 0};
                  }};
  const Metrics on_arc = ComputeMetrics(Sampled(arc, 4, 0.01, CommandKind::kArc), DefaultConfig());
  ASSERT_EQ(on_arc.slip.count, 8);
  // Not exactly 0: the dead-reckoned xy track is measured along chords between samples, 1 cm
  // apart on a 3 m radius: relative error (0.01 / 3)^2 / 24 = 5e-7.
  EXPECT_NEAR(on_arc.slip.max, 0.0, 1e-6);
  EXPECT_NEAR(on_arc.slip.mean, 0.0, 1e-6);
  // Crabbing at 45 deg to the dead-reckoned direction, as far as odometry says: only the
  // component along it counts.
  const Track crab{[](double s) {
                     return std::array<double, 2>{s, 0};
                   },
                   [](double s) {
                     return std::array<double, 3>{s * std::sqrt(0.5), s * std::sqrt(0.5), 0};
                   }};
  const Metrics crabbing =
      ComputeMetrics(Sampled(crab, 2, 0.01, CommandKind::kStraight), DefaultConfig());
  EXPECT_NEAR(crabbing.slip.mean, 1 - std::sqrt(0.5), 1e-9);
}

TEST(Slip, ASlippingArcReadsItsSlip) {
  // Odometry on a radius-3 arc; the rover covers 70 % of it along the same arc (same heading
  // rate per metre driven): the windows' chords differ in length, and the slip follows.
  const double r = 3.0;
  const Track arc{
      [r](double s) {
        return std::array<double, 2>{r * std::sin(s / r), r - r * std::cos(s / r)};
      },
      [r](double s) {
        return std::array<double, 3>{r * std::sin(0.7 * s / r), r - r * std::cos(0.7 * s / r), 0};
      }};
  const Metrics m = ComputeMetrics(Sampled(arc, 2, 0.01, CommandKind::kArc), DefaultConfig());
  ASSERT_EQ(m.slip.count, 4);
  // Hand-computed: the true chord of window k, projected on the odometry chord's direction.
  for (int k = 0; k < 4; ++k) {
    const double s0 = 0.5 * k, s1 = s0 + 0.5;
    const double ox = r * (std::sin(s1 / r) - std::sin(s0 / r));
    const double oy = r * (std::cos(s0 / r) - std::cos(s1 / r));
    const double tx = r * (std::sin(0.7 * s1 / r) - std::sin(0.7 * s0 / r));
    const double ty = r * (std::cos(0.7 * s0 / r) - std::cos(0.7 * s1 / r));
    const double chord = std::hypot(ox, oy);
    EXPECT_NEAR(m.slip_windows[k].slip, 1 - (tx * ox + ty * oy) / chord / chord, 1e-6);
    EXPECT_GT(m.slip_windows[k].slip, 0.25);  // and it is about 30 %
    EXPECT_LT(m.slip_windows[k].slip, 0.35);
  }
}

TEST(Slip, DrivingBackwardsIsMeasuredAlongTheBackwardDirection) {
  const Track back{[](double s) {
                     return std::array<double, 2>{-s, 0};
                   },
                   [](double s) {
                     return std::array<double, 3>{-0.8 * s, 0, 0};
                   }};
  const Metrics m = ComputeMetrics(Sampled(back, 3, 0.01, CommandKind::kStraight), DefaultConfig());
  ASSERT_EQ(m.slip.count, 6);
  EXPECT_NEAR(m.slip.mean, 0.2, 1e-9);
  EXPECT_NEAR(m.slip.max, 0.2, 1e-9);
}

TEST(Slip, ANoSlipClimbReadsZeroWhicheverWayOdometryHandlesPitch) {
  const double pitch = 20 * kDegToRad;
  ASSERT_GT(1 - std::cos(pitch), 0.05);  // a naive horizontal comparison would read 6 %
  const auto climb = [pitch](double s) {
    return std::array<double, 3>{s * std::cos(pitch), 0, s * std::sin(pitch)};
  };
  const Track heading_only{[](double s) { return std::array<double, 2>{s, 0}; }, climb};
  const Track pitch_projected{[pitch](double s) {
                                return std::array<double, 2>{s * std::cos(pitch), 0};
                              },
                              climb};
  for (const Track& track : {heading_only, pitch_projected}) {
    const Metrics m =
        ComputeMetrics(Sampled(track, 5, 0.01, CommandKind::kStraight), DefaultConfig());
    ASSERT_EQ(m.slip.count, 10);
    EXPECT_NEAR(m.slip.max, 0.0, 1e-9);
    EXPECT_NEAR(m.slip.mean, 0.0, 1e-9);
  }
  // Control: half the progress up the same slope reads 50 %.
  const Track slipping{[](double s) {
                         return std::array<double, 2>{s, 0};
                       },
                       [&climb](double s) { return climb(0.5 * s); }};
  EXPECT_NEAR(
      ComputeMetrics(Sampled(slipping, 5, 0.01, CommandKind::kStraight), DefaultConfig()).slip.mean,
      0.5, 1e-9);
}

TEST(Slip, MeanP95AndMaxOfAKnownDistribution) {
  // 100 windows whose slips are 0.01, 0.02, ..., 1.00 in a scrambled order (37 is coprime
  // with 100): one sample per window boundary, the truth advancing (1 - slip) * 0.5.
  Telemetry t;
  double truth_x = 0;
  for (int k = 0; k <= 100; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.odometry_distance_m = 0.5 * k;
    s.odometry_position_map_m = {0.5 * k, 0};
    s.position_map_m = {truth_x, 0, 0};
    s.command = CommandKind::kStraight;
    s.command_index = 0;
    t.push_back(s);
    const double slip = ((k * 37) % 100 + 1) / 100.0;
    truth_x += (1 - slip) * 0.5;
  }
  MetricsConfig config;
  config.limits.slip_limit = 0.405;  // between two slips, away from rounding
  const Metrics m = ComputeMetrics(t, config);
  ASSERT_EQ(m.slip.count, 100);
  EXPECT_NEAR(m.slip.mean, 0.505, 1e-9);
  EXPECT_NEAR(m.slip.p95, 0.95, 1e-9);  // nearest rank: the 95th of 100 sorted values
  EXPECT_NEAR(m.slip.max, 1.00, 1e-9);
  EXPECT_NEAR(m.slip_distance_over_limit_m, 60 * 0.5, 1e-9);  // slips 0.41..1.00
}

TEST(Slip, NearestRankQuantile) {
  EXPECT_EQ(NearestRankQuantile({}, 0.95), 0.0);
  EXPECT_EQ(NearestRankQuantile({7}, 0.95), 7.0);
  EXPECT_EQ(NearestRankQuantile({3, 1, 2}, 0.5), 2.0);
  EXPECT_EQ(NearestRankQuantile({3, 1, 2}, 1.0), 3.0);
  EXPECT_EQ(NearestRankQuantile({4, 1, 3, 2}, 0.5), 2.0);
  EXPECT_EQ(NearestRankQuantile({4, 1, 3, 2}, 0.51), 3.0);
}

TEST(Slip, PerWheelLongitudinalSlipUsesDrivenWheelsInContactWhileTranslating) {
  Telemetry t = Sampled(AlongX(1.0), 2, 0.01, CommandKind::kStraight);
  for (std::size_t i = 0; i < t.size(); ++i) {
    for (WheelSample& w : t[i].wheels) {
      w.in_contact = true;
      w.speed_radps = 0.16;
    }
    t[i].wheels[0].slip_ratio = i < 100 ? 0.1 : 0.3;  // lf: 100 samples 0.1, 101 samples 0.3
    t[i].wheels[4].slip_ratio = 0.9;
    t[i].wheels[4].in_contact = false;  // rm is in the air: not counted
  }
  t.back().command = CommandKind::kTurnInPlace;  // not translating: not counted
  const Metrics m = ComputeMetrics(t, DefaultConfig());
  EXPECT_EQ(m.wheel_slip[0].count, 200);
  EXPECT_NEAR(m.wheel_slip[0].mean, 0.2, 1e-12);
  EXPECT_NEAR(m.wheel_slip[0].p95, 0.3, 1e-12);
  EXPECT_NEAR(m.wheel_slip[0].max, 0.3, 1e-12);
  EXPECT_EQ(m.wheel_slip[1].count, 200);
  EXPECT_EQ(m.wheel_slip[1].max, 0.0);
  EXPECT_EQ(m.wheel_slip[4].count, 0);
}

// ------------------------------------------------------------------------------- hazards --

// Samples every 0.1 s for `seconds` along +x at 0.04 m/s, commanded straight.
Telemetry Timeline(double seconds) {
  Telemetry t;
  for (int k = 0; k * 0.1 <= seconds + 1e-9; ++k) {
    TelemetrySample s;
    s.time_s = k * 0.1;
    s.position_map_m = {0.004 * k, 0, 0};
    s.odometry_position_map_m = {0.004 * k, 0};
    s.odometry_distance_m = s.truth_distance_m = 0.004 * k;
    s.command = CommandKind::kStraight;
    s.command_index = 0;
    t.push_back(s);
  }
  return t;
}

bool Between(double t, double from, double to) { return t >= from - 1e-9 && t < to - 1e-9; }

TEST(Hazards, ATiltExcursionIsOneEventWithItsStartAndDuration) {
  Telemetry t = Timeline(10);
  for (TelemetrySample& s : t) s.tilt_rad = (Between(s.time_s, 2.0, 5.0) ? 35 : 5) * kDegToRad;
  const Metrics m = ComputeMetrics(t, DefaultConfig());  // limit 30 deg
  ASSERT_EQ(m.hazards.size(), 1u);
  EXPECT_EQ(m.hazards[0].kind, HazardKind::kTilt);
  EXPECT_EQ(m.hazards[0].part, "");
  EXPECT_NEAR(m.hazards[0].start_s, 2.0, 1e-9);
  EXPECT_NEAR(m.hazards[0].duration_s, 3.0, 1e-9);
  EXPECT_NEAR(m.hazards[0].x_m, 0.08, 1e-12);  // where the rover was at 2 s
  EXPECT_EQ(m.hazard_counts[static_cast<int>(HazardKind::kTilt)], 1);
  EXPECT_NEAR(m.tilt_max_rad, 35 * kDegToRad, 1e-12);
  MetricsConfig lenient;  // control: a 40 deg limit sees nothing
  lenient.limits.max_tilt_rad = 40 * kDegToRad;
  EXPECT_TRUE(ComputeMetrics(t, lenient).hazards.empty());
}

TEST(Hazards, ARolloverIsTiltBeyondTipOverInTheDirectionTheRoverLeans) {
  // Perseverance (vehicle/tip_over.h): 50.6 deg sideways, 45.7 deg nose down, 53.5 deg nose up.
  const auto rollovers = [](double roll_deg, double pitch_deg) {
    Telemetry t = Timeline(10);
    for (TelemetrySample& s : t) {
      const bool tipped = Between(s.time_s, 4.0, 11.0);
      s.roll_rad = tipped ? roll_deg * kDegToRad : 0.0;
      s.pitch_rad = tipped ? pitch_deg * kDegToRad : 0.0;
    }
    const Metrics m = ComputeMetrics(t, DefaultConfig());
    const int n = m.hazard_counts[static_cast<int>(HazardKind::kRollover)];
    if (n == 1) {
      EXPECT_NEAR(m.hazards.back().start_s, 4.0, 1e-9);
    }
    return n;
  };
  EXPECT_EQ(rollovers(52, 0), 1);
  EXPECT_EQ(rollovers(-52, 0), 1);
  EXPECT_EQ(rollovers(49, 0), 0);   // control: stable sideways
  EXPECT_EQ(rollovers(0, 47), 1);   // nose down past the front axle
  EXPECT_EQ(rollovers(0, -47), 0);  // control: nose up is stabler
  EXPECT_EQ(rollovers(180, 0), 1);  // upside down
}

TEST(Hazards, SeparateExcursionsAndOneLastingToTheEnd) {
  Telemetry t = Timeline(10);
  for (TelemetrySample& s : t) {
    const bool over =
        Between(s.time_s, 1.0, 1.5) || Between(s.time_s, 4.0, 6.0) || s.time_s >= 9.0 - 1e-9;
    s.tilt_rad = (over ? 31 : 0) * kDegToRad;
  }
  const Metrics m = ComputeMetrics(t, DefaultConfig());
  ASSERT_EQ(m.hazards.size(), 3u);
  EXPECT_NEAR(m.hazards[0].duration_s, 0.5, 1e-9);
  EXPECT_NEAR(m.hazards[1].start_s, 4.0, 1e-9);
  EXPECT_NEAR(m.hazards[1].duration_s, 2.0, 1e-9);
  EXPECT_NEAR(m.hazards[2].start_s, 9.0, 1e-9);
  EXPECT_NEAR(m.hazards[2].duration_s, 1.0, 1e-9);  // ends with the run
  EXPECT_EQ(m.hazard_counts[static_cast<int>(HazardKind::kTilt)], 3);
}

TEST(Hazards, BodyContactsMergePerPartAtTheirContactPoint) {
  Telemetry t = Timeline(5);
  for (TelemetrySample& s : t) {
    if (Between(s.time_s, 1.0, 2.0)) {
      // Two chassis contacts in one sample are still one chassis condition.
      s.body_contacts.push_back({BodyPart::kChassis, true, {5, 6, 0.3}, 200});
      s.body_contacts.push_back({BodyPart::kChassis, false, {5.5, 6, 0.3}, 10});
    }
    if (Between(s.time_s, 1.5, 1.7)) {
      s.body_contacts.push_back({BodyPart::kRockerLeft, false, {7, 8, 0.2}, 50});
    }
  }
  const Metrics m = ComputeMetrics(t, DefaultConfig());
  ASSERT_EQ(m.hazards.size(), 2u);
  EXPECT_EQ(m.hazards[0].kind, HazardKind::kBodyContact);
  EXPECT_EQ(m.hazards[0].part, "chassis");
  EXPECT_NEAR(m.hazards[0].start_s, 1.0, 1e-9);
  EXPECT_NEAR(m.hazards[0].duration_s, 1.0, 1e-9);
  EXPECT_EQ(m.hazards[0].x_m, 5.0);
  EXPECT_EQ(m.hazards[0].y_m, 6.0);
  EXPECT_EQ(m.hazards[1].part, "rocker_left");
  EXPECT_NEAR(m.hazards[1].duration_s, 0.2, 1e-9);
  EXPECT_EQ(m.hazard_counts[static_cast<int>(HazardKind::kBodyContact)], 2);
  // A force threshold drops the light rocker touch (50 N) but not the chassis (200 N).
  MetricsConfig config;
  config.body_contact_min_force_N = 100;
  const Metrics heavy = ComputeMetrics(t, config);
  ASSERT_EQ(heavy.hazards.size(), 1u);
  EXPECT_EQ(heavy.hazards[0].part, "chassis");
}

TEST(Hazards, WheelOnARockCountsOnlyAboveTheRockLimit) {
  Telemetry t = Timeline(3);
  for (TelemetrySample& s : t) {
    if (Between(s.time_s, 1.0, 2.0)) {
      s.wheels[0].on_rock = true;  // lf on a 0.30 m rock: below the 0.40 m limit
      s.wheels[0].rock_height_m = 0.30;
      s.wheels[3].on_rock = true;  // rf on a 0.50 m rock: above
      s.wheels[3].rock_height_m = 0.50;
    }
  }
  const Metrics m = ComputeMetrics(t, DefaultConfig());
  ASSERT_EQ(m.hazards.size(), 1u);
  EXPECT_EQ(m.hazards[0].kind, HazardKind::kWheelOnRock);
  EXPECT_EQ(m.hazards[0].part, "rf");
  EXPECT_NEAR(m.hazards[0].duration_s, 1.0, 1e-9);
  MetricsConfig strict;  // control: a 0.25 m limit catches both wheels
  strict.limits.max_rock_height_m = 0.25;
  EXPECT_EQ(ComputeMetrics(t, strict).hazard_counts[static_cast<int>(HazardKind::kWheelOnRock)], 2);
}

TEST(Hazards, SuspensionAtOrBeyondItsLimits) {
  Telemetry t = Timeline(3);
  const vehicle::RoverLimits limits;
  for (TelemetrySample& s : t) {
    s.rocker_left_rad = 0.5 * limits.rocker_max_rad;
    s.rocker_right_rad = -0.5 * limits.rocker_max_rad;
    if (Between(s.time_s, 0.5, 1.0)) s.rocker_left_rad = limits.rocker_max_rad + 0.01;
    if (Between(s.time_s, 2.0, 2.5)) s.bogie_right_rad = limits.bogie_min_rad;  // at the stop
  }
  const Metrics m = ComputeMetrics(t, DefaultConfig());
  ASSERT_EQ(m.hazards.size(), 2u);
  EXPECT_EQ(m.hazards[0].kind, HazardKind::kSuspension);
  EXPECT_EQ(m.hazards[0].part, "rocker_left");
  EXPECT_NEAR(m.hazards[0].start_s, 0.5, 1e-9);
  EXPECT_EQ(m.hazards[1].part, "bogie_right");
  EXPECT_NEAR(m.hazards[1].start_s, 2.0, 1e-9);
  EXPECT_NEAR(m.hazards[1].duration_s, 0.5, 1e-9);
}

TEST(Hazards, AKeepOutCrossingIsOneEventAtTheEntryPoint) {
  // Along y = 1 from x = 0 to 10 in 0.3 m steps, through the square x 4..6, y 0..2.
  Telemetry t;
  for (int k = 0; k <= 33; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.position_map_m = {0.3 * k, 1, 0};
    s.command = CommandKind::kStraight;
    t.push_back(s);
  }
  MetricsConfig config;
  config.keep_outs.push_back({"crater", {{4, 0}, {6.1, 0}, {6.1, 2}, {4, 2}}});
  const Metrics m = ComputeMetrics(t, config);
  ASSERT_EQ(m.hazards.size(), 1u);
  const HazardEvent& e = m.hazards[0];
  EXPECT_EQ(e.kind, HazardKind::kKeepOut);
  EXPECT_EQ(e.part, "crater");
  EXPECT_NEAR(e.x_m, 4.0, 1e-9);  // on the boundary, between the samples at 3.9 and 4.2 m
  EXPECT_NEAR(e.y_m, 1.0, 1e-12);
  EXPECT_EQ(e.start_s, 14.0);    // first sample inside (x = 4.2)
  EXPECT_EQ(e.duration_s, 7.0);  // until the first sample outside (x = 6.3 > 6.1)
  // With a 0.5 m margin the rover "enters" half a metre earlier.
  config.keep_out_margin_m = 0.5;
  const Metrics margin = ComputeMetrics(t, config);
  ASSERT_EQ(margin.hazards.size(), 1u);
  EXPECT_NEAR(margin.hazards[0].x_m, 3.5, 1e-9);
  // Control: a zone off the track is never entered.
  config.keep_outs[0].polygon_map_m = {{4, 3}, {6, 3}, {5, 5}};
  config.keep_out_margin_m = 0;
  EXPECT_TRUE(ComputeMetrics(t, config).hazards.empty());
}

TEST(Hazards, KeepOutPolygonsMayBeConcave) {
  // A U shape open to the north: the track at y = 3 runs through the notch (x 2..4) unharmed.
  MetricsConfig config;
  config.keep_outs.push_back(
      {"u", {{0, 0}, {6, 0}, {6, 4}, {4, 4}, {4, 2}, {2, 2}, {2, 4}, {0, 4}}});
  Telemetry t;
  for (int k = 0; k <= 4; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.position_map_m = {2.4 + 0.3 * k, 3, 0};
    t.push_back(s);
  }
  EXPECT_TRUE(ComputeMetrics(t, config).hazards.empty());
  for (TelemetrySample& s : t) s.position_map_m[1] = 1;  // control: through the base
  EXPECT_EQ(ComputeMetrics(t, config).hazards.size(), 1u);
}

// ---------------------------------------------------------------------------------- stuck --

// Drives 0.04 m/s for `moving_s`, then stays put while commanded `then` for `stuck_s`.
Telemetry MovesThenStops(double moving_s, double stuck_s, CommandKind then) {
  Telemetry t;
  for (int k = 0; k <= static_cast<int>((moving_s + stuck_s) / 0.5); ++k) {
    TelemetrySample s;
    s.time_s = 0.5 * k;
    const double x = 0.04 * std::min(s.time_s, moving_s);
    s.position_map_m = {x, 0, 0};
    s.command = s.time_s <= moving_s ? CommandKind::kStraight : then;
    s.command_index = 0;
    t.push_back(s);
  }
  return t;
}

TEST(Stuck, CommandedMotionWithoutProgressIsOneStuckEventFromWhereItStopped) {
  MetricsConfig config;
  config.stuck_time_s = 60;
  const Metrics m = ComputeMetrics(MovesThenStops(100, 100, CommandKind::kStraight), config);
  ASSERT_EQ(m.hazards.size(), 1u);
  const HazardEvent& e = m.hazards[0];
  EXPECT_EQ(e.kind, HazardKind::kStuck);
  EXPECT_TRUE(m.stuck);
  // The last progress (>= 5 cm) before 100 s happened within one progress step of it.
  EXPECT_GT(e.start_s, 100 - config.stuck_min_progress_m / 0.04 - 1e-9);
  EXPECT_LE(e.start_s, 100);
  EXPECT_NEAR(e.x_m, 0.04 * e.start_s, 1e-9);
  EXPECT_NEAR(e.start_s + e.duration_s, 200, 1e-9);  // stuck until the end
  // Control: the same standstill while commanded to stop is not stuck.
  const Metrics stopped = ComputeMetrics(MovesThenStops(100, 100, CommandKind::kStop), config);
  EXPECT_TRUE(stopped.hazards.empty());
  EXPECT_FALSE(stopped.stuck);
  // Control: a standstill shorter than the stuck time is not stuck either.
  EXPECT_FALSE(ComputeMetrics(MovesThenStops(100, 50, CommandKind::kStraight), config).stuck);
}

TEST(Stuck, SlowButSteadyProgressIsNotStuck) {
  Telemetry t;
  for (int k = 0; k <= 600; ++k) {  // 0.004 m/s: 5 cm in 12.5 s, well within 60 s
    TelemetrySample s;
    s.time_s = k;
    s.position_map_m = {0.004 * k, 0, 0};
    s.command = CommandKind::kStraight;
    t.push_back(s);
  }
  EXPECT_FALSE(ComputeMetrics(t, DefaultConfig()).stuck);
  for (TelemetrySample& s : t) s.position_map_m[0] *= 0.1;  // control: 5 cm per 125 s is stuck
  EXPECT_TRUE(ComputeMetrics(t, DefaultConfig()).stuck);
}

TEST(Stuck, ATurnInPlaceProgressesByHeading) {
  Telemetry turning;
  for (int k = 0; k <= 200; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.yaw_rad = std::remainder(0.02 * k, 2 * kPi);  // 1.1 deg/s, wrapping through +-180
    s.command = CommandKind::kTurnInPlace;
    turning.push_back(s);
  }
  EXPECT_FALSE(ComputeMetrics(turning, DefaultConfig()).stuck);
  for (TelemetrySample& s : turning) s.yaw_rad = 0.01 * std::sin(s.time_s);  // control: jitter
  EXPECT_TRUE(ComputeMetrics(turning, DefaultConfig()).stuck);
}

// 200 s of a straight at heading 0 whose odometry runs at odo_mps and truth at truth_mps.
Telemetry Straight200s(double odo_mps, double truth_mps) {
  Telemetry t;
  for (int k = 0; k <= 200; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.odometry_position_map_m = {odo_mps * k, 0};
    s.position_map_m = {truth_mps * k, 0, 0};
    s.command = CommandKind::kStraight;
    s.command_index = 0;
    t.push_back(s);
  }
  return t;
}

TEST(Stuck, ProgressCountsOnlyAlongTheDirectionOfTravel) {
  // Wheels driving forward while the rover slides back down a slope: no progress.
  EXPECT_TRUE(ComputeMetrics(Straight200s(0.04, -0.01), DefaultConfig()).stuck);
  // Controls: creeping forward, or reversing as commanded, is progress.
  EXPECT_FALSE(ComputeMetrics(Straight200s(0.04, 0.01), DefaultConfig()).stuck);
  EXPECT_FALSE(ComputeMetrics(Straight200s(-0.04, -0.01), DefaultConfig()).stuck);
  // Commanded backwards (odometry going back) while sliding forward: no progress.
  EXPECT_TRUE(ComputeMetrics(Straight200s(-0.04, 0.01), DefaultConfig()).stuck);
}

TEST(Stuck, ATurnInPlaceMustTurnTheCommandedWay) {
  Telemetry t;
  for (int k = 0; k <= 200; ++k) {
    TelemetrySample s;
    s.time_s = k;
    s.yaw_rad = -0.01 * k;  // turning right...
    for (std::size_t w = 0; w < kWheelCount; ++w) s.wheels[w].speed_radps = w < 3 ? -0.1 : 0.1;
    s.command = CommandKind::kTurnInPlace;  // ...while the wheels turn it left
    t.push_back(s);
  }
  EXPECT_TRUE(ComputeMetrics(t, DefaultConfig()).stuck);
  for (TelemetrySample& s : t) s.yaw_rad = -s.yaw_rad;  // control: turning left
  EXPECT_FALSE(ComputeMetrics(t, DefaultConfig()).stuck);
}

TEST(Stuck, DetectorFollowsTheRule) {
  StuckDetector d(10, 0.1, 0.1);
  EXPECT_FALSE(d.Update(0, 0, 0, 0, CommandKind::kStraight));
  EXPECT_FALSE(d.Update(9, 0.05, 0, 0, CommandKind::kStraight));
  EXPECT_TRUE(d.Update(10, 0.05, 0, 0, CommandKind::kStraight));
  EXPECT_EQ(d.since_s(), 0);
  EXPECT_FALSE(d.Update(11, 0.2, 0, 0, CommandKind::kStraight));  // progress: re-anchored
  EXPECT_EQ(d.since_s(), 11);
  EXPECT_FALSE(d.Update(30, 0.2, 0, 0, CommandKind::kStop));  // stop clears the rule
  EXPECT_FALSE(d.Update(31, 0.2, 0, 0, CommandKind::kArc));
  EXPECT_TRUE(d.Update(41, 0.2, 0, 0, CommandKind::kArc));
  // With a direction, only motion that way counts (heading 90 deg: north).
  StuckDetector signed_rule(10, 0.1, 0.1);
  EXPECT_FALSE(signed_rule.Update(0, 0, 0, kPi / 2, CommandKind::kStraight, 1));
  EXPECT_FALSE(signed_rule.Update(5, 0.5, -0.5, kPi / 2, CommandKind::kStraight, 1));
  EXPECT_TRUE(signed_rule.Update(10, 0.5, -0.5, kPi / 2, CommandKind::kStraight, 1));
  EXPECT_FALSE(signed_rule.Update(11, 0.5, 0.2, kPi / 2, CommandKind::kStraight, 1));
  EXPECT_FALSE(signed_rule.Update(30, 0.5, 0.2, 0, CommandKind::kStop));
  EXPECT_FALSE(signed_rule.Update(31, 0.5, 0.2, 0, CommandKind::kTurnInPlace, -1));
  EXPECT_FALSE(signed_rule.Update(35, 0.5, 0.2, -0.2, CommandKind::kTurnInPlace, -1));
  EXPECT_EQ(signed_rule.since_s(), 35);  // turned right as commanded: progress
}

// ------------------------------------------------------------- distances and progress --

Telemetry StraightTo(double end_x) {
  Telemetry t;
  for (int k = 0; k <= 100; ++k) {
    TelemetrySample s;
    s.time_s = 5 + k;  // the drive starts after settling
    s.position_map_m = {end_x * k / 100, 0, 0};
    s.truth_distance_m = 1 + end_x * k / 100;  // accumulators need not start at 0
    s.odometry_distance_m = 2 + 10.0 * k / 100;
    s.energy_J = 100 + 5.0 * k;
    s.command = CommandKind::kStraight;
    t.push_back(s);
  }
  return t;
}

TEST(Distance, AccumulatorsProgressAndGoal) {
  MetricsConfig config;
  vehicle::DriveCommand straight;
  straight.kind = vehicle::DriveCommandKind::kStraight;
  straight.distance_m = 10;
  config.commands = {straight};
  const Metrics m = ComputeMetrics(StraightTo(8), config);
  EXPECT_NEAR(m.distance_m, 8, 1e-12);
  EXPECT_NEAR(m.odometry_m, 10, 1e-12);
  EXPECT_NEAR(m.energy_J, 500, 1e-12);
  EXPECT_EQ(m.sim_time_s, 105);
  EXPECT_TRUE(m.has_end_ref);
  EXPECT_FALSE(m.end_ref_is_goal);
  EXPECT_NEAR(m.end_ref_x_m, 10, 1e-12);  // ideal end of "straight 10" from the first sample
  EXPECT_NEAR(m.progress_m, 10 - 2, 1e-12);
  EXPECT_NEAR(m.end_error_m, 2, 1e-12);
  EXPECT_FALSE(m.goal_reached.has_value());

  // The commanded start, when given, is where the ideal end is measured from.
  config.start = vehicle::Pose2{0, 0, kPi / 2};
  const Metrics north = ComputeMetrics(StraightTo(8), config);
  EXPECT_NEAR(north.end_ref_y_m, 10, 1e-12);
  EXPECT_NEAR(north.progress_m, 10 - std::hypot(8, 10), 1e-12);  // moving the wrong way

  // A goal replaces the ideal end.
  config.goal = Goal{20, 0, 1.0};
  const Metrics far = ComputeMetrics(StraightTo(8), config);
  EXPECT_TRUE(far.end_ref_is_goal);
  EXPECT_NEAR(far.progress_m, 20 - 12, 1e-12);
  EXPECT_EQ(far.goal_reached, false);
  config.goal = Goal{8.5, 0, 1.0};
  EXPECT_EQ(ComputeMetrics(StraightTo(8), config).goal_reached, true);
  config.goal = Goal{8.5, 0, 0.4};
  EXPECT_EQ(ComputeMetrics(StraightTo(8), config).goal_reached, false);

  // No goal and no commands: no end reference, progress 0.
  const Metrics bare = ComputeMetrics(StraightTo(8), MetricsConfig{});
  EXPECT_FALSE(bare.has_end_ref);
  EXPECT_EQ(bare.progress_m, 0.0);
}

TEST(Distance, EmptyTelemetryGivesEmptyMetrics) {
  const Metrics m = ComputeMetrics({}, DefaultConfig());
  EXPECT_EQ(m.sample_count, 0u);
  EXPECT_EQ(m.slip.count, 0);
  EXPECT_TRUE(m.hazards.empty());
}

TEST(DriveMetrics, ADriveEndedStuckAlwaysHasAStuckEvent) {
  // 59 s without progress in the stored samples (last progress at 9 s, end at 68 s): under the
  // 60 s rule at sample resolution, but say the drive loop ended the drive as stuck.
  DriveResult result;
  result.telemetry = MovesThenStops(10, 58, CommandKind::kStraight);
  result.status = DriveStatus::kCompleted;
  result.sim_time_s = result.telemetry.back().time_s;
  MetricsConfig config;
  config.stuck_time_s = 60;
  const Metrics completed = ComputeDriveMetrics(result, config);
  ASSERT_FALSE(completed.stuck);  // precondition: the samples alone do not show it
  EXPECT_EQ(completed.status, "completed");
  result.status = DriveStatus::kStuck;
  result.reason = "no progress";
  result.wall_time_s = 0.5;
  const Metrics m = ComputeDriveMetrics(result, config);
  EXPECT_TRUE(m.stuck);
  EXPECT_EQ(m.status, "stuck");
  EXPECT_EQ(m.reason, "no progress");
  EXPECT_NEAR(m.rtf, result.sim_time_s / 0.5, 1e-9);
  ASSERT_EQ(m.hazard_counts[static_cast<int>(HazardKind::kStuck)], 1);
  ASSERT_EQ(m.hazards.size(), 1u);
  EXPECT_NEAR(m.hazards[0].start_s, 68 - 60, 1e-9);
  EXPECT_NEAR(m.hazards[0].duration_s, 60, 1e-9);
  EXPECT_NEAR(m.hazards[0].x_m, 0.04 * 8, 1e-9);
}

TEST(DriveMetrics, ADriveEndedAsRolloverAlwaysHasARolloverEvent) {
  DriveResult result;
  result.telemetry = Timeline(5);
  result.status = DriveStatus::kCompleted;
  ASSERT_EQ(ComputeDriveMetrics(result, MetricsConfig{})
                .hazard_counts[static_cast<int>(HazardKind::kRollover)],
            0);  // precondition: the samples alone do not show it
  result.status = DriveStatus::kRollover;
  const Metrics m = ComputeDriveMetrics(result, MetricsConfig{});
  EXPECT_EQ(m.status, "rollover");
  ASSERT_EQ(m.hazard_counts[static_cast<int>(HazardKind::kRollover)], 1);
  EXPECT_NEAR(m.hazards.back().start_s, 5.0, 1e-9);
}

// ---------------------------------------------------------------------------------- JSON --

TEST(MetricsJson, HasTheContractFieldsAndEveryHazardKind) {
  Telemetry t = Timeline(10);
  for (TelemetrySample& s : t) s.tilt_rad = (Between(s.time_s, 2.0, 5.0) ? 35 : 5) * kDegToRad;
  Metrics m = ComputeMetrics(t, DefaultConfig());
  m.status = "completed";
  const nlohmann::ordered_json j = scenarios::MetricsToJson(m);
  for (const char* key :
       {"schema", "status", "reason", "distance_m", "odometry_m", "progress_m", "slip", "hazards",
        "hazard_counts", "tilt_max_deg", "sim_time_s", "wall_time_s", "rtf", "energy_j", "stuck",
        "goal_reached", "end_ref", "wheel_slip"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["schema"], "marsdrive/metrics/1");
  for (const char* key : {"mean", "p95", "max", "distance_over_limit_m"}) {
    EXPECT_TRUE(j["slip"].contains(key)) << key;
  }
  EXPECT_EQ(j["hazard_counts"].size(), static_cast<std::size_t>(kHazardKindCount));
  for (const char* kind :
       {"body_contact", "wheel_on_rock", "tilt", "suspension", "keep_out", "stuck", "rollover"}) {
    EXPECT_TRUE(j["hazard_counts"].contains(kind)) << kind;
  }
  EXPECT_EQ(j["hazard_counts"]["tilt"], 1);
  EXPECT_EQ(j["hazard_counts"]["stuck"], 0);
  ASSERT_EQ(j["hazards"].size(), 1u);
  EXPECT_EQ(j["hazards"][0]["kind"], "tilt");
  EXPECT_NEAR(j["hazards"][0]["start_s"].get<double>(), 2.0, 1e-9);
  EXPECT_NEAR(j["hazards"][0]["duration_s"].get<double>(), 3.0, 1e-9);
  EXPECT_NEAR(j["tilt_max_deg"].get<double>(), 35.0, 1e-9);
  EXPECT_TRUE(j["goal_reached"].is_null());
  EXPECT_EQ(j.dump(), scenarios::MetricsToJson(m).dump());  // deterministic
  m.slip.mean = std::nan("");  // a numerical failure is written as null
  EXPECT_TRUE(nlohmann::json::parse(scenarios::MetricsToJson(m).dump())["slip"]["mean"].is_null());
}

}  // namespace
}  // namespace marsdrive::sim

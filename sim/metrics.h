#pragma once
// The metrics of one drive (ARCHITECTURE "Metrics"), computed in this one place from telemetry
// alone, so that the CLI, the suite runner and the viewer report the same numbers. Map frame
// ENU, SI units; angles in radians (degrees only in the JSON, scenarios/metrics_json.h).
//
// Slip (as rover teams measure it, reference/rover.md §5). Windows cut the drive into pieces of
// `slip_window_m` of wheel-odometry path length (odometry_distance_m), exactly, by linear
// interpolation between samples. Only intervals between two consecutive samples of the SAME
// translating command (kStraight or kArc, same command_index) count: a turn in place, a stop or
// a change of command closes the open window, which is kept if it holds at least half a window
// of odometry and dropped otherwise. For a window from A to B:
//   u      = unit(odo_xy(B) - odo_xy(A))                 dead-reckoned direction of travel
//   D_odo  = |odo_xy(B) - odo_xy(A)| * L_odo / P_odo_xy  odometry displacement, where L_odo is
//            the odometry path length and P_odo_xy the length of the dead-reckoned xy track
//            (ratio 1 on flat ground; it restores along-ground length if the odometry is
//            projected onto the horizontal by the IMU pitch)
//   A_true = ((p(B) - p(A))_xy . u) * |p(B) - p(A)| / |(p(B) - p(A))_xy|
//            true displacement along u, measured along the ground (the 3-D/2-D ratio of the true
//            chord; 1 on flat ground)
//   slip   = 1 - A_true / D_odo
// so on flat ground slip = 1 - (true displacement projected on the odometry direction ÷
// odometry displacement), and a no-slip climb reads 0 whichever way the odometry handles pitch.
// Slip may be < 0 (sliding ahead) or > 1 (sliding back). A window whose odometry chord is under
// half its xy track (curled up: a very tight arc) cannot be measured and is skipped (counted).
// mean = mean over windows; p95 = nearest-rank 95th percentile over windows; max over windows;
// distance_over_limit_m = odometry length of the windows with slip > limits.slip_limit.
// Per-wheel longitudinal slip: stats of WheelSample::slip_ratio over the samples taken during
// a translating command with that wheel in contact and turning (speed_radps != 0). slip_ratio
// is measured along the wheel's direction of travel ON THE SURFACE: 1 - (v_hub . d) / (omega r)
// with d the unit rolling direction in the wheel's contact plane (axle x contact normal), so a
// wheel climbing a slope without slipping reads 0 whatever the slope (docs/vehicle-physics.md
// §6). It is 0 for a wheel that is not driven or not in contact.
//
// Hazard events. Each sample is tested for these conditions, each with a `part`:
//   body_contact   a non-wheel part touches terrain or rock (part: BodyPart name) — at the
//                  first contact point of that part
//   wheel_on_rock  a wheel is on a rock higher than limits.max_rock_height_m (part: wheel name)
//   tilt           tilt_rad > limits.max_tilt_rad (part "")
//   suspension     a rocker or bogie angle at or beyond its limit [min, max] (part:
//                  "rocker_left" | "rocker_right" | "bogie_left" | "bogie_right")
//   keep_out       the chassis reference point inside a keep-out polygon, or within
//                  keep_out_margin_m of it (part: zone name) — at the entry point on the
//                  boundary (bisection along the path from the previous sample)
//   stuck          StuckDetector below says stuck (part "") — start time and position are
//                  those of the last progress, i.e. when the rover got stuck (a drive that
//                  RunDrive ended as stuck always has one: sim/drive_metrics.h)
//   rollover       beyond static tip-over: with the attitude's roll and pitch, the vertical
//                  through the centre of mass misses config.support's polygon, or upside down
//                  (vehicle/tip_over.h; the same rule as the drive's fault detection, so a drive
//                  RunDrive ended as rollover always has one: sim/drive_metrics.h) (part "")
// Consecutive samples where the same (kind, part) holds merge into one event. An event starts
// at the first such sample (at its rover position unless said otherwise above) and ends at the
// first later sample where the condition no longer holds, or at the last sample of the run;
// duration = end - start. Events are listed in the order they are detected (by sample, then
// kind, then part); a stuck event's start lies before its detection.
//
// Distances: distance_m / odometry_m / energy_J are the growth of the telemetry's accumulators
// from the first to the last sample. progress_m = |start - end_ref| - |end - end_ref| in the
// horizontal plane, start and end the first and last truth positions, end_ref the goal when
// there is one, else IdealEndPose(config.start or the first sample's pose, config.commands);
// progress_m = 0 when there is neither.

#include <array>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "sim/telemetry.h"
#include "vehicle/drive_command.h"
#include "vehicle/keep_out.h"
#include "vehicle/rover_limits.h"
#include "vehicle/tip_over.h"

namespace marsdrive::sim {

enum class HazardKind : std::uint8_t {
  kBodyContact = 0,
  kWheelOnRock,
  kTilt,
  kSuspension,
  kKeepOut,
  kStuck,
  kRollover,
};
inline constexpr int kHazardKindCount = 7;
// "body_contact", "wheel_on_rock", "tilt", "suspension", "keep_out", "stuck", "rollover" (JSON
// names).
const char* ToString(HazardKind kind);

struct HazardEvent {
  HazardKind kind = HazardKind::kBodyContact;
  std::string part;         // see the table above; "" for tilt, stuck and rollover
  double start_s = 0;       // telemetry time of the first sample (stuck: of the last progress)
  double duration_s = 0;    // end - start (see above)
  double x_m = 0, y_m = 0;  // map frame: where the event started
  bool operator==(const HazardEvent&) const = default;
};

// A polygon the rover must not enter (vehicle/keep_out.h: vertices in order, map frame, not
// closed).
using KeepOutZone = vehicle::KeepOutZone;

struct Goal {
  double x_m = 0, y_m = 0;   // map frame
  double tolerance_m = 1.0;  // reached when the end position is within this (horizontal) distance
};

struct MetricsConfig {
  vehicle::RoverLimits limits;  // hazard thresholds and the slip limit
  // Rollover: the rover's support polygon and centre of mass (default: Perseverance's).
  vehicle::SupportGeometry support = vehicle::MakeSupportGeometry(vehicle::DefaultRoverSpec());
  std::vector<KeepOutZone> keep_outs;
  std::optional<Goal> goal;                     // end reference when present
  std::vector<vehicle::DriveCommand> commands;  // else the ideal end of these commands...
  std::optional<vehicle::Pose2> start;          // ...from here (default: the first sample's pose)
  double slip_window_m = 0.5;                   // odometry path length per slip window
  double keep_out_margin_m = 0;                 // "inside" also within this distance of a zone
  double body_contact_min_force_N = 0;          // ignore body contacts pushing less than this
  // Stuck rule (StuckDetector).
  double stuck_time_s = 60;  // no progress for this long while moving
  // Same thresholds as the drive loop's own stuck check (sim/drive_run.cpp).
  double stuck_min_progress_m = 0.05;  // translation along the direction of travel
  double stuck_min_turn_rad = 2.0 * std::numbers::pi / 180;  // heading change (turn in place)
};

struct SlipStats {
  int count = 0;                      // windows (or samples, for a wheel)
  double mean = 0, p95 = 0, max = 0;  // 0 when count == 0
};

struct SlipWindow {
  int command_index = -1;
  double start_s = 0, end_s = 0;  // interpolated telemetry times
  double x_m = 0, y_m = 0;        // truth position at the window start
  double odometry_m = 0;          // odometry path length (slip_window_m, or a trailing part)
  double slip = 0;
};

struct Metrics {
  // Distance and time.
  double distance_m = 0;  // true path length
  double odometry_m = 0;  // wheel-odometry path length
  double progress_m = 0;  // see above
  bool has_end_ref = false;
  bool end_ref_is_goal = false;
  double end_ref_x_m = 0, end_ref_y_m = 0;
  double end_error_m = 0;               // |end - end_ref| (0 without an end reference)
  std::optional<bool> goal_reached;     // only when there is a goal
  vehicle::Pose2 start_pose, end_pose;  // first and last sample (truth)
  double sim_time_s = 0;                // simulated time at the last sample
  double energy_J = 0;
  double tilt_max_rad = 0;
  std::size_t sample_count = 0;

  // Slip.
  SlipStats slip;
  double slip_limit = 0;  // limits.slip_limit used
  double slip_distance_over_limit_m = 0;
  int slip_windows_skipped = 0;
  std::vector<SlipWindow> slip_windows;
  std::array<SlipStats, kWheelCount> wheel_slip{};

  // Hazards.
  std::vector<HazardEvent> hazards;
  std::array<int, kHazardKindCount> hazard_counts{};  // indexed by HazardKind
  bool stuck = false;

  // Waypoint drives (ComputeDriveMetrics, sim/drive_metrics.h); ComputeMetrics leaves these.
  std::optional<int> waypoints_reached;  // only for a waypoint drive
  int waypoints_skipped = 0;             // intermediate waypoints AutoNav found no path to
  int waypoint_count = 0;
  int autonav_decisions = 0;  // decisions AutoNav recorded (0 when off)

  // The run's outcome (ComputeDriveMetrics, sim/drive_metrics.h); ComputeMetrics leaves these.
  std::string status;  // DriveStatus name, e.g. "completed"
  std::string reason;
  double wall_time_s = 0;
  double rtf = 0;  // sim_time_s / wall_time_s (0 when wall time is unknown)
};

// Computes every metric above. The config must be valid (windows > 0, polygons >= 3 vertices).
Metrics ComputeMetrics(const Telemetry& telemetry, const MetricsConfig& config);

// The stuck rule: "commanded motion, no progress for a set time", as the drive loop applies it.
// Feed samples in time order. While a translating command (straight, arc) is active, progress
// is a translation of at least min_progress_m from the last progress point ALONG the direction
// of travel (the heading there, reversed when direction_sign < 0); during a turn in place, a
// heading change of at least min_turn_rad in the direction of the turn (the sign of
// direction_sign, + = left). direction_sign 0 means "unknown": any translation, or any heading
// change, counts. Any other command (stop, none) clears the rule. Stuck when stuck_time_s have
// passed since the last progress (or since motion was first commanded).
//
// ComputeMetrics takes direction_sign from the telemetry: for a translating command, the sign
// of the dead-reckoned motion along the heading; for a turn in place, the sign of (right minus
// left) wheel speeds; 0 until either has been seen during the current command.
class StuckDetector {
 public:
  StuckDetector(double stuck_time_s, double min_progress_m, double min_turn_rad);
  // Returns whether the rover is stuck at this sample.
  bool Update(double time_s, double x_m, double y_m, double yaw_rad, CommandKind command,
              int direction_sign = 0);
  // Time and position of the last progress (valid while motion is commanded).
  double since_s() const { return anchor_time_s_; }
  double since_x_m() const { return anchor_x_m_; }
  double since_y_m() const { return anchor_y_m_; }

 private:
  double stuck_time_s_, min_progress_m_, min_turn_rad_;
  bool anchored_ = false;
  double anchor_time_s_ = 0, anchor_x_m_ = 0, anchor_y_m_ = 0, anchor_yaw_rad_ = 0;
};

// Nearest-rank q-quantile (q in (0, 1]) of values: the smallest value with at least q of the
// values at or below it. 0 for an empty list.
double NearestRankQuantile(std::vector<double> values, double q);

}  // namespace marsdrive::sim

#pragma once
// Onboard AutoNav (rover.md §6, ENav/ACE): at each decision step the rover senses its local
// height map (vehicle/local_map.h), generates path options — a fan of Ackermann arcs and turns
// in place — evaluates each conservatively, ACE-style, from the wheel contact heights along it,
// and picks the safe option that makes most progress toward the next waypoint. Every decision
// is recorded with all its options (geometry, checks, score) for the metrics and the viewer.
//
// ACE-style evaluation (Otsu et al., JFR 2020) at poses sampled along an option:
//  * each wheel's contact height is bounded from the map cells under its footprint (a patch of
//    wheel width x patch length): at least the highest cell under the wheel's core (the middle
//    of the patch), at most the highest cell under the patch; the wheel must climb from where
//    it rests (the highest cell under its core) to the highest cell under the patch grown by
//    wheel_margin_m, both measured about the plane through the six wheels (step; a uniform
//    slope is not a step, nor are dips, which the suspension and tilt checks bound);
//  * the bounds are propagated through the rocker-bogie (bogie pivot, rocker, differential) to
//    bounds on bogie and rocker angles, body pitch and roll, and the lowest possible belly
//    plane, which is compared with the highest cell under the body (clearance).
// Checks and thresholds (first failure wins, in this order): keep_out (reference point within
// keep_out_margin_m of a keep-out polygon), unknown (a wheel patch less than min_known_fraction
// seen, or more than max_unknown_fraction of all samples unknown), step (> max_step_m),
// suspension (rocker / bogie beyond RoverLimits' operating limits), tilt (> RoverLimits
// max_tilt_rad), clearance (belly above the highest cell by less than clearance_margin_m).
// Bullet-free.

#include <array>
#include <cstdint>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "vehicle/drive_command.h"
#include "vehicle/keep_out.h"
#include "vehicle/local_map.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::vehicle {

enum class OptionKind : std::uint8_t { kArc = 0, kTurnInPlace };
const char* ToString(OptionKind kind);  // "arc", "turn"

// Why an option was rejected (kNone: it is safe).
enum class OptionCheck : std::uint8_t {
  kNone = 0,
  kKeepOut,
  kUnknown,
  kStep,
  kSuspension,
  kTilt,
  kClearance,
  kTurnLimit,  // a turn in place beyond the turning allowed without progress (not a hazard)
};
// "none", "keep_out", "unknown", "step", "suspension", "tilt", "clearance", "turn_limit".
const char* ToString(OptionCheck check);

struct AutoNavParams {
  SensorParams sensor;
  double cell_m = 0.1;     // local map resolution
  double map_size_m = 16;  // local map window (must hold the sensor disc around the mast)
  double decision_interval_m = 0.75;  // distance driven on a chosen arc before deciding again
  // Arc fan: arc_count curvatures evenly in [-1 / min_radius_m, 1 / min_radius_m], plus the arc
  // straight to the waypoint; each evaluated over arc_length_m, poses every pose_spacing_m.
  int arc_count = 21;
  double min_radius_m = 2.5;
  double arc_length_m = 3.0;
  double pose_spacing_m = 0.25;
  // Turns in place considered when no arc is safe: multiples of turn_step_rad up to +-pi;
  // poses every turn_sample_rad. A turn toward the waypoint is tried first when the heading
  // error exceeds turn_threshold_rad.
  double turn_step_rad = 45.0 * std::numbers::pi / 180.0;
  double turn_sample_rad = 10.0 * std::numbers::pi / 180.0;
  double turn_threshold_rad = 60.0 * std::numbers::pi / 180.0;
  // Turning allowed without translating in between; beyond it: no safe path.
  double max_turn_without_progress_rad = 1.5 * std::numbers::pi;
  // Footprints. Wheel patch: wheel width x patch length, core: the middle core_fraction of it.
  double wheel_patch_length_m = 0.40;
  double wheel_core_fraction = 0.5;
  // Added around each wheel patch for the step and unknown checks (not the core): where the
  // wheel may really be after driving decision_interval_m (EST: path-following error), so that a
  // wheel passing beside a tall rock does not brush its flank.
  double wheel_margin_m = 0.15;
  double body_margin_m = 0.10;  // the body box checked for clearance, grown by this
  // Thresholds. Tilt and suspension limits come from RoverSpec::limits.
  double clearance_margin_m = 0.15;    // rover.md §6 EST: belly clearance margin
  double max_step_m = 0.35;            // EST: below the 0.40 m routine rock limit (rover.md §4)
  double min_known_fraction = 0.3;     // per wheel patch
  double max_unknown_fraction = 0.25;  // of all samples of an option
  double keep_out_margin_m = 0.5;
  // Score = progress - roughness_weight * roughness - turn_weight * |curvature|.
  double roughness_weight = 1.0;
  double turn_weight = 0.1;
  double min_progress_m = 0.05;  // an arc must bring the rover at least this much closer
};

struct PathOption {
  OptionKind kind = OptionKind::kArc;
  double curvature_1pm = 0;  // arc: + = left
  double length_m = 0;       // arc length evaluated
  double turn_rad = 0;       // turn in place: + = left
  std::vector<Pose2> poses;  // sampled poses, map frame; poses[0] is the start
  bool safe = false;
  OptionCheck failure = OptionCheck::kNone;  // the first failed check
  int failed_pose = -1;                      // index in poses of the first failure
  // Conservative bounds over the poses evaluated (up to the failure).
  double min_clearance_m = 0;
  double max_tilt_rad = 0;
  double max_rocker_rad = 0;  // |rocker angle| relative to the body
  double max_bogie_rad = 0;   // |bogie angle| relative to the rocker
  double max_step_m = 0;
  double unknown_fraction = 0;
  double roughness_m = 0;  // mean step over the wheel patches
  double progress_m = 0;   // reduction of the distance to the target (closest pose)
  double score = 0;
};

struct AutoNavDecision {
  double time_s = 0;
  RoverPose3 pose;
  int waypoint_index = 0;
  double target_x_m = 0, target_y_m = 0;
  std::vector<PathOption> options;
  int chosen = -1;   // index in options; -1: none (no safe path)
  std::string note;  // "turn toward waypoint", "best arc", "turn (no safe arc)", "no safe path"
};

// Path option geometry from a start pose.
PathOption MakeArcOption(const Pose2& start, double curvature_1pm, double length_m,
                         double spacing_m);
PathOption MakeTurnOption(const Pose2& start, double turn_rad, double sample_rad);

// The ACE-style evaluator of a rover: precomputes the footprint samples once.
class AceEvaluator {
 public:
  AceEvaluator(const RoverSpec& spec, const AutoNavParams& params);
  // Fills option.safe, failure, failed_pose and the bounds (not progress / score).
  // Allocation-free.
  void Evaluate(const LocalMap& map, const std::vector<KeepOutZone>& keep_outs,
                PathOption& option) const;

 private:
  struct PoseResult;
  void EvaluatePose(const LocalMap& map, const Pose2& pose, PoseResult& out) const;

  RoverSpec spec_;
  AutoNavParams params_;
  std::array<std::array<double, 2>, 6> wheel_xy_{};
  std::vector<std::array<double, 2>> patch_;  // wheel-patch sample offsets (wheel frame)
  std::vector<std::uint8_t> patch_core_;      // 2: in the core, 1: in the patch, 0: in the margin
  std::array<std::array<double, 6>, 3> plane_{};  // wheel heights -> plane (a, b, c)
  std::vector<std::array<double, 2>> body_;       // body-box sample points (nav frame)
};

// AutoNav: local map, sensor, evaluator and the option choice.
class AutoNav {
 public:
  // Keeps a reference to `truth` (the sensor's world), which must outlive this.
  AutoNav(const terrain::TerrainTruth& truth, const RoverSpec& spec, const AutoNavParams& params,
          std::vector<KeepOutZone> keep_outs, std::uint64_t seed);

  // One stereo frame from `pose` (recentres the map); the ground under the rover's own body,
  // if still unknown, is taken as its nav plane (it is standing on it); on the first frame the
  // whole turning circle is.
  void Sense(const RoverPose3& pose);
  // Chooses an option toward (target_x, target_y). turned_rad: turning in place since the last
  // translation (for the turn limit).
  AutoNavDecision Decide(double time_s, const RoverPose3& pose, int waypoint_index,
                         double target_x_m, double target_y_m, double turned_rad) const;

  const LocalMap& map() const { return map_; }
  LocalMap& mutable_map() { return map_; }
  const AutoNavParams& params() const { return params_; }

 private:
  AutoNavParams params_;
  std::vector<KeepOutZone> keep_outs_;
  RoverSpec spec_;
  LocalMap map_;
  TerrainSensor sensor_;
  AceEvaluator ace_;
  std::uint64_t frame_ = 0;
};

// Chooses among options already evaluated by `ace` (shared by AutoNav and tests on crafted
// maps): see AutoNav::Decide.
AutoNavDecision DecideOnMap(const LocalMap& map, const AceEvaluator& ace,
                            const AutoNavParams& params, const std::vector<KeepOutZone>& keep_outs,
                            double time_s, const RoverPose3& pose, int waypoint_index,
                            double target_x_m, double target_y_m, double turned_rad);

}  // namespace marsdrive::vehicle

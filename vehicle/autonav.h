#pragma once
// Onboard AutoNav (rover.md §6, ENav/ACE): at each decision step the rover senses its local
// height map (vehicle/local_map.h), generates path options — a fan of Ackermann arcs and turns
// in place — evaluates each conservatively, ACE-style, from the wheel contact heights along it,
// and picks the safe option that makes most progress toward the next waypoint. Every decision
// is recorded with all its options (geometry, checks, score) for the metrics and the viewer.
//
// Memory and route (ENav/GESTALT, rover.md §6): the height map is a ~50 m window that keeps
// what the cameras saw over the drive; progress is measured in cost to go to the waypoint
// (vehicle/cost_to_go.h, Dijkstra over a coarse traversability grid of that memory), so the
// rover follows the foot of a ledge to its end rather than alternating turns in front of it.
// No safe path: every option unsafe (after turning to look), the waypoint unreachable in the
// known map, or no progress in cost to go over max_drive_without_progress_m of driving.
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
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "vehicle/cost_to_go.h"
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
  double cell_m = 0.1;  // local map resolution
  // The memory: the local map window (must hold the sensor disc around the mast). EST: 51.2 m,
  // ~8 sensor ranges: a ledge of 20-60 m (terrain.md §1) is mostly remembered while the rover
  // follows it; 512^2 cells of 8 bytes (x2 for scrolling): 4 MB.
  double map_size_m = 51.2;
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
  // Cost to go (vehicle/cost_to_go.h): progress is the reduction of the cost to go (else of
  // the straight-line distance); the desired heading points route_lookahead_m along the route.
  bool use_cost_to_go = true;
  CostToGoParams cost_to_go;
  double route_lookahead_m = 3.0;  // EST: the arc length, the ~3 m ENav looks ahead per step
  // No safe path once the rover has driven this far since a place at least as good (cost to
  // go within progress_epsilon_m, under today's map) as where it is (turns count, below).
  // EST: 30 m, enough to follow half of a mean 40 m ledge (terrain.md §1) and come back; well
  // inside the memory window.
  double max_drive_without_progress_m = 30.0;
  double progress_epsilon_m = 0.25;  // EST: a third of a decision interval
  // Turning in place counts toward that drive as this much per radian (EST: the middle wheels'
  // travel, 1.18 m/rad, rounded: rover.md §2), so dithering between turns is bounded too.
  double turn_equivalent_m_per_rad = 1.0;
  // Cost added to the cost-to-go cell where an arc failed a hazard check (step, suspension,
  // tilt, clearance), per failing arc. EST: ~16 arcs failing at one place saturate it.
  double ace_failure_penalty = 0.25;
  // With a cost to go only: turns in place prefer headings not yet looked at from here (within
  // examined_heading_rad), and when no arc or turn is safe the rover backs off reverse_m straight
  // (over ground it has just driven) if that is safe. EST: half the 45 deg turn step; 1 m.
  double examined_heading_rad = 22.5 * std::numbers::pi / 180.0;
  double reverse_m = 1.0;
  // Stall (visual odometry: the rover moved less than stall_fraction of the arc it drove, e.g.
  // wheels spinning against a rock ACE passed): the cells along the arc's first
  // decision_interval_m become hazards of the cost to go, so the next choice goes elsewhere. EST.
  double stall_fraction = 0.25;
};

struct PathOption {
  OptionKind kind = OptionKind::kArc;
  double curvature_1pm = 0;  // arc: + = left
  double length_m = 0;       // arc length evaluated (negative: straight reverse)
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
  double progress_m = 0;   // reduction of the cost to go (or distance) to the target, best pose
  double cost_to_go_m = std::numeric_limits<double>::quiet_NaN();  // at its best pose (NaN: off)
  double score = 0;
};

struct AutoNavDecision {
  double time_s = 0;
  RoverPose3 pose;
  int waypoint_index = 0;
  double target_x_m = 0, target_y_m = 0;
  std::vector<PathOption> options;
  int chosen = -1;  // index in options; -1: none (no safe path)
  // "turn toward waypoint", "best arc", "turn (no safe arc)", "arc without progress", "back
  // off", "back off (stalled)", "no safe path", "waypoint unreachable in the known map", "no
  // progress toward the waypoint".
  std::string note;
  // Cost to go from the rover (NaN: cost to go off; inf: unreachable), the driving since a place
  // at least as good, and the start of the optimal route (cell centres, for the viewer).
  double cost_to_go_m = std::numeric_limits<double>::quiet_NaN();
  double driven_without_progress_m = 0;
  std::vector<std::array<double, 2>> route;
};

// Path option geometry from a start pose.
PathOption MakeArcOption(const Pose2& start, double curvature_1pm, double length_m,
                         double spacing_m);
PathOption MakeTurnOption(const Pose2& start, double turn_rad, double sample_rad);

// What AutoNav remembers of the drive toward the current waypoint, for a decision.
struct DriveHistory {
  double driven_without_progress_m = 0;  // the no-progress rule (AutoNavParams)
  std::vector<double> examined_yaw_rad;  // headings decided at since the last translation
  bool stalled = false;  // the last arc moved the rover less than stall_fraction of it
};

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
  // Chooses an option toward (target_x, target_y), reached within target_tolerance_m.
  // turned_rad: turning in place since the last translation (for the turn limit). Updates the
  // cost to go and the progress record (the drive since a place at least as good).
  AutoNavDecision Decide(double time_s, const RoverPose3& pose, int waypoint_index,
                         double target_x_m, double target_y_m, double turned_rad,
                         double target_tolerance_m = 0.75);

  const LocalMap& map() const { return map_; }
  LocalMap& mutable_map() { return map_; }
  const CostToGo& cost_to_go() const { return cost_to_go_; }
  const AutoNavParams& params() const { return params_; }

 private:
  struct Visit {
    double x_m, y_m, yaw_rad, odometer_m;  // odometer: driving + turning equivalent
  };
  AutoNavParams params_;
  std::vector<KeepOutZone> keep_outs_;
  RoverSpec spec_;
  LocalMap map_;
  TerrainSensor sensor_;
  AceEvaluator ace_;
  CostToGo cost_to_go_;
  std::optional<WorldBounds> world_;
  std::uint64_t frame_ = 0;
  // Decision points toward the current waypoint (bounded), with the distance between them
  // summed: the no-progress rule.
  int visits_waypoint_ = -1;
  std::vector<Visit> visits_;
  DriveHistory history_;
  std::optional<PathOption> last_arc_;  // the arc chosen at the previous decision, if any
};

// Chooses among options already evaluated by `ace` (shared by AutoNav and tests on crafted
// maps): see AutoNav::Decide. cost_to_go: solved for this target (null: straight-line
// progress, as without memory); history: what AutoNav remembers of the drive (null: nothing).
AutoNavDecision DecideOnMap(const LocalMap& map, const AceEvaluator& ace,
                            const AutoNavParams& params, const std::vector<KeepOutZone>& keep_outs,
                            double time_s, const RoverPose3& pose, int waypoint_index,
                            double target_x_m, double target_y_m, double turned_rad,
                            const CostToGo* cost_to_go = nullptr,
                            const DriveHistory* history = nullptr);

}  // namespace marsdrive::vehicle

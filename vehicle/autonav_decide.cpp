// AutoNav's decisions (vehicle/autonav.h): the option choice, with or without the cost to go,
// and the AutoNav object (memory, sensor, cost to go, progress record). The ACE evaluation and
// the option geometry are in autonav.cpp.

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "base/angle.h"
#include "vehicle/autonav.h"

namespace marsdrive::vehicle {

using base::WrapPi;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kInf = std::numeric_limits<double>::infinity();
// Variance given to the ground under the rover's own body (its nav plane), m^2.
constexpr float kFootprintVariance = 0.02f * 0.02f;
// Decision points kept for the no-progress rule (~400 m at 0.75 m per decision: more than the
// memory window holds).
constexpr std::size_t kMaxVisits = 512;
// Route recorded per decision for the viewer (EST: twice the sensor range).
constexpr double kRecordedRouteM = 12.0;

}  // namespace

AutoNavDecision DecideOnMap(const LocalMap& map, const AceEvaluator& ace,
                            const AutoNavParams& params, const std::vector<KeepOutZone>& keep_outs,
                            double time_s, const RoverPose3& pose, int waypoint_index,
                            double target_x_m, double target_y_m, double turned_rad,
                            const CostToGo* cost_to_go, const DriveHistory* history) {
  AutoNavDecision d;
  d.time_s = time_s;
  d.pose = pose;
  d.waypoint_index = waypoint_index;
  d.target_x_m = target_x_m;
  d.target_y_m = target_y_m;
  const double driven_without_progress_m = history ? history->driven_without_progress_m : 0.0;
  const std::vector<double>* examined_yaw_rad = history ? &history->examined_yaw_rad : nullptr;
  d.driven_without_progress_m = driven_without_progress_m;
  const Pose2 start{pose.x_m, pose.y_m, pose.yaw_rad};
  const double dist = std::hypot(target_x_m - pose.x_m, target_y_m - pose.y_m);
  // Progress is measured in cost to go when there is one, else in straight-line distance.
  const auto to_go = [&](double x, double y) {
    return cost_to_go ? cost_to_go->CostAt(x, y) : std::hypot(target_x_m - x, target_y_m - y);
  };
  const double here = to_go(pose.x_m, pose.y_m);
  if (cost_to_go) d.cost_to_go_m = here;
  // The heading wanted: toward the waypoint, or toward the point route_lookahead_m along the
  // optimal route when the waypoint is farther.
  double aim_x = target_x_m, aim_y = target_y_m;
  if (cost_to_go) {
    if (here == kInf) {
      d.note = "waypoint unreachable in the known map";
      return d;
    }
    if (driven_without_progress_m > params.max_drive_without_progress_m) {
      d.note = "no progress toward the waypoint";
      return d;
    }
    d.route = cost_to_go->Route(pose.x_m, pose.y_m, kRecordedRouteM);
    if (dist > params.route_lookahead_m && !d.route.empty()) {
      double along = 0;
      std::array<double, 2> prev = {pose.x_m, pose.y_m};
      for (const auto& p : d.route) {
        along += std::hypot(p[0] - prev[0], p[1] - prev[1]);
        prev = p;
        aim_x = p[0];
        aim_y = p[1];
        if (along >= params.route_lookahead_m) break;
      }
    }
  }
  const double aim_dist = std::max(std::hypot(aim_x - pose.x_m, aim_y - pose.y_m), 1e-3);
  const double error = WrapPi(std::atan2(aim_y - pose.y_m, aim_x - pose.x_m) - pose.yaw_rad);
  const auto add_turn = [&](double turn) {
    PathOption o = MakeTurnOption(start, turn, params.turn_sample_rad);
    ace.Evaluate(map, keep_outs, o);
    if (o.safe && turned_rad + std::fabs(turn) > params.max_turn_without_progress_rad + 1e-9) {
      o.safe = false;
      o.failure = OptionCheck::kTurnLimit;
      o.failed_pose = static_cast<int>(o.poses.size()) - 1;
    }
    o.score = -std::fabs(WrapPi(error - turn));
    // A heading already looked at from here ranks after every new one.
    if (examined_yaw_rad &&
        std::any_of(examined_yaw_rad->begin(), examined_yaw_rad->end(), [&](double yaw) {
          return std::fabs(WrapPi(pose.yaw_rad + turn - yaw)) < params.examined_heading_rad;
        })) {
      o.score -= 2 * kPi;
    }
    if (cost_to_go) o.cost_to_go_m = here;
    d.options.push_back(std::move(o));
  };

  // A straight reverse of reverse_m over the ground just driven (cost to go only); chosen if
  // safe.
  const auto add_reverse = [&]() {
    if (!cost_to_go || params.reverse_m <= 0) return false;
    PathOption o = MakeArcOption(start, 0.0, params.reverse_m, params.pose_spacing_m);
    const double c = std::cos(start.yaw_rad), s = std::sin(start.yaw_rad);
    for (Pose2& p : o.poses) {  // mirrored behind the rover, same heading
      const double along = (p.x_m - start.x_m) * c + (p.y_m - start.y_m) * s;
      p = {start.x_m - along * c, start.y_m - along * s, start.yaw_rad};
    }
    o.length_m = -params.reverse_m;
    ace.Evaluate(map, keep_outs, o);
    const Pose2& end = o.poses.back();
    o.cost_to_go_m = to_go(end.x_m, end.y_m);
    o.progress_m = here - o.cost_to_go_m;
    o.score = o.progress_m - params.roughness_weight * o.roughness_m;
    d.options.push_back(std::move(o));
    if (!d.options.back().safe) return false;
    d.chosen = static_cast<int>(d.options.size()) - 1;
    return true;
  };

  // 0. Stalled against something ACE passed: back off first, then look again.
  if (history && history->stalled && add_reverse()) {
    d.note = "back off (stalled)";
    return d;
  }
  // 1. Facing away from where to go (and not just turned): turn toward it.
  if (std::fabs(error) > params.turn_threshold_rad && turned_rad == 0) {
    add_turn(error);
    if (d.options.back().safe) {
      d.chosen = 0;
      d.note = "turn toward waypoint";
      return d;
    }
  }
  // 2. The arc fan, plus the arc through the waypoint and the one through the route's lookahead
  //    point.
  const double k_max = 1.0 / params.min_radius_m;
  const double length = std::clamp(dist, std::min(params.decision_interval_m, params.arc_length_m),
                                   params.arc_length_m);
  const std::size_t first_arc = d.options.size();
  std::vector<double> curvatures;
  curvatures.reserve(static_cast<std::size_t>(params.arc_count) + 2);
  for (int k = 0; k < params.arc_count; ++k) {
    curvatures.push_back(params.arc_count == 1 ? 0.0
                                               : -k_max + 2 * k_max * k / (params.arc_count - 1));
  }
  const auto add_curvature = [&](double k) {
    if (std::none_of(curvatures.begin(), curvatures.end(),
                     [&](double c) { return std::fabs(c - k) < 1e-6; })) {
      curvatures.push_back(k);
    }
  };
  const double waypoint_error =
      WrapPi(std::atan2(target_y_m - pose.y_m, target_x_m - pose.x_m) - pose.yaw_rad);
  add_curvature(std::clamp(2 * std::sin(waypoint_error) / std::max(dist, 1e-3), -k_max, k_max));
  if (cost_to_go) add_curvature(std::clamp(2 * std::sin(error) / aim_dist, -k_max, k_max));
  for (double k : curvatures) {
    PathOption o = MakeArcOption(start, k, length, params.pose_spacing_m);
    ace.Evaluate(map, keep_outs, o);
    // Progress: to the option's best pose. With a cost to go the score counts the cost of
    // driving the option too (a cheap end reached over costly ground is not a gain).
    double best = here, total = here, along = 0;
    double c_prev = cost_to_go ? cost_to_go->DrivingCostAt(start.x_m, start.y_m) : 1.0;
    for (std::size_t q = 0; q < o.poses.size(); ++q) {
      const Pose2& p = o.poses[q];
      const double g = to_go(p.x_m, p.y_m);
      best = std::min(best, g);
      if (cost_to_go && q > 0) {
        const Pose2& prev = o.poses[q - 1];
        const double c = cost_to_go->DrivingCostAt(p.x_m, p.y_m);
        along += std::hypot(p.x_m - prev.x_m, p.y_m - prev.y_m) * 0.5 * (c_prev + c);
        c_prev = c;
        total = std::min(total, along + g);
      }
    }
    o.progress_m = here - best;
    if (cost_to_go) o.cost_to_go_m = best;
    const double gain = cost_to_go ? here - total : o.progress_m;
    o.score = gain - params.roughness_weight * o.roughness_m - params.turn_weight * std::fabs(k);
    d.options.push_back(std::move(o));
  }
  int best = -1;
  for (std::size_t i = first_arc; i < d.options.size(); ++i) {
    const PathOption& o = d.options[i];
    if (!o.safe || o.progress_m < params.min_progress_m) continue;
    if (best < 0 || o.score > d.options[static_cast<std::size_t>(best)].score) {
      best = static_cast<int>(i);
    }
  }
  if (best >= 0) {
    d.chosen = best;
    d.note = "best arc";
    return d;
  }
  // 3. No arc: turn in place (toward the side to go first) to look elsewhere.
  const std::size_t first_turn = d.options.size();
  const int steps = std::max(1, static_cast<int>(std::floor(kPi / params.turn_step_rad + 1e-9)));
  const double sign = error >= 0 ? 1.0 : -1.0;
  for (int k = 1; k <= steps; ++k) {
    const double turn = std::min(kPi, k * params.turn_step_rad);
    add_turn(sign * turn);
    if (turn < kPi - 1e-9) add_turn(-sign * turn);
  }
  for (std::size_t i = first_turn; i < d.options.size(); ++i) {
    const PathOption& o = d.options[i];
    if (!o.safe) continue;
    if (best < 0 || o.score > d.options[static_cast<std::size_t>(best)].score) {
      best = static_cast<int>(i);
    }
  }
  if (best >= 0) {
    d.chosen = best;
    d.note = "turn (no safe arc)";
    return d;
  }
  // 4. No turn either (turned as far as allowed): with a cost to go, any safe arc, the least
  //    bad, to look from elsewhere; the no-progress rule bounds such wandering.
  if (cost_to_go) {
    for (std::size_t i = first_arc; i < first_turn; ++i) {
      const PathOption& o = d.options[i];
      if (!o.safe) continue;
      if (best < 0 || o.score > d.options[static_cast<std::size_t>(best)].score) {
        best = static_cast<int>(i);
      }
    }
    if (best >= 0) {
      d.chosen = best;
      d.note = "arc without progress";
      return d;
    }
    // 5. Boxed in: back off straight over the ground just driven.
    if (add_reverse()) {
      d.note = "back off";
      return d;
    }
  }
  d.note = "no safe path";
  return d;
}

// ---- AutoNav ----------------------------------------------------------------------------------

namespace {

CostToGoParams CostToGoFor(const RoverSpec& spec, const AutoNavParams& params) {
  CostToGoParams p = params.cost_to_go;
  p.max_step_m = params.max_step_m;
  p.max_slope_rad = spec.limits.max_tilt_rad;
  return p;
}

}  // namespace

AutoNav::AutoNav(const terrain::TerrainTruth& truth, const RoverSpec& spec,
                 const AutoNavParams& params, std::vector<KeepOutZone> keep_outs,
                 std::uint64_t seed)
    : params_(params),
      keep_outs_(std::move(keep_outs)),
      spec_(spec),
      map_(params.cell_m, params.map_size_m),
      sensor_(truth, params.sensor, seed),
      ace_(spec, params),
      cost_to_go_(CostToGoFor(spec, params), params.cell_m) {
  // The DEM's extent: operators know where their map ends, and the rover must not leave it.
  const terrain::GridSpec& g = truth.dem.spec();
  if (g.width_px > 0 && g.height_px > 0) {
    world_ = WorldBounds{g.origin_x_m, g.origin_y_m, g.MaxX(), g.MaxY()};
  }
  visits_.reserve(kMaxVisits);
}

void AutoNav::Sense(const RoverPose3& pose) {
  // The window scrolls lazily (a quarter of it, or less when the sensor disc would leave it:
  // the disc reaches range + 1.5 m from the rover, rover.md §3 mast offset with margin).
  const double half = 0.5 * map_.size_cells() * map_.cell_m();
  const double follow = std::max(0.0, std::min(0.5 * half, half - (params_.sensor.range_m + 1.5)));
  if (frame_ == 0) {
    map_.Recenter(pose.x_m, pose.y_m);
  } else {
    map_.Follow(pose.x_m, pose.y_m, follow);
  }
  sensor_.Observe(pose, frame_, map_);
  // The ground the rover stands on (its footprint: body box and wheel patches), or on the first
  // frame the circle its footprint sweeps when turning in place.
  const double half_patch = 0.5 * params_.wheel_patch_length_m + params_.wheel_margin_m;
  const double x0 =
      std::min(spec_.chassis_min_x_m - params_.body_margin_m, spec_.rear_wheel_m.x - half_patch);
  const double x1 =
      std::max(spec_.chassis_max_x_m + params_.body_margin_m, spec_.front_wheel_m.x + half_patch);
  const double hw = std::max(spec_.chassis_half_width_m + params_.body_margin_m,
                             std::max(spec_.middle_wheel_m.y, spec_.front_wheel_m.y) +
                                 0.5 * spec_.wheel_width_m + params_.wheel_margin_m);
  const double disc = std::hypot(std::max(-x0, x1), hw) + params_.cell_m;
  const double c = std::cos(pose.yaw_rad), s = std::sin(pose.yaw_rad);
  const int i0 = map_.LatticeOf(pose.x_m - disc), i1 = map_.LatticeOf(pose.x_m + disc);
  const int j0 = map_.LatticeOf(pose.y_m - disc), j1 = map_.LatticeOf(pose.y_m + disc);
  for (int j = j0; j <= j1; ++j) {
    for (int i = i0; i <= i1; ++i) {
      if (!std::isnan(map_.HeightOfCell(i, j))) continue;
      const double dx = map_.CentreOf(i) - pose.x_m, dy = map_.CentreOf(j) - pose.y_m;
      const double bx = c * dx + s * dy, by = -s * dx + c * dy;
      const bool in_body = bx >= x0 && bx <= x1 && std::fabs(by) <= hw;
      if (!in_body && !(frame_ == 0 && dx * dx + dy * dy <= disc * disc)) continue;
      map_.Fuse(i, j, static_cast<float>(NavPlaneHeight(pose, bx, by)), kFootprintVariance);
    }
  }
  ++frame_;
}

AutoNavDecision AutoNav::Decide(double time_s, const RoverPose3& pose, int waypoint_index,
                                double target_x_m, double target_y_m, double turned_rad,
                                double target_tolerance_m) {
  if (!params_.use_cost_to_go) {
    return DecideOnMap(map_, ace_, params_, keep_outs_, time_s, pose, waypoint_index, target_x_m,
                       target_y_m, turned_rad);
  }
  // Progress record: the driving since the first decision point toward this waypoint that is,
  // by today's cost to go, at least as good as here (progress_epsilon_m).
  if (waypoint_index != visits_waypoint_) {
    visits_.clear();
    history_.examined_yaw_rad.clear();
    visits_waypoint_ = waypoint_index;
  }
  const double moved =
      visits_.empty() ? 0.0
                      : std::hypot(pose.x_m - visits_.back().x_m, pose.y_m - visits_.back().y_m);
  const double odometer = visits_.empty()
                              ? 0.0
                              : visits_.back().odometer_m + moved +
                                    params_.turn_equivalent_m_per_rad *
                                        std::fabs(WrapPi(pose.yaw_rad - visits_.back().yaw_rad));
  if (visits_.size() == kMaxVisits) visits_.erase(visits_.begin());
  visits_.push_back({pose.x_m, pose.y_m, pose.yaw_rad, odometer});
  // A stalled arc: the ground along it (beyond the rover's own cell) is worse than it looks.
  history_.stalled = false;
  if (last_arc_ && visits_.size() >= 2) {
    const double planned = std::min(params_.decision_interval_m, std::fabs(last_arc_->length_m));
    if (moved < params_.stall_fraction * planned) {
      history_.stalled = true;
      const Pose2& from = last_arc_->poses[0];
      const int ci = cost_to_go_.LatticeOf(pose.x_m), cj = cost_to_go_.LatticeOf(pose.y_m);
      for (std::size_t k = 1; k < last_arc_->poses.size(); ++k) {
        const Pose2& p = last_arc_->poses[k];
        if (std::hypot(p.x_m - from.x_m, p.y_m - from.y_m) > planned + 1e-9) break;
        if (cost_to_go_.LatticeOf(p.x_m) == ci && cost_to_go_.LatticeOf(p.y_m) == cj) continue;
        cost_to_go_.Block(p.x_m, p.y_m);
      }
    }
  }
  cost_to_go_.Build(map_, keep_outs_, params_.keep_out_margin_m, world_);
  cost_to_go_.Solve(target_x_m, target_y_m, target_tolerance_m);
  // Headings looked at from here (cleared once the rover has moved on).
  if (moved > 0.2) history_.examined_yaw_rad.clear();
  const double here = cost_to_go_.CostAt(pose.x_m, pose.y_m);
  history_.driven_without_progress_m = 0;
  for (const Visit& v : visits_) {
    if (cost_to_go_.CostAt(v.x_m, v.y_m) <= here + params_.progress_epsilon_m) {
      history_.driven_without_progress_m = odometer - v.odometer_m;
      break;
    }
  }
  AutoNavDecision d = DecideOnMap(map_, ace_, params_, keep_outs_, time_s, pose, waypoint_index,
                                  target_x_m, target_y_m, turned_rad, &cost_to_go_, &history_);
  history_.examined_yaw_rad.push_back(pose.yaw_rad);
  last_arc_.reset();
  if (d.chosen >= 0 && d.options[static_cast<std::size_t>(d.chosen)].kind == OptionKind::kArc &&
      d.options[static_cast<std::size_t>(d.chosen)].length_m > 0) {
    last_arc_ = d.options[static_cast<std::size_t>(d.chosen)];
  }
  // Remember where arcs met hazards the coarse grid missed.
  for (const PathOption& o : d.options) {
    if (o.kind != OptionKind::kArc || o.failed_pose < 0) continue;
    if (o.failure == OptionCheck::kStep || o.failure == OptionCheck::kSuspension ||
        o.failure == OptionCheck::kTilt || o.failure == OptionCheck::kClearance) {
      const Pose2& p = o.poses[static_cast<std::size_t>(o.failed_pose)];
      cost_to_go_.AddPenalty(p.x_m, p.y_m, params_.ace_failure_penalty);
    }
  }
  return d;
}

}  // namespace marsdrive::vehicle

#include "sim/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "base/angle.h"
#include "base/check.h"
#include "base/geometry.h"

namespace marsdrive::sim {

namespace {

bool IsTranslating(CommandKind c) { return c == CommandKind::kStraight || c == CommandKind::kArc; }
bool IsMotion(CommandKind c) { return IsTranslating(c) || c == CommandKind::kTurnInPlace; }

SlipStats MakeStats(const std::vector<double>& values) {
  SlipStats stats;
  if (values.empty()) return stats;
  stats.count = static_cast<int>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  stats.mean = sum / static_cast<double>(values.size());
  stats.max = *std::max_element(values.begin(), values.end());
  stats.p95 = NearestRankQuantile(values, 0.95);
  return stats;
}

// ---- Slip windows -----------------------------------------------------------------------

// The state along the drive at one (possibly interpolated) instant.
struct TrackPoint {
  double time_s = 0;
  std::array<double, 3> truth_m{};
  std::array<double, 2> odo_m{};
  double odo_distance_m = 0;
};

TrackPoint PointOf(const TelemetrySample& s) {
  return {s.time_s, s.position_map_m, s.odometry_position_map_m, s.odometry_distance_m};
}

TrackPoint Lerp(const TrackPoint& a, const TrackPoint& b, double f) {
  const auto mix = [f](double x, double y) { return x + (y - x) * f; };
  TrackPoint p;
  p.time_s = mix(a.time_s, b.time_s);
  for (int k = 0; k < 3; ++k) p.truth_m[k] = mix(a.truth_m[k], b.truth_m[k]);
  for (int k = 0; k < 2; ++k) p.odo_m[k] = mix(a.odo_m[k], b.odo_m[k]);
  p.odo_distance_m = mix(a.odo_distance_m, b.odo_distance_m);
  return p;
}

double OdoStep(const TrackPoint& a, const TrackPoint& b) {
  return std::hypot(b.odo_m[0] - a.odo_m[0], b.odo_m[1] - a.odo_m[1]);
}

class SlipWindower {
 public:
  SlipWindower(double window_m, Metrics& out) : window_m_(window_m), out_(out) {}

  // Adds the interval a -> b, both samples of the same translating command.
  void Add(const TrackPoint& a, const TrackPoint& b, int command_index) {
    if (!open_) {
      open_ = true;
      start_ = a;
      last_ = a;
      odo_xy_path_m_ = 0;
      command_index_ = command_index;
    }
    TrackPoint from = a;
    const double d_odo = b.odo_distance_m - a.odo_distance_m;
    double used = 0;  // odometry of this interval already assigned to windows
    while (d_odo > 0 && Filled() + (d_odo - used) >= window_m_) {
      const double need = window_m_ - Filled();
      used += need;
      const TrackPoint cut = Lerp(a, b, std::clamp(used / d_odo, 0.0, 1.0));
      odo_xy_path_m_ += OdoStep(from, cut);
      last_ = cut;
      Finish();
      open_ = true;
      start_ = cut;
      last_ = cut;
      odo_xy_path_m_ = 0;
      from = cut;
    }
    odo_xy_path_m_ += OdoStep(from, b);
    last_ = b;
  }

  // A non-translating interval, a command change or the end: keeps a trailing window holding
  // at least half a window of odometry.
  void Close() {
    if (open_ && Filled() >= 0.5 * window_m_) Finish();
    open_ = false;
  }

 private:
  double Filled() const { return last_.odo_distance_m - start_.odo_distance_m; }

  void Finish() {
    open_ = false;
    const double odo_len = Filled();
    const double cx = last_.odo_m[0] - start_.odo_m[0];
    const double cy = last_.odo_m[1] - start_.odo_m[1];
    const double chord = std::hypot(cx, cy);
    if (!(odo_xy_path_m_ > 0) || !(chord >= 0.5 * odo_xy_path_m_)) {
      ++out_.slip_windows_skipped;
      return;
    }
    const double ux = cx / chord, uy = cy / chord;
    const double d_odo = chord * odo_len / odo_xy_path_m_;
    const double tx = last_.truth_m[0] - start_.truth_m[0];
    const double ty = last_.truth_m[1] - start_.truth_m[1];
    const double tz = last_.truth_m[2] - start_.truth_m[2];
    const double t_xy = std::hypot(tx, ty);
    const double ground_ratio = t_xy > 0 ? std::hypot(t_xy, tz) / t_xy : 1.0;
    const double a_true = (tx * ux + ty * uy) * ground_ratio;
    SlipWindow w;
    w.command_index = command_index_;
    w.start_s = start_.time_s;
    w.end_s = last_.time_s;
    w.x_m = start_.truth_m[0];
    w.y_m = start_.truth_m[1];
    w.odometry_m = odo_len;
    w.slip = 1.0 - a_true / d_odo;
    out_.slip_windows.push_back(w);
  }

  double window_m_;
  Metrics& out_;
  bool open_ = false;
  TrackPoint start_, last_;
  double odo_xy_path_m_ = 0;
  int command_index_ = -1;
};

void ComputeSlip(const Telemetry& t, const MetricsConfig& config, Metrics& m) {
  SlipWindower windower(config.slip_window_m, m);
  for (std::size_t i = 1; i < t.size(); ++i) {
    const TelemetrySample& a = t[i - 1];
    const TelemetrySample& b = t[i];
    if (IsTranslating(a.command) && IsTranslating(b.command) &&
        a.command_index == b.command_index) {
      windower.Add(PointOf(a), PointOf(b), b.command_index);
    } else {
      windower.Close();
    }
  }
  windower.Close();

  std::vector<double> slips;
  slips.reserve(m.slip_windows.size());
  for (const SlipWindow& w : m.slip_windows) {
    slips.push_back(w.slip);
    if (w.slip > config.limits.slip_limit) m.slip_distance_over_limit_m += w.odometry_m;
  }
  m.slip = MakeStats(slips);

  for (int w = 0; w < kWheelCount; ++w) {
    std::vector<double> ratios;
    for (const TelemetrySample& s : t) {
      const WheelSample& wheel = s.wheels[static_cast<std::size_t>(w)];
      if (IsTranslating(s.command) && wheel.in_contact && wheel.speed_radps != 0) {
        ratios.push_back(wheel.slip_ratio);
      }
    }
    m.wheel_slip[static_cast<std::size_t>(w)] = MakeStats(ratios);
  }
}

// ---- Hazards ----------------------------------------------------------------------------

double DistanceToBoundary(const std::vector<std::array<double, 2>>& poly, double x, double y) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const double ex = poly[i][0] - poly[j][0], ey = poly[i][1] - poly[j][1];
    const double len2 = ex * ex + ey * ey;
    double f = len2 > 0 ? ((x - poly[j][0]) * ex + (y - poly[j][1]) * ey) / len2 : 0.0;
    f = std::clamp(f, 0.0, 1.0);
    best = std::min(best, std::hypot(x - (poly[j][0] + f * ex), y - (poly[j][1] + f * ey)));
  }
  return best;
}

bool InZone(const KeepOutZone& zone, double margin_m, double x, double y) {
  if (base::PointInPolygon(zone.polygon_map_m, x, y)) return true;
  return margin_m > 0 && DistanceToBoundary(zone.polygon_map_m, x, y) <= margin_m;
}

// The point where the straight path from a (outside) to b (inside) enters the zone.
std::array<double, 2> EntryPoint(const KeepOutZone& zone, double margin_m, double ax, double ay,
                                 double bx, double by) {
  double lo = 0, hi = 1;  // lo outside, hi inside
  for (int k = 0; k < 60; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (InZone(zone, margin_m, ax + (bx - ax) * mid, ay + (by - ay) * mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return {ax + (bx - ax) * hi, ay + (by - ay) * hi};
}

struct Active {
  HazardKind kind;
  std::string part;
  double start_s;
  double x_m, y_m;
};

// Merges per-sample conditions into events.
class EventMerger {
 public:
  explicit EventMerger(std::vector<HazardEvent>& events) : events_(events) {}

  // `active` are the conditions holding at a sample taken at time_s.
  void Sample(double time_s, const std::vector<Active>& active) {
    std::map<std::pair<HazardKind, std::string>, const Active*> now;
    for (const Active& a : active) now.emplace(std::make_pair(a.kind, a.part), &a);
    for (auto it = open_.begin(); it != open_.end();) {
      if (!now.contains(it->first)) {
        HazardEvent& e = events_[it->second];
        e.duration_s = time_s - e.start_s;
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& [key, a] : now) {
      if (open_.contains(key)) continue;
      open_.emplace(key, events_.size());
      events_.push_back({a->kind, a->part, a->start_s, 0.0, a->x_m, a->y_m});
    }
  }

  void Finish(double time_s) {
    for (const auto& [key, index] : open_) {
      events_[index].duration_s = time_s - events_[index].start_s;
    }
    open_.clear();
  }

 private:
  std::vector<HazardEvent>& events_;
  std::map<std::pair<HazardKind, std::string>, std::size_t> open_;
};

void ComputeHazards(const Telemetry& t, const MetricsConfig& config, Metrics& m) {
  const vehicle::RoverLimits& lim = config.limits;
  EventMerger merger(m.hazards);
  StuckDetector stuck(config.stuck_time_s, config.stuck_min_progress_m, config.stuck_min_turn_rad);
  int direction_sign = 0;  // of the current command, from its odometry / wheel speeds
  int sign_command = -2;   // the command_index direction_sign belongs to
  std::vector<Active> active;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const TelemetrySample& s = t[i];
    const double x = s.position_map_m[0], y = s.position_map_m[1];
    active.clear();

    for (const BodyContact& c : s.body_contacts) {
      if (c.normal_force_N < config.body_contact_min_force_N) continue;
      const std::string part = ToString(c.part);
      const bool seen = std::any_of(active.begin(), active.end(),
                                    [&](const Active& a) { return a.part == part; });
      if (!seen) {
        active.push_back(
            {HazardKind::kBodyContact, part, s.time_s, c.point_map_m[0], c.point_map_m[1]});
      }
    }
    for (int w = 0; w < kWheelCount; ++w) {
      const WheelSample& wheel = s.wheels[static_cast<std::size_t>(w)];
      if (wheel.on_rock && wheel.rock_height_m > lim.max_rock_height_m) {
        active.push_back(
            {HazardKind::kWheelOnRock, kWheelNames[static_cast<std::size_t>(w)], s.time_s, x, y});
      }
    }
    if (s.tilt_rad > lim.max_tilt_rad) active.push_back({HazardKind::kTilt, "", s.time_s, x, y});
    if (!vehicle::IsStaticallyStable(config.support, vehicle::UpInBody(s.roll_rad, s.pitch_rad))) {
      active.push_back({HazardKind::kRollover, "", s.time_s, x, y});
    }
    const auto check_joint = [&](double angle, double lo, double hi, const char* name) {
      if (angle <= lo || angle >= hi) {
        active.push_back({HazardKind::kSuspension, name, s.time_s, x, y});
      }
    };
    check_joint(s.rocker_left_rad, lim.rocker_min_rad, lim.rocker_max_rad, "rocker_left");
    check_joint(s.rocker_right_rad, lim.rocker_min_rad, lim.rocker_max_rad, "rocker_right");
    check_joint(s.bogie_left_rad, lim.bogie_min_rad, lim.bogie_max_rad, "bogie_left");
    check_joint(s.bogie_right_rad, lim.bogie_min_rad, lim.bogie_max_rad, "bogie_right");
    for (const KeepOutZone& zone : config.keep_outs) {
      if (!InZone(zone, config.keep_out_margin_m, x, y)) continue;
      Active a{HazardKind::kKeepOut, zone.name, s.time_s, x, y};
      if (i > 0) {
        const auto& p = t[i - 1].position_map_m;
        if (!InZone(zone, config.keep_out_margin_m, p[0], p[1])) {
          const auto entry = EntryPoint(zone, config.keep_out_margin_m, p[0], p[1], x, y);
          a.x_m = entry[0];
          a.y_m = entry[1];
        }
      }
      active.push_back(a);
    }
    if (s.command_index != sign_command) {
      direction_sign = 0;
      sign_command = s.command_index;
    }
    if (IsTranslating(s.command) && i > 0) {
      const auto& o0 = t[i - 1].odometry_position_map_m;
      const auto& o1 = s.odometry_position_map_m;
      const double along =
          (o1[0] - o0[0]) * std::cos(s.yaw_rad) + (o1[1] - o0[1]) * std::sin(s.yaw_rad);
      if (std::abs(along) > 1e-9) direction_sign = along > 0 ? 1 : -1;
    } else if (s.command == CommandKind::kTurnInPlace) {
      double left = 0, right = 0;
      for (std::size_t w = 0; w < 3; ++w) left += s.wheels[w].speed_radps;
      for (std::size_t w = 3; w < kWheelCount; ++w) right += s.wheels[w].speed_radps;
      if (std::abs(right - left) > 1e-9) direction_sign = right > left ? 1 : -1;
    }
    if (stuck.Update(s.time_s, x, y, s.yaw_rad, s.command, direction_sign)) {
      active.push_back(
          {HazardKind::kStuck, "", stuck.since_s(), stuck.since_x_m(), stuck.since_y_m()});
    }
    merger.Sample(s.time_s, active);
  }
  merger.Finish(t.empty() ? 0.0 : t.back().time_s);

  for (const HazardEvent& e : m.hazards) {
    ++m.hazard_counts[static_cast<std::size_t>(e.kind)];
    if (e.kind == HazardKind::kStuck) m.stuck = true;
  }
}

}  // namespace

const char* ToString(HazardKind kind) {
  switch (kind) {
    case HazardKind::kBodyContact:
      return "body_contact";
    case HazardKind::kWheelOnRock:
      return "wheel_on_rock";
    case HazardKind::kTilt:
      return "tilt";
    case HazardKind::kSuspension:
      return "suspension";
    case HazardKind::kKeepOut:
      return "keep_out";
    case HazardKind::kStuck:
      return "stuck";
    case HazardKind::kRollover:
      return "rollover";
  }
  return "unknown";
}

double NearestRankQuantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  const std::size_t k = std::clamp<std::size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

StuckDetector::StuckDetector(double stuck_time_s, double min_progress_m, double min_turn_rad)
    : stuck_time_s_(stuck_time_s), min_progress_m_(min_progress_m), min_turn_rad_(min_turn_rad) {
  MD_DEMAND(stuck_time_s > 0 && min_progress_m > 0 && min_turn_rad > 0);
}

bool StuckDetector::Update(double time_s, double x_m, double y_m, double yaw_rad,
                           CommandKind command, int direction_sign) {
  if (!IsMotion(command)) {
    anchored_ = false;
    return false;
  }
  bool progress = !anchored_;
  if (anchored_) {
    const double sign = direction_sign < 0 ? -1.0 : 1.0;
    if (command == CommandKind::kTurnInPlace) {
      const double turned = base::WrapPi(yaw_rad - anchor_yaw_rad_);
      progress = (direction_sign == 0 ? std::abs(turned) : sign * turned) >= min_turn_rad_;
    } else {
      const double dx = x_m - anchor_x_m_, dy = y_m - anchor_y_m_;
      const double along =
          direction_sign == 0
              ? std::hypot(dx, dy)
              : sign * (dx * std::cos(anchor_yaw_rad_) + dy * std::sin(anchor_yaw_rad_));
      progress = along >= min_progress_m_;
    }
  }
  if (progress) {
    anchored_ = true;
    anchor_time_s_ = time_s;
    anchor_x_m_ = x_m;
    anchor_y_m_ = y_m;
    anchor_yaw_rad_ = yaw_rad;
    return false;
  }
  return time_s - anchor_time_s_ >= stuck_time_s_;
}

Metrics ComputeMetrics(const Telemetry& telemetry, const MetricsConfig& config) {
  MD_DEMAND(config.slip_window_m > 0 && config.keep_out_margin_m >= 0);
  for (const KeepOutZone& zone : config.keep_outs) MD_DEMAND(zone.polygon_map_m.size() >= 3);

  Metrics m;
  m.sample_count = telemetry.size();
  if (telemetry.empty()) return m;
  const TelemetrySample& first = telemetry.front();
  const TelemetrySample& last = telemetry.back();
  m.start_pose = {first.position_map_m[0], first.position_map_m[1], first.yaw_rad};
  m.end_pose = {last.position_map_m[0], last.position_map_m[1], last.yaw_rad};
  m.distance_m = last.truth_distance_m - first.truth_distance_m;
  m.odometry_m = last.odometry_distance_m - first.odometry_distance_m;
  m.energy_J = last.energy_J - first.energy_J;
  m.sim_time_s = last.time_s;
  m.slip_limit = config.limits.slip_limit;
  for (const TelemetrySample& s : telemetry) m.tilt_max_rad = std::max(m.tilt_max_rad, s.tilt_rad);

  if (config.goal) {
    m.has_end_ref = true;
    m.end_ref_is_goal = true;
    m.end_ref_x_m = config.goal->x_m;
    m.end_ref_y_m = config.goal->y_m;
  } else if (!config.commands.empty()) {
    const vehicle::Pose2 ideal =
        vehicle::IdealEndPose(config.start.value_or(m.start_pose), config.commands);
    m.has_end_ref = true;
    m.end_ref_x_m = ideal.x_m;
    m.end_ref_y_m = ideal.y_m;
  }
  if (m.has_end_ref) {
    const double from_start =
        std::hypot(m.start_pose.x_m - m.end_ref_x_m, m.start_pose.y_m - m.end_ref_y_m);
    m.end_error_m = std::hypot(m.end_pose.x_m - m.end_ref_x_m, m.end_pose.y_m - m.end_ref_y_m);
    m.progress_m = from_start - m.end_error_m;
  }
  if (config.goal) m.goal_reached = m.end_error_m <= config.goal->tolerance_m;

  ComputeSlip(telemetry, config, m);
  ComputeHazards(telemetry, config, m);
  return m;
}

}  // namespace marsdrive::sim

// AutoNav path-option geometry and the ACE-style evaluation (vehicle/autonav.h); the choice and
// the AutoNav object (memory, cost to go) are in autonav_decide.cpp.

#include "vehicle/autonav.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/check.h"
#include "base/geometry.h"
#include "vehicle/drive_controller.h"

namespace marsdrive::vehicle {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Interval {
  double lo = 0, hi = 0;
};
Interval operator+(Interval a, Interval b) { return {a.lo + b.lo, a.hi + b.hi}; }
Interval operator-(Interval a, Interval b) { return {a.lo - b.hi, a.hi - b.lo}; }
Interval Scale(Interval a, double k) {
  return k >= 0 ? Interval{a.lo * k, a.hi * k} : Interval{a.hi * k, a.lo * k};
}
Interval Atan(Interval a) { return {std::atan(a.lo), std::atan(a.hi)}; }
double AbsMax(Interval a) { return std::max(std::fabs(a.lo), std::fabs(a.hi)); }

double SegmentDistance2(double px, double py, const std::array<double, 2>& a,
                        const std::array<double, 2>& b) {
  const double vx = b[0] - a[0], vy = b[1] - a[1];
  const double wx = px - a[0], wy = py - a[1];
  const double len2 = vx * vx + vy * vy;
  const double t = len2 > 0 ? std::clamp((wx * vx + wy * vy) / len2, 0.0, 1.0) : 0.0;
  const double dx = wx - t * vx, dy = wy - t * vy;
  return dx * dx + dy * dy;
}

}  // namespace

bool InKeepOut(const KeepOutZone& zone, double margin_m, double x_m, double y_m) {
  const auto& p = zone.polygon_map_m;
  if (p.size() < 3) return false;
  const bool inside = base::PointInPolygon(p, x_m, y_m);
  if (inside || margin_m <= 0) return inside;
  for (std::size_t i = 0, j = p.size() - 1; i < p.size(); j = i++) {
    if (SegmentDistance2(x_m, y_m, p[j], p[i]) <= margin_m * margin_m) return true;
  }
  return false;
}

const char* ToString(OptionKind kind) {
  switch (kind) {
    case OptionKind::kArc:
      return "arc";
    case OptionKind::kTurnInPlace:
      return "turn";
  }
  return "unknown";
}

const char* ToString(OptionCheck check) {
  switch (check) {
    case OptionCheck::kNone:
      return "none";
    case OptionCheck::kKeepOut:
      return "keep_out";
    case OptionCheck::kUnknown:
      return "unknown";
    case OptionCheck::kStep:
      return "step";
    case OptionCheck::kSuspension:
      return "suspension";
    case OptionCheck::kTilt:
      return "tilt";
    case OptionCheck::kClearance:
      return "clearance";
    case OptionCheck::kTurnLimit:
      return "turn_limit";
  }
  return "unknown";
}

PathOption MakeArcOption(const Pose2& start, double curvature_1pm, double length_m,
                         double spacing_m) {
  MD_DEMAND(length_m > 0 && spacing_m > 0);
  PathOption o;
  o.kind = OptionKind::kArc;
  o.curvature_1pm = curvature_1pm;
  o.length_m = length_m;
  const int n = std::max(1, static_cast<int>(std::ceil(length_m / spacing_m - 1e-9)));
  o.poses.reserve(static_cast<std::size_t>(n) + 1);
  for (int k = 0; k <= n; ++k) {
    const double s = length_m * k / n;
    const double yaw = start.yaw_rad + curvature_1pm * s;
    Pose2 p;
    if (std::fabs(curvature_1pm) < 1e-9) {
      p = {start.x_m + s * std::cos(start.yaw_rad), start.y_m + s * std::sin(start.yaw_rad), yaw};
    } else {
      const double r = 1.0 / curvature_1pm;
      p = {start.x_m + r * (std::sin(yaw) - std::sin(start.yaw_rad)),
           start.y_m - r * (std::cos(yaw) - std::cos(start.yaw_rad)), yaw};
    }
    o.poses.push_back(p);
  }
  return o;
}

PathOption MakeTurnOption(const Pose2& start, double turn_rad, double sample_rad) {
  MD_DEMAND(sample_rad > 0);
  PathOption o;
  o.kind = OptionKind::kTurnInPlace;
  o.turn_rad = turn_rad;
  const int n = std::max(1, static_cast<int>(std::ceil(std::fabs(turn_rad) / sample_rad - 1e-9)));
  o.poses.reserve(static_cast<std::size_t>(n) + 1);
  for (int k = 0; k <= n; ++k) {
    o.poses.push_back({start.x_m, start.y_m, start.yaw_rad + turn_rad * k / n});
  }
  return o;
}

// ---- AceEvaluator -----------------------------------------------------------------------------

struct AceEvaluator::PoseResult {
  int samples = 0, unknown = 0;
  bool wheel_unknown = false;
  double max_step_m = 0, step_sum_m = 0;
  double rocker_rad = 0, bogie_rad = 0, tilt_rad = 0;
  double clearance_m = kInf;
};

AceEvaluator::AceEvaluator(const RoverSpec& spec, const AutoNavParams& params)
    : spec_(spec), params_(params), wheel_xy_(WheelPositionsXY(spec)) {
  MD_DEMAND(params.cell_m > 0 && params.wheel_patch_length_m > 0);
  // Samples at most 0.7 cell apart, so every cell under a footprint is read.
  const double spacing = 0.7 * params.cell_m;
  const auto samples = [&](double extent) {
    return std::max(2, static_cast<int>(std::ceil(extent / spacing)) + 1);
  };
  const double len = params.wheel_patch_length_m, wid = spec.wheel_width_m;
  const double len_m = len + 2 * params.wheel_margin_m, wid_m = wid + 2 * params.wheel_margin_m;
  const int nu = samples(len_m), nv = samples(wid_m);
  const double core = 0.5 * params.wheel_core_fraction;
  for (int a = 0; a < nu; ++a) {
    for (int b = 0; b < nv; ++b) {
      const double u = -0.5 * len_m + len_m * a / (nu - 1);
      const double v = -0.5 * wid_m + wid_m * b / (nv - 1);
      patch_.push_back({u, v});
      const bool in_core = std::fabs(u) <= core * len + 1e-9 && std::fabs(v) <= core * wid + 1e-9;
      const bool in_patch = std::fabs(u) <= 0.5 * len + 1e-9 && std::fabs(v) <= 0.5 * wid + 1e-9;
      patch_core_.push_back(in_core ? 2 : in_patch ? 1 : 0);
    }
  }
  // Least-squares plane z = a + b x + c y through the six wheel positions: (a, b, c) = P z.
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (const auto& w : wheel_xy_) {
    sx += w[0];
    sy += w[1];
    sxx += w[0] * w[0];
    syy += w[1] * w[1];
    sxy += w[0] * w[1];
  }
  const double n = static_cast<double>(wheel_xy_.size());
  // Inverse of the normal matrix [[n, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]] (cofactors).
  const double m00 = sxx * syy - sxy * sxy, m01 = -(sx * syy - sxy * sy), m02 = sx * sxy - sxx * sy;
  const double m11 = n * syy - sy * sy, m12 = -(n * sxy - sx * sy), m22 = n * sxx - sx * sx;
  const double det = n * m00 + sx * m01 + sy * m02;
  MD_DEMAND(std::fabs(det) > 1e-9);
  for (std::size_t w = 0; w < wheel_xy_.size(); ++w) {
    const double x = wheel_xy_[w][0], y = wheel_xy_[w][1];
    plane_[0][w] = (m00 + m01 * x + m02 * y) / det;
    plane_[1][w] = (m01 + m11 * x + m12 * y) / det;
    plane_[2][w] = (m02 + m12 * x + m22 * y) / det;
  }
  const double x0 = spec.chassis_min_x_m - params.body_margin_m;
  const double x1 = spec.chassis_max_x_m + params.body_margin_m;
  const double hw = spec.chassis_half_width_m + params.body_margin_m;
  const int nx = samples(x1 - x0), ny = samples(2 * hw);
  for (int a = 0; a < nx; ++a) {
    for (int b = 0; b < ny; ++b) {
      body_.push_back({x0 + (x1 - x0) * a / (nx - 1), -hw + 2 * hw * b / (ny - 1)});
    }
  }
}

void AceEvaluator::EvaluatePose(const LocalMap& map, const Pose2& pose, PoseResult& out) const {
  out = PoseResult{};
  const double c = std::cos(pose.yaw_rad), s = std::sin(pose.yaw_rad);
  const auto height = [&](double bx, double by) {
    return map.HeightAt(pose.x_m + c * bx - s * by, pose.y_m + s * bx + c * by);
  };
  // Wheel contact height bounds: [highest under the core, highest under the patch].
  std::array<Interval, 6> z{};
  for (std::size_t w = 0; w < wheel_xy_.size(); ++w) {
    double lo = kInf, hi = -kInf, core_hi = -kInf;
    int known = 0;
    for (std::size_t k = 0; k < patch_.size(); ++k) {
      const float h = height(wheel_xy_[w][0] + patch_[k][0], wheel_xy_[w][1] + patch_[k][1]);
      ++out.samples;
      if (std::isnan(h)) {
        ++out.unknown;
        continue;
      }
      ++known;
      if (patch_core_[k] == 0) continue;  // margin: step only
      lo = std::min(lo, static_cast<double>(h));
      hi = std::max(hi, static_cast<double>(h));
      if (patch_core_[k] == 2) core_hi = std::max(core_hi, static_cast<double>(h));
    }
    if (known < params_.min_known_fraction * static_cast<double>(patch_.size()) || hi == -kInf) {
      out.wheel_unknown = true;
      return;
    }
    z[w] = {core_hi > -kInf ? core_hi : lo, hi};
  }
  // Step: what each wheel must climb from where it rests. Heights are taken about the plane
  // through the wheels (a uniform slope is not a step); the wheel rests on the highest cell
  // under its core, and the step is the highest cell under the patch and its margin above that.
  // A range (max - min) instead counted every dip, the local slope's deviation from the plane
  // and the stereo noise of both extremes as a step, and rejected ordinary rough ground
  // (rover.md §4: rocks up to ~0.40 m are climbed routinely). Drops are bounded by the
  // suspension and tilt checks.
  double pa = 0, pb = 0, pc = 0;
  for (std::size_t w = 0; w < wheel_xy_.size(); ++w) {
    pa += plane_[0][w] * z[w].lo;
    pb += plane_[1][w] * z[w].lo;
    pc += plane_[2][w] * z[w].lo;
  }
  for (std::size_t w = 0; w < wheel_xy_.size(); ++w) {
    double top = -kInf, rest = -kInf;
    for (std::size_t k = 0; k < patch_.size(); ++k) {
      const double bx = wheel_xy_[w][0] + patch_[k][0], by = wheel_xy_[w][1] + patch_[k][1];
      const float h = height(bx, by);
      if (std::isnan(h)) continue;
      const double d = static_cast<double>(h) - (pa + pb * bx + pc * by);
      top = std::max(top, d);
      if (patch_core_[k] == 2) rest = std::max(rest, d);
    }
    if (rest == -kInf) {  // core unseen: the contact bound at the wheel centre
      rest = z[w].lo - (pa + pb * wheel_xy_[w][0] + pc * wheel_xy_[w][1]);
    }
    const double step = std::max(0.0, top - rest);
    out.max_step_m = std::max(out.max_step_m, step);
    out.step_sum_m += step;
  }
  // Rocker-bogie propagation, per side (wheels 0..2 left, 3..5 right: front, middle, rear).
  const double xf = spec_.front_wheel_m.x, xm = spec_.middle_wheel_m.x, xr = spec_.rear_wheel_m.x;
  const double xb = spec_.bogie_pivot_m.x, xp = spec_.rocker_pivot_m.x;
  const double yp = spec_.rocker_pivot_m.y;
  const double f_bogie = (xb - xr) / (xm - xr);   // bogie pivot between rear (0) and middle (1)
  const double f_rocker = (xp - xb) / (xf - xb);  // rocker pivot between bogie (0) and front (1)
  std::array<Interval, 2> rocker_abs{}, pivot{};
  for (int side = 0; side < 2; ++side) {
    const Interval zf = z[static_cast<std::size_t>(3 * side)];
    const Interval zm = z[static_cast<std::size_t>(3 * side + 1)];
    const Interval zr = z[static_cast<std::size_t>(3 * side + 2)];
    const Interval bogie_abs = Atan(Scale(zm - zr, 1.0 / (xm - xr)));
    const Interval zb = Scale(zr, 1 - f_bogie) + Scale(zm, f_bogie);
    rocker_abs[static_cast<std::size_t>(side)] = Atan(Scale(zf - zb, 1.0 / (xf - xb)));
    pivot[static_cast<std::size_t>(side)] = Scale(zb, 1 - f_rocker) + Scale(zf, f_rocker);
    out.bogie_rad =
        std::max(out.bogie_rad, AbsMax(bogie_abs - rocker_abs[static_cast<std::size_t>(side)]));
  }
  const Interval pitch = Scale(rocker_abs[0] + rocker_abs[1], 0.5);  // differential: + = nose up
  out.rocker_rad = AbsMax(Scale(rocker_abs[0] - rocker_abs[1], 0.5));
  const Interval roll = Atan(Scale(pivot[0] - pivot[1], 0.5 / yp));
  out.tilt_rad = std::acos(std::cos(AbsMax(roll)) * std::cos(AbsMax(pitch)));
  // Lowest belly plane: pivot heights interpolated across y, pitched about the rocker pivots.
  const double tan_lo = std::tan(pitch.lo), tan_hi = std::tan(pitch.hi);
  const double clearance = spec_.limits.ground_clearance_m;
  for (const auto& p : body_) {
    const float h = height(p[0], p[1]);
    ++out.samples;
    if (std::isnan(h)) {
      ++out.unknown;
      continue;
    }
    const double a = 0.5 + p[1] / (2 * yp), b = 1 - a;
    const double base =
        (a >= 0 ? a * pivot[0].lo : a * pivot[0].hi) + (b >= 0 ? b * pivot[1].lo : b * pivot[1].hi);
    const double dx = p[0] - xp;
    const double belly = base + dx * (dx >= 0 ? tan_lo : tan_hi) + clearance;
    out.clearance_m = std::min(out.clearance_m, belly - static_cast<double>(h));
  }
}

void AceEvaluator::Evaluate(const LocalMap& map, const std::vector<KeepOutZone>& keep_outs,
                            PathOption& option) const {
  option.safe = false;
  option.failure = OptionCheck::kNone;
  option.failed_pose = -1;
  option.min_clearance_m = kInf;
  option.max_tilt_rad = option.max_rocker_rad = option.max_bogie_rad = option.max_step_m = 0;
  int samples = 0, unknown = 0, poses = 0;
  double step_sum = 0;
  const RoverLimits& lim = spec_.limits;
  const auto fail = [&](OptionCheck check, int at) {
    option.failure = check;
    option.failed_pose = at;
  };
  PoseResult r;
  for (std::size_t p = 1; p < option.poses.size(); ++p) {  // poses[0]: where the rover stands
    const Pose2& pose = option.poses[p];
    const int at = static_cast<int>(p);
    if (std::any_of(keep_outs.begin(), keep_outs.end(), [&](const KeepOutZone& z) {
          return InKeepOut(z, params_.keep_out_margin_m, pose.x_m, pose.y_m);
        })) {
      fail(OptionCheck::kKeepOut, at);
      break;
    }
    EvaluatePose(map, pose, r);
    samples += r.samples;
    unknown += r.unknown;
    if (r.wheel_unknown) {
      fail(OptionCheck::kUnknown, at);
      break;
    }
    ++poses;
    step_sum += r.step_sum_m / 6.0;
    option.max_step_m = std::max(option.max_step_m, r.max_step_m);
    option.max_rocker_rad = std::max(option.max_rocker_rad, r.rocker_rad);
    option.max_bogie_rad = std::max(option.max_bogie_rad, r.bogie_rad);
    option.max_tilt_rad = std::max(option.max_tilt_rad, r.tilt_rad);
    option.min_clearance_m = std::min(option.min_clearance_m, r.clearance_m);
    if (r.max_step_m > params_.max_step_m) {
      fail(OptionCheck::kStep, at);
      break;
    }
    if (r.rocker_rad > std::min(lim.rocker_max_rad, -lim.rocker_min_rad) ||
        r.bogie_rad > std::min(lim.bogie_max_rad, -lim.bogie_min_rad)) {
      fail(OptionCheck::kSuspension, at);
      break;
    }
    if (r.tilt_rad > lim.max_tilt_rad) {
      fail(OptionCheck::kTilt, at);
      break;
    }
    if (r.clearance_m < params_.clearance_margin_m) {
      fail(OptionCheck::kClearance, at);
      break;
    }
  }
  option.unknown_fraction = samples > 0 ? static_cast<double>(unknown) / samples : 0.0;
  option.roughness_m = poses > 0 ? step_sum / poses : 0.0;
  if (option.failure == OptionCheck::kNone &&
      option.unknown_fraction > params_.max_unknown_fraction) {
    fail(OptionCheck::kUnknown, static_cast<int>(option.poses.size()) - 1);
  }
  option.safe = option.failure == OptionCheck::kNone;
}

}  // namespace marsdrive::vehicle

#include "scenarios/check/plan_check.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <mutex>
#include <numbers>
#include <thread>

#include "base/check.h"
#include "base/geometry.h"
#include "base/text.h"
#include "scenarios/drive_pipeline.h"
#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::check {

namespace fs = std::filesystem;

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr int kMaxTrials = 100000;
// A first waypoint this close to the start is the start itself (plan.json lists it first).
constexpr double kSameAsStartM = 0.5;

std::string Where(double x, double y) {
  char text[80];
  std::snprintf(text, sizeof text, "(%g, %g)", x, y);
  return text;
}

void RequireOnMap(const terrain::GridSpec& s, const std::string& what, double x, double y) {
  MD_THROW_UNLESS(std::isfinite(x) && std::isfinite(y) && s.Contains(x, y),
                  what + " " + Where(x, y) + " is off the map: the orbital products cover x " +
                      Where(s.origin_x_m, s.MaxX()) + " m, y " + Where(s.origin_y_m, s.MaxY()) +
                      " m");
}

void Validate(const CheckRequest& r) {
  MD_DEMAND(r.orbital != nullptr);
  MD_THROW_UNLESS(r.trials >= 1 && r.trials <= kMaxTrials,
                  "--trials " + std::to_string(r.trials) + ": expected 1 to " +
                      std::to_string(kMaxTrials) + " trials");
  MD_THROW_UNLESS(r.jobs >= 1, "--jobs: expected at least 1");
  MD_THROW_UNLESS(!r.waypoints.empty(), "the plan has no waypoints");
  const terrain::GridSpec& s = r.orbital->spec();
  RequireOnMap(s, "the start", r.start.x_m, r.start.y_m);
  for (std::size_t i = 0; i < r.waypoints.size(); ++i) {
    RequireOnMap(s, "waypoint " + std::to_string(i), r.waypoints[i].x_m, r.waypoints[i].y_m);
  }
  RequireOnMap(s, "the goal", r.goal.x_m, r.goal.y_m);
  MD_THROW_UNLESS(std::isfinite(r.goal.tolerance_m) && r.goal.tolerance_m > 0,
                  "the goal's tolerance: expected metres > 0");
}

// Start, waypoints and goal as the rover drives them (sim::AppendGoal's rule for the last one).
std::vector<base::Point2> PlanPoints(const CheckRequest& r) {
  std::vector<base::Point2> points = {{r.start.x_m, r.start.y_m}};
  for (const base::Point2& p : r.waypoints) {
    const bool is_start =
        points.size() == 1 && std::hypot(p.x_m - r.start.x_m, p.y_m - r.start.y_m) < kSameAsStartM;
    if (!is_start) points.push_back(p);
  }
  const base::Point2& last = points.back();
  if (points.size() > 1 &&
      std::hypot(last.x_m - r.goal.x_m, last.y_m - r.goal.y_m) <= r.goal.tolerance_m) {
    points.pop_back();
  }
  points.push_back({r.goal.x_m, r.goal.y_m});
  return points;
}

sim::DriveRequest MakeTrialDrive(const CheckRequest& r, const std::vector<base::Point2>& plan,
                                 const TrialDraw& draw,
                                 std::shared_ptr<const terrain::TerrainTruth> ground) {
  sim::DriveRequest drive;
  drive.terrain = std::move(ground);
  drive.rover = r.rover;
  drive.start = draw.start;
  drive.seed = draw.seed;
  drive.time_limit_s = r.time_limit_s;
  drive.soils = draw.soils;
  drive.odometry_scale_error = draw.odometry_scale_error;
  drive.imu_yaw_drift_radps = draw.imu_yaw_drift_radps;
  for (std::size_t i = 1; i < plan.size(); ++i)
    drive.waypoints.push_back({plan[i].x_m, plan[i].y_m});
  drive.waypoint_params.autonav = r.autonav;
  drive.waypoint_params.goal_tolerance_m = r.goal.tolerance_m;
  sim::AddKeepOuts(drive, r.keep_outs);
  return drive;
}

bool IsSevere(sim::HazardKind kind) {
  return kind == sim::HazardKind::kKeepOut || kind == sim::HazardKind::kRollover ||
         kind == sim::HazardKind::kBodyContact;
}

// The minimum of AutoNav's clearance bound over the options it chose.
std::optional<double> MinClearance(const sim::DriveResult& result) {
  std::optional<double> least;
  for (const vehicle::AutoNavDecision& d : result.autonav_decisions) {
    if (d.chosen < 0 ||
        d.options[static_cast<std::size_t>(d.chosen)].kind != vehicle::OptionKind::kArc)
      continue;
    const double c = d.options[static_cast<std::size_t>(d.chosen)].min_clearance_m;
    least = least ? std::min(*least, c) : c;
  }
  return least;
}

void FillOutcome(const scenarios::RecordedDrive& drive, TrialOutcome& t) {
  const sim::Metrics& m = drive.metrics;
  t.status = m.status;
  t.reason = m.reason;
  t.goal_reached = m.goal_reached.value_or(false);
  t.distance_m = m.distance_m;
  t.slip_p95 = m.slip.p95;
  t.tilt_max_deg = m.tilt_max_rad * kRadToDeg;
  t.energy_J = m.energy_J;
  t.time_s = m.sim_time_s;
  t.min_clearance_m = MinClearance(drive.result);
  t.fail_x_m = m.end_pose.x_m;
  t.fail_y_m = m.end_pose.y_m;
  t.severe = sim::IsFault(t.status);
  if (t.severe) t.failure = t.status;
  for (const sim::HazardEvent& e : m.hazards) {
    ++t.hazards[sim::ToString(e.kind)];
    if (e.kind == sim::HazardKind::kKeepOut &&
        std::find(t.keep_outs_entered.begin(), t.keep_outs_entered.end(), e.part) ==
            t.keep_outs_entered.end()) {
      t.keep_outs_entered.push_back(e.part);
    }
    if (IsSevere(e.kind) && !t.severe) {
      t.severe = true;
      t.failure = sim::ToString(e.kind);
      t.fail_x_m = e.x_m;
      t.fail_y_m = e.y_m;
    }
  }
  if (t.failure.empty() && !t.goal_reached)
    t.failure = t.status == "completed" ? "goal_missed" : t.status;
}

TrialOutcome RunTrial(const CheckRequest& r, const std::vector<base::Point2>& plan,
                      const terrain::GridSpec& window, const RockAbundance& rocks, int index) {
  TrialOutcome t;
  t.index = index;
  char name[32];
  std::snprintf(name, sizeof name, "trial-%03d", index + 1);
  t.dir = (fs::path("trials") / name).string();
  t.draw =
      DrawTrial(rocks, r.model, r.start, DeriveSeed(r.seed, static_cast<std::uint64_t>(index) + 1));
  try {
    const fs::path dir = r.out / t.dir;
    fs::create_directories(dir);
    auto ground =
        std::make_shared<terrain::TerrainTruth>(SampleGround(*r.orbital, window, r.model, t.draw));
    const sim::DriveRequest drive = MakeTrialDrive(r, plan, t.draw, std::move(ground));
    sim::MetricsConfig config = sim::MakeDriveMetricsConfig(drive);
    config.goal = r.goal;
    FillOutcome(scenarios::RunAndRecordDrive(drive, config, dir), t);
  } catch (const std::exception& e) {
    t.status = "error";
    t.reason = e.what();
    t.severe = true;
    t.failure = "error";
    t.fail_x_m = t.draw.start.x_m;
    t.fail_y_m = t.draw.start.y_m;
  }
  return t;
}

CheckSummary Summarise(const std::vector<TrialOutcome>& trials, double slip_limit) {
  CheckSummary s;
  s.trials = static_cast<int>(trials.size());
  s.slip_limit = slip_limit;
  s.goal.trials = s.severe.trials = s.slip_over_limit.trials = s.trials;
  for (int k = 0; k < sim::kHazardKindCount; ++k) {
    s.hazards[sim::ToString(static_cast<sim::HazardKind>(k))].trials = s.trials;
  }
  for (const TrialOutcome& t : trials) {
    s.goal.count += t.goal_reached ? 1 : 0;
    s.severe.count += t.severe ? 1 : 0;
    s.slip_over_limit.count += t.slip_p95 > slip_limit ? 1 : 0;
    for (const auto& [kind, events] : t.hazards) s.hazards[kind].count += events > 0 ? 1 : 0;
    for (const std::string& zone : t.keep_outs_entered) ++s.keep_out_zones[zone];
    ++s.statuses[t.status];
  }
  return s;
}

double DistanceToSegment(const base::Point2& p, const base::Point2& a, const base::Point2& b) {
  const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
  const double len2 = dx * dx + dy * dy;
  const double t =
      len2 > 0 ? std::clamp(((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2, 0.0, 1.0) : 0.0;
  return std::hypot(p.x_m - (a.x_m + t * dx), p.y_m - (a.y_m + t * dy));
}

std::vector<LegRisk> LegRisks(const std::vector<base::Point2>& plan,
                              const std::vector<TrialOutcome>& trials) {
  std::vector<LegRisk> legs(plan.size() - 1);
  std::vector<std::map<std::string, int>> causes(legs.size());
  for (std::size_t i = 0; i < legs.size(); ++i) legs[i].from = plan[i], legs[i].to = plan[i + 1];
  for (const TrialOutcome& t : trials) {
    std::size_t leg = legs.size();  // none: the trial succeeded
    if (!t.failure.empty()) {
      double best = INFINITY;
      for (std::size_t i = 0; i < legs.size(); ++i) {
        const double d = DistanceToSegment({t.fail_x_m, t.fail_y_m}, legs[i].from, legs[i].to);
        if (d < best) best = d, leg = i;
      }
      ++legs[leg].failures;
      ++causes[leg][t.failure];
    }
    for (std::size_t i = 0; i < legs.size() && i <= leg; ++i) ++legs[i].entered;
  }
  for (std::size_t i = 0; i < legs.size(); ++i) {
    LegRisk& l = legs[i];
    l.p_fail = l.entered > 0 ? static_cast<double>(l.failures) / l.entered : 0.0;
    int most = 0;
    for (const auto& [cause, n] : causes[i]) {
      if (n > most) most = n, l.main_failure = cause;
    }
  }
  return legs;
}

// "leg 2 (10, 5) -> (20, 5) crosses keep-out 'crater'" for every leg that enters a keep-out.
std::vector<std::string> KeepOutCrossings(const std::vector<base::Point2>& plan,
                                          const std::vector<planners::KeepOut>& keep_outs) {
  std::vector<std::string> out;
  for (const planners::KeepOut& k : keep_outs) {
    std::vector<std::array<double, 2>> polygon;
    for (const base::Point2& p : k.polygon) polygon.push_back({p.x_m, p.y_m});
    for (std::size_t i = 0; i + 1 < plan.size(); ++i) {
      const base::Point2 &a = plan[i], &b = plan[i + 1];
      if (!base::SegmentEntersPolygon(polygon, {a.x_m, a.y_m}, {b.x_m, b.y_m})) continue;
      out.push_back("the plan's leg " + std::to_string(i + 1) + " " + Where(a.x_m, a.y_m) + " -> " +
                    Where(b.x_m, b.y_m) + " crosses keep-out " +
                    base::QuoteExcerpt(k.name, 40, '\''));
    }
  }
  return out;
}

}  // namespace

Verdict Judge(const CheckResult& result, const FlightRules& rules) {
  Verdict verdict = Decide(result.summary, rules);
  if (result.plan_violations.empty()) return verdict;
  if (verdict.verdict == "go") verdict.reasons.clear();  // "all rules held" no longer holds
  verdict.verdict = "no_go";
  verdict.reasons.insert(verdict.reasons.begin(), result.plan_violations.begin(),
                         result.plan_violations.end());
  return verdict;
}

CheckResult RunPlanCheck(const CheckRequest& request) {
  Validate(request);
  const auto wall_start = std::chrono::steady_clock::now();
  CheckResult result;
  result.plan_points = PlanPoints(request);
  result.rocks = EstimateRockAbundance(*request.orbital, request.model);
  const terrain::GridSpec window =
      PlanWindow(request.orbital->spec(), result.plan_points, request.model);
  result.trials.resize(static_cast<std::size_t>(request.trials));
  std::atomic<int> next{0};
  std::mutex progress;
  int done = 0;
  auto worker = [&] {
    for (int i = next++; i < request.trials; i = next++) {
      result.trials[static_cast<std::size_t>(i)] =
          RunTrial(request, result.plan_points, window, result.rocks, i);
      const std::lock_guard lock(progress);
      ++done;
      if (request.on_progress) request.on_progress(done, request.trials);
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int j = 0; j < std::min(request.jobs, request.trials); ++j) pool.emplace_back(worker);
  }
  result.summary = Summarise(result.trials, request.rover.limits.slip_limit);
  result.legs = LegRisks(result.plan_points, result.trials);
  result.plan_violations = KeepOutCrossings(result.plan_points, request.keep_outs);
  result.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace marsdrive::check

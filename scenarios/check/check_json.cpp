#include "scenarios/check/check_json.h"

#include <numbers>
#include <vector>

#include "base/statistics.h"
#include "sim/metrics.h"

namespace marsdrive::check {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kRadToDeg = 180.0 / std::numbers::pi;
constexpr double kDegToRad = std::numbers::pi / 180.0;

Json ProportionJson(const Proportion& p) {
  const base::ProportionInterval ci = base::WilsonInterval95(p.count, p.trials);
  return {{"p", p.p()}, {"count", p.count}, {"trials", p.trials}, {"ci95", {ci.lo, ci.hi}}};
}

Json PointJson(const base::Point2& p) { return {{"x", p.x_m}, {"y", p.y_m}}; }

// Nearest-rank quantiles over the trials that have a value; null when none has.
Json QuantilesJson(std::vector<double> values) {
  if (values.empty()) return nullptr;
  auto q = [&](double level) { return sim::NearestRankQuantile(values, level); };
  return {{"min", q(1.0 / values.size())},
          {"p05", q(0.05)},
          {"p50", q(0.5)},
          {"p95", q(0.95)},
          {"max", q(1.0)}};
}

Json QuantilesOf(const std::vector<TrialOutcome>& trials) {
  std::vector<double> slip, tilt, clearance, energy, time;
  for (const TrialOutcome& t : trials) {
    if (t.status == "error") continue;
    slip.push_back(t.slip_p95);
    tilt.push_back(t.tilt_max_deg);
    if (t.min_clearance_m) clearance.push_back(*t.min_clearance_m);
    energy.push_back(t.energy_J);
    time.push_back(t.time_s);
  }
  return {{"slip_p95", QuantilesJson(slip)},
          {"tilt_max_deg", QuantilesJson(tilt)},
          {"min_clearance_m", QuantilesJson(clearance)},
          {"energy_J", QuantilesJson(energy)},
          {"time_s", QuantilesJson(time)}};
}

Json HazardsJson(const CheckSummary& s) {
  Json out = Json::object();
  for (const auto& [kind, p] : s.hazards) out[kind] = ProportionJson(p);
  out["severe"] = ProportionJson(s.severe);
  return out;
}

Json LegsJson(const std::vector<LegRisk>& legs) {
  Json out = Json::array();
  for (const LegRisk& l : legs) {
    out.push_back(
        {{"from", PointJson(l.from)},
         {"to", PointJson(l.to)},
         {"entered", l.entered},
         {"failures", l.failures},
         {"p_fail", l.p_fail},
         {"main_failure", l.main_failure.empty() ? Json(nullptr) : Json(l.main_failure)}});
  }
  return out;
}

Json DrawJson(const TrialDraw& d) {
  return {{"rock_k", d.rock_k},
          {"relief_factor", d.relief_factor},
          {"sand_threshold", d.sand_threshold},
          {"friction_delta_deg", d.friction_delta_deg},
          {"odometry_scale_error", d.odometry_scale_error},
          {"imu_yaw_drift_deg_per_h", d.imu_yaw_drift_radps / kDegToRad * 3600.0},
          {"start",
           {{"x", d.start.x_m}, {"y", d.start.y_m}, {"yaw_deg", d.start.yaw_rad * kRadToDeg}}}};
}

Json TrialsJson(const std::vector<TrialOutcome>& trials) {
  Json out = Json::array();
  for (const TrialOutcome& t : trials) {
    out.push_back(
        {{"index", t.index + 1},
         {"seed", t.draw.seed},
         {"dir", t.dir},
         {"status", t.status},
         {"reason", t.reason},
         {"goal_reached", t.goal_reached},
         {"distance_m", t.distance_m},
         {"slip_p95", t.slip_p95},
         {"tilt_max_deg", t.tilt_max_deg},
         {"min_clearance_m", t.min_clearance_m ? Json(*t.min_clearance_m) : Json(nullptr)},
         {"energy_J", t.energy_J},
         {"time_s", t.time_s},
         {"hazards", t.hazards},
         {"keep_outs_entered", t.keep_outs_entered},
         {"failure", t.failure.empty() ? Json(nullptr) : Json(t.failure)},
         {"failure_at", {{"x", t.fail_x_m}, {"y", t.fail_y_m}}},
         {"draw", DrawJson(t.draw)}});
  }
  return out;
}

Json RulesJson(const FlightRules& r) {
  return {{"source", r.source},
          {"go",
           {{"p_goal_min", r.go_p_goal_min},
            {"p_severe_max", r.go_p_severe_max},
            {"slip_ok_min", r.go_slip_ok_min}}},
          {"no_go",
           {{"p_goal_below", r.no_go_p_goal_below},
            {"p_severe_above", r.no_go_p_severe_above},
            {"slip_ok_below", r.no_go_slip_ok_below}}}};
}

Json InputsJson(const CheckRequest& r, const CheckInputs& in, const CheckResult& result) {
  Json plan = Json::array();
  for (const base::Point2& p : result.plan_points) plan.push_back(PointJson(p));
  Json keep_outs = Json::array(), polygons = Json::array();
  for (const planners::KeepOut& k : r.keep_outs) {
    keep_outs.push_back(k.name);
    Json polygon = Json::array();
    for (const base::Point2& p : k.polygon) polygon.push_back(PointJson(p));
    polygons.push_back({{"name", k.name}, {"polygon", polygon}});
  }
  return {
      {"orbital_dir", in.orbital_dir},
      {"plan", in.plan},
      {"problem", in.problem},
      {"keep_out", in.keep_out},
      {"start", {{"x", r.start.x_m}, {"y", r.start.y_m}, {"yaw_deg", r.start.yaw_rad * kRadToDeg}}},
      {"goal", {{"x", r.goal.x_m}, {"y", r.goal.y_m}, {"tolerance_m", r.goal.tolerance_m}}},
      {"plan_points", plan},
      {"keep_outs", keep_outs},
      {"keep_out_polygons", polygons},  // drawn on check.html's map
      {"trials", r.trials},
      {"seed", r.seed},
      {"autonav", r.autonav},
      {"rover", r.rover.name},
      {"time_limit_s", r.time_limit_s}};
}

}  // namespace

Json CheckToJson(const CheckRequest& request, const CheckInputs& inputs, const CheckResult& result,
                 const FlightRules& rules, const Verdict& verdict) {
  const CheckSummary& s = result.summary;
  Json j;
  j["schema"] = kCheckSchema;
  j["verdict"] = verdict.verdict;
  j["reasons"] = verdict.reasons;
  j["plan_violations"] = result.plan_violations;
  j["p_goal"] = ProportionJson(s.goal);
  j["p_hazard"] = HazardsJson(s);
  j["slip_limit"] = s.slip_limit;
  j["p_slip_over_limit"] = ProportionJson(s.slip_over_limit);
  j["keep_outs_entered"] = s.keep_out_zones;
  j["statuses"] = s.statuses;
  j["quantiles"] = QuantilesOf(result.trials);
  j["legs"] = LegsJson(result.legs);
  j["trials"] = TrialsJson(result.trials);
  j["rock_abundance"] = {{"visible_rocks", result.rocks.visible_count},
                         {"area_m2", result.rocks.area_m2},
                         {"k_mean", result.rocks.mean}};
  j["rules"] = RulesJson(rules);
  j["inputs"] = InputsJson(request, inputs, result);
  j["wall_time_s"] = result.wall_time_s;
  return j;
}

}  // namespace marsdrive::check

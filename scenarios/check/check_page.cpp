#include "scenarios/check/check_page.h"

#include <numbers>

#include "sim/drive_run.h"

namespace marsdrive::check {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kDegToRad = std::numbers::pi / 180.0;

// As plan_check.cpp decides `severe`: a severe hazard kind, a drive fault, or a trial error.
bool IsSevereName(const std::string& name) {
  return name == "keep_out" || name == "rollover" || name == "body_contact" || name == "error" ||
         sim::IsFault(name);
}

// A whole number >= 0, signed or not: check.json in memory holds ints, parsed back unsigned.
std::uint64_t Whole(const JsonReader& r, const Json& object, const std::string& path,
                    const char* key) {
  const Json& v = r.Member(object, path, key);
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
    r.Fail(JsonReader::Join(path, key), "expected an integer >= 0, got " + DescribeJson(v));
  return static_cast<std::uint64_t>(v.get<std::int64_t>());
}

int Count(const JsonReader& r, const Json& object, const std::string& path, const char* key) {
  const std::uint64_t n = Whole(r, object, path, key);
  if (n > 1'000'000'000u) r.Fail(JsonReader::Join(path, key), "expected a count, too large");
  return static_cast<int>(n);
}

// A string, or "" for null.
std::string OptionalString(const JsonReader& r, const Json& object, const std::string& path,
                           const char* key) {
  return r.Member(object, path, key).is_null() ? "" : r.String(object, path, key);
}

planners::Point2 Point(const JsonReader& r, const Json& object, const std::string& path) {
  return {r.Number(object, path, "x"), r.Number(object, path, "y")};
}

std::vector<planners::Point2> Points(const JsonReader& r, const Json& list,
                                     const std::string& path) {
  std::vector<planners::Point2> out;
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(Point(r, list[i], r.Index(path, i)));
  return out;
}

PageProportion Proportion(const JsonReader& r, const Json& object, const std::string& path,
                          std::string name) {
  PageProportion p{.name = std::move(name),
                   .p = r.Number(object, path, "p"),
                   .count = Count(r, object, path, "count"),
                   .trials = Count(r, object, path, "trials"),
                   .lo = 0,
                   .hi = 1};
  const Json& ci = r.Array(object, path, "ci95");
  const std::string ci_path = JsonReader::Join(path, "ci95");
  if (ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number())
    r.Fail(ci_path, "expected [lo, hi]");
  p.lo = ci[0].get<double>(), p.hi = ci[1].get<double>();
  return p;
}

PageLeg Leg(const JsonReader& r, const Json& leg, const std::string& path) {
  return {.from = Point(r, r.Member(leg, path, "from"), JsonReader::Join(path, "from")),
          .to = Point(r, r.Member(leg, path, "to"), JsonReader::Join(path, "to")),
          .entered = Count(r, leg, path, "entered"),
          .failures = Count(r, leg, path, "failures"),
          .p_fail = r.Number(leg, path, "p_fail"),
          .main_failure = OptionalString(r, leg, path, "main_failure")};
}

PageTrial Trial(const JsonReader& r, const Json& t, const std::string& path) {
  PageTrial out;
  out.index = Count(r, t, path, "index");
  out.seed = Whole(r, t, path, "seed");
  out.dir = r.String(t, path, "dir");
  out.status = r.String(t, path, "status");
  out.reason = r.String(t, path, "reason");
  out.failure = OptionalString(r, t, path, "failure");
  const Json& reached = r.Member(t, path, "goal_reached");
  if (!reached.is_boolean()) r.Fail(JsonReader::Join(path, "goal_reached"), "expected a boolean");
  out.goal_reached = reached.get<bool>();
  out.distance_m = r.Number(t, path, "distance_m");
  out.slip_p95 = r.Number(t, path, "slip_p95");
  out.tilt_max_deg = r.Number(t, path, "tilt_max_deg");
  out.time_s = r.Number(t, path, "time_s");
  if (!out.failure.empty()) {
    out.failure_at =
        Point(r, r.Member(t, path, "failure_at"), JsonReader::Join(path, "failure_at"));
  }
  bool severe = IsSevereName(out.failure) || IsSevereName(out.status);
  const Json& hazards = r.Member(t, path, "hazards");
  if (!hazards.is_object()) r.Fail(JsonReader::Join(path, "hazards"), "expected an object");
  for (const auto& [kind, events] : hazards.items()) {
    if (events.is_number() && events.get<double>() > 0 && IsSevereName(kind)) severe = true;
  }
  out.kind = severe ? TrialKind::kSevere : out.goal_reached ? TrialKind::kGoal : TrialKind::kFailed;
  return out;
}

void ReadInputs(const JsonReader& r, const Json& in, CheckPage& page) {
  const std::string path = "inputs";
  page.orbital_dir = r.String(in, path, "orbital_dir");
  page.plan = r.String(in, path, "plan");
  page.trial_count = Count(r, in, path, "trials");
  page.seed = Whole(r, in, path, "seed");
  const Json& start = r.Member(in, path, "start");
  page.start = {r.Number(start, "inputs.start", "x"), r.Number(start, "inputs.start", "y"),
                r.Number(start, "inputs.start", "yaw_deg") * kDegToRad};
  const Json& goal = r.Member(in, path, "goal");
  page.goal_region = {r.Number(goal, "inputs.goal", "x"), r.Number(goal, "inputs.goal", "y"),
                      r.Number(goal, "inputs.goal", "tolerance_m")};
  page.plan_points = Points(r, r.Array(in, path, "plan_points"), "inputs.plan_points");
  const Json& names = r.Array(in, path, "keep_outs");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!names[i].is_string()) r.Fail(r.Index("inputs.keep_outs", i), "expected a string");
    page.keep_outs.push_back({names[i].get<std::string>(), {}});
  }
  // Polygons came later than the names: a check.json without them draws no keep-outs.
  if (!in.contains("keep_out_polygons")) return;
  const Json& zones = r.Array(in, path, "keep_out_polygons");
  page.keep_outs.clear();
  for (std::size_t i = 0; i < zones.size(); ++i) {
    const std::string zone = r.Index("inputs.keep_out_polygons", i);
    page.keep_outs.push_back({r.String(zones[i], zone, "name"),
                              Points(r, r.Array(zones[i], zone, "polygon"), zone + ".polygon")});
  }
}

}  // namespace

CheckPage ReadCheckPage(const JsonReader& r, const Json& check) {
  CheckPage page;
  page.verdict = r.String(check, "", "verdict");
  const Json& reasons = r.Array(check, "", "reasons");
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (!reasons[i].is_string()) r.Fail(r.Index("reasons", i), "expected a string");
    page.reasons.push_back(reasons[i].get<std::string>());
  }
  page.goal = Proportion(r, r.Member(check, "", "p_goal"), "p_goal", "p_goal");
  const Json& hazards = r.Member(check, "", "p_hazard");
  if (!hazards.is_object()) r.Fail("p_hazard", "expected an object");
  for (const auto& [kind, p] : hazards.items()) {
    page.hazards.push_back(Proportion(r, p, "p_hazard." + kind, kind));
  }
  page.slip_limit = r.Number(check, "", "slip_limit");
  const Json& legs = r.Array(check, "", "legs");
  for (std::size_t i = 0; i < legs.size(); ++i) {
    page.legs.push_back(Leg(r, legs[i], r.Index("legs", i)));
  }
  const Json& trials = r.Array(check, "", "trials");
  for (std::size_t i = 0; i < trials.size(); ++i) {
    page.trials.push_back(Trial(r, trials[i], r.Index("trials", i)));
  }
  page.rules_source = r.String(r.Member(check, "", "rules"), "rules", "source");
  ReadInputs(r, r.Member(check, "", "inputs"), page);
  return page;
}

}  // namespace marsdrive::check

#include "scenarios/run_record.h"

#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <system_error>

#include "base/check.h"
#include "base/name.h"
#include "io/json_reader.h"
#include "io/list_limits.h"
#include "io/text_file.h"
#include "planners/plan_json.h"

namespace marsdrive::scenarios {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// Degrees rounded to 1e-12 so that 45 deg reads back as 45 (as plan_json does).
double ToDegrees(double rad) { return std::round(rad * kRadToDeg * 1e12) / 1e12; }

std::vector<planners::Point2> ReadPoints(const JsonReader& r, const Json& list,
                                         const std::string& path) {
  if (list.size() > kMaxPolygonVertices) {
    r.Fail(path, "expected at most " + std::to_string(kMaxPolygonVertices) + " vertices");
  }
  std::vector<planners::Point2> points;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& p = list[i];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number() ||
        !std::isfinite(p[0].get<double>()) || !std::isfinite(p[1].get<double>())) {
      r.Fail(JsonReader::Index(path, i),
             "expected [x, y] (finite map metres), got " + DescribeJson(p));
    }
    points.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return points;
}

RunCheck ReadCheck(const JsonReader& r, const Json& check) {
  constexpr std::uint64_t kMostTrials = 1000000;
  const std::uint64_t trials = r.Unsigned(check, "check", "trials");
  const std::uint64_t goals = r.Unsigned(check, "check", "goal_count");
  if (trials < 1 || trials > kMostTrials) r.Fail("check.trials", "expected 1 to 1000000");
  if (goals > trials) r.Fail("check.goal_count", "expected at most check.trials");
  RunCheck c;
  c.trials = static_cast<int>(trials);
  c.goal_count = static_cast<int>(goals);
  c.p_goal = r.Number(check, "check", "p_goal");
  if (!(c.p_goal >= 0 && c.p_goal <= 1)) r.Fail("check.p_goal", "expected a probability");
  c.verdict = r.String(check, "check", "verdict");
  if (c.verdict != "go" && c.verdict != "marginal" && c.verdict != "no_go") {
    r.Fail("check.verdict", "expected go, marginal or no_go");
  }
  c.dir = r.StringOr(check, "check", "dir", "check");
  if (!base::IsSafeName(c.dir)) r.Fail("check.dir", "expected a directory name inside the run's");
  return c;
}

}  // namespace

const char* ToString(RunStatus status) {
  switch (status) {
    case RunStatus::kOk:
      return "ok";
    case RunStatus::kFailed:
      return "failed";
    case RunStatus::kSkipped:
      return "skipped";
  }
  return "failed";
}

std::optional<RunStatus> ParseRunStatus(std::string_view text) {
  for (RunStatus s : {RunStatus::kOk, RunStatus::kFailed, RunStatus::kSkipped}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

Json RunRecordToJson(const RunRecord& record) {
  Json doc;
  doc["schema"] = kRunSchema;
  doc["id"] = record.id;
  doc["scenario"] = record.scenario;
  doc["scenario_file"] = record.scenario_file;
  doc["planner"] = record.planner;
  doc["planner_label"] = record.planner_label;
  if (record.privileged) doc["privileged"] = true;
  Json params = Json::object();
  for (const planners::NamedValue& p : record.planner_params) {
    params[p.name] = planners::ScalarToString(p.value);
  }
  doc["planner_params"] = std::move(params);
  doc["seed"] = record.seed;
  doc["status"] = ToString(record.status);
  doc["reason"] = record.reason;
  doc["failure"] = record.failure;
  doc["score"] = record.score ? Json(*record.score) : Json(nullptr);
  doc["plan_status"] = record.plan_status;
  if (record.check) {
    const RunCheck& c = *record.check;
    doc["check"] = {{"trials", c.trials},
                    {"goal_count", c.goal_count},
                    {"p_goal", c.p_goal},
                    {"verdict", c.verdict},
                    {"dir", c.dir}};
  }
  doc["metrics"] = record.metrics;
  doc["terrain_dir"] = record.terrain_dir;
  doc["start"] = {{"x", record.start.x_m},
                  {"y", record.start.y_m},
                  {"yaw_deg", ToDegrees(record.start.yaw_rad)}};
  doc["goal"] = {
      {"x", record.goal.x_m}, {"y", record.goal.y_m}, {"tolerance_m", record.goal.tolerance_m}};
  Json keep_outs = Json::array();
  for (const planners::KeepOut& k : record.keep_outs) {
    Json polygon = Json::array();
    for (const planners::Point2& p : k.polygon) polygon.push_back({p.x_m, p.y_m});
    keep_outs.push_back({{"name", k.name}, {"polygon", std::move(polygon)}});
  }
  doc["keep_outs"] = std::move(keep_outs);
  doc["files"] = {{"plan", record.files.plan},
                  {"metrics", record.files.metrics},
                  {"telemetry", record.files.telemetry},
                  {"autonav", record.files.autonav}};
  doc["wall_time_s"] = record.wall_time_s;
  return doc;
}

RunRecord RunRecordFromJson(const nlohmann::json& json, const std::string& source) {
  const Json doc = Json::parse(json.dump());  // the ordered flavour keeps metrics' key order
  const JsonReader r(source);
  r.RequireSchema(doc, kRunSchema);
  RunRecord record;
  record.id = r.String(doc, "", "id");
  record.scenario = r.String(doc, "", "scenario");
  record.scenario_file = r.StringOr(doc, "", "scenario_file", "");
  record.planner = r.String(doc, "", "planner");
  record.planner_label = r.StringOr(doc, "", "planner_label", record.planner);
  if (doc.contains("privileged")) {
    const Json& privileged = doc["privileged"];
    if (!privileged.is_boolean()) r.Fail("privileged", "expected true or false");
    record.privileged = privileged.get<bool>();
  }
  if (doc.contains("planner_params")) {
    const Json& params = r.Member(doc, "", "planner_params");
    if (!params.is_object()) r.Fail("planner_params", "expected an object");
    for (const auto& [key, value] : params.items()) {
      if (!value.is_string()) r.Fail("planner_params." + key, "expected a string");
      record.planner_params.push_back({key, value.get<std::string>()});
    }
  }
  record.seed = r.Unsigned(doc, "", "seed");
  const std::string status = r.String(doc, "", "status");
  const auto parsed = ParseRunStatus(status);
  if (!parsed) r.Fail("status", "expected ok, failed or skipped, got \"" + status + "\"");
  record.status = *parsed;
  record.reason = r.StringOr(doc, "", "reason", "");
  record.failure = r.StringOr(doc, "", "failure", "");
  if (doc.contains("score") && !doc["score"].is_null()) record.score = r.Number(doc, "", "score");
  record.plan_status = r.StringOr(doc, "", "plan_status", "");
  if (doc.contains("check")) record.check = ReadCheck(r, r.Member(doc, "", "check"));
  if (doc.contains("metrics")) record.metrics = doc["metrics"];
  record.terrain_dir = r.StringOr(doc, "", "terrain_dir", "");
  const Json& start = r.Member(doc, "", "start");
  record.start = {r.Number(start, "start", "x"), r.Number(start, "start", "y"),
                  r.NumberOr(start, "start", "yaw_deg", 0.0) / kRadToDeg};
  const Json& goal = r.Member(doc, "", "goal");
  record.goal = {r.Number(goal, "goal", "x"), r.Number(goal, "goal", "y"),
                 r.Number(goal, "goal", "tolerance_m")};
  if (doc.contains("keep_outs")) {
    const Json& list = r.Array(doc, "", "keep_outs");
    if (list.size() > kMaxKeepOuts) {
      r.Fail("keep_outs", "expected at most " + std::to_string(kMaxKeepOuts) + " keep-outs");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = JsonReader::Index("keep_outs", i);
      planners::KeepOut k;
      k.name = r.StringOr(list[i], path, "name", "");
      k.polygon = ReadPoints(r, r.Array(list[i], path, "polygon"), path + ".polygon");
      record.keep_outs.push_back(std::move(k));
    }
  }
  if (doc.contains("files")) {
    const Json& files = r.Member(doc, "", "files");
    record.files.plan = r.StringOr(files, "files", "plan", "");
    record.files.metrics = r.StringOr(files, "files", "metrics", "");
    record.files.telemetry = r.StringOr(files, "files", "telemetry", "");
    record.files.autonav = r.StringOr(files, "files", "autonav", "");
  }
  record.wall_time_s = r.NumberOr(doc, "", "wall_time_s", 0.0);
  return record;
}

RunRecord LoadRunRecord(const fs::path& run_json) {
  const JsonReader r(run_json.string());
  return RunRecordFromJson(r.Parse(ReadTextFile(run_json)), run_json.string());
}

void WriteRunRecord(const fs::path& run_json, const RunRecord& record) {
  WriteTextFile(run_json, RunRecordToJson(record).dump(2) + "\n");
}

}  // namespace marsdrive::scenarios

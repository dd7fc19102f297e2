#include "scenarios/mobility_matrix.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <thread>
#include <utility>

#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "terrain/truth/generate.h"

namespace marsdrive::scenarios {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kDeg = std::numbers::pi / 180.0;

// ---- the matrix ---------------------------------------------------------------------------------

// A step-ensemble member: start offsets from the nominal start, heading, and dt as a fraction
// of the default step (1, 2/3, 1/2: 1/60, 1/90, 1/120 s at the default 1/60 s).
struct StepMember {
  double dx_m, dy_m, yaw_deg, dt_factor;
};
constexpr StepMember kStepMembers[] = {
    {0.000, 0.00, 0.00, 1.0},  {0.050, 0.03, 0.50, 2.0 / 3},   {0.100, -0.03, -0.50, 0.5},
    {0.150, 0.06, 1.00, 1.0},  {0.200, -0.06, -1.00, 2.0 / 3}, {0.025, 0.00, 0.25, 0.5},
    {0.075, 0.09, -0.25, 1.0}, {0.125, -0.09, 0.00, 2.0 / 3},
};

// A dt-convergence drive: straight on a preset, compared at dt, dt/2 and dt/4.
struct DtCase {
  const char* name;  // id part
  const char* soil;
  const char* preset;  // slope | step
  double x;            // slope (deg) or step height (m)
  double distance_m;
  double mu;  // 0: the soil's own friction
};

struct MatrixSpec {
  std::vector<const char*> uphill_soils;
  std::vector<double> uphill_slopes_deg;
  double uphill_distance_m = 8;
  std::vector<const char*> cross_soils;
  std::vector<double> cross_slopes_deg;
  std::vector<const char*> step_soils;
  std::vector<double> step_heights_m;
  int step_members = 8;
  std::vector<double> rock_heights_m;
  double tip_tolerance_deg = 0.25;
  double parking_s = 600;
  std::vector<DtCase> dt_cases;
};

std::vector<double> Range(double first, double last, double step) {
  std::vector<double> v;
  for (int i = 0; first + i * step <= last + 1e-9; ++i) {
    v.push_back(std::round((first + i * step) * 1e6) / 1e6);  // 0.15, not 0.15000000000000002
  }
  return v;
}

MatrixSpec FullSpec() {
  MatrixSpec s;
  s.uphill_soils = {"sand", "regolith", "bedrock"};
  s.uphill_slopes_deg = Range(0, 30, 5);
  s.cross_soils = s.uphill_soils;
  s.cross_slopes_deg = Range(0, 25, 5);
  s.step_soils = s.uphill_soils;
  s.step_heights_m = Range(0.10, 0.40, 0.05);
  s.rock_heights_m = Range(0.2, 0.6, 0.1);
  s.dt_cases = {{"sand-10deg", "sand", "slope", 10, 2, 0},
                {"bedrock-20deg", "bedrock", "slope", 20, 2, 0},
                {"mu0.4-21.5deg", "regolith", "slope", 21.5, 2, 0.4},
                {"regolith-step-0.20m", "regolith", "step", 0.20, 6, 0}};
  return s;
}

MatrixSpec QuickSpec() {
  MatrixSpec s;
  s.uphill_soils = {"sand", "regolith", "bedrock"};
  s.uphill_slopes_deg = {0, 10, 20};
  s.cross_soils = {"sand"};
  s.cross_slopes_deg = {0, 20};
  s.step_soils = {"regolith", "bedrock"};
  s.step_heights_m = {0.20, 0.35};
  s.step_members = 3;
  s.rock_heights_m = {0.4};
  s.tip_tolerance_deg = 0.5;
  s.dt_cases = {{"sand-10deg", "sand", "slope", 10, 1, 0}};
  return s;
}

std::string SlopeLabel(double slope_deg) {
  char text[32];
  std::snprintf(text, sizeof text, "%02.0fdeg", slope_deg);
  return text;
}
std::string HeightLabel(double height_m) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fm", height_m);
  return text;
}

// ---- one drive
// -----------------------------------------------------------------------------------

std::shared_ptr<const terrain::TerrainTruth> Preset(
    const std::string& preset, const std::vector<std::pair<std::string, std::string>>& params,
    double size_x_m, double size_y_m) {
  terrain::GenerateRequest request;
  request.preset = preset;
  for (const auto& [k, v] : params) request.params.Set(k, v);
  request.size_x_m = size_x_m;
  request.size_y_m = size_y_m;
  request.resolution_m = 0.05;
  request.seed = 1;
  return std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(request));
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

vehicle::DriveCommand Straight(double distance_m) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kStraight;
  c.distance_m = distance_m;
  return c;
}
vehicle::DriveCommand Stop(double duration_s) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kStop;
  c.duration_s = duration_s;
  return c;
}

sim::DriveRequest Request(const vehicle::RoverSpec& rover,
                          std::shared_ptr<const terrain::TerrainTruth> terrain,
                          vehicle::Pose2 start, vehicle::DriveCommand command) {
  sim::DriveRequest request;
  request.terrain = std::move(terrain);
  request.rover = rover;
  request.start = start;
  request.commands = {command};
  return request;
}

struct Drive {
  sim::DriveResult result;
  sim::Metrics metrics;
};

Drive RunOne(const sim::DriveRequest& request) {
  Drive d;
  d.result = sim::RunDrive(request);
  MD_DEMAND(!d.result.telemetry.empty());
  d.metrics = sim::ComputeDriveMetrics(d.result, sim::MakeDriveMetricsConfig(request));
  return d;
}

// Horizontal displacement from the first to the last sample along (cos yaw, sin yaw).
double DisplacementAlong(const sim::Telemetry& t, double yaw_rad) {
  const auto& a = t.front().position_map_m;
  const auto& b = t.back().position_map_m;
  return (b[0] - a[0]) * std::cos(yaw_rad) + (b[1] - a[1]) * std::sin(yaw_rad);
}

bool AnyBodyContact(const sim::Telemetry& t) {
  return std::any_of(t.begin(), t.end(),
                     [](const sim::TelemetrySample& s) { return !s.body_contacts.empty(); });
}

double MaxWheelTorqueNm(const sim::Telemetry& t) {
  double m = 0;
  for (const auto& s : t) {
    for (const auto& w : s.wheels) m = std::max(m, std::fabs(w.torque_Nm));
  }
  return m;
}

// What every drive records: status, slip (sim/metrics), distances, peak motor torque.
Json DriveJson(const Drive& d) {
  Json j;
  j["status"] = d.metrics.status;
  if (!d.metrics.reason.empty()) j["reason"] = d.metrics.reason;
  if (d.metrics.slip.count > 0) {
    j["slip_pct"] = 100 * d.metrics.slip.mean;
    j["slip_p95_pct"] = 100 * d.metrics.slip.p95;
  } else {
    j["slip_pct"] = nullptr;
  }
  j["slip_windows"] = d.metrics.slip.count;
  j["odometry_m"] = d.metrics.odometry_m;
  j["distance_m"] = d.metrics.distance_m;
  j["sim_time_s"] = d.metrics.sim_time_s;
  j["max_wheel_torque_Nm"] = MaxWheelTorqueNm(d.result.telemetry);
  j["body_contact"] = AnyBodyContact(d.result.telemetry);
  return j;
}

bool Completed(const Drive& d) { return d.result.status == sim::DriveStatus::kCompleted; }

// ---- the groups' drives
// ----------------------------------------------------------------------------

// Straight uphill on a slope rising toward +x.
Json RunUphill(const vehicle::RoverSpec& rover, const std::string& soil, double slope_deg,
               double distance_m) {
  const auto terrain = Preset("slope", {{"angle_deg", Number(slope_deg)}, {"soil", soil}}, 26, 14);
  const Drive d = RunOne(Request(rover, terrain, {7, 7, 0}, Straight(distance_m)));
  Json j = DriveJson(d);
  const double progress_m = DisplacementAlong(d.result.telemetry, 0) / std::cos(slope_deg * kDeg);
  j["progress_m"] = progress_m;
  j["climbed"] = Completed(d) && progress_m > 0;
  return j;
}

// Straight across a slope rising toward +y (the rover heads +x, downhill is -y).
Json RunCross(const vehicle::RoverSpec& rover, const std::string& soil, double slope_deg,
              double distance_m) {
  const auto terrain = Preset(
      "slope", {{"angle_deg", Number(slope_deg)}, {"azimuth_deg", "90"}, {"soil", soil}}, 26, 20);
  const Drive d = RunOne(Request(rover, terrain, {7, 10, 0}, Straight(distance_m)));
  Json j = DriveJson(d);
  const double drift_m = -DisplacementAlong(d.result.telemetry, std::numbers::pi / 2);
  const double odometry_m = std::max(d.metrics.odometry_m, 1e-9);
  j["drift_m"] = drift_m;
  j["drift_pct"] = 100 * drift_m / odometry_m;
  j["heading_change_deg"] =
      std::remainder(d.result.telemetry.back().yaw_rad - d.result.telemetry.front().yaw_rad,
                     2 * std::numbers::pi) /
      kDeg;
  return j;
}

constexpr double kStepEdgeM = 7.5;

// Head-on at a vertical ledge at x = kStepEdgeM; climbed when the rear wheels end on top.
Json RunStepMember(const vehicle::RoverSpec& rover, const std::string& soil, double height_m,
                   const StepMember& member) {
  const auto terrain =
      Preset("step", {{"height_m", Number(height_m)}, {"x_m", Number(kStepEdgeM)}, {"soil", soil}},
             16, 12);
  auto request = Request(rover, terrain, {5 + member.dx_m, 6 + member.dy_m, member.yaw_deg * kDeg},
                         Straight(6));
  request.dt_s *= member.dt_factor;
  request.stuck_time_s = 30;
  const Drive d = RunOne(request);
  Json j;
  j["dx_m"] = member.dx_m;
  j["dy_m"] = member.dy_m;
  j["yaw_deg"] = member.yaw_deg;
  j["dt_s"] = request.dt_s;
  const auto& end = d.result.telemetry.back();
  const double rear_edge_x = end.position_map_m[0] + rover.rear_wheel_m.x - rover.wheel_radius_m;
  j["climbed"] = rear_edge_x > kStepEdgeM && end.position_map_m[2] > 0.5 * height_m;
  j["status"] = d.metrics.status;
  j["body_contact"] = AnyBodyContact(d.result.telemetry);
  j["max_wheel_torque_Nm"] = MaxWheelTorqueNm(d.result.telemetry);
  return j;
}

// A rock (height H, base diameter 2 H: terrain.md's H = 0.5 D) under the left wheel line of a
// rover driving 7 m on flat regolith; climbed when it made 90 % of the distance.
Json RunRock(const vehicle::RoverSpec& rover, double height_m) {
  auto truth = std::make_shared<terrain::TerrainTruth>(*Preset("flat", {}, 16, 12));
  truth->rocks.push_back({9.0, 6.0 + rover.front_wheel_m.y, 2 * height_m, height_m, 11});
  auto request = Request(rover, truth, {5, 6, 0}, Straight(7));
  request.stuck_time_s = 30;
  const Drive d = RunOne(request);
  Json j = DriveJson(d);
  double max_rock_m = 0, max_roll_rad = 0;
  for (const auto& s : d.result.telemetry) {
    max_roll_rad = std::max(max_roll_rad, std::fabs(s.roll_rad));
    for (const auto& w : s.wheels) {
      if (w.on_rock) max_rock_m = std::max(max_rock_m, w.rock_height_m);
    }
  }
  const double progress_m = DisplacementAlong(d.result.telemetry, 0);
  j["progress_m"] = progress_m;
  j["max_rock_height_under_wheel_m"] = max_rock_m;
  j["max_roll_deg"] = max_roll_rad / kDeg;
  j["climbed"] = Completed(d) && progress_m >= 0.9 * 7;
  return j;
}

// Parked (brakes on: a stop command) across a slope rising toward +y with Coulomb mu 3, so
// that it tips before it slides (atan 3 = 71.6 deg); tipped when the roll exceeded the slope by
// 15 deg or the drive ended as a rollover.
bool Tips(const vehicle::RoverSpec& rover, double slope_deg) {
  const auto terrain =
      Preset("slope", {{"angle_deg", Number(slope_deg)}, {"azimuth_deg", "90"}}, 20, 16);
  auto request = Request(rover, terrain, {10, 8, 0}, Stop(12));
  request.friction_override = 3.0;
  const sim::DriveResult r = sim::RunDrive(request);
  double max_roll_rad = 0;
  for (const auto& s : r.telemetry) max_roll_rad = std::max(max_roll_rad, std::fabs(s.roll_rad));
  return max_roll_rad > (slope_deg + 15) * kDeg || std::string(ToString(r.status)) == "rollover";
}

Json RunTipOver(const vehicle::RoverSpec& rover, double tolerance_deg) {
  Json j;
  double lo = 30, hi = 70;
  int drives = 2;
  const bool tips_lo = Tips(rover, lo), tips_hi = Tips(rover, hi);
  if (tips_lo || !tips_hi) {
    j["tip_deg"] = tips_lo ? lo : hi;
    j["note"] = tips_lo ? "tips at the lower bracket end" : "does not tip at the upper end";
  } else {
    while (hi - lo > tolerance_deg) {
      const double mid = 0.5 * (lo + hi);
      (Tips(rover, mid) ? hi : lo) = mid;
      ++drives;
    }
    j["tip_deg"] = 0.5 * (lo + hi);
    j["bracket_deg"] = {lo, hi};
  }
  j["geometric_deg"] = GeometricTipAngleDeg(rover);
  j["com_m"] = {rover.com_m.x, rover.com_m.y, rover.com_m.z};
  j["drives"] = drives;
  return j;
}

// Parked facing uphill on a sand slope, brakes on, for `duration_s`.
Json RunParking(const vehicle::RoverSpec& rover, double slope_deg, double duration_s) {
  const auto terrain =
      Preset("slope", {{"angle_deg", Number(slope_deg)}, {"soil", "sand"}}, 14, 12);
  auto request = Request(rover, terrain, {7, 6, 0}, Stop(duration_s));
  request.time_limit_s = duration_s + 60;
  const sim::DriveResult r = sim::RunDrive(request);
  const auto& a = r.telemetry.front().position_map_m;
  const auto& b = r.telemetry.back().position_map_m;
  Json j;
  j["status"] = ToString(r.status);
  j["duration_s"] = duration_s;
  j["displacement_m"] = std::hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  return j;
}

Json RunDtMember(const vehicle::RoverSpec& rover, const DtCase& c, int divisor) {
  const bool slope = std::string(c.preset) == "slope";
  std::vector<std::pair<std::string, std::string>> params = {{"soil", c.soil}};
  if (slope) {
    params.emplace_back("angle_deg", Number(c.x));
  } else {
    params.emplace_back("height_m", Number(c.x));
    params.emplace_back("x_m", Number(kStepEdgeM));
  }
  const auto terrain = Preset(c.preset, params, slope ? 20 : 16, 12);
  auto request = Request(rover, terrain, {slope ? 7.0 : 5.0, 6, 0}, Straight(c.distance_m));
  if (c.mu > 0) request.friction_override = c.mu;
  request.dt_s /= divisor;
  const Drive d = RunOne(request);
  Json j = DriveJson(d);
  j["dt_s"] = request.dt_s;
  const auto& end = d.result.telemetry.back().position_map_m;
  j["end_m"] = {end[0], end[1], end[2]};
  return j;
}

// ---- running -----------------------------------------------------------------------------------

struct Run {
  std::string key;
  std::function<Json()> fn;
};

// Runs every run on `jobs` threads; result i belongs to run i whatever the thread. An exception
// becomes {"error": what}.
std::vector<Json> ExecuteRuns(const std::vector<Run>& runs, int jobs,
                              const MobilityMatrixOptions& options) {
  std::vector<Json> results(runs.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  int done = 0;
  const auto worker = [&] {
    for (std::size_t i = next++; i < runs.size(); i = next++) {
      try {
        results[i] = runs[i].fn();
      } catch (const std::exception& e) {
        results[i] = Json{{"error", e.what()}};
      }
      const std::lock_guard lock(progress_mutex);
      ++done;
      if (options.on_run_done)
        options.on_run_done(done, static_cast<int>(runs.size()), runs[i].key);
    }
  };
  std::vector<std::jthread> threads;
  const int n = std::max(1, std::min<int>(jobs, static_cast<int>(runs.size())));
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  return results;
}

// Collects runs and, once they ran, their results by key.
class RunSet {
 public:
  void Add(std::string key, std::function<Json()> fn) {
    runs_.push_back({std::move(key), std::move(fn)});
  }
  void Execute(const MobilityMatrixOptions& options) {
    std::vector<Json> results = ExecuteRuns(runs_, options.jobs, options);
    for (std::size_t i = 0; i < runs_.size(); ++i) results_[runs_[i].key] = std::move(results[i]);
  }
  const Json& Get(const std::string& key) const { return results_.at(key); }
  std::size_t size() const { return runs_.size(); }

 private:
  std::vector<Run> runs_;
  std::map<std::string, Json> results_;
};

// A measurement from one run's result: the error (if any) moves out of `measured`.
Measurement FromRun(std::string id, std::string group, std::string soil, Json result) {
  Measurement m;
  m.id = std::move(id);
  m.group = std::move(group);
  m.soil = std::move(soil);
  if (result.contains("error")) {
    m.error = result["error"].get<std::string>();
    result.erase("error");
  }
  m.measured = std::move(result);
  return m;
}

std::string StepKey(const std::string& soil, double h, int member) {
  return "step/" + soil + "/" + HeightLabel(h) + "#" + std::to_string(member);
}

// The step measurements (climb fraction per soil and height) and the ensemble rule per soil.
void AddStepMeasurements(const MatrixSpec& spec, const RunSet& runs,
                         std::vector<Measurement>& out) {
  for (const char* soil : spec.step_soils) {
    std::vector<std::pair<double, double>> fractions;
    Json per_height = Json::array();
    for (const double h : spec.step_heights_m) {
      Measurement m;
      m.id = "step/" + std::string(soil) + "/" + HeightLabel(h);
      m.group = "step";
      m.soil = soil;
      m.height_m = h;
      int climbed = 0, counted = 0;
      Json members = Json::array();
      for (int i = 0; i < spec.step_members; ++i) {
        const Json& r = runs.Get(StepKey(soil, h, i));
        members.push_back(r);
        if (r.contains("error")) {
          if (m.error.empty()) m.error = r["error"].get<std::string>();
          continue;
        }
        ++counted;
        climbed += r["climbed"].get<bool>() ? 1 : 0;
      }
      const double fraction = counted > 0 ? static_cast<double>(climbed) / counted : 0.0;
      m.measured["climb_fraction"] = fraction;
      m.measured["climbed_count"] = climbed;
      m.measured["member_count"] = counted;
      m.measured["members"] = std::move(members);
      fractions.emplace_back(h, fraction);
      per_height.push_back({{"height_m", h}, {"climb_fraction", fraction}});
      out.push_back(std::move(m));
    }
    const TransitionBand band = CalcTransitionBand(fractions);
    Measurement e;
    e.id = "step_ensemble/" + std::string(soil);
    e.group = "step_ensemble";
    e.soil = soil;
    e.measured["band_width_m"] = band.width_m;
    e.measured["band_lo_m"] = band.lo_m ? Json(*band.lo_m) : Json(nullptr);
    e.measured["band_hi_m"] = band.hi_m ? Json(*band.hi_m) : Json(nullptr);
    e.measured["mixed_heights"] = band.mixed_heights;
    e.measured["members_per_height"] = spec.step_members;
    e.measured["climb_fractions"] = std::move(per_height);
    out.push_back(std::move(e));
  }
}

std::string DtKey(const DtCase& c, int divisor) {
  return "dt_convergence/" + std::string(c.name) + "#" + std::to_string(divisor);
}

// dt and dt/2 against dt/4: slip difference (points) and end-position difference (m).
void AddDtMeasurements(const MatrixSpec& spec, const RunSet& runs, std::vector<Measurement>& out) {
  for (const DtCase& c : spec.dt_cases) {
    const Json& fine = runs.Get(DtKey(c, 4));
    for (const int divisor : {1, 2}) {
      const Json& r = runs.Get(DtKey(c, divisor));
      Measurement m;
      m.id = "dt_convergence/" + std::string(c.name) + "/dt" + std::to_string(divisor);
      m.group = "dt_convergence";
      m.soil = c.soil;
      if (r.contains("error") || fine.contains("error")) {
        m.error = (r.contains("error") ? r : fine)["error"].get<std::string>();
        out.push_back(std::move(m));
        continue;
      }
      m.measured["dt_s"] = r["dt_s"];
      m.measured["dt_ref_s"] = fine["dt_s"];
      m.measured["slip_pct"] = r["slip_pct"];
      m.measured["slip_ref_pct"] = fine["slip_pct"];
      if (r["slip_pct"].is_number() && fine["slip_pct"].is_number()) {
        m.measured["slip_diff_pts"] =
            std::fabs(r["slip_pct"].get<double>() - fine["slip_pct"].get<double>());
      }
      double d2 = 0;
      for (int k = 0; k < 3; ++k) {
        const double d = r["end_m"][k].get<double>() - fine["end_m"][k].get<double>();
        d2 += d * d;
      }
      m.measured["pose_diff_m"] = std::sqrt(d2);
      m.measured["status"] = r["status"];
      m.measured["status_ref"] = fine["status"];
      out.push_back(std::move(m));
    }
  }
}

}  // namespace

double GeometricTipAngleDeg(const vehicle::RoverSpec& rover) {
  const double com_x = rover.com_m.x;
  const auto segment_distance = [&](const vehicle::Vec3& a, const vehicle::Vec3& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double t =
        std::clamp(((com_x - a.x) * dx + (0 - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    return std::hypot(a.x + t * dx - com_x, a.y + t * dy - rover.com_m.y);
  };
  const double half_track = std::min(segment_distance(rover.front_wheel_m, rover.middle_wheel_m),
                                     segment_distance(rover.middle_wheel_m, rover.rear_wheel_m));
  return std::atan(half_track / rover.com_m.z) / kDeg;
}

std::vector<Measurement> RunMobilityMatrix(const vehicle::RoverSpec& rover,
                                           const MobilityMatrixOptions& options,
                                           MobilityMatrixInfo& info) {
  const MatrixSpec spec = options.quick ? QuickSpec() : FullSpec();
  info.matrix = options.quick ? "quick" : "full";
  info.dt_s = sim::DriveRequest{}.dt_s;
  if (options.quick) {
    info.notes = {
        "quick matrix: uphill slopes 0/10/20 deg, cross-slope sand 0/20 deg, steps 0.20/0.35 m "
        "on regolith and bedrock with 3 perturbations each, one 0.40 m rock, tip-over to 0.5 "
        "deg, one dt-convergence case (1 m); parking hold is the full 600 s"};
  }
  RunSet runs;
  // The long runs first, so that the threads finish together.
  runs.Add("parking", [&] { return RunParking(rover, 20, spec.parking_s); });
  for (const DtCase& c : spec.dt_cases) {
    for (const int divisor : {4, 2, 1}) {
      runs.Add(DtKey(c, divisor), [&rover, &c, divisor] { return RunDtMember(rover, c, divisor); });
    }
  }
  for (const char* soil : spec.uphill_soils) {
    for (const double a : spec.uphill_slopes_deg) {
      runs.Add("slip_uphill/" + std::string(soil) + "/" + SlopeLabel(a),
               [&, soil, a] { return RunUphill(rover, soil, a, spec.uphill_distance_m); });
    }
  }
  for (const char* soil : spec.cross_soils) {
    for (const double a : spec.cross_slopes_deg) {
      runs.Add("cross_slope/" + std::string(soil) + "/" + SlopeLabel(a),
               [&, soil, a] { return RunCross(rover, soil, a, spec.uphill_distance_m); });
    }
  }
  runs.Add("tip_over", [&] { return RunTipOver(rover, spec.tip_tolerance_deg); });
  for (const char* soil : spec.step_soils) {
    for (const double h : spec.step_heights_m) {
      for (int i = 0; i < spec.step_members; ++i) {
        runs.Add(StepKey(soil, h, i),
                 [&, soil, h, i] { return RunStepMember(rover, soil, h, kStepMembers[i]); });
      }
    }
  }
  for (const double h : spec.rock_heights_m) {
    runs.Add("rock/regolith/" + HeightLabel(h), [&, h] { return RunRock(rover, h); });
  }
  runs.Execute(options);

  std::vector<Measurement> out;
  const auto add = [&](const std::string& key, const char* group, const std::string& soil,
                       std::optional<double> slope_deg, std::optional<double> height_m) {
    Measurement m = FromRun(key, group, soil, runs.Get(key));
    m.slope_deg = slope_deg;
    m.height_m = height_m;
    out.push_back(std::move(m));
  };
  for (const char* soil : spec.uphill_soils) {
    for (const double a : spec.uphill_slopes_deg) {
      add("slip_uphill/" + std::string(soil) + "/" + SlopeLabel(a), "slip_uphill", soil, a, {});
    }
  }
  for (const char* soil : spec.cross_soils) {
    for (const double a : spec.cross_slopes_deg) {
      add("cross_slope/" + std::string(soil) + "/" + SlopeLabel(a), "cross_slope", soil, a, {});
    }
  }
  for (const double h : spec.rock_heights_m) {
    add("rock/regolith/" + HeightLabel(h), "rock", "regolith", {}, h);
  }
  Measurement tip = FromRun("tip_over/any", "tip_over", "any", runs.Get("tip_over"));
  out.push_back(std::move(tip));
  Measurement parking =
      FromRun("parking/sand/" + SlopeLabel(20), "parking", "sand", runs.Get("parking"));
  parking.slope_deg = 20;
  out.push_back(std::move(parking));
  AddStepMeasurements(spec, runs, out);
  AddDtMeasurements(spec, runs, out);
  info.run_count = static_cast<int>(runs.size());
  std::sort(out.begin(), out.end(),
            [](const Measurement& a, const Measurement& b) { return a.id < b.id; });
  return out;
}

}  // namespace marsdrive::scenarios

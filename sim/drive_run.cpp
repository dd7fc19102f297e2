// sim::RunDrive: one rover, one Bullet world, one command list, fixed time step.

#include "sim/drive_run.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "base/angle.h"
#include "sim/bullet_world.h"
#include "sim/fault_detect.h"
#include "sim/metrics.h"
#include "sim/slide_check.h"
#include "sim/slip_check.h"
#include "terrain/check.h"
#include "vehicle/drive_controller.h"
#include "vehicle/rover_model.h"
#include "vehicle/tip_over.h"

namespace marsdrive::sim {

const char* ToString(DriveStatus status) {
  switch (status) {
    case DriveStatus::kCompleted:
      return "completed";
    case DriveStatus::kStuck:
      return "stuck";
    case DriveStatus::kTimeLimit:
      return "time_limit";
    case DriveStatus::kNumericalFailure:
      return "numerical_failure";
    case DriveStatus::kNoSafePath:
      return "no_safe_path";
    case DriveStatus::kTiltLimit:
      return "tilt_limit";
    case DriveStatus::kSlipLimit:
      return "slip_limit";
    case DriveStatus::kSlide:
      return "slide";
    case DriveStatus::kOffMap:
      return "off_map";
    case DriveStatus::kRollover:
      return "rollover";
    case DriveStatus::kSimFault:
      return "sim_fault";
  }
  return "unknown";
}

bool IsFault(DriveStatus status) {
  return status == DriveStatus::kOffMap || status == DriveStatus::kRollover ||
         status == DriveStatus::kSimFault;
}

bool IsFault(std::string_view status) {
  return status == ToString(DriveStatus::kOffMap) || status == ToString(DriveStatus::kRollover) ||
         status == ToString(DriveStatus::kSimFault);
}

namespace {

constexpr double kPi = std::numbers::pi;
// Settling before the first sample: at least kSettleMinS, at most kSettleMaxS, until the
// chassis is still.
constexpr double kSettleMinS = 0.5;
constexpr double kSettleMaxS = 2.0;
constexpr double kSettleSpeedMps = 2e-3;
// Rock / floating-origin maintenance period (steps).
constexpr int kMaintainEverySteps = 30;
// Time constant of the wheel load seen by the soil model (s).
constexpr double kLoadFilterS = 0.25;
// A contact point counts when its separation is below this (m).
constexpr double kTouchM = 1e-3;

std::string Fmt(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

CommandKind ToCommandKind(vehicle::DriveCommandKind kind) {
  switch (kind) {
    case vehicle::DriveCommandKind::kStraight:
      return CommandKind::kStraight;
    case vehicle::DriveCommandKind::kArc:
      return CommandKind::kArc;
    case vehicle::DriveCommandKind::kTurnInPlace:
      return CommandKind::kTurnInPlace;
    case vehicle::DriveCommandKind::kStop:
      return CommandKind::kStop;
  }
  return CommandKind::kNone;
}

BodyPart ToBodyPart(int part) {
  switch (static_cast<vehicle::RoverPart>(part)) {
    case vehicle::RoverPart::kChassis:
      return BodyPart::kChassis;
    case vehicle::RoverPart::kRockerLeft:
      return BodyPart::kRockerLeft;
    case vehicle::RoverPart::kRockerRight:
      return BodyPart::kRockerRight;
    case vehicle::RoverPart::kBogieLeft:
      return BodyPart::kBogieLeft;
    case vehicle::RoverPart::kBogieRight:
      return BodyPart::kBogieRight;
  }
  return BodyPart::kOther;
}

// ZYX Euler angles (yaw, pitch, roll) of a rotation.
void Euler(const btMatrix3x3& m, double& roll, double& pitch, double& yaw) {
  const double r20 = m[2][0];
  pitch = std::asin(std::clamp(-r20, -1.0, 1.0));
  roll = std::atan2(static_cast<double>(m[2][1]), static_cast<double>(m[2][2]));
  yaw = std::atan2(static_cast<double>(m[1][0]), static_cast<double>(m[0][0]));
}

void CheckRequest(const DriveRequest& r) {
  MD_THROW_UNLESS(r.terrain != nullptr, "drive: no terrain");
  const auto finite_positive = [](double v) { return std::isfinite(v) && v > 0; };
  MD_THROW_UNLESS(finite_positive(r.dt_s) && r.dt_s <= 0.1,
                  "drive: dt: expected a time step in (0, 0.1] s, got " + Fmt(r.dt_s));
  MD_THROW_UNLESS(finite_positive(r.time_limit_s),
                  "drive: time limit: expected a finite number > 0, got " + Fmt(r.time_limit_s));
  MD_THROW_UNLESS(std::isfinite(r.slip_check_interval_m) && r.slip_check_interval_m >= 0,
                  "drive: slip check interval: expected a finite number >= 0, got " +
                      Fmt(r.slip_check_interval_m));
  MD_THROW_UNLESS(finite_positive(r.stuck_time_s),
                  "drive: stuck time: expected a finite number > 0, got " + Fmt(r.stuck_time_s));
  MD_THROW_UNLESS(
      finite_positive(r.telemetry_period_s),
      "drive: telemetry period: expected a finite number > 0, got " + Fmt(r.telemetry_period_s));
  MD_THROW_UNLESS(r.solver_iterations >= 1 && r.solver_iterations <= 1000,
                  "drive: solver iterations: expected an integer in [1, 1000], got " +
                      std::to_string(r.solver_iterations));
  if (r.friction_override) {
    MD_THROW_UNLESS(
        finite_positive(*r.friction_override),
        "drive: mu: expected a finite friction coefficient > 0, got " + Fmt(*r.friction_override));
  }
  MD_THROW_UNLESS(
      std::isfinite(r.start.x_m) && std::isfinite(r.start.y_m) && std::isfinite(r.start.yaw_rad),
      "drive: start: expected finite x, y and yaw");
  for (std::size_t i = 0; i < r.commands.size(); ++i) {
    const vehicle::DriveCommand& c = r.commands[i];
    const std::string where = "drive: command " + std::to_string(i + 1) + ": ";
    MD_THROW_UNLESS(std::isfinite(c.distance_m) && std::isfinite(c.radius_m) &&
                        std::isfinite(c.angle_rad) && std::isfinite(c.speed_mps) &&
                        std::isfinite(c.duration_s),
                    where + "expected finite values");
    MD_THROW_UNLESS(c.speed_mps >= 0, where + "expected a speed >= 0, got " + Fmt(c.speed_mps));
    MD_THROW_UNLESS(c.duration_s >= 0,
                    where + "expected a duration >= 0, got " + Fmt(c.duration_s));
    if (c.kind == vehicle::DriveCommandKind::kArc) {
      MD_THROW_UNLESS(c.radius_m > 0, where + "expected an arc radius > 0, got " + Fmt(c.radius_m));
    }
  }
  vehicle::ValidateRoverSpec(r.rover, "drive: rover " + r.rover.name);
  if (r.waypoints.empty()) return;
  MD_THROW_UNLESS(r.commands.empty(), "drive: expected either commands or waypoints, got " +
                                          std::to_string(r.commands.size()) + " commands and " +
                                          std::to_string(r.waypoints.size()) + " waypoints");
  for (std::size_t i = 0; i < r.waypoints.size(); ++i) {
    MD_THROW_UNLESS(std::isfinite(r.waypoints[i].x_m) && std::isfinite(r.waypoints[i].y_m),
                    "drive: waypoint " + std::to_string(i + 1) + ": expected finite x and y");
  }
  const vehicle::WaypointDriveParams& p = r.waypoint_params;
  MD_THROW_UNLESS(finite_positive(p.waypoint_tolerance_m),
                  "drive: waypoint tolerance: expected a finite number > 0, got " +
                      Fmt(p.waypoint_tolerance_m));
  MD_THROW_UNLESS(
      finite_positive(p.goal_tolerance_m),
      "drive: goal tolerance: expected a finite number > 0, got " + Fmt(p.goal_tolerance_m));
  MD_THROW_UNLESS(std::isfinite(p.speed_mps) && p.speed_mps >= 0,
                  "drive: waypoint speed: expected a speed >= 0, got " + Fmt(p.speed_mps));
  const vehicle::AutoNavParams& a = p.autonav_params;
  MD_THROW_UNLESS(finite_positive(a.decision_interval_m) && finite_positive(a.cell_m) &&
                      finite_positive(a.map_size_m) && finite_positive(a.arc_length_m) &&
                      finite_positive(a.pose_spacing_m) && finite_positive(a.min_radius_m) &&
                      finite_positive(a.turn_step_rad) && finite_positive(a.turn_sample_rad) &&
                      a.arc_count >= 1 && finite_positive(a.sensor.range_m) &&
                      a.map_size_m >= 2 * (a.sensor.range_m + 1.5),
                  "drive: autonav: expected positive intervals, lengths and resolution, at "
                  "least one arc, and a map of at least 2 (sensor range + 1.5) m");
  for (const vehicle::KeepOutZone& zone : p.keep_outs) {
    MD_THROW_UNLESS(zone.polygon_map_m.size() >= 3,
                    "drive: keep-out " + zone.name + ": expected at least 3 vertices");
  }
}

int DirectionSign(const vehicle::DriveCommand& c) {
  switch (c.kind) {
    case vehicle::DriveCommandKind::kStraight:
      return c.distance_m < 0 ? -1 : 1;
    case vehicle::DriveCommandKind::kTurnInPlace:
      return c.angle_rad < 0 ? -1 : 1;
    default:
      return 1;
  }
}

DriveStatus ToDriveStatus(FaultKind kind) {
  switch (kind) {
    case FaultKind::kOffMap:
      return DriveStatus::kOffMap;
    case FaultKind::kRollover:
      return DriveStatus::kRollover;
    case FaultKind::kSimFault:
      return DriveStatus::kSimFault;
  }
  return DriveStatus::kSimFault;
}

std::array<double, 3> ToArray(const terrain::Vec3& v) { return {v.x, v.y, v.z}; }

// What the fault detector needs of the rover after a step (sim/fault_detect.h).
FaultSample MakeFaultSample(const vehicle::RoverModel& rover, const BulletWorld& world,
                            const vehicle::TerrainContactModel& contact, double time_s,
                            double energy_J) {
  FaultSample f;
  f.time_s = time_s;
  for (int w = 0; w < vehicle::kWheels; ++w) {
    const auto i = static_cast<std::size_t>(w);
    f.wheel_centres_map_m[i] = ToArray(world.ToMap(rover.WheelPose(w).getOrigin()));
    f.commanded_speed_mps =
        std::max(f.commanded_speed_mps, std::fabs(contact.wheels[i].surface_speed_mps));
  }
  f.com_map_m = ToArray(world.ToMap(rover.CenterOfMass()));
  const btTransform pose = rover.NavPose();
  const btVector3& up = pose.getBasis()[2];  // row 2: the map z axis in the body frame
  f.up_body = {up.x(), up.y(), up.z()};
  f.actuator_work_J = energy_J;
  return f;
}

// Per-wheel longitudinal slip 1 - (v_hub . d) / (omega r), d the wheel's rolling direction on
// its contact plane; 0 when the wheel is not driven or not in contact (docs/vehicle-physics.md
// §6).
double WheelSlipRatio(const vehicle::RoverModel& rover, const vehicle::WheelContactState& state,
                      int wheel, double wheel_radius_m) {
  const double omega_r = rover.WheelSpeed(wheel) * wheel_radius_m;
  if (!state.in_contact || std::fabs(omega_r) <= 1e-4) return 0.0;
  const btVector3 v = rover.WheelHubVelocity(wheel);
  const auto& d = state.rolling_dir_map;
  const double v_along = v.x() * d[0] + v.y() * d[1] + v.z() * d[2];
  return 1.0 - v_along / omega_r;
}

// Places the rover at the start: nav frame parallel to the plane fitted through the ground under
// its six wheels (rocks included), every wheel just clear of the ground.
btTransform PlaceRover(const DriveRequest& r, const BulletWorld& world) {
  const terrain::TerrainSampler& sampler = world.sampler();
  const terrain::GridSpec& spec = sampler.spec();
  const auto wheels = vehicle::WheelPositionsXY(r.rover);
  const double c = std::cos(r.start.yaw_rad), s = std::sin(r.start.yaw_rad);
  const auto top_at = [&](double x, double y) {
    double h = sampler.GroundHeight(x, y);
    std::vector<int> near;
    sampler.RocksNear(x, y, 0.0, near);
    for (int i : near) h = std::max(h, sampler.rocks()[static_cast<std::size_t>(i)].TopZ(x, y));
    return h;
  };
  std::array<double, vehicle::kWheels> h{};
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const double x = r.start.x_m + c * wheels[i][0] - s * wheels[i][1];
    const double y = r.start.y_m + s * wheels[i][0] + c * wheels[i][1];
    MD_THROW_UNLESS(spec.Contains(x, y),
                    "drive: start (" + Fmt(r.start.x_m) + ", " + Fmt(r.start.y_m) +
                        "): the rover is off the map (x in [" + Fmt(spec.origin_x_m) + ", " +
                        Fmt(spec.MaxX()) + "], y in [" + Fmt(spec.origin_y_m) + ", " +
                        Fmt(spec.MaxY()) + "])");
    h[i] = top_at(x, y);
    MD_THROW_UNLESS(std::isfinite(h[i]), "drive: start (" + Fmt(r.start.x_m) + ", " +
                                             Fmt(r.start.y_m) + "): a wheel is on nodata");
  }
  // Rocks the start is inside of: taller than the clearance under the reference point, or
  // taller than a wheel radius under a wheel centre.
  std::vector<int> near;
  sampler.RocksNear(r.start.x_m, r.start.y_m, 0.0, near);
  for (int i : near) {
    const terrain::RockShape& rock = sampler.rocks()[static_cast<std::size_t>(i)];
    const bool under_reference_point = std::isfinite(rock.TopZ(r.start.x_m, r.start.y_m));
    MD_THROW_UNLESS(!(under_reference_point && rock.top_m > r.rover.limits.ground_clearance_m),
                    "drive: start (" + Fmt(r.start.x_m) + ", " + Fmt(r.start.y_m) +
                        ") is inside rock " + std::to_string(i) + " (" + Fmt(rock.top_m) +
                        " m tall, more than the ground clearance)");
  }
  for (std::size_t w = 0; w < wheels.size(); ++w) {
    const double x = r.start.x_m + c * wheels[w][0] - s * wheels[w][1];
    const double y = r.start.y_m + s * wheels[w][0] + c * wheels[w][1];
    const double ground = sampler.GroundHeight(x, y);
    MD_THROW_UNLESS(h[w] - ground <= r.rover.wheel_radius_m,
                    "drive: start (" + Fmt(r.start.x_m) + ", " + Fmt(r.start.y_m) + "): wheel " +
                        std::to_string(w) + " is inside a rock taller than a wheel radius");
  }
  // Least-squares plane z = a + b x' + c y' in the yaw-aligned frame.
  double sxx = 0, syy = 0, sxy = 0, sx = 0, sy = 0, sz = 0, sxz = 0, syz = 0;
  const double n = static_cast<double>(wheels.size());
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const double x = wheels[i][0], y = wheels[i][1], z = h[i];
    sx += x;
    sy += y;
    sz += z;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
    sxz += x * z;
    syz += y * z;
  }
  const double mx = sx / n, my = sy / n, mz = sz / n;
  const double cxx = sxx / n - mx * mx, cyy = syy / n - my * my, cxy = sxy / n - mx * my;
  const double cxz = sxz / n - mx * mz, cyz = syz / n - my * mz;
  const double det = cxx * cyy - cxy * cxy;
  const double gx = det != 0 ? (cxz * cyy - cyz * cxy) / det : 0;
  const double gy = det != 0 ? (cyz * cxx - cxz * cxy) / det : 0;
  // Body axes: x along (1, 0, gx), y along (0, 1, gy) in the yaw frame, then rotated by yaw.
  btVector3 bx(static_cast<btScalar>(c), static_cast<btScalar>(s), static_cast<btScalar>(gx));
  btVector3 by(static_cast<btScalar>(-s), static_cast<btScalar>(c), static_cast<btScalar>(gy));
  bx.normalize();
  btVector3 bz = bx.cross(by).normalized();
  by = bz.cross(bx);
  btMatrix3x3 basis(bx.x(), by.x(), bz.x(), bx.y(), by.y(), bz.y(), bx.z(), by.z(), bz.z());
  // Height: every wheel clear of the ground under it by 5 mm.
  double z = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < wheels.size(); ++i) {
    const btVector3 local(static_cast<btScalar>(wheels[i][0]), static_cast<btScalar>(wheels[i][1]),
                          static_cast<btScalar>(i == 1 || i == 4 ? r.rover.middle_wheel_m.z
                                                                 : r.rover.front_wheel_m.z));
    const double wz = static_cast<double>((basis * local).z());
    z = std::max(z, h[i] + r.rover.wheel_radius_m + 0.005 - wz);
  }
  return btTransform(basis, world.ToWorld(r.start.x_m, r.start.y_m, z));
}

}  // namespace

std::optional<double> FrictionOverride(const terrain::TerrainTruth& truth,
                                       const std::string& terrain_dir) {
  const auto it = truth.params.find("mu");
  if (it == truth.params.end()) return std::nullopt;
  const std::string& text = it->second;
  double mu = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), mu);
  MD_THROW_UNLESS(!text.empty() && ec == std::errc() && end == text.data() + text.size() &&
                      std::isfinite(mu) && mu > 0,
                  terrain_dir +
                      "/terrain.json: params.mu: expected a friction coefficient > 0, "
                      "got '" +
                      text + "'");
  return mu;
}

DriveResult RunDrive(const DriveRequest& request) {
  const auto wall_start = std::chrono::steady_clock::now();
  CheckRequest(request);
  const terrain::GridSpec& spec = request.terrain->dem.spec();
  MD_THROW_UNLESS(spec.Contains(request.start.x_m, request.start.y_m),
                  "drive: start (" + Fmt(request.start.x_m) + ", " + Fmt(request.start.y_m) +
                      ") is off the map");
  const double dt = request.dt_s;
  const vehicle::RoverSpec& rover_spec = request.rover;
  const double r = rover_spec.wheel_radius_m;

  // Floating origin at the start, whole metres.
  const double ground0 = request.terrain->dem.HeightAt(request.start.x_m, request.start.y_m);
  WorldDef def;
  def.step_s = dt;
  def.friction_override = request.friction_override;
  def.solver_iterations = request.solver_iterations;
  BulletWorld world(request.terrain, def,
                    {std::round(request.start.x_m), std::round(request.start.y_m),
                     std::isfinite(ground0) ? std::round(ground0) : 0.0});
  vehicle::TerrainContactModel& contact = world.contact();
  contact.wheel_radius_m = r;
  contact.wheel_width_m = rover_spec.wheel_width_m;
  contact.grouser_height_m = rover_spec.wheel_grouser_m;
  contact.step_s = dt;
  const btTransform X_world_nav = PlaceRover(request, world);
  vehicle::RoverModel rover(world.world(), rover_spec, X_world_nav, dt);
  world.Maintain(rover);
  // Commands or waypoints.
  const bool by_waypoints = !request.waypoints.empty();
  std::optional<vehicle::DriveController> controller;
  std::optional<vehicle::WaypointExecutive> executive;
  if (by_waypoints) {
    executive.emplace(rover_spec, request.waypoints, request.waypoint_params, request.terrain.get(),
                      request.seed);
  } else {
    controller.emplace(rover_spec, request.commands);
  }

  DriveResult result;
  const double weight_per_wheel =
      rover.TotalMass() * kMarsGravityMps2 / static_cast<double>(vehicle::kWheels);
  for (auto& w : contact.wheels) {
    w.load_N = weight_per_wheel;
    w.drive_force_limit_N = rover_spec.drive_torque_limit_Nm / r;
  }

  // ---- per-step state ----
  std::array<double, vehicle::kWheels> normal_N{};
  std::array<double, vehicle::kWheels> traction_N{};  // along the rolling direction
  std::vector<BodyContact> body_contacts;
  const auto collect_contacts = [&]() {
    normal_N.fill(0);
    traction_N.fill(0);
    body_contacts.clear();
    const btCollisionDispatcher& dispatcher = world.dispatcher();
    for (int m = 0; m < dispatcher.getNumManifolds(); ++m) {
      const btPersistentManifold* manifold = dispatcher.getManifoldByIndexInternal(m);
      if (manifold->getNumContacts() == 0) continue;
      const btCollisionObject* a = manifold->getBody0();
      const btCollisionObject* b = manifold->getBody1();
      const auto kind_a = static_cast<vehicle::ColliderKind>(a->getUserIndex());
      const auto kind_b = static_cast<vehicle::ColliderKind>(b->getUserIndex());
      if (kind_a == vehicle::ColliderKind::kWheel) {
        const auto w = static_cast<std::size_t>(a->getUserIndex2());
        for (int p = 0; p < manifold->getNumContacts(); ++p) {
          const btManifoldPoint& pt = manifold->getContactPoint(p);
          normal_N[w] += pt.getAppliedImpulse() / dt;
          traction_N[w] += pt.m_appliedImpulseLateral1 / dt;
        }
        // The motor turns the gross thrust: the rolling row carries thrust minus the soil's
        // compaction resistance (vehicle/wheel_soil.h).
        traction_N[w] += contact.wheels[w].resistance_N;
        continue;
      }
      const bool part_a = kind_a == vehicle::ColliderKind::kPart;
      const bool part_b = kind_b == vehicle::ColliderKind::kPart;
      if (!part_a && !part_b) continue;
      const btCollisionObject* part = part_a ? a : b;
      const btCollisionObject* other = part_a ? b : a;
      for (int p = 0; p < manifold->getNumContacts(); ++p) {
        const btManifoldPoint& pt = manifold->getContactPoint(p);
        if (pt.getDistance() > kTouchM) continue;
        BodyContact bc;
        bc.part = ToBodyPart(part->getUserIndex2());
        bc.with_rock = static_cast<vehicle::ColliderKind>(other->getUserIndex()) ==
                       vehicle::ColliderKind::kRock;
        const terrain::Vec3 q =
            world.ToMap(part_a ? pt.getPositionWorldOnA() : pt.getPositionWorldOnB());
        bc.point_map_m = {q.x, q.y, q.z};
        bc.normal_force_N = pt.getAppliedImpulse() / dt;
        body_contacts.push_back(bc);
      }
    }
  };
  const auto update_loads = [&](double alpha) {
    for (int w = 0; w < vehicle::kWheels; ++w) {
      auto& state = contact.wheels[static_cast<std::size_t>(w)];
      state.load_N += alpha * (normal_N[static_cast<std::size_t>(w)] - state.load_N);
    }
  };
  const double load_alpha = std::min(1.0, dt / kLoadFilterS);

  // ---- settle onto the ground, wheels braked ----
  {
    vehicle::ActuatorCommand hold;
    for (int w = 0; w < vehicle::kWheels; ++w) hold.steer_rad[static_cast<std::size_t>(w)] = 0;
    const int min_steps = static_cast<int>(std::ceil(kSettleMinS / dt));
    const int max_steps = static_cast<int>(std::ceil(kSettleMaxS / dt));
    contact.settling = true;
    for (int k = 0; k < max_steps; ++k) {
      for (auto& w : contact.wheels) w.surface_speed_mps = 0;
      rover.ApplyCommand(hold, contact);
      world.Step();
      rover.EndStep();
      collect_contacts();
      update_loads(load_alpha);
      if (!rover.NonFiniteBody().empty()) break;
      if (k >= min_steps && rover.NavVelocity().length() < kSettleSpeedMps &&
          rover.AngularVelocity().length() < 0.01) {
        break;
      }
    }
    contact.settling = false;
  }

  // ---- drive ----
  double time_s = 0;
  double odometry_m = 0, truth_m = 0, energy_J = 0;
  std::array<double, 2> odo_xy{request.start.x_m, request.start.y_m};
  btTransform pose = rover.NavPose();
  terrain::Vec3 position = world.ToMap(pose.getOrigin());
  odo_xy = {position.x, position.y};
  double roll = 0, pitch = 0, yaw = 0;
  Euler(pose.getBasis(), roll, pitch, yaw);
  double heading_unwrapped = yaw;
  double last_yaw = yaw;
  // The stuck rule, defined once (sim/metrics.h), with the metrics' thresholds.
  const MetricsConfig stuck_config;
  std::optional<SlipCheck> slip_check;
  if (by_waypoints && request.slip_check_interval_m > 0) {
    slip_check.emplace(request.slip_check_interval_m, rover_spec.limits.slip_limit);
  }
  StuckDetector stuck(request.stuck_time_s, stuck_config.stuck_min_progress_m,
                      stuck_config.stuck_min_turn_rad);
  FaultDetector faults(request.terrain->dem, vehicle::MakeSupportGeometry(rover_spec),
                       rover.TotalMass(), kMarsGravityMps2, dt);
  SlideCheck slide;

  const int period_steps =
      std::max(1, static_cast<int>(std::llround(request.telemetry_period_s / dt)));
  std::size_t step = 0;
  CommandKind kind = CommandKind::kNone;
  int command_index = -1;

  const auto sample = [&]() {
    TelemetrySample t;
    t.time_s = time_s;
    t.position_map_m = {position.x, position.y, position.z};
    t.roll_rad = roll;
    t.pitch_rad = pitch;
    t.yaw_rad = yaw;
    const btVector3 body_z = pose.getBasis().getColumn(2);
    t.tilt_rad = std::acos(std::clamp(static_cast<double>(body_z.z()), -1.0, 1.0));
    const btVector3 v = rover.NavVelocity();
    t.velocity_map_mps = {v.x(), v.y(), v.z()};
    t.odometry_position_map_m = odo_xy;
    t.odometry_distance_m = odometry_m;
    t.truth_distance_m = truth_m;
    for (int w = 0; w < vehicle::kWheels; ++w) {
      const auto i = static_cast<std::size_t>(w);
      const vehicle::WheelContactState& state = contact.wheels[i];
      WheelSample& ws = t.wheels[i];
      ws.angle_rad = rover.WheelAngle(w);
      ws.speed_radps = rover.WheelSpeed(w);
      ws.torque_Nm = traction_N[i] * r;
      ws.steer_rad = rover.SteerAngle(w);
      ws.normal_force_N = normal_N[i];
      ws.sinkage_m = state.in_contact && !state.on_rock ? state.sinkage_m : 0.0;
      ws.slip_ratio = WheelSlipRatio(rover, state, w, r);
      ws.in_contact = state.in_contact;
      ws.on_rock = state.on_rock;
      ws.rock_height_m = state.on_rock ? state.rock_height_m : 0.0;
    }
    t.rocker_left_rad = rover.RockerAngle(vehicle::kLeft);
    t.rocker_right_rad = rover.RockerAngle(vehicle::kRight);
    t.bogie_left_rad = rover.BogieAngle(vehicle::kLeft);
    t.bogie_right_rad = rover.BogieAngle(vehicle::kRight);
    // The bar turns with the rockers' differential angle (lever ratio 1, EST).
    t.differential_rad = 0.5 * (t.rocker_left_rad - t.rocker_right_rad);
    t.body_contacts = body_contacts;
    t.energy_J = energy_J;
    t.command = kind;
    t.command_index = command_index;
    result.telemetry.push_back(std::move(t));
    if (request.on_sample) request.on_sample(result.telemetry.back());
  };

  const auto current_command = [&]() {
    const auto k = controller ? controller->CurrentKind() : executive->CurrentKind();
    kind = k ? ToCommandKind(*k) : CommandKind::kNone;
    command_index = controller ? controller->CommandIndex() : executive->SegmentIndex();
  };
  const auto done = [&]() { return controller ? controller->Done() : executive->Done(); };
  const auto commanding_motion = [&]() {
    return controller ? controller->CommandingMotion() : executive->CommandingMotion();
  };
  const auto direction_sign = [&]() {
    if (controller) {
      return DirectionSign(request.commands[static_cast<std::size_t>(command_index)]);
    }
    return executive->current_command() ? DirectionSign(*executive->current_command()) : 1;
  };
  current_command();
  sample();

  DriveStatus status = DriveStatus::kCompleted;
  std::string reason;
  while (true) {
    if (done()) break;
    if (time_s >= request.time_limit_s - 0.5 * dt) {
      status = DriveStatus::kTimeLimit;
      reason = "time limit of " + Fmt(request.time_limit_s) + " s reached";
      break;
    }
    if (request.stop.stop_requested()) {
      status = DriveStatus::kTimeLimit;
      reason = "stopped on request at " + Fmt(time_s) + " s";
      break;
    }
    // Sense, decide, act.
    vehicle::DriveObservation obs;
    obs.odometry_m = odometry_m;
    obs.heading_rad = heading_unwrapped;
    for (int w = 0; w < vehicle::kWheels; ++w) {
      obs.steer_rad[static_cast<std::size_t>(w)] = rover.SteerAngle(w);
    }
    vehicle::ActuatorCommand cmd;
    if (controller) {
      cmd = controller->Update(obs, dt);
    } else {
      vehicle::ExecutiveObservation eo;
      eo.time_s = time_s;
      eo.drive = obs;
      eo.pose = {position.x, position.y, position.z, roll, pitch, yaw};
      cmd = executive->Update(eo, dt);
      if (executive->Done()) break;
    }
    current_command();
    for (int w = 0; w < vehicle::kWheels; ++w) {
      contact.wheels[static_cast<std::size_t>(w)].surface_speed_mps =
          std::clamp(cmd.wheel_speed_radps[static_cast<std::size_t>(w)],
                     -rover_spec.max_wheel_speed_radps, rover_spec.max_wheel_speed_radps) *
          r;
    }
    rover.ApplyCommand(cmd, contact);
    world.Step();
    rover.EndStep();
    ++step;
    time_s = static_cast<double>(step) * dt;

    const std::string bad = rover.NonFiniteBody();
    if (!bad.empty()) {
      status = DriveStatus::kNumericalFailure;
      reason = "non-finite state of " + bad + " at t = " + Fmt(time_s) + " s";
      break;
    }
    collect_contacts();
    update_loads(load_alpha);

    // Proprioception: wheel odometry (mean longitudinal wheel speed), IMU attitude.
    double v_odo = 0;
    for (int w = 0; w < vehicle::kWheels; ++w) {
      v_odo += rover.WheelSpeed(w) * r * std::cos(rover.SteerAngle(w));
      energy_J +=
          std::fabs(traction_N[static_cast<std::size_t>(w)] * r * rover.WheelSpeed(w)) * dt +
          std::fabs(rover.SteerTorque(w) * rover.SteerRate(w)) * dt;
    }
    v_odo /= vehicle::kWheels;
    pose = rover.NavPose();
    Euler(pose.getBasis(), roll, pitch, yaw);
    heading_unwrapped += base::WrapPi(yaw - last_yaw);
    last_yaw = yaw;
    const double ds = v_odo * dt;
    const double cos_pitch = std::cos(pitch), cos_yaw = std::cos(yaw), sin_yaw = std::sin(yaw);
    odometry_m += std::fabs(ds);
    odo_xy[0] += ds * cos_pitch * cos_yaw;
    odo_xy[1] += ds * cos_pitch * sin_yaw;
    const terrain::Vec3 new_position = world.ToMap(pose.getOrigin());
    truth_m += std::sqrt((new_position.x - position.x) * (new_position.x - position.x) +
                         (new_position.y - position.y) * (new_position.y - position.y) +
                         (new_position.z - position.z) * (new_position.z - position.z));
    const terrain::Vec3 previous = position;
    position = new_position;
    // Faults end the drive in every mode: off the map, rolled over, or a broken simulation.
    if (const auto fault = faults.Check(MakeFaultSample(rover, world, contact, time_s, energy_J))) {
      status = ToDriveStatus(fault->kind);
      reason = fault->reason;
      break;
    }
    if (const auto slid_m = slide.Add(time_s, position.x, position.y, yaw)) {
      status = DriveStatus::kSlide;
      reason = "slid " + Fmt(std::fabs(*slid_m)) + " m sideways (to the " +
               (*slid_m > 0 ? "left" : "right") + ") within " + Fmt(kSlideWindowS) + " s, at (" +
               Fmt(position.x) + ", " + Fmt(position.y) + ")";
      break;
    }
    // Slip check (waypoint drives): odometry against true progress along the way it points.
    const auto segment_kind = slip_check ? executive->CurrentKind() : std::nullopt;
    if (segment_kind == vehicle::DriveCommandKind::kStraight ||
        segment_kind == vehicle::DriveCommandKind::kArc) {
      const double sign = ds < 0 ? -1.0 : 1.0;
      const double along = sign * ((new_position.x - previous.x) * cos_yaw +
                                   (new_position.y - previous.y) * sin_yaw);
      if (const auto slip = slip_check->Add(std::fabs(ds) * cos_pitch, along)) {
        status = DriveStatus::kSlipLimit;
        reason = "slip " + Fmt(*slip * 100) + " % over the last " + Fmt(slip_check->interval_m()) +
                 " m of driving, above the limit of " + Fmt(slip_check->limit() * 100) +
                 " %, at (" + Fmt(new_position.x) + ", " + Fmt(new_position.y) + ")";
        break;
      }
    }

    // Stuck: commanded motion without progress (truth). A waypoint drive commands motion from
    // its first segment to its end, steering and segment changes included (a rover spinning its
    // wheels against a rock must not re-arm the rule with every new segment).
    const bool moving = controller ? commanding_motion() : executive->current_command().has_value();
    const CommandKind stuck_kind =
        controller ? kind : (moving ? ToCommandKind(executive->current_command()->kind) : kind);
    if (stuck.Update(time_s, position.x, position.y, yaw, moving ? stuck_kind : CommandKind::kNone,
                     moving ? direction_sign() : 0)) {
      status = DriveStatus::kStuck;
      reason = "no progress for " + Fmt(request.stuck_time_s) + " s of commanded motion at (" +
               Fmt(position.x) + ", " + Fmt(position.y) + ")";
      break;
    }
    // Tilt fault protection (waypoint drives).
    if (by_waypoints) {
      const double tilt =
          std::acos(std::clamp(static_cast<double>(pose.getBasis().getColumn(2).z()), -1.0, 1.0));
      if (tilt > rover_spec.limits.max_tilt_rad) {
        status = DriveStatus::kTiltLimit;
        reason = "tilt " + Fmt(tilt * 180 / kPi) + " deg above the limit of " +
                 Fmt(rover_spec.limits.max_tilt_rad * 180 / kPi) + " deg at (" + Fmt(position.x) +
                 ", " + Fmt(position.y) + ")";
        break;
      }
    }

    if (step % static_cast<std::size_t>(period_steps) == 0) sample();
    if (step % kMaintainEverySteps == 0) world.Maintain(rover);
  }
  if (result.telemetry.empty() || result.telemetry.back().time_s != time_s) {
    current_command();
    sample();
  }
  if (executive) {
    if (status == DriveStatus::kCompleted &&
        executive->status() == vehicle::ExecutiveStatus::kNoSafePath) {
      status = DriveStatus::kNoSafePath;
      reason = executive->reason();
    }
    result.waypoints_reached = executive->waypoints_reached();
    result.skipped_waypoints = executive->skipped();
    result.waypoint_count = executive->waypoint_count();
    result.autonav_decisions = executive->TakeDecisions();
  }
  result.status = status;
  result.reason = reason;
  result.sim_time_s = time_s;
  result.step_count = step;
  result.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace marsdrive::sim

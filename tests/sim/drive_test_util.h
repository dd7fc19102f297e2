#pragma once
// Helpers of the physics validation tests: terrains from the exact presets, drive requests,
// commands.

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/drive_run.h"
#include "terrain/truth/generate.h"
#include "vehicle/drive_command.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::testing {

inline constexpr double kDeg = 3.14159265358979323846 / 180.0;

// Ground truth from a validation preset (flat, slope, step), `size_x_m` x `size_y_m` at `res_m`.
inline std::shared_ptr<const terrain::TerrainTruth> PresetTerrain(
    const std::string& preset, const std::map<std::string, std::string>& params,
    double size_x_m = 30, double size_y_m = 16, double res_m = 0.05) {
  terrain::GenerateRequest request;
  request.preset = preset;
  for (const auto& [k, v] : params) request.params.Set(k, v);
  request.size_x_m = size_x_m;
  request.size_y_m = size_y_m;
  request.resolution_m = res_m;
  request.seed = 1;
  return std::make_shared<const terrain::TerrainTruth>(terrain::GenerateTerrain(request));
}

inline vehicle::DriveCommand Straight(double distance_m, double speed_mps = 0) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kStraight;
  c.distance_m = distance_m;
  c.speed_mps = speed_mps;
  return c;
}
inline vehicle::DriveCommand Arc(double radius_m, double angle_deg) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kArc;
  c.radius_m = radius_m;
  c.angle_rad = angle_deg * kDeg;
  return c;
}
inline vehicle::DriveCommand Turn(double angle_deg) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kTurnInPlace;
  c.angle_rad = angle_deg * kDeg;
  return c;
}
inline vehicle::DriveCommand Stop(double duration_s) {
  vehicle::DriveCommand c;
  c.kind = vehicle::DriveCommandKind::kStop;
  c.duration_s = duration_s;
  return c;
}

inline sim::DriveRequest MakeRequest(std::shared_ptr<const terrain::TerrainTruth> terrain,
                                     vehicle::Pose2 start,
                                     std::vector<vehicle::DriveCommand> commands,
                                     std::optional<double> mu = std::nullopt) {
  sim::DriveRequest request;
  request.terrain = std::move(terrain);
  request.rover = vehicle::DefaultRoverSpec();
  request.start = start;
  request.commands = std::move(commands);
  request.friction_override = mu;
  return request;
}

// Horizontal displacement between the first and last telemetry samples along (cos yaw, sin yaw).
inline double DisplacementAlong(const sim::Telemetry& t, double yaw_rad) {
  const auto& a = t.front().position_map_m;
  const auto& b = t.back().position_map_m;
  return (b[0] - a[0]) * std::cos(yaw_rad) + (b[1] - a[1]) * std::sin(yaw_rad);
}

}  // namespace marsdrive::testing

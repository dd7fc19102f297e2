#pragma once
// A rover's specification: geometry, masses, inertias, joint and actuator limits, operating limits.
// A plain aggregate (STYLE §1 "def structs"): YAML fills it (LoadRoverSpec), the Bullet builder
// (vehicle/rover_model.h) consumes it and keeps no reference. Every default is Perseverance's;
// vehicle/data/perseverance.yaml holds the same numbers with their sources
// (docs/references/rover.md section numbers, or EST with how it was derived).
//
// Frames: the rover nav frame, FLU (x forward, y left, z up), origin on flat ground directly
// below the middle-wheel axle midpoint at nominal suspension (rover.md §3, converted from JPL's
// URDF where y is right and z is down). Points are given for the LEFT side; the right side is
// the mirror image (y -> -y).

#include <filesystem>
#include <numbers>
#include <string>

#include "terrain/height_map.h"
#include "vehicle/rover_limits.h"

namespace marsdrive::vehicle {

using Vec3 = terrain::Vec3;  // metres (or kg m^2 for inertias), double

// Degrees to radians, evaluated as deg * pi / 180 (the same expression as rover_limits.h, so
// that YAML-loaded and default values are bit-identical).
constexpr double DegToRad(double deg) { return deg * std::numbers::pi / 180.0; }

struct RoverSpec {
  std::string name = "perseverance";

  // ---- wheels (rover.md §2) ----
  double wheel_radius_m = 0.2625;            // §2: 0.525 m diameter
  double wheel_width_m = 0.38;               // §2 EST: a bit under MSL's 0.40 m
  double wheel_grouser_m = 0.008;            // §2/§3 EST: 0.525 m spec vs 0.509 m rim mesh
  double wheel_mass_kg = 25.0;               // EST: wheel + in-hub drive actuator
  Vec3 wheel_inertia_kgm2{0.73, 1.2, 0.73};  // EST: about (x, axle y, z); thin rim 0.7 m r^2

  // ---- chassis (body, mast, RTG, arm) ----
  double chassis_mass_kg = 775.0;  // EST: 1025 kg (§1) minus wheels, rockers, bogies, steering
  Vec3 chassis_inertia_kgm2{323.0, 646.0, 840.0};  // EST: uniform 3.0 x 2.0 x 1.0 m box
  double chassis_min_x_m = -1.64;                  // §3 chassis mesh x extent
  double chassis_max_x_m = 1.38;
  double chassis_half_width_m = 0.75;  // EST: body sides just inside the rocker pivots (|y| 0.80)
  double chassis_top_m = 1.20;         // §3b: body box spans ~0.56-1.2 m
  // Bottom of the body box = limits.ground_clearance_m (§3 EST 0.56 m).

  // ---- suspension and steering links ----
  double rocker_mass_kg = 25.0;               // EST: ~1.6 m titanium box beam
  Vec3 rocker_inertia_kgm2{0.3, 5.5, 5.5};    // EST: rod m L^2 / 12, L = 1.6 m
  double bogie_mass_kg = 15.0;                // EST: ~1.1 m beam
  Vec3 bogie_inertia_kgm2{0.1, 1.6, 1.6};     // EST: rod m L^2 / 12, L = 1.1 m
  double steer_mass_kg = 5.0;                 // EST: steering actuator and bracket
  Vec3 steer_inertia_kgm2{0.03, 0.03, 0.03};  // EST
  double beam_thickness_m = 0.10;             // EST: collision boxes of rocker / bogie beams

  // ---- geometry, left side, nav frame (rover.md §3, JPL URDF) ----
  Vec3 front_wheel_m{1.185, 1.0625, 0.263};
  Vec3 middle_wheel_m{0.0, 1.1845, 0.263};
  Vec3 rear_wheel_m{-1.075, 1.0625, 0.263};
  Vec3 rocker_pivot_m{0.304, 0.800, 0.893};
  Vec3 bogie_pivot_m{-0.450, 0.920, 0.663};
  Vec3 differential_pivot_m{-0.052, 0.0, 1.133};  // on the body centre line
  // Whole-rover centre of mass at nominal pose. Height §3b EST 0.95 m, y = 0 (§3b: balanced).
  // x EST 0.21 m, set by two official capabilities (§4, H) the model must reproduce: with §3b's
  // first guess x ~ 0 the chassis sits ~0.3 m behind the rocker pivots (x 0.304, §3), the
  // differential carries its static pitch torque (~550 N m per rocker), an uphill wheel lifts
  // early and the model tips at ~42° across a slope (official: withstands 45°); with the chassis
  // right over the pivots (x ~ 0.24) the loaded front wheels no longer climb a wheel-radius
  // ledge of regolith (official: ~wheel-diameter obstacles). At 0.21 the model tips at ~48.5°
  // and climbs 0.25 m ledges. The chassis centre of mass is derived from this.
  Vec3 com_m{0.21, 0.0, 0.95};

  // ---- joints (mechanical hard stops; + = front up) ----
  double rocker_stop_min_rad = DegToRad(-35.0);  // EST: beyond the ±25° operating limit
  double rocker_stop_max_rad = DegToRad(35.0);
  double bogie_stop_min_rad = DegToRad(-45.0);  // EST: beyond the ±30° operating limit
  double bogie_stop_max_rad = DegToRad(45.0);
  double steer_stop_rad = DegToRad(95.0);  // §2 Chrono hard limit ±95°

  // ---- actuators ----
  double max_wheel_speed_radps = 0.045 / 0.2625;  // §4: 0.1 mph top speed / wheel radius
  double drive_torque_limit_Nm = 300.0;           // §3a Chrono stall torque (no NASA number): EST
  double steer_rate_radps = DegToRad(10.0);       // EST: tens of seconds for a full steer
  double steer_torque_limit_Nm = 200.0;           // EST: > scrub torque mu N w/3 ~ 80 N m

  RoverLimits limits;  // operating limits (hazard thresholds): vehicle/rover_limits.h
};

// The bundled Perseverance specification (equal to vehicle/data/perseverance.yaml).
RoverSpec DefaultRoverSpec();

// Path of the bundled perseverance.yaml in the source tree.
std::filesystem::path BundledRoverSpecPath();

// Loads a rover specification (YAML). Keys absent from the file keep their defaults
// (DefaultRoverSpec()). Throws InputError naming the file, the key path and the expectation for
// an unreadable file, malformed YAML, an unknown key, a wrong type, a non-positive mass, inertia
// or size, or inconsistent limits.
RoverSpec LoadRoverSpec(const std::filesystem::path& path);

// Checks the invariants LoadRoverSpec enforces; `source` prefixes error messages.
void ValidateRoverSpec(const RoverSpec& spec, const std::string& source);

// Total mass (chassis + 2 rockers + 2 bogies + 4 steering links + 6 wheels), kg.
double TotalMassKg(const RoverSpec& spec);

// Centres of mass of the left rocker and bogie (length-weighted centroids of their two beams:
// pivot to front wheel and pivot to bogie pivot; bogie pivot to middle and to rear wheel).
Vec3 RockerComM(const RoverSpec& spec);
Vec3 BogieComM(const RoverSpec& spec);

// The chassis centre of mass (nav frame) that puts the assembly's centre of mass at spec.com_m
// with the suspension at nominal angles.
Vec3 ChassisComM(const RoverSpec& spec);

}  // namespace marsdrive::vehicle

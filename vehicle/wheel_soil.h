#pragma once
// The wheel-soil model of one wheel for one step (docs/vehicle-physics.md §5): sinkage
// (Bekker, with Lyasko's slip sinkage), the shear patch of vehicle/shear_patch.h advanced with
// the motion the last step produced, and the rows the wheel's resting contact asks of the
// solver (vehicle/wheel_rows.h). Pure (no Bullet); called by the contact algorithm.

#include <array>

#include "vehicle/shear_patch.h"
#include "vehicle/soil_params.h"
#include "vehicle/wheel_rows.h"

namespace marsdrive::vehicle {

using Vec3d = std::array<double, 3>;

// The soil-side state of a wheel, kept from step to step.
struct WheelSoilState {
  ShearPatch patch;
  bool active = false;                        // the patch was loaded last step
  double sinkage_m = 0;                       // rim sinkage the wheel rides at
  double slip = 0;                            // filtered longitudinal slip estimate in [0, 1]
  double surface_speed_mps = 0;               // omega r of the last step
  Vec3d long_dir{1, 0, 0}, lat_dir{0, 1, 0};  // last step's row directions
  double resistance_N = 0;                    // compaction resistance of the last linearisation
};

// The wheel this step.
struct WheelSoilInput {
  double load_N = 0;             // normal load (filtered)
  double surface_speed_mps = 0;  // commanded omega r for this step
  double motor_cap_N = 0;        // drive torque limit / r
  Vec3d point_velocity_mps{};    // velocity of the contact point (end of the last step), map
  Vec3d axle{0, 1, 0};           // unit axle, map frame
  Vec3d normal{0, 0, 1};         // unit contact normal (on the ground, toward the wheel)
  double radius_m = 0, width_m = 0, grouser_m = 0, gravity_mps2 = 0, dt_s = 0;
};

// Advances `state` by the last step and returns this step's rows for the resting contact.
WheelRows StepWheelSoil(WheelSoilState& state, const SoilParams& soil, const WheelSoilInput& in);

// Rows of a rigid contact point (a ledge's riser or lip, a rock's side): a tread at the motor's
// surface speed with the stiff compliance of rigid ground, Coulomb mu, motor cap.
WheelRows RigidPointRows(double friction, double load_N, double surface_speed_mps,
                         double motor_cap_N);

// The soil lets go (wheel out of contact).
void ReleaseWheelSoil(WheelSoilState& state);

}  // namespace marsdrive::vehicle

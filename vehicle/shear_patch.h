#pragma once
// The soil under one wheel as a shear field over its contact arc (docs/vehicle-physics.md §5):
// a discretised Wong-Reece / Janosi model with memory.
//
// The arc [theta_r, theta_f] is cut into kCells cells. Each carries the normal stress of the
// Wong-Reece distribution (scaled to the wheel's load), its Mohr-Coulomb strength
// tau_max = c + sigma tan(phi) and a shear-displacement vector j = (j_long, j_lat) of the soil
// it holds. Soil enters the arc at theta_f with j = 0 and moves through it as the wheel turns
// (|omega| dt per step); while in the arc it is sheared by the local slip velocity
//   along the wheel:  r omega - v_long cos(theta)    (Wong & Reece 1967)
//   across it:        -v_lat                         (Ishigami et al. 2007)
// and resists with tau = tau_max g(|j|) along j (one displacement vector: combined slip), where
// g is Janosi's 1 - exp(-|j| / K) in soil and the elastic-plastic min(|j| / K, 1) on rigid
// ground, |j| normalised by K_long and K_lat. In steady rolling this is the Wong-Reece integral;
// a braked wheel shears its whole arc uniformly, so a parked rover holds at a finite shear
// displacement instead of creeping.
//
// For the constraint solver the forces are linearised in the wheel's velocity around this
// step's velocity (implicit Euler: F(v) = F* - G (v - v*), G the soil's elastic stiffness
// tau_max / K over the arc), then, after the step, the field is advanced with the velocity the
// solver produced. Pure (no Bullet).

#include <array>

#include "vehicle/soil_params.h"
#include "vehicle/terramechanics.h"

namespace marsdrive::vehicle {

// What the patch needs to know about a wheel this step.
struct PatchInput {
  double load_N = 0;    // normal load (filtered)
  double radius_m = 0;  // to the grouser tips
  double width_m = 0;
  double grouser_m = 0;  // grouser height
  double sinkage_m = 0;  // rim sinkage the wheel rides at
  double slip = 0;       // longitudinal slip estimate in [0, 1] (theta_m, slip sinkage)
  double gravity_mps2 = 0;
};

// One step's linearised soil forces on the wheel, along its rolling direction (long) and across
// it (lat): F(v) = force - slope (v - v*) for the contact-point velocity v, |F| <= cap.
struct PatchForces {
  double long_N = 0, long_slope_Nspm = 0, long_cap_N = 0;
  double lat_N = 0, lat_slope_Nspm = 0, lat_cap_N = 0;
  double resistance_N = 0;  // compaction resistance: normal stress against the travel (>= 0)
};

class ShearPatch {
 public:
  static constexpr int kCells = 8;

  // Sets this step's arc, normal stress and strength (keeps the shear field).
  void Prepare(const SoilParams& soil, const PatchInput& in);
  // The forces at contact-point velocity (v_long, v_lat) with the wheel's surface speed r omega.
  PatchForces Linearize(double surface_speed_mps, double v_long_mps, double v_lat_mps,
                        double dt_s) const;
  // After the step: shears the field with the velocity reached, then moves the soil through the
  // arc by the wheel's rotation.
  void Commit(double surface_speed_mps, double v_long_mps, double v_lat_mps, double dt_s);
  // Out of contact: the soil lets go.
  void Release();

  const ContactArc& arc() const { return arc_; }
  // Normalised shear displacement |j| of a cell (for tests).
  double ShearOf(int cell) const;

 private:
  // Travel direction: the leading edge of the arc is where soil enters.
  void SetTravel(double surface_speed_mps);
  void Advect(double fraction);

  ShearLaw law_ = ShearLaw::kJanosi;
  double k_long_m_ = 0.01, k_lat_m_ = 0.01;
  double radius_m_ = 0;
  double cell_area_m2_ = 0;
  ContactArc arc_;
  int travel_ = 1;                                 // +1 forward, -1 backward
  std::array<double, kCells> theta_{};             // cell centres, leading (0) to trailing
  std::array<double, kCells> sigma_{};             // normal stress, Pa
  std::array<double, kCells> strength_{};          // tau_max along the wheel, Pa
  std::array<double, kCells> lat_strength_{};      // tau_max across (+ bulldozing), Pa
  std::array<double, kCells> j_long_{}, j_lat_{};  // shear displacement, m
};

}  // namespace marsdrive::vehicle

#pragma once
// Fault detection of a drive (docs/vehicle-physics.md §10 "Fault detection"): after every
// physics step the drive loop (sim/drive_run.cpp) hands the rover's state to a FaultDetector,
// which ends the drive the moment
//   off_map    a wheel centre leaves the terrain: its xy outside the grid, or where the height is
//              nodata (the physics would drive on invented ground);
//   rollover   the rover is beyond static tip-over: the vertical through its centre of mass
//              misses the wheels' support polygon (vehicle/tip_over.h), or it is upside down;
//   sim_fault  the simulation itself went wrong:
//                below_surface  the centre of mass is more than kBelowSurfaceM under the ground
//                               surface (rocks excluded) at its xy;
//                overspeed      the centre of mass moves faster than energy allows:
//                               |v| > sqrt(v_free^2 + 2 g max(0, z_anchor - z)), where
//                               v_free = the fastest commanded wheel surface speed +
//                               kOverspeedMarginMps and z_anchor the centre-of-mass height at the
//                               last step with |v| <= v_free (a drive that starts faster:
//                               raised by the excess's height, (|v|^2 - v_free^2) / 2g);
//                energy_gain    E - W rose by more than kEnergyGainMarginM x m g above its
//                               running minimum, with E = m (|v|^2 / 2 + g z) of the centre of
//                               mass and W the actuator work put in (telemetry energy_J). With
//                               no source of energy but the actuators, E - W can only fall.
// Checks run in that order; the first that holds is the fault. Every reason names what and
// where. Thresholds are wide: a fault is a broken invariant, not a marginal drive.

#include <array>
#include <optional>
#include <string>

#include "sim/telemetry.h"
#include "terrain/height_map.h"
#include "vehicle/tip_over.h"

namespace marsdrive::sim {

inline constexpr double kBelowSurfaceM = 0.10;      // the nominal centre of mass is 0.95 m up
inline constexpr double kOverspeedMarginMps = 1.0;  // 24x the top speed of 0.042 m/s
inline constexpr double kEnergyGainMarginM = 0.5;   // lifting the whole rover 0.5 m for free

enum class FaultKind { kOffMap, kRollover, kSimFault };
const char* ToString(FaultKind kind);  // "off_map", "rollover", "sim_fault" (DriveStatus names)

struct Fault {
  FaultKind kind = FaultKind::kSimFault;
  std::string reason;
};

// The rover's state after one physics step, map frame, SI.
struct FaultSample {
  double time_s = 0;
  std::array<std::array<double, 3>, kWheelCount> wheel_centres_map_m{};  // telemetry order
  std::array<double, 3> com_map_m{};  // whole-rover centre of mass
  std::array<double, 3> up_body{};    // the map's z axis in the chassis frame (unit)
  double commanded_speed_mps = 0;     // fastest |wheel surface speed| commanded this step
  double actuator_work_J = 0;         // accumulated, as telemetry energy_J
};

class FaultDetector {
 public:
  // `dem` must outlive the detector. `dt_s`: the step between consecutive samples.
  FaultDetector(const terrain::HeightMap& dem, vehicle::SupportGeometry support, double mass_kg,
                double gravity_mps2, double dt_s);

  // The fault at this step, if any. Feed every step in order, from the first after settling.
  std::optional<Fault> Check(const FaultSample& s);

 private:
  std::optional<Fault> CheckOffMap(const FaultSample& s) const;
  std::optional<Fault> CheckRollover(const FaultSample& s) const;
  std::optional<Fault> CheckBelowSurface(const FaultSample& s) const;
  std::optional<Fault> CheckSpeedAndEnergy(const FaultSample& s);

  const terrain::HeightMap& dem_;
  vehicle::SupportGeometry support_;
  double mass_kg_, gravity_mps2_, dt_s_;
  std::optional<FaultSample> previous_;
  bool primed_ = false;                 // a speed has been measured (from the second step)
  double anchor_z_m_ = 0;               // overspeed: height at the last step within v_free
  double min_energy_minus_work_J_ = 0;  // running minimum of E - W
};

}  // namespace marsdrive::sim

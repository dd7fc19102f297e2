#pragma once
// The validation matrix of `marsdrive validate mobility` (docs/validation.md): rover drives on
// the exact terrain presets (flat, slope, step) built in memory, each in its own Bullet world
// (sim::RunDrive), measured as sim/metrics defines it. Groups:
//   slip_uphill     straight uphill drives per soil and slope: mean slip, whether it climbed
//   cross_slope     straight drives across the slope: forward slip, downhill drift (% distance)
//   step            vertical ledges per soil and height, an ensemble of small perturbations
//                   (start offsets, heading, dt): climb fraction
//   step_ensemble   per soil: the transition band of the step outcomes (CalcTransitionBand)
//   rock            a rock under the left wheel line on flat regolith: climbed or not
//   tip_over        static tip-over across a slope (bisection; mu 3 so it tips before it slides)
//   parking         parked with brakes on a sand slope: displacement
//   dt_convergence  a few drives at dt, dt/2 and dt/4: slip and end-pose differences to dt/4
// Runs are independent and execute on `jobs` threads; the result does not depend on `jobs`.

#include <functional>
#include <string>
#include <vector>

#include "scenarios/mobility_cases.h"
#include "vehicle/rover_spec.h"

namespace marsdrive::scenarios {

struct MobilityMatrixOptions {
  bool quick = false;  // the subset the tests run (docs/validation.md lists it)
  int jobs = 1;        // threads (>= 1)
  // Called after each run, from the worker threads but never concurrently: (done, total, key).
  std::function<void(int, int, const std::string&)> on_run_done;
};

// What the matrix ran with (recorded in validation.json).
struct MobilityMatrixInfo {
  std::string matrix;              // "full" | "quick"
  double dt_s = 0;                 // the default physics step (DriveRequest)
  int run_count = 0;               // drives (a bisection counts its drives)
  std::vector<std::string> notes;  // what differs from the full matrix, in words
};

// Runs the matrix. A run that throws becomes a measurement with `error`; nothing is thrown for
// a failed drive. Measurements are sorted by id.
std::vector<Measurement> RunMobilityMatrix(const vehicle::RoverSpec& rover,
                                           const MobilityMatrixOptions& options,
                                           MobilityMatrixInfo& info);

// The geometric static tip-over angle across a slope (deg): atan(d / h), d the horizontal
// distance from the documented centre of mass (rover.com_m) to the downhill support line (the
// wheel-centre hull on one side), h its height.
double GeometricTipAngleDeg(const vehicle::RoverSpec& rover);

}  // namespace marsdrive::scenarios

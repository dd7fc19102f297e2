#pragma once
// The plan check's model of what orbital data leaves uncertain (docs/plan-check.md "Sampling
// model"): each trial draws a plausible ground consistent with the orbital products, soil
// parameters within each class's uncertainty and a start pose error. Every spread below is
// cited or marked EST there.

#include <cstdint>
#include <span>
#include <vector>

#include "base/pose.h"
#include "base/random.h"
#include "terrain/orbital.h"
#include "terrain/truth/terrain_truth.h"
#include "vehicle/soil_params.h"

namespace marsdrive::check {

struct GroundUncertainty {
  double resolution_m = 0.10;  // the sampled ground's cell size
  double margin_m = 25.0;      // ground is sampled this far around the plan's bounding box
  // Sub-post relief: an fBm of Hurst exponent `hurst` between 0.25 m and 2 m wavelengths whose
  // RMS is relief_per_roughness x the orbital roughness layer, times a per-trial factor drawn
  // log-normally with sigma relief_spread.
  double hurst = 0.75;
  double relief_per_roughness = 1.0;
  double relief_spread = 0.3;
  // Golombek-Rapp rock abundance k: a log-uniform prior on [rock_k_min, rock_k_max] (k is a
  // scale), updated by the count of rocks the orbiter resolved; smaller rocks are drawn.
  double rock_k_min = 0.02;
  double rock_k_max = 0.30;
  // Sand where the orbital sand fraction exceeds a threshold drawn uniformly in
  // sand_threshold +- sand_threshold_spread, warped by 4 m noise.
  double sand_threshold = 0.5;
  double sand_threshold_spread = 0.15;
  // Soil parameters: friction angle +- (uniform, degrees); cohesion, shear moduli and Bekker
  // moduli scaled by a log-normal factor of these sigmas.
  double friction_angle_spread_deg = 2.0;
  double cohesion_log_sigma = 0.5;
  double shear_modulus_log_sigma = 0.3;
  double bekker_log_sigma = 0.5;
  // Start pose knowledge (1 sigma).
  double start_position_sigma_m = 0.25;
  double start_heading_sigma_deg = 2.0;
  double start_clear_radius_m = 2.0;  // no rock here: the rover is parked on it
  // Proprioception (1 sigma, constant per trial): wheel odometry scale and IMU yaw drift.
  double odometry_scale_sigma = 0.01;
  double imu_yaw_drift_sigma_deg_per_h = 1.0;
};

// The posterior of the Golombek-Rapp abundance k given the orbiter's rock count, on a grid.
struct RockAbundance {
  std::vector<double> k;
  std::vector<double> cdf;  // cumulative posterior at each k
  int visible_count = 0;    // rocks the orbiter resolved
  double area_m2 = 0;       // over this valid area
  double mean = 0;          // posterior mean of k
};
RockAbundance EstimateRockAbundance(const terrain::OrbitalProducts& orbital,
                                    const GroundUncertainty& model);

// What one trial drew (recorded per trial in check.json).
struct TrialDraw {
  std::uint64_t seed = 0;
  double rock_k = 0;
  double relief_factor = 1;
  double sand_threshold = 0.5;
  double friction_delta_deg = 0;  // added to every class's friction angle
  vehicle::SoilTable soils{};
  base::Pose2 start;
  double odometry_scale_error = 0;
  double imu_yaw_drift_radps = 0;
};
TrialDraw DrawTrial(const RockAbundance& rocks, const GroundUncertainty& model,
                    const base::Pose2& start, std::uint64_t seed);

// The window of ground a plan needs: its points' bounding box plus the margin, on the orbital
// map's extent, at the model's resolution.
terrain::GridSpec PlanWindow(const terrain::GridSpec& orbital, std::span<const base::Point2> points,
                             const GroundUncertainty& model);

// A plausible ground truth over `window`, consistent with the orbital products, from `draw`.
terrain::TerrainTruth SampleGround(const terrain::OrbitalProducts& orbital,
                                   const terrain::GridSpec& window, const GroundUncertainty& model,
                                   const TrialDraw& draw);

}  // namespace marsdrive::check

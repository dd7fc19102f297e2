#pragma once
// AutoNav's route sense (rover.md §6: ENav, like GESTALT before it, scores its path options by
// where they lead): the cost to reach the current waypoint from any point of the remembered
// terrain (vehicle/local_map.h), so that an option is ranked by the cost to go from its end
// pose instead of its straight-line progress, and a rover facing a ledge follows the ledge's
// foot to its end instead of turning back and forth in front of it.
//
//  * Traversability per coarse cell (cell_m, rounded to a whole number of map cells, on the
//    global lattice): a least-squares plane through the known map cells in the cell grown by
//    hazard_margin_m. The step is the range of the heights about that plane, less noise_sigmas
//    standard deviations of each extreme's estimate (a noisy far cell is not a hazard), plus
//    the plane's rise over one map cell (which a sharp scarp's range misses); the slope is the
//    plane's. Step > max_step_m or slope > max_slope_rad: a hazard, lethal. Else
//    the cost per metre is 1 + step_weight (step / max_step)^2 + slope_weight (slope /
//    max_slope)^2. A cell with less than min_known_fraction of its map cells known is unknown:
//    cost unknown_cost (optimistic: maybe free, but seen ground is preferred). Within
//    inflation_radius_m of a hazard a cell costs up to inflation_cost more (linear fall-off),
//    so that routes keep the rover's half-width off a scarp; the cell stays passable (a rock
//    the rover straddles is a hazard cell too; ACE decides). Keep-out zones (+ margin) and
//    ground outside the world are lethal. Cells where ACE rejected the rover's poses (AddPenalty:
//    rough ground the coarse measure passes, e.g. marginal belly clearance) cost more, up to
//    max_penalty, so a route stops leading back to where the rover could not go; cells where it
//    stalled (Block) are hazards.
//  * Cost to go: Dijkstra from the waypoint over the 8-connected cells, edge cost = length x
//    the mean of the two cells' costs, no diagonal past a lethal cell. A ring of unknown cells
//    around the window stands for the ground beyond it (a route may leave the window and come
//    back). Seeds: the passable cells within max(tolerance, cell) of a waypoint inside the
//    window, at their distance from it; for a waypoint outside, the ring cells at their
//    straight-line distance to it.
// Map frame ENU, metres. Bullet-free; no allocation after the first Build of a window size.

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <vector>

#include "vehicle/keep_out.h"
#include "vehicle/local_map.h"

namespace marsdrive::vehicle {

struct CostToGoParams {
  // EST: ~ a wheel patch (0.40 m): fine enough to resolve a rover-wide gap, coarse enough for
  // Dijkstra over a 50 m window in ~1 ms (128 x 128 cells).
  double cell_m = 0.4;
  double hazard_margin_m = 0.2;     // EST: half a wheel patch, so a scarp marks both sides
  double min_known_fraction = 0.5;  // EST
  double max_step_m = 0.35;         // AutoNavParams::max_step_m (set by AutoNav)
  double max_slope_rad = 30.0 * std::numbers::pi / 180.0;  // RoverLimits tilt (set by AutoNav)
  double noise_sigmas = 2.0;  // EST: a ~2.5 % one-sided false-hazard rate per extreme
  double step_weight = 2.0;   // EST: a cell at 70 % of the step limit costs 2x flat ground
  double slope_weight = 1.0;  // EST: 30 deg costs 2x flat ground (slip: rover.md §4)
  double unknown_cost = 1.5;  // EST
  // EST: the rover's outer half-width (middle wheel 1.18 m + half a 0.38 m wheel, rover.md §2)
  double inflation_radius_m = 1.4;
  double inflation_cost = 4.0;  // EST: a route hugs a scarp only if the detour is 4x longer
  double max_penalty = 4.0;     // EST: as much as hugging a hazard
};

// The world's extent (the DEM); ground outside it is lethal.
struct WorldBounds {
  double x0_m = 0, y0_m = 0, x1_m = 0, y1_m = 0;
};

enum class CellKind : std::uint8_t { kKnown = 0, kUnknown, kHazard, kForbidden };

class CostToGo {
 public:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // map_cell_m: the local map's cell size.
  CostToGo(const CostToGoParams& params, double map_cell_m);

  const CostToGoParams& params() const { return params_; }
  double cell_m() const { return cell_m_; }

  // Adds `amount` (per metre) to the cost of the cell containing (x, y), up to max_penalty;
  // remembered while the cell stays in the grid (forgotten by a Build whose window has left it).
  void AddPenalty(double x_m, double y_m, double amount);
  // Makes the cell containing (x, y) a hazard (ground the rover failed to drive over, e.g. a
  // rock its wheels stalled against), remembered like a penalty.
  void Block(double x_m, double y_m);
  // Cell costs from the map's window, the constraints, the blocked cells and the penalties.
  void Build(const LocalMap& map, const std::vector<KeepOutZone>& keep_outs,
             double keep_out_margin_m, const std::optional<WorldBounds>& world);
  // Cost to go to (goal_x, goal_y) from every cell (kInf: unreachable). After Build.
  void Solve(double goal_x_m, double goal_y_m, double tolerance_m);

  // Cost to go from the point (x, y): the best of its cell and the neighbours one can move to,
  // plus the distance to that cell's centre times its cost (a point on a hazard cell looks at
  // its passable neighbours). kInf: unreachable, or outside the grid.
  double CostAt(double x_m, double y_m) const;
  // Cost per metre of driving over (x, y), for an option ACE found safe: the cell's cost; a
  // hazard cell (a rock straddled) costs 1 + inflation_cost + max_penalty; kInf only where
  // forbidden or outside the grid.
  double DrivingCostAt(double x_m, double y_m) const;
  // The optimal route from (x, y): cell centres toward the waypoint, until length_m of route
  // or a seed; empty when unreachable.
  std::vector<std::array<double, 2>> Route(double x_m, double y_m, double length_m) const;

  // The grid, for tests and the record: lattice cells [ci0, ci0 + nx) x [cj0, cj0 + ny), the
  // ring included; cell I covers [I cell, (I + 1) cell).
  int ci0() const { return ci0_; }
  int cj0() const { return cj0_; }
  int nx() const { return nx_; }
  int ny() const { return ny_; }
  bool InGrid(int ci, int cj) const {
    return static_cast<unsigned>(ci - ci0_) < static_cast<unsigned>(nx_) &&
           static_cast<unsigned>(cj - cj0_) < static_cast<unsigned>(ny_);
  }
  double CentreOf(int c) const { return (static_cast<double>(c) + 0.5) * cell_m_; }
  int LatticeOf(double v_m) const;
  CellKind KindOf(int ci, int cj) const { return kind_[Index(ci, cj)]; }
  double CellCost(int ci, int cj) const;  // per metre; kInf: lethal
  double Value(int ci, int cj) const { return value_[Index(ci, cj)]; }
  double StepOf(int ci, int cj) const { return step_m_[Index(ci, cj)]; }  // NaN unless known
  bool Passable(int ci, int cj) const { return kind_[Index(ci, cj)] < CellKind::kHazard; }

 private:
  std::size_t Index(int ci, int cj) const {
    return static_cast<std::size_t>(cj - cj0_) * static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(ci - ci0_);
  }
  void Classify(const LocalMap& map, int ci, int cj);
  // The cheapest passable cell to enter from (x, y) and its cost: CostAt's rule.
  std::optional<std::size_t> BestEntry(double x_m, double y_m, double& cost) const;

  CostToGoParams params_;
  double map_cell_m_;
  int ratio_;  // map cells per coarse cell
  double cell_m_;
  int ci0_ = 0, cj0_ = 0, nx_ = 0, ny_ = 0;
  std::vector<CellKind> kind_;
  std::vector<float> cost_;         // per metre, passable cells (inflation included)
  std::vector<float> step_m_;       // the measured step of known cells (record, tests)
  std::vector<double> value_;       // cost to go
  std::vector<std::int32_t> next_;  // index of the next cell toward the waypoint; -1 at seeds
  std::vector<std::array<int, 2>> inflation_offsets_;  // cells within inflation_radius_m
  std::vector<float> inflation_extra_;                 // their extra cost
  std::vector<float> inflation_scratch_;               // per cell: the largest extra
  struct QueueItem {
    double value;
    std::int32_t index;
    bool operator>(const QueueItem& o) const {
      return value > o.value || (value == o.value && index > o.index);
    }
  };
  std::vector<QueueItem> heap_;
  std::map<std::array<int, 2>, float> penalty_;  // by lattice cell: ordered, deterministic
  std::map<std::array<int, 2>, bool> blocked_;   // (a map, not a set: one erase idiom)
};

}  // namespace marsdrive::vehicle

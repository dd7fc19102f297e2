#include "planners/ompl_planner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <ompl/base/MotionValidator.h>
#include <ompl/base/OptimizationObjective.h>
#include <ompl/base/PlannerTerminationCondition.h>
#include <ompl/base/ProblemDefinition.h>
#include <ompl/base/SpaceInformation.h>
#include <ompl/base/goals/GoalSampleableRegion.h>
#include <ompl/base/spaces/RealVectorStateSpace.h>
#include <ompl/geometric/PathGeometric.h>
#include <ompl/geometric/planners/rrt/RRTstar.h>
#include <ompl/util/Console.h>
#include <ompl/util/RandomNumbers.h>

#include "base/check.h"
#include "base/random.h"
#include "planners/cost_map.h"
#include "planners/route.h"

namespace marsdrive::planners {

namespace {

namespace ob = ompl::base;
namespace og = ompl::geometric;

// OMPL's seed generator and output handler are process-global (see the header).
std::mutex& OmplMutex() {
  static std::mutex mutex;
  return mutex;
}

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

Point2 ToPoint(const ob::State* state) {
  const auto* s = state->as<ob::RealVectorStateSpace::StateType>();
  return {s->values[0], s->values[1]};
}

// Captures OMPL's messages into the plan's log (installed while the OMPL mutex is held).
class CaptureOutput final : public ompl::msg::OutputHandler {
 public:
  void log(const std::string& text, ompl::msg::LogLevel level, const char* /*filename*/,
           int /*line*/) override {
    // Reseeding is deliberate (we reseed before every plan; see the header).
    if (text.find("Random number generation already started") != std::string::npos) return;
    static constexpr const char* kLevels[] = {"dev2", "dev1", "debug", "info", "warn", "error"};
    const int i = static_cast<int>(level);
    text_ += std::string(i >= 0 && i < 6 ? kLevels[i] : "note") + ": " + text + "\n";
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class FreeCellValidity final : public ob::StateValidityChecker {
 public:
  FreeCellValidity(const ob::SpaceInformationPtr& si, const CostMap& map)
      : ob::StateValidityChecker(si), map_(map) {}
  bool isValid(const ob::State* state) const override { return map_.FreeAt(ToPoint(state)); }

 private:
  const CostMap& map_;
};

class TraceMotionValidator final : public ob::MotionValidator {
 public:
  TraceMotionValidator(const ob::SpaceInformationPtr& si, const CostMap& map)
      : ob::MotionValidator(si), map_(map) {}

  bool checkMotion(const ob::State* s1, const ob::State* s2) const override {
    const bool ok = !TraceSegment(map_, ToPoint(s1), ToPoint(s2)).blocked;
    if (ok) {
      ++valid_;
    } else {
      ++invalid_;
    }
    return ok;
  }

  // The last valid state before the first blocked cell (bisection on the segment parameter).
  bool checkMotion(const ob::State* s1, const ob::State* s2,
                   std::pair<ob::State*, double>& last_valid) const override {
    if (checkMotion(s1, s2)) return true;
    const Point2 a = ToPoint(s1), b = ToPoint(s2);
    double lo = 0, hi = 1;
    for (int i = 0; i < 40; ++i) {
      const double mid = 0.5 * (lo + hi);
      const Point2 m{a.x_m + mid * (b.x_m - a.x_m), a.y_m + mid * (b.y_m - a.y_m)};
      if (TraceSegment(map_, a, m).blocked) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    if (last_valid.first != nullptr) {
      auto* s = last_valid.first->as<ob::RealVectorStateSpace::StateType>();
      s->values[0] = a.x_m + lo * (b.x_m - a.x_m);
      s->values[1] = a.y_m + lo * (b.y_m - a.y_m);
    }
    last_valid.second = lo;
    return false;
  }

 private:
  const CostMap& map_;
};

// The line integral of the orbital cost, as astar's edges.
class CostIntegralObjective final : public ob::OptimizationObjective {
 public:
  CostIntegralObjective(const ob::SpaceInformationPtr& si, const CostMap& map)
      : ob::OptimizationObjective(si), map_(map) {
    description_ = "orbital cost integral";
  }
  ob::Cost stateCost(const ob::State* /*s*/) const override { return identityCost(); }
  ob::Cost motionCost(const ob::State* s1, const ob::State* s2) const override {
    return ob::Cost(TraceSegment(map_, ToPoint(s1), ToPoint(s2)).cost);
  }
  ob::Cost motionCostHeuristic(const ob::State* s1, const ob::State* s2) const override {
    const Point2 a = ToPoint(s1), b = ToPoint(s2);
    return ob::Cost(map_.min_cost() * std::hypot(b.x_m - a.x_m, b.y_m - a.y_m));
  }

 private:
  const CostMap& map_;
};

// The goal disc; samples are the free cell centres inside it (and the goal itself when free).
class GoalDisc final : public ob::GoalSampleableRegion {
 public:
  GoalDisc(const ob::SpaceInformationPtr& si, const planners::GoalRegion& goal,
           std::vector<Point2> samples, std::uint32_t seed)
      : ob::GoalSampleableRegion(si), goal_(goal), samples_(std::move(samples)), rng_(seed) {
    threshold_ = goal.tolerance_m;
  }
  double distanceGoal(const ob::State* state) const override {
    const Point2 p = ToPoint(state);
    return std::hypot(p.x_m - goal_.x_m, p.y_m - goal_.y_m);
  }
  void sampleGoal(ob::State* state) const override {
    const Point2& p = samples_[static_cast<std::size_t>(
        rng_.uniformInt(0, static_cast<int>(samples_.size()) - 1))];
    auto* s = state->as<ob::RealVectorStateSpace::StateType>();
    s->values[0] = p.x_m;
    s->values[1] = p.y_m;
  }
  unsigned int maxSampleCount() const override {
    return static_cast<unsigned int>(samples_.size());
  }

 private:
  planners::GoalRegion goal_;
  std::vector<Point2> samples_;
  mutable ompl::RNG rng_;
};

std::vector<ParamSpec> RrtStarParams() {
  std::vector<ParamSpec> params = {
      {.name = "iterations",
       .type = ParamType::kInt,
       .default_value = "20000",
       .min_value = 1,
       .max_value = 100000000,
       .help = "stop after this many iterations (the deterministic end; the time budget may "
               "end it sooner)"},
      {.name = "max_time_s",
       .type = ParamType::kDouble,
       .default_value = "0",
       .min_value = 0,
       .max_value = 1e6,
       .help = "wall-time cap (s) below the problem's time budget; 0 = the budget"},
      {.name = "seed",
       .type = ParamType::kInt,
       .default_value = "0",
       .min_value = 0,
       .max_value = 2147483647,
       .help = "OMPL random seed; 0 = derived from the problem's seed"},
      {.name = "rewire_factor",
       .type = ParamType::kDouble,
       .default_value = "1.1",
       .min_value = 1,
       .max_value = 10,
       .help = "rewiring radius scale (OMPL's rewire_factor)"},
  };
  const std::vector<ParamSpec> shaping =
      RouteShapingParams("apply line-of-sight shortcuts to OMPL's path");
  params.insert(params.end(), shaping.begin(), shaping.end());
  params.push_back({.name = "range_m",
                    .type = ParamType::kDouble,
                    .default_value = "25",
                    .min_value = 0,
                    .max_value = 1e6,
                    .help = "longest tree edge (m); 0 = OMPL's default (a fifth of the map)"});
  params.push_back({.name = "goal_bias",
                    .type = ParamType::kDouble,
                    .default_value = "0.05",
                    .min_value = 0,
                    .max_value = 1,
                    .help = "probability of sampling the goal region"});
  return params;
}

PlannerSpecs RrtStarSpecs() {
  return {.summary =
              "OMPL RRT* on the orbital cost integral (sampling-based, asymptotically "
              "optimal)",
          .optimizing = true,
          .deterministic = true,  // for a given seed, when `iterations` ends the search
          .anytime = true,
          .needs_network = false};
}

class RrtStarPlanner final : public Planner {
 public:
  explicit RrtStarPlanner(PlannerParams params)
      : Planner("rrtstar", RrtStarSpecs(), RrtStarParams(), std::move(params)) {}

  PlanResult Plan(const PlanProblem& problem, std::stop_token stop_token) override {
    const PlannerParams& p = ParamValues();
    const double max_time_s = p.Double("max_time_s");
    const double budget_s =
        max_time_s > 0 ? std::min(max_time_s, problem.time_budget_s) : problem.time_budget_s;
    const StopCondition stop(std::move(stop_token), budget_s);
    const CostMap map(problem);
    if (std::optional<PlanResult> invalid = CheckEndpoints(map, problem)) {
      return std::move(*invalid);
    }

    const terrain::GridSpec& spec = map.spec();
    std::vector<Point2> goal_samples;
    if (map.FreeAt({problem.goal.x_m, problem.goal.y_m})) {
      goal_samples.push_back({problem.goal.x_m, problem.goal.y_m});
    }
    for (const std::uint32_t cell : GoalCells(map, problem.goal)) {
      const int col = static_cast<int>(cell % static_cast<std::uint32_t>(spec.width_px));
      const int row = static_cast<int>(cell / static_cast<std::uint32_t>(spec.width_px));
      const Point2 c{spec.CellCenterX(col), spec.CellCenterY(row)};
      if (std::hypot(c.x_m - problem.goal.x_m, c.y_m - problem.goal.y_m) <=
          problem.goal.tolerance_m) {
        goal_samples.push_back(c);
      }
    }
    if (goal_samples.empty()) {
      return PlanResult{.status = PlanStatus::kInvalidGoal,
                        .waypoints = {},
                        .reason = "no free point within the goal tolerance to sample"};
    }
    // OMPL seeds are 32-bit and must be > 0.
    const auto seed = static_cast<std::uint32_t>(
        p.Int("seed") > 0
            ? p.Int("seed")
            : static_cast<std::int64_t>(
                  marsdrive::DeriveSeed(problem.seed, 0x6f6d706cULL) % 2147483646ULL + 1));

    PlanResult result;
    std::vector<Point2> path;
    ob::PlannerStatus status;
    unsigned int iterations = 0;
    bool by_iterations = false;
    {
      const std::lock_guard<std::mutex> lock(OmplMutex());
      CaptureOutput output;
      ompl::msg::useOutputHandler(&output);
      struct Restore {
        ~Restore() { ompl::msg::restorePreviousOutputHandler(); }
      } restore;
      ompl::RNG::setSeed(seed);

      auto space = std::make_shared<ob::RealVectorStateSpace>(2);
      ob::RealVectorBounds bounds(2);
      bounds.setLow(0, spec.origin_x_m);
      bounds.setHigh(0, spec.MaxX());
      bounds.setLow(1, spec.origin_y_m);
      bounds.setHigh(1, spec.MaxY());
      space->setBounds(bounds);
      auto si = std::make_shared<ob::SpaceInformation>(space);
      si->setStateValidityChecker(std::make_shared<FreeCellValidity>(si, map));
      si->setMotionValidator(std::make_shared<TraceMotionValidator>(si, map));
      si->setup();

      auto pdef = std::make_shared<ob::ProblemDefinition>(si);
      ob::ScopedState<ob::RealVectorStateSpace> start(space);
      start[0] = problem.start.x_m;
      start[1] = problem.start.y_m;
      pdef->addStartState(start);
      pdef->setGoal(std::make_shared<GoalDisc>(si, problem.goal, std::move(goal_samples), seed));
      auto objective = std::make_shared<CostIntegralObjective>(si, map);
      // Distance to the goal disc: admissible, as every metre costs at least min_cost >= 1.
      objective->setCostToGoHeuristic(&ob::goalRegionCostToGo);
      pdef->setOptimizationObjective(objective);

      const auto max_iterations = static_cast<unsigned int>(p.Int("iterations"));
      auto rrt = std::make_shared<og::RRTstar>(si);
      if (p.Double("range_m") > 0) rrt->setRange(p.Double("range_m"));
      rrt->setGoalBias(p.Double("goal_bias"));
      rrt->setRewireFactor(p.Double("rewire_factor"));
      const ob::PlannerPtr planner = rrt;
      planner->setProblemDefinition(pdef);
      planner->setup();
      const ob::PlannerTerminationCondition ptc([&] {
        if (rrt->numIterations() >= max_iterations) {
          by_iterations = true;
          return true;
        }
        return stop.ShouldStop();
      });
      status = planner->solve(ptc);
      iterations = rrt->numIterations();
      if (pdef->hasSolution()) {
        const auto* solution = pdef->getSolutionPath()->as<og::PathGeometric>();
        for (std::size_t i = 0; i < solution->getStateCount(); ++i) {
          path.push_back(ToPoint(solution->getState(i)));
        }
      }
      result.log = output.text();
    }

    SetDiagnostic(result, "iterations", static_cast<std::int64_t>(iterations));
    SetDiagnostic(result, "seed", static_cast<std::int64_t>(seed));
    SetDiagnostic(result, "terminated_by",
                  std::string(by_iterations ? "iterations"
                                            : (stop.StopRequested() ? "stop request" : "time")));
    SetDiagnostic(result, "ompl_status", status.asString());
    if (path.size() < 2) {  // nothing, or an "approximate solution" that never left the start
      result.status =
          status == ob::PlannerStatus::CRASH ? PlanStatus::kCrash : PlanStatus::kTimeout;
      result.reason = "OMPL found no route (" + status.asString() + ") in " +
                      std::to_string(iterations) + " iterations";
      return result;
    }
    // OMPL's start state is the exact start; keep it bit for bit.
    path.front() = {problem.start.x_m, problem.start.y_m};
    const std::vector<Point2> smoothed =
        p.Bool("smoothing") ? ShortcutRoute(map, path, p.Double("smoothing_tolerance")) : path;
    result.waypoints = SubdivideRoute(RemoveCollinear(smoothed),
                                      EffectiveSpacing(problem, p.Double("max_spacing_m")));
    SetDiagnostic(result, "raw_cost", RouteCost(map, path));
    AddRouteDiagnostics(result, map);
    result.alternatives.push_back({"OMPL path", std::move(path)});
    const double miss_m = DistanceToGoal(result.waypoints, problem.goal);
    if (status == ob::PlannerStatus::EXACT_SOLUTION && miss_m <= problem.goal.tolerance_m) {
      result.status = PlanStatus::kExact;
    } else {
      result.status = PlanStatus::kApproximate;
      result.reason = "closest approach " + Num(miss_m) + " m from the goal (tolerance " +
                      Num(problem.goal.tolerance_m) + " m) after " + std::to_string(iterations) +
                      " iterations";
    }
    return result;
  }
};

}  // namespace

PlannerInfo RrtStarPlannerInfo() {
  return {.name = "rrtstar",
          .specs = RrtStarSpecs(),
          .params = RrtStarParams(),
          .make = [](PlannerParams params) -> std::unique_ptr<Planner> {
            return std::make_unique<RrtStarPlanner>(std::move(params));
          }};
}

}  // namespace marsdrive::planners

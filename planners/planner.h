#pragma once
// The Planner interface (after OMPL's base::Planner: non-copyable, declared parameters,
// capability specs, one solve call polling a stop condition) and RunPlanner, the only place a
// planner's exception is caught.

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "io/params.h"
#include "planners/plan_types.h"

namespace marsdrive::planners {

enum class ParamType { kBool, kInt, kDouble, kChoice, kString };

// A declared, ranged, documented planner parameter (OMPL's declareParam), shown by
// `marsdrive planners` and checked by MakePlanner.
struct ParamSpec {
  std::string name{};
  ParamType type = ParamType::kDouble;
  std::string default_value{};          // as written on the command line
  double min_value = 0, max_value = 0;  // kInt, kDouble: inclusive range
  std::vector<std::string> choices{};   // kChoice: the allowed values
  std::string help{};

  // "[0.5, 10000]", "8|16", "true|false", "text".
  std::string RangeText() const;
};

// What a planner can do (OMPL's PlannerSpecs), for tools and reports.
struct PlannerSpecs {
  std::string summary{};       // one line
  bool optimizing = false;     // minimises the orbital cost of the route
  bool deterministic = true;   // same problem (incl. seed) and parameters -> same waypoints
  bool anytime = false;        // keeps improving until stopped or out of budget
  bool needs_network = false;  // talks to a remote service
};

// Parameter values after checking: every declared parameter, given or defaulted, typed, in
// declaration order (this list goes into PlanResult::params).
class PlannerParams {
 public:
  PlannerParams() = default;
  // Throws InputError naming the planner and the parameter: unknown key (listing the valid
  // ones), malformed value, out of range, or not one of the choices.
  static PlannerParams Resolve(const std::string& planner, const std::vector<ParamSpec>& specs,
                               const marsdrive::ParamMap& given);

  bool Bool(const std::string& name) const;
  std::int64_t Int(const std::string& name) const;
  double Double(const std::string& name) const;
  const std::string& String(const std::string& name) const;  // kChoice and kString
  const std::vector<NamedValue>& values() const { return values_; }

 private:
  const Scalar& At(const std::string& name) const;
  std::vector<NamedValue> values_;
};

class Planner {
 public:
  Planner(const Planner&) = delete;
  Planner& operator=(const Planner&) = delete;
  Planner(Planner&&) = delete;
  Planner& operator=(Planner&&) = delete;
  virtual ~Planner() = default;

  const std::string& Name() const { return name_; }
  const PlannerSpecs& Specs() const { return specs_; }
  const std::vector<ParamSpec>& Params() const { return param_specs_; }
  const PlannerParams& ParamValues() const { return params_; }

  // Answers `problem`. Returns its best result when `stop` is requested or the problem's time
  // budget runs out (kTimeout if it has none). May throw; RunPlanner turns that into kCrash.
  // Implementations may leave wall_time_s, planner and params to RunPlanner.
  virtual PlanResult Plan(const PlanProblem& problem, std::stop_token stop) = 0;

 protected:
  Planner(std::string name, PlannerSpecs specs, std::vector<ParamSpec> param_specs,
          PlannerParams params)
      : name_(std::move(name)),
        specs_(std::move(specs)),
        param_specs_(std::move(param_specs)),
        params_(std::move(params)) {}

 private:
  std::string name_;
  PlannerSpecs specs_;
  std::vector<ParamSpec> param_specs_;
  PlannerParams params_;
};

// Runs `planner` on `problem`: converts any exception into a kCrash result with its message,
// measures the wall time, and records the planner's name and every parameter value.
PlanResult RunPlanner(Planner& planner, const PlanProblem& problem, std::stop_token stop = {});

// The stop condition a planner polls (OMPL's PlannerTerminationCondition): the harness's stop
// request or the problem's time budget, whichever comes first.
class StopCondition {
 public:
  StopCondition(std::stop_token token, double budget_s);
  bool StopRequested() const { return token_.stop_requested(); }
  bool PastDeadline() const { return std::chrono::steady_clock::now() >= deadline_; }
  bool ShouldStop() const { return StopRequested() || PastDeadline(); }
  double RemainingS() const;
  double budget_s() const { return budget_s_; }
  const std::stop_token& token() const { return token_; }

 private:
  std::stop_token token_;
  double budget_s_;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace marsdrive::planners

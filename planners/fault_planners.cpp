#include "planners/fault_planners.h"

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace marsdrive::planners {

namespace {

enum class Fault { kCrash, kHang, kThrow };

class FaultPlanner final : public Planner {
 public:
  FaultPlanner(std::string name, Fault fault, PlannerParams params)
      : Planner(std::move(name), Specs(), {}, std::move(params)), fault_(fault) {}

  static PlannerSpecs Specs() { return {.summary = "fault injection (tests only)"}; }

  PlanResult Plan(const PlanProblem&, std::stop_token) override {
    switch (fault_) {
      case Fault::kCrash:
        std::abort();
        break;
      case Fault::kHang:
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      case Fault::kThrow:
        throw std::runtime_error("fault-throw: injected failure");
    }
    return {};
  }

 private:
  Fault fault_;
};

PlannerInfo FaultInfo(const char* name, Fault fault) {
  return {.name = name,
          .specs = FaultPlanner::Specs(),
          .params = {},
          .make = [name, fault](PlannerParams params) -> std::unique_ptr<Planner> {
            return std::make_unique<FaultPlanner>(name, fault, std::move(params));
          },
          .unavailable_reason = nullptr};
}

bool Enabled() {
  const char* flag = std::getenv("MARSDRIVE_FAULT_PLANNERS");
  return flag != nullptr && std::string(flag) == "1";
}

}  // namespace

const std::vector<PlannerInfo>& FaultPlanners() {
  static const std::vector<PlannerInfo> planners =
      Enabled() ? std::vector<PlannerInfo>{FaultInfo("fault-crash", Fault::kCrash),
                                           FaultInfo("fault-hang", Fault::kHang),
                                           FaultInfo("fault-throw", Fault::kThrow)}
                : std::vector<PlannerInfo>{};
  return planners;
}

}  // namespace marsdrive::planners

// The registry, parameter checking and RunPlanner (planners/registry.h, planner.h).

#include "planners/registry.h"

#include <set>
#include <stdexcept>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/planners/planner_test_util.h"
#include "tests/util/input_error.h"

namespace marsdrive::planners {
namespace {

using ::testing::HasSubstr;
using testing::MakeFlatProducts;
using testing::MakeProblem;

using marsdrive::testing::ErrorOf;

TEST(Registry, ListsEveryPlannerOnceWithDocumentedParameters) {
  std::set<std::string> names;
  for (const PlannerInfo& info : ListPlanners()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.specs.summary.empty()) << info.name;
    std::set<std::string> params;
    for (const ParamSpec& p : info.params) {
      EXPECT_TRUE(params.insert(p.name).second) << info.name << "." << p.name;
      EXPECT_FALSE(p.help.empty()) << info.name << "." << p.name;
    }
    // Every default is valid, and the planner records every parameter.
    const auto planner = MakePlanner(info.name);
    EXPECT_EQ(planner->Name(), info.name);
    EXPECT_EQ(planner->ParamValues().values().size(), info.params.size());
  }
  for (const char* name : {"scripted", "astar", "rrtstar"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

TEST(Registry, UnknownPlannerListsTheValidOnes) {
  EXPECT_THAT(ErrorOf([] { MakePlanner("dijkstra"); }),
              HasSubstr("unknown planner 'dijkstra' (expected one of: scripted, astar"));
}

TEST(Registry, UnknownParameterListsTheValidOnes) {
  EXPECT_THAT(
      ErrorOf([] { MakePlanner("astar", marsdrive::ParamMap::Parse({"conectivity=8"}, "")); }),
      HasSubstr("planner astar: unknown parameter 'conectivity' (expected one of: "
                "connectivity, max_spacing_m"));
}

TEST(Registry, ParametersAreTypeAndRangeChecked) {
  auto error = [](const std::string& kv) {
    return ErrorOf([&] { MakePlanner("astar", marsdrive::ParamMap::Parse({kv}, "--param")); });
  };
  EXPECT_THAT(error("connectivity=4"),
              HasSubstr("parameter connectivity: expected one of 8|16, got '4'"));
  EXPECT_THAT(error("max_spacing_m=0.1"),
              HasSubstr("parameter max_spacing_m: expected a number in [0.5, 10000], got 0.1"));
  EXPECT_THAT(error("max_spacing_m=abc"), HasSubstr("expected a finite number, got 'abc'"));
  EXPECT_THAT(error("smoothing=2"), HasSubstr("expected true|false"));
  EXPECT_THAT(
      ErrorOf([] { MakePlanner("rrtstar", marsdrive::ParamMap::Parse({"iterations=1.5"}, "")); }),
      HasSubstr("parameter iterations: expected an integer, got '1.5'"));
  // Controls: valid values pass and are recorded typed.
  const auto planner =
      MakePlanner("astar", marsdrive::ParamMap::Parse({"connectivity=8", "smoothing=off"}, ""));
  EXPECT_EQ(planner->ParamValues().String("connectivity"), "8");
  EXPECT_FALSE(planner->ParamValues().Bool("smoothing"));
  EXPECT_EQ(planner->ParamValues().Double("max_spacing_m"), 20.0);
}

// A planner that throws, to see RunPlanner turn it into a value.
class ThrowingPlanner final : public Planner {
 public:
  ThrowingPlanner()
      : Planner("thrower", {}, {}, PlannerParams::Resolve("thrower", {}, marsdrive::ParamMap{})) {}
  PlanResult Plan(const PlanProblem&, std::stop_token) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    throw std::runtime_error("boom: ran out of ideas");
  }
};

TEST(RunPlannerCall, AnExceptionBecomesACrashResult) {
  ThrowingPlanner planner;
  const PlanResult result =
      RunPlanner(planner, MakeProblem(MakeFlatProducts(5, 5), {1, 1}, {4, 4}));
  EXPECT_EQ(result.status, PlanStatus::kCrash);
  EXPECT_EQ(result.reason, "boom: ran out of ideas");
  EXPECT_EQ(result.planner, "thrower");
  EXPECT_GE(result.wall_time_s, 0.015);
}

TEST(RunPlannerCall, AProblemWithoutProductsIsACrashNotAnEscape) {
  const auto planner = MakePlanner("astar");
  PlanProblem problem;
  const PlanResult result = RunPlanner(*planner, problem);
  EXPECT_EQ(result.status, PlanStatus::kCrash);
  EXPECT_THAT(result.reason, HasSubstr("no orbital products"));
}

TEST(StopConditionCheck, BudgetAndRequest) {
  std::stop_source source;
  const StopCondition generous(source.get_token(), 100);
  EXPECT_FALSE(generous.ShouldStop());
  source.request_stop();
  EXPECT_TRUE(generous.ShouldStop());
  EXPECT_TRUE(StopCondition({}, 0.0).PastDeadline());
  EXPECT_FALSE(StopCondition({}, std::numeric_limits<double>::infinity()).PastDeadline());
}

}  // namespace
}  // namespace marsdrive::planners

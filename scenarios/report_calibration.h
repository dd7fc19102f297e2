#pragma once
// The report's plan-check parts (docs/plan-check.md "In suites"): the "Digital-twin
// calibration" section, per planner a reliability diagram and the table of Brier score, go
// failed and no_go succeeded; and per run the check's verdict, linked to its check.html.
// Both are empty when nothing was checked, so a suite without checks reports as before.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "scenarios/results.h"

namespace marsdrive::scenarios {

// The section (from its <h2>), or "" when no planner has a calibration. `planner_index` gives
// each label's colour (PlannerColor).
std::string CalibrationSectionHtml(const std::vector<PlannerAggregate>& aggregates,
                                   const std::map<std::string, std::size_t>& planner_index);

// The run's verdict (coloured) and p_goal, linked to DIR/<run dir>/<check dir>/check.html; ""
// when the run has no check.
std::string RunCheckHtml(const RunEntry& entry);

}  // namespace marsdrive::scenarios

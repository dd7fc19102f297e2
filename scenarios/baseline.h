#pragma once
// A committed regression baseline (`marsdrive compare --write-baseline`, `--exact`;
// docs/scoring.md "Regression gate"): a suite's results.json without what differs between two
// executions of the same code on the same inputs. A run is a pure function of (scenario, seed,
// rover, planner output), so everything left compares exactly.
//
// Stripped, per run: wall_time_s, metrics.wall_time_s and metrics.rtf (measured, not
// simulated), scenario_file and terrain_dir (paths of the machine and directory the suite ran
// in); per document: suite_file (a path) and tool (its version says nothing about results).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/results.h"

namespace marsdrive::scenarios {

// The run record's deterministic fields (RunRecordToJson minus the stripped ones).
nlohmann::ordered_json DeterministicRunJson(const RunRecord& record);

// results.json as a baseline: schema, suite, every run's deterministic fields with its dir and
// index, and the aggregates (derived, kept for people reading the baseline's diff). LoadResults
// reads it back.
nlohmann::ordered_json BaselineJson(const SuiteResults& results);

// Writes BaselineJson(results) to `path` (atomically; its directory must exist).
void WriteBaseline(const std::filesystem::path& path, const SuiteResults& results);

// The deterministic fields that differ between two records of one run, in document order, as
// "metrics.distance_m: 45.25 -> 45.5" (values as short excerpts; "absent" for a missing field;
// lists of different lengths as "a list of 3 -> a list of 4"). Empty when they agree exactly.
std::vector<std::string> DeterministicDifferences(const RunRecord& baseline,
                                                  const RunRecord& candidate);

}  // namespace marsdrive::scenarios

#pragma once
// JUnit XML of a suite (one test case per run) and of a comparison verdict, in the format CI
// tools read (Jenkins / GitLab / GitHub test reporters; the junit-10.xsd schema).
//
// A run's test case fails when the run failed, when it did not reach its goal, or when it
// went over a limit (slip above the limit for some distance, tilt above the limit, entering a
// keep-out, a body contact); skipped runs are <skipped/> with their reason.

#include <string>

#include "scenarios/results.h"

namespace marsdrive::scenarios {

std::string SuiteJunitXml(const SuiteResults& results);

// Why a run counts as a JUnit failure, or "" when it passes (skipped runs: "").
std::string JunitFailure(const RunRecord& record);

}  // namespace marsdrive::scenarios

#include "scenarios/check/check_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/check.h"
#include "scenarios/report_map.h"
#include "scenarios/report_plots.h"
#include "sim/telemetry_csv.h"

namespace marsdrive::check {

namespace {

namespace fs = std::filesystem;
using planners::Rgb;
using scenarios::HtmlEscape;

// A trial directory must stay inside the check's output: relative and without "..".
bool InsideOut(const fs::path& dir) {
  if (dir.empty() || dir.is_absolute()) return false;
  return std::none_of(dir.begin(), dir.end(), [](const fs::path& part) { return part == ".."; });
}

TrialTrack LoadTrack(const fs::path& out, const PageTrial& trial) {
  TrialTrack track;
  if (!InsideOut(trial.dir)) {
    track.note = "trial directory '" + trial.dir + "' is not inside the check's output";
    return track;
  }
  try {
    for (const sim::TelemetrySample& s : sim::ReadTelemetryCsv(out / trial.dir / "telemetry.csv"))
      track.points.push_back({s.position_map_m[0], s.position_map_m[1]});
  } catch (const InputError& e) {
    track.note = e.what();
  }
  return track;
}

std::vector<scenarios::MapSegment> LegBands(const CheckPage& page) {
  std::vector<scenarios::MapSegment> bands;
  for (const PageLeg& leg : page.legs) {
    const Rgb color = leg.entered > 0 ? LegRiskColor(leg.p_fail) : kUnenteredLegColor;
    bands.push_back({.from = leg.from, .to = leg.to, .color = color, .width_px = 9});
  }
  return bands;
}

scenarios::MapScene Scene(const CheckPage& page, const std::vector<TrialTrack>& tracks) {
  scenarios::MapScene scene{page.start, page.goal_region, page.keep_outs, {}, LegBands(page)};
  // The plan's points as white dots (a white run's "planned" line stays white).
  scene.runs.push_back(
      {.color = {255, 255, 255}, .waypoints = page.plan_points, .track = {}, .hazards = {}});
  // Worse outcomes on top, so one severe trial is not hidden under many good ones.
  for (const TrialKind kind : {TrialKind::kGoal, TrialKind::kFailed, TrialKind::kSevere}) {
    for (std::size_t i = 0; i < page.trials.size(); ++i) {
      const PageTrial& t = page.trials[i];
      if (t.kind != kind) continue;
      scenarios::MapRun run{.color = TrialColor(kind), .waypoints = {}, .track = {}, .hazards = {}};
      if (i < tracks.size()) run.track = tracks[i].points;
      if (t.failure_at) run.hazards.push_back(*t.failure_at);
      scene.runs.push_back(std::move(run));
    }
  }
  return scene;
}

}  // namespace

Rgb TrialColor(TrialKind kind) {
  switch (kind) {
    case TrialKind::kGoal:
      return kGoalTrackColor;
    case TrialKind::kFailed:
      return kFailedTrackColor;
    case TrialKind::kSevere:
      return kSevereTrackColor;
  }
  return kSevereTrackColor;
}

Rgb LegRiskColor(double p_fail) {
  const double f = std::isfinite(p_fail) ? std::clamp(p_fail, 0.0, 1.0) : 1.0;
  const auto mix = [f](int a, int b) {
    return static_cast<std::uint8_t>(std::lround(a + f * (b - a)));
  };
  return {mix(150, 90), mix(210, 0), mix(255, 140)};
}

std::vector<TrialTrack> LoadTrialTracks(const fs::path& out, const CheckPage& page) {
  std::vector<TrialTrack> tracks;
  tracks.reserve(page.trials.size());
  for (const PageTrial& t : page.trials) tracks.push_back(LoadTrack(out, t));
  return tracks;
}

std::string CheckMapHtml(const terrain::OrbitalProducts& orbital, const CheckPage& page,
                         const std::vector<TrialTrack>& tracks, int max_side_px) {
  planners::MapImage image;
  try {
    image = scenarios::RenderScenarioMap(orbital, Scene(page, tracks), max_side_px);
  } catch (const InputError& e) {
    return "<p class=\"note\">map unavailable: " + HtmlEscape(e.what()) + "</p>\n";
  }
  return scenarios::MapImageHtml(image, "orbital map with the plan and every trial's track");
}

}  // namespace marsdrive::check

#pragma once
// check.html's map (scenarios/report_map.h draws it): the orthoimage with the plan's legs as
// wide bands coloured by their p_fail, the plan's points, start, goal and keep-outs, every
// trial's driven track coloured by how it ended, and a cross where each failed trial failed.
// Tracks come from each trial's telemetry.csv; one that cannot be read is left out with a note.

#include <filesystem>
#include <string>
#include <vector>

#include "planners/map_render.h"
#include "scenarios/check/check_page.h"
#include "terrain/orbital.h"

namespace marsdrive::check {

// Track colours (opaque, 2 px, no anti-aliasing: a track pixel has exactly one of these).
inline constexpr planners::Rgb kGoalTrackColor{26, 152, 80};       // reached the goal
inline constexpr planners::Rgb kFailedTrackColor{245, 140, 0};     // failed, nothing severe
inline constexpr planners::Rgb kSevereTrackColor{215, 25, 28};     // anything severe
inline constexpr planners::Rgb kUnenteredLegColor{160, 160, 160};  // no trial got this far
planners::Rgb TrialColor(TrialKind kind);
// A leg's band: light blue at p_fail 0 to deep purple at 1 (apart from the track colours).
planners::Rgb LegRiskColor(double p_fail);

struct TrialTrack {
  std::vector<planners::Point2> points;  // truth positions; empty when not read
  std::string note;                      // why not, when not
};

// Track i is page.trials[i]'s, read from out/<dir>/telemetry.csv.
std::vector<TrialTrack> LoadTrialTracks(const std::filesystem::path& out, const CheckPage& page);

// An <img> with the map as a data: URI (and its geometry as data- attributes), or a note.
std::string CheckMapHtml(const terrain::OrbitalProducts& orbital, const CheckPage& page,
                         const std::vector<TrialTrack>& tracks, int max_side_px = 900);

}  // namespace marsdrive::check

#pragma once
// Drive primitives as the flight rover has them (rover.md §4), as plain data: what operators
// write ("straight 10; arc 5 90; turn 45; stop") and what the drive executive executes.

#include <string>
#include <vector>

#include "base/pose.h"

namespace marsdrive::vehicle {

enum class DriveCommandKind { kStraight, kArc, kTurnInPlace, kStop };

struct DriveCommand {
  DriveCommandKind kind = DriveCommandKind::kStop;
  double distance_m = 0;  // kStraight: signed path length (negative = backwards)
  double radius_m = 0;    // kArc: turn radius of the chassis reference point, > 0
  double angle_rad = 0;   // kArc: heading change, + = left (counter-clockwise), signed;
                          // kTurnInPlace: heading change, + = left
  double speed_mps = 0;   // kStraight / kArc: 0 = the rover's default drive speed
  double duration_s = 0;  // kStop: hold for this long (0 = just stop)
  bool operator==(const DriveCommand&) const = default;
};

// Where the commands would take the rover on ideal ground (no slip), from a start pose.
using base::Pose2;  // map frame (base/pose.h)
Pose2 IdealEndPose(const Pose2& start, const std::vector<DriveCommand>& commands);

// Parses "straight 10; arc 5 90; turn 45; stop" (separators ';' or newlines, '#' comments;
// angles in degrees; optional trailing speed for straight/arc: "straight 10 0.04"). Throws
// InputError naming `source` (e.g. "--commands" or a file name), the command number and the
// expectation for an unknown command, missing/extra/non-finite arguments.
std::vector<DriveCommand> ParseDriveCommands(const std::string& text, const std::string& source);

}  // namespace marsdrive::vehicle

#include "sim/telemetry.h"

namespace marsdrive::sim {

const char* ToString(CommandKind command) {
  switch (command) {
    case CommandKind::kNone:
      return "none";
    case CommandKind::kStraight:
      return "straight";
    case CommandKind::kArc:
      return "arc";
    case CommandKind::kTurnInPlace:
      return "turn";
    case CommandKind::kStop:
      return "stop";
  }
  return "unknown";
}

const char* ToString(BodyPart part) {
  switch (part) {
    case BodyPart::kChassis:
      return "chassis";
    case BodyPart::kRockerLeft:
      return "rocker_left";
    case BodyPart::kRockerRight:
      return "rocker_right";
    case BodyPart::kBogieLeft:
      return "bogie_left";
    case BodyPart::kBogieRight:
      return "bogie_right";
    case BodyPart::kMast:
      return "mast";
    case BodyPart::kOther:
      return "other";
  }
  return "unknown";
}

}  // namespace marsdrive::sim

#include "viewer/scene_types.h"

namespace marsdrive::viewer {

Rgba RejectedOptionColor(std::string_view reason) {
  if (reason == "clearance") return Rgb8(230, 30, 30);
  if (reason == "step") return Rgb8(255, 120, 0);
  if (reason == "tilt") return Rgb8(255, 200, 0);
  if (reason == "suspension") return Rgb8(200, 0, 160);
  if (reason == "keep_out") return Rgb8(255, 0, 255);
  if (reason == "unknown") return Rgb8(120, 120, 120);
  if (reason == "turn_limit") return Rgb8(70, 70, 160);
  return Rgb8(150, 0, 0);
}

Rgba HazardColor(std::string_view kind) {
  if (kind == "body_contact") return Rgb8(255, 30, 30);
  if (kind == "wheel_on_rock") return Rgb8(255, 140, 0);
  if (kind == "tilt") return Rgb8(255, 220, 0);
  if (kind == "suspension") return Rgb8(220, 0, 200);
  if (kind == "keep_out") return Rgb8(255, 0, 255);
  if (kind == "stuck") return Rgb8(255, 255, 255);
  if (kind == "rollover") return Rgb8(150, 0, 255);
  return Rgb8(255, 0, 0);
}

Rgba DriveStatusColor(std::string_view status) {
  if (status == "completed") return Rgb8(60, 220, 90);
  if (status == "off_map") return Rgb8(255, 60, 200);
  if (status == "rollover") return HazardColor("rollover");
  if (status == "sim_fault") return Rgb8(255, 40, 40);
  return Rgb8(255, 200, 60);  // stopped short: stuck, limits, no safe path, time limit
}

const char* ToString(Layer layer) {
  switch (layer) {
    case Layer::kTerrain:
      return "terrain";
    case Layer::kOverlay:
      return "overlay";
    case Layer::kRocks:
      return "rocks";
    case Layer::kRover:
      return "rover";
    case Layer::kTracks:
      return "tracks";
    case Layer::kRoute:
      return "route";
    case Layer::kAlternatives:
      return "alternatives";
    case Layer::kPathOptions:
      return "options";
    case Layer::kAllPathOptions:
      return "all-options";
    case Layer::kKeepOuts:
      return "keep-outs";
    case Layer::kHazards:
      return "hazards";
    case Layer::kCompare:
      return "compare";
    case Layer::kTrials:
      return "trials";
    case Layer::kCount:
      break;
  }
  return "?";
}

std::array<bool, kLayerCount> DefaultLayers() {
  std::array<bool, kLayerCount> on{};
  on.fill(true);
  on[static_cast<std::size_t>(Layer::kOverlay)] = false;
  on[static_cast<std::size_t>(Layer::kAllPathOptions)] = false;
  return on;
}

}  // namespace marsdrive::viewer

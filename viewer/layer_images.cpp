#include "viewer/layer_images.h"

#include <algorithm>
#include <cmath>

namespace marsdrive::viewer {

const char* ToString(OverlayKind kind) {
  switch (kind) {
    case OverlayKind::kSlope:
      return "slope";
    case OverlayKind::kHazard:
      return "hazard";
    case OverlayKind::kCost:
      return "cost";
    case OverlayKind::kClasses:
      return "classes";
  }
  return "?";
}

std::optional<OverlayKind> ParseOverlayKind(std::string_view text) {
  for (int k = 0; k < kOverlayKindCount; ++k) {
    if (text == ToString(static_cast<OverlayKind>(k))) return static_cast<OverlayKind>(k);
  }
  return std::nullopt;
}

namespace {

struct C4 {
  float r, g, b, a;
};

C4 Mix(C4 x, C4 y, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  return {x.r + (y.r - x.r) * t, x.g + (y.g - x.g) * t, x.b + (y.b - x.b) * t,
          x.a + (y.a - x.a) * t};
}

// Green -> yellow -> red over [0, 1].
C4 Ramp(float t) {
  const C4 green{0.1f, 0.8f, 0.2f, 0.55f}, yellow{1.0f, 0.9f, 0.1f, 0.6f},
      red{0.95f, 0.1f, 0.05f, 0.7f};
  return t < 0.5f ? Mix(green, yellow, t * 2) : Mix(yellow, red, t * 2 - 1);
}

C4 Colour(const terrain::OrbitalProducts& o, OverlayKind kind, float v) {
  if (!std::isfinite(v) && kind != OverlayKind::kCost) return {0, 0, 0, 0};
  switch (kind) {
    case OverlayKind::kSlope: {
      const float limit = static_cast<float>(o.params.max_slope_deg);
      if (v > limit) return {0.6f, 0.1f, 0.8f, 0.75f};
      return Ramp(v / limit);
    }
    case OverlayKind::kHazard:
      return Mix({1.0f, 0.5f, 0.0f, 0.0f}, {1.0f, 0.35f, 0.0f, 0.8f}, v * 2.5f);
    case OverlayKind::kCost: {
      if (std::isnan(v)) return {0, 0, 0, 0};
      if (std::isinf(v)) return {0.45f, 0.0f, 0.0f, 0.8f};
      const C4 blue{0.1f, 0.3f, 1.0f, 0.45f};
      const float t = std::log(std::max(1.0f, v)) / std::log(20.0f);
      return t < 0.5f ? Mix(blue, Ramp(0.5f), t * 2) : Ramp(t);
    }
    case OverlayKind::kClasses:
      break;
  }
  return {0, 0, 0, 0};
}

std::uint8_t Byte(float v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

}  // namespace

RgbaImage MakeOverlayImage(const terrain::OrbitalProducts& orbital,
                           const terrain::TerrainTruth& truth, OverlayKind kind, int max_size) {
  RgbaImage img;
  if (kind == OverlayKind::kClasses) {
    const terrain::GridSpec& s = truth.classes.spec();
    const int step = std::max(1, (std::max(s.width_px, s.height_px) + max_size - 1) / max_size);
    img.spec = {(s.width_px + step - 1) / step, (s.height_px + step - 1) / step,
                s.resolution_m * step, s.origin_x_m, s.origin_y_m};
    img.rgba.resize(img.spec.CellCount() * 4);
    for (int r = 0; r < img.spec.height_px; ++r) {
      for (int c = 0; c < img.spec.width_px; ++c) {
        const terrain::SoilClass k =
            truth.classes(std::min(c * step, s.width_px - 1), std::min(r * step, s.height_px - 1));
        C4 col{0, 0, 0, 0};
        if (k == terrain::SoilClass::kRegolith) col = {0.85f, 0.55f, 0.35f, 0.45f};
        if (k == terrain::SoilClass::kBedrock) col = {0.45f, 0.45f, 0.5f, 0.6f};
        if (k == terrain::SoilClass::kSand) col = {1.0f, 0.85f, 0.2f, 0.6f};
        const std::size_t i = img.spec.Index(c, r) * 4;
        img.rgba[i] = Byte(col.r), img.rgba[i + 1] = Byte(col.g);
        img.rgba[i + 2] = Byte(col.b), img.rgba[i + 3] = Byte(col.a);
      }
    }
    return img;
  }
  const terrain::Grid<float>& grid = kind == OverlayKind::kSlope    ? orbital.slope_deg
                                     : kind == OverlayKind::kHazard ? orbital.rock_hazard
                                                                    : orbital.cost;
  img.spec = grid.spec();
  img.rgba.resize(img.spec.CellCount() * 4);
  for (int r = 0; r < img.spec.height_px; ++r) {
    for (int c = 0; c < img.spec.width_px; ++c) {
      const C4 col = Colour(orbital, kind, grid(c, r));
      const std::size_t i = img.spec.Index(c, r) * 4;
      img.rgba[i] = Byte(col.r), img.rgba[i + 1] = Byte(col.g);
      img.rgba[i + 2] = Byte(col.b), img.rgba[i + 3] = Byte(col.a);
    }
  }
  return img;
}

}  // namespace marsdrive::viewer

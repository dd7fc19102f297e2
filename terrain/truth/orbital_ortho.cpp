// The orthoimage: what a HiRISE-class camera would show of the ground truth.
//
// Pixel grid: resolution max(params.ortho_resolution_m, truth resolution), same origin and
// floor-count rule as the orbital DEM (internal::MakeCoarseSpec). Each pixel's height and albedo
// are area-weighted means of the truth posts it covers (so a mixed pixel blends the colours of
// its soil classes), in one streaming pass over the truth. The shading comes from these
// truth-resolution heights, not the coarser orbital DEM: a camera sees sub-DEM relief.
//
//   colour = albedo(soil) * (kAmbient + (1 - kAmbient) * max(0, n . sun) / sin(sun elevation))
//
// n is the upward normal from central differences (one-sided at edges and next to nodata), sun
// the unit vector towards the sun (azimuth clockwise from north), so flat ground shows its
// albedo exactly. Visible rocks (and only those) are half ellipsoids drawn on top, shaded the
// same way, after darkening the ground in their cast shadows: a capsule of the rock's radius
// swept H / tan(elevation) away from the sun. Nodata pixels are black. Single-threaded and
// deterministic; OpenCV is used only to encode the PNG.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "terrain/orbital.h"
#include "terrain/truth/orbital_internal.h"
#include "terrain/truth/orbital_products.h"
#include "terrain/truth/terrain_truth.h"

namespace marsdrive::terrain {

namespace {

using Rgb = std::array<double, 3>;

// Flat-ground colours (8-bit sRGB at full sun). Mars-like: dusty ochre regolith, brighter
// tan-grey bedrock, dark basaltic sand; rocks a dusty grey-brown.
constexpr Rgb kRegolithAlbedo = {184, 132, 90};
constexpr Rgb kBedrockAlbedo = {204, 182, 152};
constexpr Rgb kSandAlbedo = {96, 80, 68};
constexpr Rgb kRockAlbedo = {150, 128, 110};
constexpr double kAmbient = 0.3;       // share of the flat-ground light that is sky light
constexpr double kShadowFactor = 0.4;  // brightness left in a rock's cast shadow

constexpr double kDegToRad = std::numbers::pi / 180.0;

const Rgb& AlbedoOf(SoilClass soil) {
  switch (soil) {
    case SoilClass::kBedrock:
      return kBedrockAlbedo;
    case SoilClass::kSand:
      return kSandAlbedo;
    default:
      return kRegolithAlbedo;
  }
}

struct Sun {
  double x, y, z;  // unit vector towards the sun, map frame (ENU)

  // Brightness relative to flat ground for a surface of (not necessarily unit) normal n.
  double Factor(double nx, double ny, double nz) const {
    const double norm = std::sqrt(nx * nx + ny * ny + nz * nz);
    const double cos_incidence = std::max(0.0, (nx * x + ny * y + nz * z) / norm);
    return kAmbient + (1.0 - kAmbient) * cos_incidence / z;
  }
};

std::uint8_t ToByte(double value) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(value, 0.0, 255.0)));
}

}  // namespace

namespace internal {

OrthoImage MakeOrthoImage(const TerrainTruth& truth, std::span<const Rock> visible_rocks,
                          const OrbitalParams& params) {
  const GridSpec spec = MakeCoarseSpec(truth.dem.spec(), params.ortho_resolution_m, "orthoimage");
  const double res = spec.resolution_m;

  // Heights and albedo per pixel, area-averaged from the truth.
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  Grid<float> height_m(spec, kNaN);
  Grid<std::array<float, 3>> albedo(spec);
  {
    const HeightMapView dem = truth.dem.View();
    const GridView<float>& heights = dem.heights_m();
    const bool has_classes = !truth.classes.empty();
    auto sample = [&](int c, int r, double* v) {
      const float h = heights(c, r);
      if (!dem.IsValid(c, r) || !std::isfinite(h)) return false;
      const SoilClass soil = has_classes ? truth.classes(c, r) : SoilClass::kRegolith;
      if (soil == SoilClass::kNodata) return false;
      const Rgb& a = AlbedoOf(soil);
      v[0] = h;
      v[1] = a[0], v[2] = a[1], v[3] = a[2];
      return true;
    };
    auto store = [&](int c, int r, const double* mean, double weight) {
      if (weight <= 0) return;
      height_m(c, r) = static_cast<float>(mean[0]);
      albedo(c, r) = {static_cast<float>(mean[1]), static_cast<float>(mean[2]),
                      static_cast<float>(mean[3])};
    };
    AreaAverage<4>(truth.dem.spec(), spec, sample, store);
  }

  const double azimuth_rad = params.sun_azimuth_deg * kDegToRad;
  const double elevation_rad = params.sun_elevation_deg * kDegToRad;
  const Sun sun{std::sin(azimuth_rad) * std::cos(elevation_rad),
                std::cos(azimuth_rad) * std::cos(elevation_rad), std::sin(elevation_rad)};

  OrthoImage ortho;
  ortho.width_px = spec.width_px;
  ortho.height_px = spec.height_px;
  ortho.resolution_m = res;
  ortho.origin_x_m = spec.origin_x_m;
  ortho.origin_y_m = spec.origin_y_m;
  ortho.rgb.assign(spec.CellCount() * 3, 0);
  auto pixel = [&](int col, int row) {  // grid row 0 is south, image row 0 north
    const auto image_row = static_cast<std::size_t>(spec.height_px - 1 - row);
    return ortho.rgb.data() + 3 * (image_row * static_cast<std::size_t>(spec.width_px) +
                                   static_cast<std::size_t>(col));
  };
  auto valid = [&](int c, int r) { return spec.ContainsCell(c, r) && !std::isnan(height_m(c, r)); };
  // dz/d(axis) by central differences, one-sided where a neighbour is missing, else 0.
  auto derivative = [&](int c, int r, int dc, int dr) {
    const bool lo = valid(c - dc, r - dr), hi = valid(c + dc, r + dr);
    const double z_lo = lo ? height_m(c - dc, r - dr) : height_m(c, r);
    const double z_hi = hi ? height_m(c + dc, r + dr) : height_m(c, r);
    const int steps = (lo ? 1 : 0) + (hi ? 1 : 0);
    return steps == 0 ? 0.0 : (z_hi - z_lo) / (steps * res);
  };

  for (int r = 0; r < spec.height_px; ++r) {
    for (int c = 0; c < spec.width_px; ++c) {
      if (!valid(c, r)) continue;  // nodata: black
      const double factor = sun.Factor(-derivative(c, r, 1, 0), -derivative(c, r, 0, 1), 1.0);
      std::uint8_t* px = pixel(c, r);
      for (int k = 0; k < 3; ++k) px[k] = ToByte(albedo(c, r)[k] * factor);
    }
  }

  // Pixels meeting the rectangle [x0, x1] x [y0, y1], clipped to the image.
  struct Box {
    int c0, c1, r0, r1;
  };
  auto box = [&](double x0, double x1, double y0, double y1) {
    const CellRange cols = CellsMeeting(x0, x1, spec.origin_x_m, res, spec.width_px);
    const CellRange rows = CellsMeeting(y0, y1, spec.origin_y_m, res, spec.height_px);
    return Box{cols.first, cols.last, rows.first, rows.last};
  };

  // Cast shadows on the ground, then the rocks themselves (the highest surface wins).
  const double shadow_x = -std::sin(azimuth_rad), shadow_y = -std::cos(azimuth_rad);
  Grid<std::uint8_t> shadowed(spec, std::uint8_t{0});
  Grid<std::uint8_t> on_rock(spec, std::uint8_t{0});
  for (const Rock& rock : visible_rocks) {
    const double radius_m = 0.5 * rock.diameter_m;
    const double length_m = std::max(rock.height_m, 0.0) / std::tan(elevation_rad);
    const double ex = rock.x_m + shadow_x * length_m, ey = rock.y_m + shadow_y * length_m;
    const Box b = box(std::min(rock.x_m, ex) - radius_m, std::max(rock.x_m, ex) + radius_m,
                      std::min(rock.y_m, ey) - radius_m, std::max(rock.y_m, ey) + radius_m);
    for (int r = b.r0; r <= b.r1; ++r) {
      for (int c = b.c0; c <= b.c1; ++c) {
        const double dx = spec.CellCenterX(c) - rock.x_m, dy = spec.CellCenterY(r) - rock.y_m;
        const double t = std::clamp(dx * shadow_x + dy * shadow_y, 0.0, length_m);
        const double px = dx - t * shadow_x, py = dy - t * shadow_y;
        if (px * px + py * py < radius_m * radius_m) shadowed(c, r) = 1;
      }
    }
  }
  for (const Rock& rock : visible_rocks) {
    const double radius_m = 0.5 * rock.diameter_m;
    const Box b =
        box(rock.x_m - radius_m, rock.x_m + radius_m, rock.y_m - radius_m, rock.y_m + radius_m);
    for (int r = b.r0; r <= b.r1; ++r) {
      for (int c = b.c0; c <= b.c1; ++c) {
        const double dx = spec.CellCenterX(c) - rock.x_m, dy = spec.CellCenterY(r) - rock.y_m;
        const double rho2 = (dx * dx + dy * dy) / (radius_m * radius_m);
        if (rho2 < 1.0) on_rock(c, r) = 1;
      }
    }
  }
  for (int r = 0; r < spec.height_px; ++r) {
    for (int c = 0; c < spec.width_px; ++c) {
      if (shadowed(c, r) == 0 || on_rock(c, r) != 0 || !valid(c, r)) continue;
      std::uint8_t* px = pixel(c, r);
      for (int k = 0; k < 3; ++k) px[k] = ToByte(px[k] * kShadowFactor);
    }
  }
  Grid<float> rock_top_m(spec, -1.0f);
  for (const Rock& rock : visible_rocks) {
    const double radius_m = 0.5 * rock.diameter_m;
    const double height_m_rock = std::max(rock.height_m, 1e-6);
    const Box b =
        box(rock.x_m - radius_m, rock.x_m + radius_m, rock.y_m - radius_m, rock.y_m + radius_m);
    for (int r = b.r0; r <= b.r1; ++r) {
      for (int c = b.c0; c <= b.c1; ++c) {
        if (!valid(c, r)) continue;
        const double dx = spec.CellCenterX(c) - rock.x_m, dy = spec.CellCenterY(r) - rock.y_m;
        const double rho2 = (dx * dx + dy * dy) / (radius_m * radius_m);
        if (rho2 >= 1.0) continue;
        const double rel_height = std::sqrt(1.0 - rho2);  // z / H on the ellipsoid
        const auto top_m = static_cast<float>(height_m_rock * rel_height);
        if (top_m <= rock_top_m(c, r)) continue;
        rock_top_m(c, r) = top_m;
        // Gradient of x^2/R^2 + y^2/R^2 + z^2/H^2: the outward normal of the ellipsoid.
        const double factor = sun.Factor(dx / (radius_m * radius_m), dy / (radius_m * radius_m),
                                         rel_height / height_m_rock);
        std::uint8_t* px = pixel(c, r);
        for (int k = 0; k < 3; ++k)
          px[k] = ToByte(kRockAlbedo[static_cast<std::size_t>(k)] * factor);
      }
    }
  }
  return ortho;
}

OrthoImage ReadPngRgb(const std::filesystem::path& path) {
  const std::string name = path.string();
  cv::Mat bgr;
  try {
    bgr = cv::imread(name, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw InputError(name + ": cannot read as an image: " + e.what());
  }
  MD_THROW_UNLESS(!bgr.empty() && bgr.type() == CV_8UC3, name + ": cannot read as an 8-bit image");
  OrthoImage image;
  image.width_px = bgr.cols;
  image.height_px = bgr.rows;
  image.rgb.resize(static_cast<std::size_t>(bgr.cols) * static_cast<std::size_t>(bgr.rows) * 3);
  for (int r = 0; r < bgr.rows; ++r) {
    const auto* src = bgr.ptr<std::uint8_t>(r);
    std::uint8_t* dst =
        image.rgb.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(bgr.cols) * 3;
    for (int c = 0; c < bgr.cols; ++c) {
      dst[3 * c + 0] = src[3 * c + 2];
      dst[3 * c + 1] = src[3 * c + 1];
      dst[3 * c + 2] = src[3 * c + 0];
    }
  }
  return image;
}

}  // namespace internal

void WriteOrthoPng(const std::filesystem::path& path, const OrthoImage& ortho) {
  const std::string name = path.string();
  MD_THROW_UNLESS(ortho.width_px > 0 && ortho.height_px > 0 &&
                      ortho.rgb.size() == static_cast<std::size_t>(ortho.width_px) *
                                              static_cast<std::size_t>(ortho.height_px) * 3,
                  name + ": cannot write an empty or malformed orthoimage (" +
                      std::to_string(ortho.width_px) + " x " + std::to_string(ortho.height_px) +
                      " px, " + std::to_string(ortho.rgb.size()) + " bytes)");
  // OpenCV stores BGR.
  cv::Mat bgr(ortho.height_px, ortho.width_px, CV_8UC3);
  for (int r = 0; r < ortho.height_px; ++r) {
    const std::uint8_t* src = ortho.rgb.data() + static_cast<std::size_t>(r) *
                                                     static_cast<std::size_t>(ortho.width_px) * 3;
    auto* dst = bgr.ptr<std::uint8_t>(r);
    for (int c = 0; c < ortho.width_px; ++c) {
      dst[3 * c + 0] = src[3 * c + 2];
      dst[3 * c + 1] = src[3 * c + 1];
      dst[3 * c + 2] = src[3 * c + 0];
    }
  }
  // Encode to memory (PNG whatever the file's extension; libpng writes no timestamp, so equal
  // images give equal bytes), then write the bytes ourselves for a clear I/O error.
  std::vector<std::uint8_t> bytes;
  try {
    const bool encoded = cv::imencode(".png", bgr, bytes, {cv::IMWRITE_PNG_COMPRESSION, 6});
    MD_THROW_UNLESS(encoded, name + ": cannot encode the orthoimage as PNG");
  } catch (const cv::Exception& e) {
    throw InputError(name + ": cannot encode the orthoimage as PNG: " + e.what());
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  MD_THROW_UNLESS(file.is_open(), name + ": cannot open for writing");
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  file.close();
  MD_THROW_UNLESS(!file.fail(), name + ": write failed");
}

}  // namespace marsdrive::terrain

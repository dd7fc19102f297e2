#pragma once
// Internal to terrain/: separable, edge-normalised box blurs on row-major float rasters (O(n)
// whatever the radius: running sums in double).

#include <algorithm>
#include <cstddef>
#include <vector>

namespace marsdrive::terrain::internal {

// Replaces line[i * stride] (i < n) by the mean over the window [i - r, i + r] clipped to the
// line, so edges are not pulled toward zero.
inline void BoxBlurLine(float* line, int n, std::ptrdiff_t stride, int r,
                        std::vector<double>& prefix) {
  prefix.assign(static_cast<std::size_t>(n) + 1, 0.0);
  for (int i = 0; i < n; ++i) {
    prefix[static_cast<std::size_t>(i) + 1] =
        prefix[static_cast<std::size_t>(i)] + line[i * stride];
  }
  for (int i = 0; i < n; ++i) {
    const int lo = std::max(0, i - r), hi = std::min(n - 1, i + r);
    const double sum =
        prefix[static_cast<std::size_t>(hi) + 1] - prefix[static_cast<std::size_t>(lo)];
    line[i * stride] = static_cast<float>(sum / (hi - lo + 1));
  }
}

// `passes` separable box passes of radius r over an nx x ny raster (3 passes: near-Gaussian
// with sigma ~ r). The vertical pass slides a window of whole rows (contiguous memory).
inline void BoxBlur(std::vector<float>& z, int nx, int ny, int r, int passes) {
  const auto row = [nx](auto* base, int j) {
    return base + static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
  };
  std::vector<double> prefix;
  std::vector<float> source;
  std::vector<double> sum(static_cast<std::size_t>(nx));
  for (int pass = 0; pass < passes; ++pass) {
    for (int j = 0; j < ny; ++j) BoxBlurLine(row(z.data(), j), nx, 1, r, prefix);
    source = z;
    std::fill(sum.begin(), sum.end(), 0.0);
    int lo = 0, hi = -1;  // rows currently in `sum`
    for (int j = 0; j < ny; ++j) {
      const int want_lo = std::max(0, j - r), want_hi = std::min(ny - 1, j + r);
      for (; hi < want_hi; ++hi) {
        const float* add = row(source.data(), hi + 1);
        for (int i = 0; i < nx; ++i) sum[static_cast<std::size_t>(i)] += add[i];
      }
      for (; lo < want_lo; ++lo) {
        const float* sub = row(source.data(), lo);
        for (int i = 0; i < nx; ++i) sum[static_cast<std::size_t>(i)] -= sub[i];
      }
      const double inv = 1.0 / (hi - lo + 1);
      float* out = row(z.data(), j);
      for (int i = 0; i < nx; ++i)
        out[i] = static_cast<float>(sum[static_cast<std::size_t>(i)] * inv);
    }
  }
}

}  // namespace marsdrive::terrain::internal

#pragma once
// Regular raster grids in the map frame (ENU: x east, y north, z up), metres.
//
// Cell (col, row) covers [x0 + col*res, x0 + (col+1)*res) x [y0 + row*res, y0 + (row+1)*res):
// row 0 is the SOUTHERN edge (y grows with row, as the map frame does), and a cell's value is
// its centre's. GeoTIFFs store row 0 at the north; terrain/raster_io flips on read and write.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/check.h"

namespace marsdrive::terrain {

struct GridSpec {
  int width_px = 0;           // columns, along +x (east)
  int height_px = 0;          // rows, along +y (north)
  double resolution_m = 1.0;  // cell edge length, same in x and y
  double origin_x_m = 0.0;    // map x of the west edge of column 0
  double origin_y_m = 0.0;    // map y of the south edge of row 0

  std::size_t CellCount() const {
    return static_cast<std::size_t>(width_px) * static_cast<std::size_t>(height_px);
  }
  double WidthM() const { return width_px * resolution_m; }
  double HeightM() const { return height_px * resolution_m; }
  double MaxX() const { return origin_x_m + WidthM(); }
  double MaxY() const { return origin_y_m + HeightM(); }
  double CellCenterX(int col) const { return origin_x_m + (col + 0.5) * resolution_m; }
  double CellCenterY(int row) const { return origin_y_m + (row + 0.5) * resolution_m; }
  // Continuous cell coordinates: (0, 0) is the centre of cell (0, 0).
  double ColF(double x_m) const { return (x_m - origin_x_m) / resolution_m - 0.5; }
  double RowF(double y_m) const { return (y_m - origin_y_m) / resolution_m - 0.5; }
  // The cell containing (x, y); may be outside [0, width) x [0, height).
  int ColOf(double x_m) const {
    return static_cast<int>(std::floor((x_m - origin_x_m) / resolution_m));
  }
  int RowOf(double y_m) const {
    return static_cast<int>(std::floor((y_m - origin_y_m) / resolution_m));
  }
  bool ContainsCell(int col, int row) const {
    return col >= 0 && row >= 0 && col < width_px && row < height_px;
  }
  bool Contains(double x_m, double y_m) const {
    return x_m >= origin_x_m && y_m >= origin_y_m && x_m <= MaxX() && y_m <= MaxY();
  }
  std::size_t Index(int col, int row) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(width_px) +
           static_cast<std::size_t>(col);
  }
  // The spec of the sub-window of cells [col0, col0 + w) x [row0, row0 + h).
  GridSpec Window(int col0, int row0, int w, int h) const {
    return {w, h, resolution_m, origin_x_m + col0 * resolution_m, origin_y_m + row0 * resolution_m};
  }
  bool operator==(const GridSpec&) const = default;
};

// A non-owning, read-only view of a rectangle of a grid's cells (cheap to copy).
template <typename T>
class GridView {
 public:
  GridView() = default;
  GridView(GridSpec spec, const T* first, std::size_t row_stride)
      : spec_(spec), first_(first), row_stride_(row_stride) {}

  const GridSpec& spec() const { return spec_; }
  int width_px() const { return spec_.width_px; }
  int height_px() const { return spec_.height_px; }
  const T& operator()(int col, int row) const {
    return first_[static_cast<std::size_t>(row) * row_stride_ + static_cast<std::size_t>(col)];
  }
  std::span<const T> Row(int row) const {
    return {first_ + static_cast<std::size_t>(row) * row_stride_,
            static_cast<std::size_t>(spec_.width_px)};
  }
  // Sub-window in this view's cell coordinates; must lie inside the view.
  GridView Window(int col0, int row0, int w, int h) const {
    MD_DEMAND(col0 >= 0 && row0 >= 0 && w >= 0 && h >= 0 && col0 + w <= spec_.width_px &&
              row0 + h <= spec_.height_px);
    return {spec_.Window(col0, row0, w, h), &(*this)(col0, row0), row_stride_};
  }

 private:
  GridSpec spec_;
  const T* first_ = nullptr;
  std::size_t row_stride_ = 0;
};

// An owning grid of values, row-major, row 0 south.
template <typename T>
class Grid {
 public:
  Grid() = default;
  explicit Grid(GridSpec spec, T fill = T{}) : spec_(spec), values_(spec.CellCount(), fill) {
    MD_DEMAND(spec.width_px >= 0 && spec.height_px >= 0 && spec.resolution_m > 0);
  }

  const GridSpec& spec() const { return spec_; }
  int width_px() const { return spec_.width_px; }
  int height_px() const { return spec_.height_px; }
  bool empty() const { return values_.empty(); }

  T& operator()(int col, int row) { return values_[spec_.Index(col, row)]; }
  const T& operator()(int col, int row) const { return values_[spec_.Index(col, row)]; }
  std::span<T> Row(int row) {
    return {values_.data() + spec_.Index(0, row), static_cast<std::size_t>(spec_.width_px)};
  }
  std::span<const T> Row(int row) const {
    return {values_.data() + spec_.Index(0, row), static_cast<std::size_t>(spec_.width_px)};
  }
  std::span<T> Values() { return values_; }
  std::span<const T> Values() const { return values_; }

  GridView<T> View() const {
    return {spec_, values_.data(), static_cast<std::size_t>(spec_.width_px)};
  }
  GridView<T> Window(int col0, int row0, int w, int h) const {
    return View().Window(col0, row0, w, h);
  }

 private:
  GridSpec spec_;
  std::vector<T> values_;
};

}  // namespace marsdrive::terrain

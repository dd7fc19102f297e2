#include "vehicle/cost_to_go.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "base/check.h"

namespace marsdrive::vehicle {

namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

double Det3(double a, double b, double c, double d, double e, double f, double g, double h,
            double i) {
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

// The 8 neighbours: orthogonal first (their order fixes Dijkstra's tie-breaking).
constexpr std::array<std::array<int, 2>, 8> kNeighbours = {
    {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, 1}, {1, -1}, {-1, -1}}};

}  // namespace

CostToGo::CostToGo(const CostToGoParams& params, double map_cell_m)
    : params_(params),
      map_cell_m_(map_cell_m),
      ratio_(std::max(1, static_cast<int>(std::lround(params.cell_m / map_cell_m)))),
      cell_m_(ratio_ * map_cell_m) {
  MD_DEMAND(map_cell_m > 0 && params.cell_m > 0 && params.max_step_m > 0 &&
            params.max_slope_rad > 0 && params.unknown_cost >= 1);
  const int reach = static_cast<int>(std::ceil(params.inflation_radius_m / cell_m_));
  for (int dj = -reach; dj <= reach; ++dj) {
    for (int di = -reach; di <= reach; ++di) {
      const double d = std::hypot(di, dj) * cell_m_;
      if (d <= 0 || d >= params.inflation_radius_m) continue;
      inflation_offsets_.push_back({di, dj});
      inflation_extra_.push_back(
          static_cast<float>(params.inflation_cost * (1 - d / params.inflation_radius_m)));
    }
  }
}

int CostToGo::LatticeOf(double v_m) const {
  return FloorDiv(static_cast<int>(std::floor(v_m * (1.0 / map_cell_m_))), ratio_);
}

double CostToGo::CellCost(int ci, int cj) const {
  return Passable(ci, cj) ? static_cast<double>(cost_[Index(ci, cj)]) : kInf;
}

void CostToGo::Classify(const LocalMap& map, int ci, int cj) {
  const std::size_t k = Index(ci, cj);
  const int g = static_cast<int>(std::lround(params_.hazard_margin_m / map_cell_m_));
  const int i_lo = ci * ratio_ - g, i_hi = (ci + 1) * ratio_ + g;
  const int j_lo = cj * ratio_ - g, j_hi = (cj + 1) * ratio_ + g;
  const double cx = CentreOf(ci), cy = CentreOf(cj);
  // Least-squares plane h = a + b x + c y about the cell centre (heights about the first known
  // one, for conditioning).
  int total = 0, known = 0;
  double h_ref = 0;
  double sx = 0, sy = 0, sh = 0, sxx = 0, sxy = 0, syy = 0, sxh = 0, syh = 0;
  for (int j = j_lo; j < j_hi; ++j) {
    const double y = map.CentreOf(j) - cy;
    for (int i = i_lo; i < i_hi; ++i) {
      ++total;
      const float hf = map.HeightOfCell(i, j);
      if (std::isnan(hf)) continue;
      if (known == 0) h_ref = hf;
      ++known;
      const double x = map.CentreOf(i) - cx, h = static_cast<double>(hf) - h_ref;
      sx += x;
      sy += y;
      sh += h;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
      sxh += x * h;
      syh += y * h;
    }
  }
  step_m_[k] = kNaNf;
  if (known < 3 || known < params_.min_known_fraction * total) {
    kind_[k] = CellKind::kUnknown;
    cost_[k] = static_cast<float>(params_.unknown_cost);
    return;
  }
  const double n = known;
  const double det = Det3(n, sx, sy, sx, sxx, sxy, sy, sxy, syy);
  double a = sh / n, b = 0, c = 0;
  if (std::fabs(det) > 1e-12) {  // else (cells on a line): a level plane through the mean
    a = Det3(sh, sx, sy, sxh, sxx, sxy, syh, sxy, syy) / det;
    b = Det3(n, sh, sy, sx, sxh, sxy, sy, syh, syy) / det;
    c = Det3(n, sx, sh, sx, sxx, sxh, sy, sxy, syh) / det;
  }
  // The step: the range of the residuals, each extreme moved noise_sigmas toward the plane.
  double r_max = -kInf, r_min = kInf, v_max = 0, v_min = 0;
  for (int j = j_lo; j < j_hi; ++j) {
    const double y = map.CentreOf(j) - cy;
    for (int i = i_lo; i < i_hi; ++i) {
      const float hf = map.HeightOfCell(i, j);
      if (std::isnan(hf)) continue;
      const double r = static_cast<double>(hf) - h_ref - (a + b * (map.CentreOf(i) - cx) + c * y);
      if (r > r_max) {
        r_max = r;
        v_max = map.VarianceOfCell(i, j);
      }
      if (r < r_min) {
        r_min = r;
        v_min = map.VarianceOfCell(i, j);
      }
    }
  }
  // Across a sharp step the plane's own rise between the two cells either side of it (its
  // gradient times one map cell) is missing from the range: added back (on a uniform slope it
  // adds <= 0.06 m at 30 deg).
  const double ns = params_.noise_sigmas;
  const double gradient = std::hypot(b, c);
  const double step = std::max(0.0, (r_max - ns * std::sqrt(v_max)) -
                                        (r_min + ns * std::sqrt(v_min)) + gradient * map_cell_m_);
  const double slope = std::atan(gradient);
  step_m_[k] = static_cast<float>(step);
  if (step > params_.max_step_m || slope > params_.max_slope_rad) {
    kind_[k] = CellKind::kHazard;
    cost_[k] = static_cast<float>(kInf);
    return;
  }
  const double s = step / params_.max_step_m, t = slope / params_.max_slope_rad;
  kind_[k] = CellKind::kKnown;
  cost_[k] = static_cast<float>(1 + params_.step_weight * s * s + params_.slope_weight * t * t);
}

void CostToGo::AddPenalty(double x_m, double y_m, double amount) {
  float& p = penalty_[{LatticeOf(x_m), LatticeOf(y_m)}];
  p = static_cast<float>(std::min(params_.max_penalty, static_cast<double>(p) + amount));
}

void CostToGo::Block(double x_m, double y_m) { blocked_[{LatticeOf(x_m), LatticeOf(y_m)}] = true; }

void CostToGo::Build(const LocalMap& map, const std::vector<KeepOutZone>& keep_outs,
                     double keep_out_margin_m, const std::optional<WorldBounds>& world) {
  MD_DEMAND(std::fabs(map.cell_m() - map_cell_m_) < 1e-12);
  const int n = map.size_cells();
  const int a0 = FloorDiv(map.i0(), ratio_), a1 = FloorDiv(map.i0() + n - 1, ratio_);
  const int b0 = FloorDiv(map.j0(), ratio_), b1 = FloorDiv(map.j0() + n - 1, ratio_);
  ci0_ = a0 - 1;
  cj0_ = b0 - 1;
  nx_ = a1 - a0 + 3;
  ny_ = b1 - b0 + 3;
  const std::size_t count = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
  kind_.resize(count);
  cost_.resize(count);
  step_m_.resize(count);
  value_.assign(count, kInf);
  next_.assign(count, -1);
  inflation_scratch_.assign(count, 0.0f);

  // Keep-out bounding boxes (grown by the margin), to skip the polygon test far from them.
  std::vector<std::array<double, 4>> boxes;
  boxes.reserve(keep_outs.size());
  for (const KeepOutZone& z : keep_outs) {
    std::array<double, 4> bb = {kInf, kInf, -kInf, -kInf};
    for (const auto& p : z.polygon_map_m) {
      bb = {std::min(bb[0], p[0]), std::min(bb[1], p[1]), std::max(bb[2], p[0]),
            std::max(bb[3], p[1])};
    }
    boxes.push_back({bb[0] - keep_out_margin_m, bb[1] - keep_out_margin_m,
                     bb[2] + keep_out_margin_m, bb[3] + keep_out_margin_m});
  }
  for (int cj = cj0_; cj < cj0_ + ny_; ++cj) {
    const double y = CentreOf(cj);
    for (int ci = ci0_; ci < ci0_ + nx_; ++ci) {
      const double x = CentreOf(ci);
      const std::size_t k = Index(ci, cj);
      const bool ring = ci == ci0_ || cj == cj0_ || ci == ci0_ + nx_ - 1 || cj == cj0_ + ny_ - 1;
      bool forbidden =
          world && (x < world->x0_m || x > world->x1_m || y < world->y0_m || y > world->y1_m);
      for (std::size_t z = 0; z < keep_outs.size() && !forbidden; ++z) {
        const auto& bb = boxes[z];
        forbidden = x >= bb[0] && x <= bb[2] && y >= bb[1] && y <= bb[3] &&
                    InKeepOut(keep_outs[z], keep_out_margin_m, x, y);
      }
      if (forbidden) {
        kind_[k] = CellKind::kForbidden;
        cost_[k] = static_cast<float>(kInf);
        step_m_[k] = kNaNf;
      } else if (ring) {
        kind_[k] = CellKind::kUnknown;
        cost_[k] = static_cast<float>(params_.unknown_cost);
        step_m_[k] = kNaNf;
      } else {
        Classify(map, ci, cj);
      }
    }
  }
  for (auto it = blocked_.begin(); it != blocked_.end();) {
    const std::array<int, 2> cell = it->first;
    if (!InGrid(cell[0], cell[1])) {
      it = blocked_.erase(it);
      continue;
    }
    const std::size_t k = Index(cell[0], cell[1]);
    if (kind_[k] != CellKind::kForbidden) {
      kind_[k] = CellKind::kHazard;
      cost_[k] = static_cast<float>(kInf);
    }
    ++it;
  }
  // Inflation around hazards (not around keep-outs or the world's edge: ACE's keep-out margin
  // applies to the rover's reference point, as the grid's cells do).
  for (int cj = cj0_; cj < cj0_ + ny_; ++cj) {
    for (int ci = ci0_; ci < ci0_ + nx_; ++ci) {
      if (kind_[Index(ci, cj)] != CellKind::kHazard) continue;
      for (std::size_t o = 0; o < inflation_offsets_.size(); ++o) {
        const int i = ci + inflation_offsets_[o][0], j = cj + inflation_offsets_[o][1];
        if (!InGrid(i, j)) continue;
        float& e = inflation_scratch_[Index(i, j)];
        e = std::max(e, inflation_extra_[o]);
      }
    }
  }
  for (auto it = penalty_.begin(); it != penalty_.end();) {
    const auto& [cell, amount] = *it;
    if (!InGrid(cell[0], cell[1])) {
      it = penalty_.erase(it);
      continue;
    }
    inflation_scratch_[Index(cell[0], cell[1])] += amount;
    ++it;
  }
  for (std::size_t k = 0; k < count; ++k) {
    if (kind_[k] < CellKind::kHazard) cost_[k] += inflation_scratch_[k];
  }
}

void CostToGo::Solve(double goal_x_m, double goal_y_m, double tolerance_m) {
  std::fill(value_.begin(), value_.end(), kInf);
  std::fill(next_.begin(), next_.end(), -1);
  heap_.clear();
  const auto seed = [&](int ci, int cj, double v) {
    if (!Passable(ci, cj)) return;
    const std::size_t k = Index(ci, cj);
    if (v >= value_[k]) return;
    value_[k] = v;
    heap_.push_back({v, static_cast<std::int32_t>(k)});
  };
  const int gi = LatticeOf(goal_x_m), gj = LatticeOf(goal_y_m);
  const bool inside = gi > ci0_ && gj > cj0_ && gi < ci0_ + nx_ - 1 && gj < cj0_ + ny_ - 1;
  if (inside) {
    const double r = std::max(tolerance_m, cell_m_);
    const int reach = static_cast<int>(std::ceil(r / cell_m_)) + 1;
    for (int cj = gj - reach; cj <= gj + reach; ++cj) {
      for (int ci = gi - reach; ci <= gi + reach; ++ci) {
        if (!InGrid(ci, cj)) continue;
        const double d = std::hypot(CentreOf(ci) - goal_x_m, CentreOf(cj) - goal_y_m);
        if (d <= r) seed(ci, cj, d);
      }
    }
  } else {
    for (int cj = cj0_; cj < cj0_ + ny_; ++cj) {
      for (int ci = ci0_; ci < ci0_ + nx_; ++ci) {
        const bool ring = ci == ci0_ || cj == cj0_ || ci == ci0_ + nx_ - 1 || cj == cj0_ + ny_ - 1;
        if (ring) seed(ci, cj, std::hypot(CentreOf(ci) - goal_x_m, CentreOf(cj) - goal_y_m));
      }
    }
  }
  const auto cmp = std::greater<QueueItem>();
  std::make_heap(heap_.begin(), heap_.end(), cmp);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), cmp);
    const QueueItem top = heap_.back();
    heap_.pop_back();
    const std::size_t u = static_cast<std::size_t>(top.index);
    if (top.value > value_[u]) continue;  // stale
    const int ci = ci0_ + static_cast<int>(u % static_cast<std::size_t>(nx_));
    const int cj = cj0_ + static_cast<int>(u / static_cast<std::size_t>(nx_));
    for (const auto& nb : kNeighbours) {
      const int i = ci + nb[0], j = cj + nb[1];
      if (!InGrid(i, j) || !Passable(i, j)) continue;
      const bool diagonal = nb[0] != 0 && nb[1] != 0;
      if (diagonal && (!Passable(ci + nb[0], cj) || !Passable(ci, cj + nb[1]))) continue;
      const std::size_t v = Index(i, j);
      const double w = (diagonal ? std::numbers::sqrt2 : 1.0) * cell_m_ * 0.5 *
                       (static_cast<double>(cost_[u]) + static_cast<double>(cost_[v]));
      if (top.value + w < value_[v]) {
        value_[v] = top.value + w;
        next_[v] = static_cast<std::int32_t>(u);
        heap_.push_back({value_[v], static_cast<std::int32_t>(v)});
        std::push_heap(heap_.begin(), heap_.end(), cmp);
      }
    }
  }
}

std::optional<std::size_t> CostToGo::BestEntry(double x_m, double y_m, double& cost) const {
  cost = kInf;
  const int ci = LatticeOf(x_m), cj = LatticeOf(y_m);
  if (!InGrid(ci, cj)) return std::nullopt;
  const bool here_passable = Passable(ci, cj);
  std::optional<std::size_t> best;
  for (int dj = -1; dj <= 1; ++dj) {
    for (int di = -1; di <= 1; ++di) {
      const int i = ci + di, j = cj + dj;
      if (!InGrid(i, j) || !Passable(i, j)) continue;
      if (here_passable && di != 0 && dj != 0 &&
          (!Passable(ci + di, cj) || !Passable(ci, cj + dj))) {
        continue;  // no corner cutting past a lethal cell
      }
      const std::size_t k = Index(i, j);
      if (value_[k] == kInf) continue;
      const double c = value_[k] + std::hypot(x_m - CentreOf(i), y_m - CentreOf(j)) *
                                       static_cast<double>(cost_[k]);
      if (c < cost) {
        cost = c;
        best = k;
      }
    }
  }
  return best;
}

double CostToGo::CostAt(double x_m, double y_m) const {
  double cost = kInf;
  (void)BestEntry(x_m, y_m, cost);
  return cost;
}

double CostToGo::DrivingCostAt(double x_m, double y_m) const {
  const int ci = LatticeOf(x_m), cj = LatticeOf(y_m);
  if (!InGrid(ci, cj)) return kInf;
  switch (KindOf(ci, cj)) {
    case CellKind::kKnown:
    case CellKind::kUnknown:
      return static_cast<double>(cost_[Index(ci, cj)]);
    case CellKind::kHazard:
      return 1 + params_.inflation_cost + params_.max_penalty;
    case CellKind::kForbidden:
      return kInf;
  }
  return kInf;
}

std::vector<std::array<double, 2>> CostToGo::Route(double x_m, double y_m, double length_m) const {
  std::vector<std::array<double, 2>> route;
  double cost = kInf;
  std::optional<std::size_t> k = BestEntry(x_m, y_m, cost);
  if (!k) return route;
  double length = 0;
  std::array<double, 2> prev = {x_m, y_m};
  for (std::int32_t u = static_cast<std::int32_t>(*k); u >= 0;
       u = next_[static_cast<std::size_t>(u)]) {
    const std::size_t s = static_cast<std::size_t>(u);
    const std::array<double, 2> p = {
        CentreOf(ci0_ + static_cast<int>(s % static_cast<std::size_t>(nx_))),
        CentreOf(cj0_ + static_cast<int>(s / static_cast<std::size_t>(nx_)))};
    length += std::hypot(p[0] - prev[0], p[1] - prev[1]);
    route.push_back(p);
    prev = p;
    if (length >= length_m) break;
  }
  return route;
}

}  // namespace marsdrive::vehicle

#include "planners/astar_planner.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>

#include "base/check.h"
#include "planners/route.h"

namespace marsdrive::planners {

namespace {

constexpr int kPad = 2;  // knight moves reach two cells away
constexpr std::size_t kStopPollMask = 4095;
constexpr int kStraightMoves = 4;  // MakeMoves order: 4 straight, 4 diagonal, then 8 knights
constexpr int kKingMoves = 8;

// One move of the search graph, as flat offsets in the padded grid.
struct Move {
  int dc, dr;
  int cell_count;                       // cells the segment passes through (incl. both ends)
  std::array<std::ptrdiff_t, 4> cells;  // offsets from the current cell; cells[n - 1] = target
  int side_count;                       // cells touched at a corner (diagonals)
  std::array<std::ptrdiff_t, 2> sides;
  double weight;  // length / cell_count: cost = weight * sum(cell costs)
};

std::vector<Move> MakeMoves(int connectivity, std::ptrdiff_t stride, double res) {
  std::vector<Move> moves;
  auto off = [stride](int dc, int dr) { return static_cast<std::ptrdiff_t>(dr) * stride + dc; };
  for (int dr = -2; dr <= 2; ++dr) {
    for (int dc = -2; dc <= 2; ++dc) {
      const int adc = std::abs(dc), adr = std::abs(dr);
      const bool king = std::max(adc, adr) == 1;
      const bool knight = (adc == 1 && adr == 2) || (adc == 2 && adr == 1);
      if (!king && !(knight && connectivity == 16)) continue;
      const int sc = dc > 0 ? 1 : (dc < 0 ? -1 : 0), sr = dr > 0 ? 1 : (dr < 0 ? -1 : 0);
      Move m{};
      m.dc = dc, m.dr = dr;
      const double length = std::hypot(dc, dr) * res;
      if (king) {
        m.cell_count = 2;
        m.cells = {0, off(dc, dr), 0, 0};
        if (adc == 1 && adr == 1) {
          m.side_count = 2;
          m.sides = {off(dc, 0), off(0, dr)};
        }
      } else {
        m.cell_count = 4;
        m.cells = adr == 2 ? std::array<std::ptrdiff_t, 4>{0, off(0, sr), off(sc, sr), off(dc, dr)}
                           : std::array<std::ptrdiff_t, 4>{0, off(sc, 0), off(sc, sr), off(dc, dr)};
      }
      m.weight = length / m.cell_count;
      moves.push_back(m);
    }
  }
  // Grouped by kind (straight, diagonal, knight) for the search's unrolled loops.
  auto kind = [](const Move& m) { return m.cell_count == 4 ? 2 : m.side_count == 2 ? 1 : 0; };
  std::stable_sort(moves.begin(), moves.end(),
                   [&](const Move& a, const Move& b) { return kind(a) < kind(b); });
  return moves;
}

// A radix heap (Ahuja, Mehlhorn, Orlin & Tarjan 1990): a monotone priority queue, valid here
// because A* with a consistent heuristic pops f values in non-decreasing order. Keys are the
// bit patterns of the non-negative f values (ordered as the doubles). An entry lives in bucket
// 64 - clz(key ^ last): pushes are O(1), and each pop that empties bucket 0 moves the smallest
// non-empty bucket down, so every entry moves at most 64 times (a few, in practice). No
// decrease-key: an improved cell is pushed again and its stale entries skipped when popped.
class RadixHeap {
 public:
  bool empty() const { return size_ == 0; }

  void Push(double f, std::uint32_t cell) {
    std::uint64_t key = std::bit_cast<std::uint64_t>(f);
    // Monotone: a key below the last popped one (an ulp of rounding, or the inconsistent
    // heuristic of weighted A*) is popped next rather than in the past.
    if (key < last_) key = last_;
    buckets_[static_cast<std::size_t>(Bucket(key))].push_back({key, cell});
    ++size_;
  }

  std::uint32_t Pop() {
    if (buckets_[0].empty()) {
      std::size_t i = 1;
      while (buckets_[i].empty()) ++i;
      std::uint64_t smallest = std::numeric_limits<std::uint64_t>::max();
      for (const Entry& e : buckets_[i]) smallest = std::min(smallest, e.key);
      last_ = smallest;
      for (const Entry& e : buckets_[i])
        buckets_[static_cast<std::size_t>(Bucket(e.key))].push_back(e);
      buckets_[i].clear();
    }
    const Entry e = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return e.cell;
  }

 private:
  struct Entry {
    std::uint64_t key;
    std::uint32_t cell;
  };
  int Bucket(std::uint64_t key) const {
    return key == last_ ? 0 : 64 - std::countl_zero(key ^ last_);
  }

  std::array<std::vector<Entry>, 65> buckets_;
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
};

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

GridSearchResult SearchGrid(const CostMap& map, std::uint32_t start_cell,
                            std::span<const std::uint32_t> goal_cells, Point2 goal,
                            int connectivity, double heuristic_weight, const StopCondition* stop) {
  MD_DEMAND(connectivity == 8 || connectivity == 16);
  const terrain::GridSpec& spec = map.spec();
  const int width = spec.width_px, height = spec.height_px;
  MD_DEMAND(start_cell < spec.CellCount());
  const int pw = width + 2 * kPad, ph = height + 2 * kPad;
  const auto stride = static_cast<std::ptrdiff_t>(pw);
  const std::size_t padded_count = static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph);
  MD_DEMAND(padded_count < std::numeric_limits<std::uint32_t>::max());
  auto pad = [&](std::uint32_t cell) {
    const std::uint32_t col = cell % static_cast<std::uint32_t>(width);
    const std::uint32_t row = cell / static_cast<std::uint32_t>(width);
    return (row + kPad) * static_cast<std::uint32_t>(pw) + col + kPad;
  };

  constexpr float kInf = std::numeric_limits<float>::infinity();
  std::vector<float> cost(padded_count, kInf);
  {
    const std::span<const float> costs = map.costs();
    for (int r = 0; r < height; ++r) {
      std::copy_n(
          costs.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(width), width,
          cost.data() + (static_cast<std::size_t>(r) + kPad) * static_cast<std::size_t>(pw) + kPad);
    }
  }
  enum : std::uint8_t { kClosed = 1, kGoal = 2 };
  // Flags (1 byte a cell: the closed test of a neighbour mostly hits the cache) and the best
  // cost so far. No parent array: the path is traced back from the costs (below), which keeps
  // the search's working set small.
  std::vector<std::uint8_t> state(padded_count, 0);
  std::vector<double> g(padded_count, std::numeric_limits<double>::infinity());
  double goal_radius = 0;
  for (const std::uint32_t cell : goal_cells) {
    state[pad(cell)] |= kGoal;
    const int col = static_cast<int>(cell % static_cast<std::uint32_t>(width));
    const int row = static_cast<int>(cell / static_cast<std::uint32_t>(width));
    goal_radius = std::max(goal_radius, std::hypot(spec.CellCenterX(col) - goal.x_m,
                                                   spec.CellCenterY(row) - goal.y_m));
  }
  const std::vector<Move> moves = MakeMoves(connectivity, stride, spec.resolution_m);
  const int move_count = static_cast<int>(moves.size());

  // Heuristic in padded cell coordinates: goal position in continuous padded (col, row).
  const double res = spec.resolution_m;
  const double h_scale = heuristic_weight * map.min_cost() * res;  // per cell unit
  const double goal_u = (goal.x_m - spec.origin_x_m) / res - 0.5 + kPad;
  const double goal_v = (goal.y_m - spec.origin_y_m) / res - 0.5 + kPad;
  const double radius_cells = goal_radius / res;
  auto heuristic = [&](int col, int row) {
    const double du = col - goal_u, dv = row - goal_v;
    const double d = std::sqrt(du * du + dv * dv) - radius_cells;  // not hypot: 5x slower
    return d > 0 ? h_scale * d : 0.0;
  };

  GridSearchResult result;
  RadixHeap heap;
  const std::uint32_t start = pad(start_cell);
  g[start] = 0;
  heap.Push(heuristic(static_cast<int>(start % pw), static_cast<int>(start / pw)), start);
  std::uint32_t reached = 0;
  bool found = false;
  while (!heap.empty()) {
    const std::uint32_t cell = heap.Pop();
    if ((state[cell] & kClosed) != 0) continue;  // a stale duplicate
    state[cell] |= kClosed;
    if ((state[cell] & kGoal) != 0) {
      reached = cell;
      found = true;
      break;
    }
    if ((result.expansions++ & kStopPollMask) == 0 && stop != nullptr && stop->ShouldStop()) {
      result.stopped = true;
      return result;
    }
    const int col = static_cast<int>(cell % static_cast<std::uint32_t>(pw));
    const int row = static_cast<int>(cell / static_cast<std::uint32_t>(pw));
    const double g_cell = g[cell];
    const float* here = cost.data() + cell;
    // Relaxes the edge of move m whose cell-cost sum is `sum` (summed in the order of
    // m.cells, as the trace back below does).
    auto relax = [&](const Move& m, std::uint32_t next, double sum) {
      if (std::isinf(sum)) return;  // through a blocked cell
      const double g_next = g_cell + m.weight * sum;
      if (g_next < g[next]) {
        g[next] = g_next;
        ++result.pushes;
        heap.Push(g_next + heuristic(col + m.dc, row + m.dr), next);
      }
    };
    auto target = [cell](const Move& m, int last) {
      return static_cast<std::uint32_t>(static_cast<std::ptrdiff_t>(cell) + m.cells[last]);
    };
    const double c0 = here[0];
    for (int i = 0; i < kStraightMoves; ++i) {  // 2 cells
      const Move& m = moves[i];
      const std::uint32_t next = target(m, 1);
      if ((state[next] & kClosed) == 0) relax(m, next, c0 + here[m.cells[1]]);
    }
    for (int i = kStraightMoves; i < kKingMoves; ++i) {  // 2 cells, 2 corner cells
      const Move& m = moves[i];
      const std::uint32_t next = target(m, 1);
      if ((state[next] & kClosed) != 0 || std::isinf(here[m.sides[0]] + here[m.sides[1]])) continue;
      relax(m, next, c0 + here[m.cells[1]]);
    }
    for (int i = kKingMoves; i < move_count; ++i) {  // knights: 4 cells
      const Move& m = moves[i];
      const std::uint32_t next = target(m, 3);
      if ((state[next] & kClosed) != 0) continue;
      relax(m, next, ((c0 + here[m.cells[1]]) + here[m.cells[2]]) + here[m.cells[3]]);
    }
  }
  if (!found) return result;
  result.found = true;
  result.cost = g[reached];
  // Trace back: the parent of a cell is a closed neighbour p whose edge reproduces its cost
  // bit for bit, g[p] + w * sum == g[cell] (the same expression, evaluated in the same order, as
  // when the cell was relaxed from p; a closed cell's g never changes). Costs strictly decrease
  // along the way, so this ends at the start.
  auto edge_sum = [&](std::uint32_t from, const Move& m) {
    const float* at = cost.data() + from;
    double sum = 0;
    for (int k = 0; k < m.cell_count; ++k) sum += at[m.cells[k]];
    if (m.side_count > 0 && std::isinf(at[m.sides[0]] + at[m.sides[1]])) {
      return std::numeric_limits<double>::infinity();
    }
    return sum;
  };
  for (std::uint32_t cell = reached;;) {
    const std::uint32_t col = cell % static_cast<std::uint32_t>(pw) - kPad;
    const std::uint32_t row = cell / static_cast<std::uint32_t>(pw) - kPad;
    result.cells.push_back(row * static_cast<std::uint32_t>(width) + col);
    if (cell == start) break;
    std::uint32_t parent = cell;
    for (const Move& m : moves) {
      const auto from =
          static_cast<std::uint32_t>(static_cast<std::ptrdiff_t>(cell) - m.cells[m.cell_count - 1]);
      if ((state[from] & kClosed) == 0 || !(g[from] < g[cell])) continue;
      if (g[from] + m.weight * edge_sum(from, m) == g[cell]) {
        parent = from;
        break;
      }
    }
    MD_DEMAND(parent != cell);
    cell = parent;
  }
  std::reverse(result.cells.begin(), result.cells.end());
  return result;
}

namespace {

std::vector<ParamSpec> AstarParams() {
  std::vector<ParamSpec> params = {
      {.name = "connectivity",
       .type = ParamType::kChoice,
       .default_value = "16",
       .choices = {"8", "16"},
       .help = "neighbours per cell: 8 (king moves) or 16 (plus knight moves: smoother headings)"},
      {.name = "heuristic_weight",
       .type = ParamType::kDouble,
       .default_value = "1",
       .min_value = 1,
       .max_value = 10,
       .help = "weighted A*: 1 is optimal; larger is faster, at most this factor costlier"},
  };
  const std::vector<ParamSpec> shaping =
      RouteShapingParams("replace the cell path by line-of-sight shortcuts");
  params.insert(params.begin() + 1, shaping.begin(), shaping.end());
  return params;
}

PlannerSpecs AstarSpecs() {
  return {.summary =
              "A* on the orbital cost map (8/16-connected), line-of-sight smoothing, "
              "waypoint spacing",
          .optimizing = true,
          .deterministic = true,
          .anytime = false,
          .needs_network = false};
}

class AstarPlanner final : public Planner {
 public:
  explicit AstarPlanner(PlannerParams params)
      : Planner("astar", AstarSpecs(), AstarParams(), std::move(params)) {}

  PlanResult Plan(const PlanProblem& problem, std::stop_token stop_token) override {
    const StopCondition stop(std::move(stop_token), problem.time_budget_s);
    const auto t_map = std::chrono::steady_clock::now();
    const CostMap map(problem);
    const double map_s = SecondsSince(t_map);
    if (std::optional<PlanResult> invalid = CheckEndpoints(map, problem)) {
      return std::move(*invalid);
    }
    const terrain::GridSpec& spec = map.spec();
    const Point2 start{problem.start.x_m, problem.start.y_m};
    const Point2 goal{problem.goal.x_m, problem.goal.y_m};
    const CostMap::Cell start_cell = *map.CellAt(start);
    const std::vector<std::uint32_t> goal_cells = GoalCells(map, problem.goal);
    const int connectivity = ParamValues().String("connectivity") == "8" ? 8 : 16;

    const auto t_search = std::chrono::steady_clock::now();
    const GridSearchResult search =
        SearchGrid(map, static_cast<std::uint32_t>(spec.Index(start_cell.col, start_cell.row)),
                   goal_cells, goal, connectivity, ParamValues().Double("heuristic_weight"), &stop);
    const double search_s = SecondsSince(t_search);

    PlanResult result;
    SetDiagnostic(result, "expansions", static_cast<std::int64_t>(search.expansions));
    SetDiagnostic(result, "heap_pushes", static_cast<std::int64_t>(search.pushes));
    SetDiagnostic(result, "free_cells", static_cast<std::int64_t>(map.free_cells()));
    SetDiagnostic(result, "map_s", map_s);
    SetDiagnostic(result, "search_s", search_s);
    if (search.stopped) {
      result.status = PlanStatus::kTimeout;
      result.reason =
          (stop.StopRequested() ? std::string("stop requested")
                                : "time budget of " + Num(stop.budget_s()) + " s ran out") +
          " after " + std::to_string(search.expansions) + " expansions";
      return result;
    }
    if (!search.found) {
      result.status = PlanStatus::kNoPath;
      result.reason =
          "no route: blocked cells (lethal, over the limits or keep-outs) separate the "
          "start from the goal; " +
          std::to_string(search.expansions) + " of " + std::to_string(map.free_cells()) +
          " free cells are reachable";
      return result;
    }

    const auto t_smooth = std::chrono::steady_clock::now();
    std::vector<Point2> raw = {start};
    for (const std::uint32_t cell : search.cells) {
      const int col = static_cast<int>(cell % static_cast<std::uint32_t>(spec.width_px));
      const int row = static_cast<int>(cell / static_cast<std::uint32_t>(spec.width_px));
      raw.push_back({spec.CellCenterX(col), spec.CellCenterY(row)});
    }
    // End exactly at the goal when it lies in a free cell in sight of the path's end (the
    // search stops at the first cell of the goal region, maybe a cell away from the goal).
    if (map.FreeAt(goal) && !TraceSegment(map, raw.back(), goal).blocked) raw.push_back(goal);
    std::vector<Point2> raw_compact = RemoveCollinear(raw);
    const std::vector<Point2> smoothed =
        ParamValues().Bool("smoothing")
            ? ShortcutRoute(map, raw_compact, ParamValues().Double("smoothing_tolerance"))
            : raw_compact;
    const double spacing = EffectiveSpacing(problem, ParamValues().Double("max_spacing_m"));
    result.waypoints = SubdivideRoute(smoothed, spacing);
    SetDiagnostic(result, "smooth_s", SecondsSince(t_smooth));
    SetDiagnostic(result, "search_cost", search.cost);
    SetDiagnostic(result, "raw_cost", RouteCost(map, raw_compact));
    SetDiagnostic(result, "raw_waypoints", static_cast<std::int64_t>(raw_compact.size()));
    AddRouteDiagnostics(result, map);
    result.alternatives.push_back({"raw search path", std::move(raw_compact)});
    result.status = PlanStatus::kExact;
    return result;
  }
};

}  // namespace

PlannerInfo AstarPlannerInfo() {
  return {.name = "astar",
          .specs = AstarSpecs(),
          .params = AstarParams(),
          .make = [](PlannerParams params) -> std::unique_ptr<Planner> {
            return std::make_unique<AstarPlanner>(std::move(params));
          }};
}

}  // namespace marsdrive::planners

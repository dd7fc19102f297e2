#include "viewer/panels.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>

#include "viewer/overlays.h"
#include "viewer/rover_pose.h"

namespace marsdrive::viewer {

namespace {

std::string JsonText(const nlohmann::json& j) {
  if (j.is_null()) return "-";
  if (j.is_object()) {  // counts by kind: the non-zero ones
    std::string text;
    for (const auto& [key, value] : j.items()) {
      if (value.is_number() && value.get<double>() == 0) continue;
      if (!text.empty()) text += ", ";
      text += key + " " + value.dump();
    }
    return text.empty() ? "none" : text;
  }
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", j.get<double>());
    return buf;
  }
  return j.dump();
}

const nlohmann::json& Field(const nlohmann::json& j, const char* a, const char* b = nullptr) {
  static const nlohmann::json kNull;
  if (!j.is_object() || !j.contains(a)) return kNull;
  if (b == nullptr) return j[a];
  return j[a].is_object() && j[a].contains(b) ? j[a][b] : kNull;
}

// One metrics table row per run.
void MetricRow(const char* label, const RunData& a, const RunData* b, const char* key,
               const char* sub = nullptr) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(label);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(JsonText(Field(a.metrics, key, sub)).c_str());
  if (b != nullptr) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(JsonText(Field(b->metrics, key, sub)).c_str());
  }
}

void ScoreRow(const RunData& a, const RunData* b) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("score");
  for (const RunData* r : {&a, b}) {
    if (r == nullptr) continue;
    ImGui::TableNextColumn();
    if (r->record.score) {
      ImGui::Text("%.3f", *r->record.score);
    } else {
      ImGui::TextUnformatted("-");
    }
  }
}

void TimelinePanel(const Scene& scene, UiState& ui) {
  ImGui::SetNextWindowPos({10, 10}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({620, 150}, ImGuiCond_FirstUseEver);
  ImGui::Begin("Timeline");
  if (ImGui::Button(ui.playing ? "Pause" : "Play")) ui.playing = !ui.playing;
  ImGui::SameLine();
  if (ImGui::Button("|<")) ui.time_s = scene.t_begin_s;
  ImGui::SameLine();
  if (ImGui::Button(">|")) ui.time_s = scene.t_end_s;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(200);
  ImGui::SliderFloat("speed (x)", &ui.speed, 0.25f, 256.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  float t = static_cast<float>(ui.time_s);
  ImGui::SetNextItemWidth(-60);
  if (ImGui::SliderFloat("time (s)", &t, static_cast<float>(scene.t_begin_s),
                         static_cast<float>(scene.t_end_s), "%.1f")) {
    ui.time_s = t;
  }
  const sim::TelemetrySample s = SampleAt(scene.run.telemetry, ui.time_s);
  ImGui::Text("x %.2f  y %.2f  z %.2f m   yaw %.1f deg   tilt %.1f deg   odometry %.2f m",
              s.position_map_m[0], s.position_map_m[1], s.position_map_m[2], s.yaw_rad * 57.29578,
              s.tilt_rad * 57.29578, s.odometry_distance_m);
  ImGui::Text("command %s #%d   rockers %.1f / %.1f deg   bogies %.1f / %.1f deg",
              sim::ToString(s.command), s.command_index, s.rocker_left_rad * 57.29578,
              s.rocker_right_rad * 57.29578, s.bogie_left_rad * 57.29578,
              s.bogie_right_rad * 57.29578);
  if (ui.live) ImGui::TextColored({1, 0.8f, 0.3f, 1}, "live: %s", ui.live_status.c_str());
  ImGui::End();
}

void PlotsPanel(const RunSeries& series, const std::optional<RunSeries>& compare, UiState& ui) {
  ImGui::SetNextWindowPos({10, 170}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({420, 470}, ImGuiCond_FirstUseEver);
  ImGui::Begin("Telemetry");
  ImGui::Checkbox("over distance (else time)", &ui.plot_by_distance);
  const std::vector<float>& axis = ui.plot_by_distance ? series.distance_m : series.time_s;
  // The current position on the axis, as a fraction of the plot width.
  const auto it =
      std::lower_bound(series.time_s.begin(), series.time_s.end(), static_cast<float>(ui.time_s));
  const std::size_t now = std::min<std::size_t>(
      static_cast<std::size_t>(it - series.time_s.begin()), series.time_s.size() - 1);
  for (std::size_t k = 0; k < series.series.size(); ++k) {
    const PlotSeries& p = series.series[k];
    const std::vector<float> y = ResampleOnAxis(axis, p.values, 400);
    float lo = 0, hi = 0;
    for (float v : p.values) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    char overlay[96];
    std::snprintf(overlay, sizeof overlay, "%s %.3f %s (%.2f .. %.2f)", p.name.c_str(),
                  p.values[now], p.unit.c_str(), lo, hi);
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PlotLines(("##" + p.name).c_str(), y.data(), static_cast<int>(y.size()), 0, overlay, lo,
                     hi + 1e-6f, {width, 60});
    if (compare && k < compare->series.size()) {
      const std::vector<float>& ax = ui.plot_by_distance ? compare->distance_m : compare->time_s;
      const std::vector<float> y2 = ResampleOnAxis(ax, compare->series[k].values, 400);
      ImGui::PushStyleColor(ImGuiCol_PlotLines, ImVec4{1.0f, 0.6f, 0.25f, 1.0f});
      ImGui::PlotLines(("##cmp" + p.name).c_str(), y2.data(), static_cast<int>(y2.size()), 0,
                       "(compared run)", lo, hi + 1e-6f, {width, 30});
      ImGui::PopStyleColor();
    }
  }
  ImGui::End();
}

void RunPanel(const Scene& scene, UiState& ui) {
  const RunData& run = scene.run;
  const RunData* other = scene.compare ? &*scene.compare : nullptr;
  ImGui::SetNextWindowPos({ImGui::GetIO().DisplaySize.x - 440, 10}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({430, 560}, ImGuiCond_FirstUseEver);
  ImGui::Begin("Run");
  ImGui::TextWrapped("%s", run.record.id.c_str());
  ImGui::Text("planner %s (%s), status %s", run.record.planner.c_str(),
              run.record.plan_status.c_str(), scenarios::ToString(run.record.status));
  if (run.metrics.is_object() && run.metrics.contains("status") &&
      run.metrics["status"].is_string()) {
    const std::string drive = run.metrics["status"].get<std::string>();
    const Rgba c = DriveStatusColor(drive);
    ImGui::TextColored({c.r, c.g, c.b, c.a}, "drive %s", drive.c_str());
  }
  if (!run.record.reason.empty()) ImGui::TextWrapped("%s", run.record.reason.c_str());
  for (const SkippedWaypointView& s : run.skipped_waypoints) {
    ImGui::TextWrapped("skipped waypoint %d at t = %.0f s: %s", s.index, s.time_s,
                       s.reason.c_str());
  }
  if (ImGui::CollapsingHeader("Metrics and score", ImGuiTreeNodeFlags_DefaultOpen)) {
    const int columns = other != nullptr ? 3 : 2;
    if (ImGui::BeginTable("metrics", columns, ImGuiTableFlags_Borders)) {
      ImGui::TableSetupColumn("metric");
      ImGui::TableSetupColumn(other != nullptr ? "this run" : "value");
      if (other != nullptr) ImGui::TableSetupColumn("compared");
      ImGui::TableHeadersRow();
      ScoreRow(run, other);
      MetricRow("status", run, other, "status");
      MetricRow("distance (m)", run, other, "distance_m");
      MetricRow("progress (m)", run, other, "progress_m");
      MetricRow("goal reached", run, other, "goal_reached");
      MetricRow("slip mean", run, other, "slip", "mean");
      MetricRow("slip p95", run, other, "slip", "p95");
      MetricRow("slip max", run, other, "slip", "max");
      MetricRow("over slip limit (m)", run, other, "slip", "distance_over_limit_m");
      MetricRow("tilt max (deg)", run, other, "tilt_max_deg");
      MetricRow("hazards", run, other, "hazard_counts");
      MetricRow("energy (J)", run, other, "energy_j");
      MetricRow("sim time (s)", run, other, "sim_time_s");
      ImGui::EndTable();
    }
  }
  if (run.plan && ImGui::CollapsingHeader("Planner", ImGuiTreeNodeFlags_DefaultOpen)) {
    const planners::PlanResult& plan = *run.plan;
    ImGui::Text("%s: %s, %zu waypoints, %zu alternatives, %.3f s", plan.planner.c_str(),
                planners::ToString(plan.status), plan.waypoints.size(), plan.alternatives.size(),
                plan.wall_time_s);
    if (!plan.reason.empty()) ImGui::TextWrapped("reason: %s", plan.reason.c_str());
    for (const planners::NamedValue& d : plan.diagnostics) {
      ImGui::BulletText("%s = %s", d.name.c_str(), planners::ScalarToString(d.value).c_str());
    }
    if (!plan.rationale.empty() && ImGui::TreeNode("Rationale per leg")) {
      for (std::size_t i = 0; i < plan.rationale.size(); ++i) {
        if (plan.rationale[i].empty()) continue;
        ImGui::TextWrapped("%zu: %s", i, plan.rationale[i].c_str());
      }
      ImGui::TreePop();
    }
  }
  if (!run.decisions.empty() &&
      ImGui::CollapsingHeader("AutoNav decision", ImGuiTreeNodeFlags_DefaultOpen)) {
    const int i = DecisionAt(run.decisions, ui.time_s);
    if (i < 0) {
      ImGui::TextUnformatted("no decision yet");
    } else {
      const AutoNavDecisionView& d = run.decisions[static_cast<std::size_t>(i)];
      ImGui::Text("decision %d of %zu at t = %.1f s, chosen option %d", i + 1, run.decisions.size(),
                  d.time_s, d.chosen);
      if (!d.note.empty()) ImGui::TextWrapped("%s", d.note.c_str());
      if (ImGui::BeginTable("options", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY,
                            {0, 180})) {
        ImGui::TableSetupColumn("#");
        ImGui::TableSetupColumn("kind");
        ImGui::TableSetupColumn("verdict");
        ImGui::TableSetupColumn("score");
        ImGui::TableHeadersRow();
        for (std::size_t k = 0; k < d.options.size(); ++k) {
          const PathOptionView& o = d.options[k];
          const bool chosen = static_cast<int>(k) == d.chosen;
          const Rgba c =
              chosen ? kOptionChosenColor
                     : (o.safe ? Rgba{0.85f, 0.85f, 0.85f, 1} : RejectedOptionColor(o.reason));
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::Text("%zu", k);
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(o.kind.c_str());
          ImGui::TableNextColumn();
          ImGui::TextColored({c.r, c.g, c.b, 1}, "%s",
                             chosen ? "chosen" : (o.safe ? "safe" : o.reason.c_str()));
          ImGui::TableNextColumn();
          ImGui::Text("%.3f", o.score);
        }
        ImGui::EndTable();
      }
    }
  }
  ImGui::End();
}

void ViewPanel(const Scene& scene, const Renderer::Stats& stats, UiState& ui) {
  ImGui::SetNextWindowPos({ImGui::GetIO().DisplaySize.x - 440, 580}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({430, 300}, ImGuiCond_FirstUseEver);
  ImGui::Begin("View");
  int mode = static_cast<int>(ui.mode);
  ImGui::RadioButton("top (T)", &mode, static_cast<int>(CameraMode::kTop));
  ImGui::SameLine();
  ImGui::RadioButton("follow (F)", &mode, static_cast<int>(CameraMode::kFollow));
  ImGui::SameLine();
  ImGui::RadioButton("orbit (O)", &mode, static_cast<int>(CameraMode::kOrbit));
  ui.mode = static_cast<CameraMode>(mode);
  for (int l = 0; l < kLayerCount; ++l) {
    if (static_cast<Layer>(l) == Layer::kCompare && !scene.compare) continue;
    if (static_cast<Layer>(l) == Layer::kTrials && !scene.check) continue;
    ImGui::Checkbox(ToString(static_cast<Layer>(l)),
                    &ui.render.layers[static_cast<std::size_t>(l)]);
    if (l % 3 != 2) ImGui::SameLine();
  }
  ImGui::NewLine();
  int overlay = static_cast<int>(ui.render.overlay);
  ImGui::Combo("overlay", &overlay, "slope\0hazard\0cost\0classes\0");
  ui.render.overlay = static_cast<OverlayKind>(overlay);
  ImGui::Checkbox("hillshade instead of orthoimage", &ui.render.hillshade);
  ImGui::SliderFloat("line width", &ui.render.line_width_scale, 0.5f, 4.0f);
  ImGui::Text("terrain: %d x %d posts (step %d), %d chunks drawn, %zu triangles", scene.lod.cols,
              scene.lod.rows, scene.lod.step, stats.chunks_drawn, stats.terrain_triangles);
  ImGui::Text("%zu of %zu rocks drawn, %.1f fps", stats.rocks_drawn, stats.rock_count,
              static_cast<double>(ImGui::GetIO().Framerate));
  if (ui.picked) {
    const MapPointInfo& p = *ui.picked;
    ImGui::Separator();
    ImGui::Text("clicked: x %.2f  y %.2f  z %.3f m", p.x_m, p.y_m, p.z_m);
    ImGui::Text("slope %.1f deg  cost %.2f  class %s", p.slope_deg, p.cost, p.soil.c_str());
  } else {
    ImGui::TextDisabled("click the map to read a point");
  }
  ImGui::End();
}

}  // namespace

void DrawPanels(const Scene& scene, const RunSeries& series,
                const std::optional<RunSeries>& compare_series, const Renderer::Stats& stats,
                UiState& ui) {
  TimelinePanel(scene, ui);
  PlotsPanel(series, compare_series, ui);
  RunPanel(scene, ui);
  ViewPanel(scene, stats, ui);
}

}  // namespace marsdrive::viewer

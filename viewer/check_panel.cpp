#include "viewer/check_panel.h"

#include <algorithm>

#include <imgui.h>

#include "viewer/check_overlays.h"

namespace marsdrive::viewer {

namespace {

// A table's height for `rows` rows and its header, at most max_px.
float TableHeight(std::size_t rows, float max_px) {
  return std::min(max_px,
                  ImGui::GetTextLineHeightWithSpacing() * (static_cast<float>(rows) + 1.6f));
}

ImVec4 Im(Rgba c) { return {c.r, c.g, c.b, 1}; }

ImVec4 VerdictColor(const std::string& verdict) {
  if (verdict == "go") return Im(TrialTrackColor(check::TrialKind::kGoal));
  if (verdict == "marginal") return Im(TrialTrackColor(check::TrialKind::kFailed));
  return Im(TrialTrackColor(check::TrialKind::kSevere));
}

void Summary(const CheckScene& check) {
  const check::CheckPage& page = check.data.page;
  ImGui::TextColored(VerdictColor(page.verdict), "verdict %s", page.verdict.c_str());
  ImGui::SameLine();
  ImGui::Text("  p_goal %.2f (%d of %d trials, 95 %% CI %.2f-%.2f)", page.goal.p, page.goal.count,
              page.goal.trials, page.goal.lo, page.goal.hi);
  if (ImGui::TreeNodeEx("reasons", ImGuiTreeNodeFlags_DefaultOpen)) {
    for (const std::string& r : page.reasons) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", r.c_str());
    }
    ImGui::TreePop();
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("terrain: orbital products of %s (a check has no ground truth)",
                      check.data.orbital_dir.string().c_str());
  ImGui::PopTextWrapPos();
}

// The trials table: a click selects, a double click opens.
void Trials(const CheckScene& check, CheckPanelRequest& request) {
  const check::CheckPage& page = check.data.page;
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
  if (!ImGui::BeginTable("trials", 5, flags, {0, TableHeight(page.trials.size(), 200)})) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const char* name : {"#", "status", "goal", "slip p95", "failure"})
    ImGui::TableSetupColumn(name);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < page.trials.size(); ++i) {
    const check::PageTrial& t = page.trials[i];
    const int index = static_cast<int>(i);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string label =
        std::to_string(t.index) + (index == check.opened ? " (open)" : "") + "##trial";
    if (ImGui::Selectable(
            (label + std::to_string(i)).c_str(), index == check.selected,
            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
      request.select = index == check.selected ? -1 : index;
      if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) request.open = index;
    }
    ImGui::TableNextColumn();
    ImGui::TextColored(Im(TrialTrackColor(t.kind)), "%s", t.status.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(t.goal_reached ? "yes" : "no");
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", t.slip_p95);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(t.failure.empty() ? "-" : t.failure.c_str());
    if (!t.reason.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t.reason.c_str());
  }
  ImGui::EndTable();
}

void Legs(const check::CheckPage& page) {
  if (!ImGui::BeginTable("legs", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY,
                         {0, TableHeight(page.legs.size(), 150)}))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("leg", ImGuiTableColumnFlags_WidthStretch, 0.5f);
  ImGui::TableSetupColumn("from -> to (m)", ImGuiTableColumnFlags_WidthStretch, 3.0f);
  for (const char* name : {"entered", "p_fail", "main failure"})
    ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < page.legs.size(); ++i) {
    const check::PageLeg& leg = page.legs[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%zu", i);
    ImGui::TableNextColumn();
    ImGui::Text("(%.1f, %.1f) -> (%.1f, %.1f)", leg.from.x_m, leg.from.y_m, leg.to.x_m, leg.to.y_m);
    ImGui::TableNextColumn();
    ImGui::Text("%d", leg.entered);
    ImGui::TableNextColumn();
    ImGui::TextColored(Im(LegColor(leg)), "%.2f", leg.p_fail);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(leg.main_failure.empty() ? "-" : leg.main_failure.c_str());
  }
  ImGui::EndTable();
}

}  // namespace

CheckPanelRequest DrawCheckPanel(const Scene& scene) {
  CheckPanelRequest request;
  if (!scene.check) return request;
  const CheckScene& check = *scene.check;
  // Under the telemetry plots, overlapping their foot in a short window.
  const float height = ImGui::GetIO().DisplaySize.y;
  const float top = std::min(650.0f, height - 330.0f);
  ImGui::SetNextWindowPos({10, top}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({700, std::max(200.0f, height - top - 10)}, ImGuiCond_FirstUseEver);
  ImGui::Begin("Plan check");
  Summary(check);
  ImGui::Separator();
  ImGui::Text("Trials (%zu): click to highlight, double-click or Open to replay",
              check.data.page.trials.size());
  Trials(check, request);
  const int selected = check.selected;
  ImGui::BeginDisabled(selected < 0 || selected == check.opened);
  if (ImGui::Button("Open the selected trial")) request.open = selected;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Text("replaying trial %d",
              check.data.page.trials[static_cast<std::size_t>(check.opened)].index);
  ImGui::Separator();
  ImGui::TextUnformatted("Legs (risk: light blue p_fail 0 to purple 1, grey: not entered)");
  Legs(check.data.page);
  ImGui::End();
  return request;
}

}  // namespace marsdrive::viewer

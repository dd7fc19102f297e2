// Determinism pins (docs/architecture.md "Determinism pins"; STYLE §5, as Box2D's
// test_determinism.c): a handful of short drives, each pinned by its telemetry hash, its
// metrics.json hash and every telemetry column's hash (tests/data/determinism_pins.txt). A
// mismatch prints the new values and names the columns that changed. The same drive run twice
// and in two threads gives the same hash; CalcTelemetryHash sees every field it claims to.
//
// Re-pin on purpose only (an intentional physics change, in its own commit saying why):
//   MARSDRIVE_REPIN=1 build/tests/sim_determinism_pin_test
// rewrites tests/data/determinism_pins.txt from this build.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/metrics_json.h"
#include "sim/drive_metrics.h"
#include "sim/drive_run.h"
#include "sim/telemetry_columns.h"
#include "sim/telemetry_csv.h"
#include "sim/telemetry_hash.h"
#include "tests/sim/drive_test_util.h"

namespace marsdrive::testing {
namespace {

const char* const kPinFile = MARSDRIVE_SOURCE_DIR "/tests/data/determinism_pins.txt";
const char* const kRepinHint =
    "re-pin on purpose: MARSDRIVE_REPIN=1 build/tests/sim_determinism_pin_test, then commit "
    "tests/data/determinism_pins.txt alone, saying why the simulation changed";

std::string Hex(std::uint64_t v) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(v));
  return text;
}

// ---- the pinned drives: short (<= 20 s simulated), small terrains -------------------------------

struct PinnedDrive {
  std::string name;
  sim::DriveRequest request;
};

sim::DriveRequest Short(sim::DriveRequest r) {
  r.time_limit_s = 20;
  r.stuck_time_s = 1e9;  // the pins are about the physics, not when a drive gives up
  return r;
}

std::vector<PinnedDrive> PinnedDrives() {
  std::vector<PinnedDrive> drives;
  {  // sand, straight, with a rock under the left front wheel's path
    auto truth = std::make_shared<terrain::TerrainTruth>(
        *PresetTerrain("flat", {{"soil", "sand"}}, 10, 8, 0.05));
    truth->rocks.push_back({4.6, 5.06, 0.3, 0.1, 5});
    drives.push_back(
        {"flat_sand_straight_rock", Short(MakeRequest(truth, {3, 4, 0}, {Straight(0.8)}))});
  }
  {  // regolith slope, an arc across it, then a stop
    const auto terrain =
        PresetTerrain("slope", {{"angle_deg", "12"}, {"soil", "regolith"}}, 10, 10, 0.05);
    drives.push_back(
        {"slope_regolith_arc", Short(MakeRequest(terrain, {4, 5, 0}, {Arc(2.0, 12), Stop(2)}))});
  }
  {  // bedrock step, 0.08 m, climbed by the front wheels
    const auto terrain = PresetTerrain(
        "step", {{"height_m", "0.08"}, {"x_m", "4.5"}, {"soil", "bedrock"}}, 10, 8, 0.05);
    drives.push_back(
        {"step_bedrock_straight", Short(MakeRequest(terrain, {3.2, 4, 0}, {Straight(0.8)}))});
  }
  {  // regolith, AutoNav waypoint drive (its seeded sensor noise included)
    const auto terrain = PresetTerrain("flat", {{"soil", "regolith"}}, 10, 10, 0.05);
    sim::DriveRequest r = MakeRequest(terrain, {3, 5, 0}, {});
    r.waypoints = {{3.5, 5.0}, {3.8, 5.3}};
    r.waypoint_params.waypoint_tolerance_m = 0.15;
    r.waypoint_params.goal_tolerance_m = 0.15;
    r.waypoint_params.autonav = true;
    r.dt_s = 1.0 / 30.0;
    drives.push_back({"flat_regolith_waypoint_autonav", Short(r)});
  }
  return drives;
}

struct Hashes {
  sim::TelemetryHash telemetry;
  std::uint64_t metrics = 0;
};

Hashes RunAndHash(const sim::DriveRequest& request) {
  const sim::DriveResult result = sim::RunDrive(request);
  return {sim::CalcTelemetryHash(result.telemetry),
          scenarios::CalcMetricsJsonHash(
              sim::ComputeDriveMetrics(result, sim::MakeDriveMetricsConfig(request)))};
}

// ---- the pin file -------------------------------------------------------------------------------
// "drive NAME telemetry 0x... metrics 0x..." then one "  COLUMN 0x..." line per column.

struct Pin {
  std::uint64_t telemetry = 0, metrics = 0;
  std::map<std::string, std::uint64_t> columns;
};

std::map<std::string, Pin> ReadPins() {
  std::map<std::string, Pin> pins;
  std::ifstream in(kPinFile);
  std::string line;
  Pin* current = nullptr;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string first, name, telemetry_word, metrics_word;
    words >> first;
    if (first == "drive") {
      std::string telemetry, metrics;
      words >> name >> telemetry_word >> telemetry >> metrics_word >> metrics;
      current = &pins[name];
      current->telemetry = std::stoull(telemetry, nullptr, 16);
      current->metrics = std::stoull(metrics, nullptr, 16);
    } else if (current != nullptr) {
      std::string hash;
      words >> hash;
      current->columns[first] = std::stoull(hash, nullptr, 16);
    }
  }
  return pins;
}

void WritePins(const std::vector<std::pair<std::string, Hashes>>& drives) {
  std::ofstream out(kPinFile, std::ios::binary | std::ios::trunc);
  out << "# Determinism pins: tests/sim/determinism_pin_test.cpp, docs/architecture.md\n"
         "# \"Determinism pins\". Generated; re-pin on purpose only, in a commit saying why:\n"
         "#   MARSDRIVE_REPIN=1 build/tests/sim_determinism_pin_test\n";
  for (const auto& [name, h] : drives) {
    out << "drive " << name << " telemetry " << Hex(h.telemetry.value) << " metrics "
        << Hex(h.metrics) << "\n";
    for (const sim::TelemetryColumnHash& c : h.telemetry.columns) {
      out << "  " << c.name << " " << Hex(c.hash) << "\n";
    }
  }
}

TEST(Determinism, ShortDrivesMatchTheirPinnedHashes) {
  const bool repin = std::getenv("MARSDRIVE_REPIN") != nullptr;
  const std::map<std::string, Pin> pins = ReadPins();
  if (!repin) {
    ASSERT_FALSE(pins.empty()) << kPinFile << ": no pins; " << kRepinHint;
  }
  std::vector<std::pair<std::string, Hashes>> results;
  for (const PinnedDrive& drive : PinnedDrives()) {
    SCOPED_TRACE(drive.name);
    const Hashes h = RunAndHash(drive.request);
    results.emplace_back(drive.name, h);
    if (repin) continue;
    const auto pin = pins.find(drive.name);
    if (pin == pins.end()) {
      ADD_FAILURE() << "no pin for drive " << drive.name << "; " << kRepinHint;
      continue;
    }
    std::string changed;
    for (const sim::TelemetryColumnHash& c : h.telemetry.columns) {
      const auto old = pin->second.columns.find(c.name);
      if (old == pin->second.columns.end()) {
        changed += " " + c.name + "(new)";
      } else if (old->second != c.hash) {
        changed += " " + c.name;
      }
    }
    EXPECT_EQ(h.telemetry.value, pin->second.telemetry)
        << "telemetry of " << drive.name << ": new " << Hex(h.telemetry.value) << ", pinned "
        << Hex(pin->second.telemetry) << "; columns that differ:" << changed << "; " << kRepinHint;
    EXPECT_EQ(h.metrics, pin->second.metrics)
        << "metrics.json of " << drive.name << ": new " << Hex(h.metrics) << ", pinned "
        << Hex(pin->second.metrics) << "; " << kRepinHint;
  }
  if (repin) {
    WritePins(results);
    std::printf("wrote %s (%zu drives)\n", kPinFile, results.size());
  }
}

// ---- the pinned drives are worth pinning --------------------------------------------------------

TEST(Determinism, PinnedDrivesMoveClimbARockAndReachAWaypoint) {
  const std::vector<PinnedDrive> drives = PinnedDrives();
  ASSERT_EQ(drives.size(), 4u);
  bool wheel_on_rock = false;
  int waypoints_reached = 0;
  for (const PinnedDrive& drive : drives) {
    SCOPED_TRACE(drive.name);
    const sim::DriveResult r = sim::RunDrive(drive.request);
    EXPECT_LE(r.sim_time_s, 20.0 + drive.request.dt_s);
    EXPECT_GT(r.telemetry.back().truth_distance_m, 0.2) << sim::ToString(r.status) << r.reason;
    for (const auto& s : r.telemetry) {
      for (const auto& w : s.wheels) wheel_on_rock = wheel_on_rock || w.on_rock;
    }
    waypoints_reached += r.waypoints_reached;
  }
  EXPECT_TRUE(wheel_on_rock);
  EXPECT_GE(waypoints_reached, 1);
}

// ---- same run, same hash ------------------------------------------------------------------------

TEST(Determinism, SameDriveTwiceAndInTwoThreadsGivesTheSameHashes) {
  const sim::DriveRequest request = PinnedDrives().front().request;
  const Hashes reference = RunAndHash(request);
  const Hashes again = RunAndHash(request);
  EXPECT_EQ(again.telemetry.value, reference.telemetry.value);
  EXPECT_EQ(again.metrics, reference.metrics);
  std::vector<Hashes> threaded(2);
  std::vector<std::thread> threads;
  for (Hashes& out : threaded) {
    threads.emplace_back([&out, &request] { out = RunAndHash(request); });
  }
  for (std::thread& t : threads) t.join();
  for (const Hashes& h : threaded) {
    EXPECT_EQ(h.telemetry.value, reference.telemetry.value);
    EXPECT_EQ(h.metrics, reference.metrics);
  }
  // Control: a start 1 cm aside gives other hashes.
  sim::DriveRequest other = request;
  other.start.y_m += 0.01;
  const Hashes moved = RunAndHash(other);
  EXPECT_NE(moved.telemetry.value, reference.telemetry.value);
  EXPECT_NE(moved.metrics, reference.metrics);
}

// ---- the hash sees every field ------------------------------------------------------------------

sim::Telemetry TwoSamples() {
  sim::Telemetry t(2);
  t[1].time_s = 0.25;
  t[1].body_contacts.push_back({sim::BodyPart::kChassis, false, {1, 2, 0}, 10});
  return t;
}

// Changes the c-th scalar column of sample s.
void Perturb(sim::TelemetrySample& s, std::size_t column) {
  std::size_t c = 0;
  sim::VisitTelemetryColumns(s, [&](const std::string&, int, auto& field) {
    if (c++ != column) return;
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<T, double>) {
      field += 1e-12;  // below every CSV precision: the hash is of the bits
    } else if constexpr (std::is_same_v<T, bool>) {
      field = !field;
    } else if constexpr (std::is_same_v<T, int>) {
      field += 1;
    } else {
      field = sim::CommandKind::kArc;
    }
  });
}

TEST(TelemetryHash, EveryColumnChangesItsOwnHashAndTheTotal) {
  const sim::TelemetryHash base = sim::CalcTelemetryHash(TwoSamples());
  EXPECT_EQ(sim::CalcTelemetryHash(TwoSamples()).value, base.value);  // control: repeatable
  // Every CSV column, then body_contact_points (not in the CSV).
  ASSERT_EQ(base.columns.size(), sim::TelemetryCsvColumns().size() + 1);
  const std::size_t scalars = base.columns.size() - 3;
  for (std::size_t c = 0; c < scalars; ++c) {
    SCOPED_TRACE(base.columns[c].name);
    sim::Telemetry t = TwoSamples();
    Perturb(t[1], c);
    const sim::TelemetryHash h = sim::CalcTelemetryHash(t);
    EXPECT_NE(h.value, base.value);
    for (std::size_t k = 0; k < h.columns.size(); ++k) {
      EXPECT_EQ(h.columns[k].hash != base.columns[k].hash, k == c) << h.columns[k].name;
    }
  }
}

TEST(TelemetryHash, BodyContactsIncludingWithRockAreHashed) {
  const sim::TelemetryHash base = sim::CalcTelemetryHash(TwoSamples());
  const auto changed = [&](const sim::Telemetry& t) {
    const sim::TelemetryHash h = sim::CalcTelemetryHash(t);
    std::string names;
    for (std::size_t k = 0; k < h.columns.size(); ++k) {
      if (h.columns[k].hash != base.columns[k].hash) names += h.columns[k].name + " ";
    }
    EXPECT_NE(h.value, base.value);
    return names;
  };
  sim::Telemetry with_rock = TwoSamples();
  with_rock[1].body_contacts[0].with_rock = true;
  EXPECT_EQ(changed(with_rock), "body_contact_parts ");
  sim::Telemetry part = TwoSamples();
  part[1].body_contacts[0].part = sim::BodyPart::kMast;
  EXPECT_EQ(changed(part), "body_contact_parts ");
  sim::Telemetry force = TwoSamples();
  force[1].body_contacts[0].normal_force_N = 11;
  EXPECT_EQ(changed(force), "body_contact_points ");
  sim::Telemetry point = TwoSamples();
  point[1].body_contacts[0].point_map_m[2] = 0.1;
  EXPECT_EQ(changed(point), "body_contact_points ");
  // A contact moved to the other sample: the count column tells them apart.
  sim::Telemetry moved = TwoSamples();
  std::swap(moved[0].body_contacts, moved[1].body_contacts);
  EXPECT_EQ(changed(moved), "body_contact_count ");
}

TEST(TelemetryHash, MetricsHashIgnoresOnlyTheWallClock) {
  sim::Metrics m;
  m.sim_time_s = 10;
  const std::uint64_t base = scenarios::CalcMetricsJsonHash(m);
  sim::Metrics wall = m;
  wall.wall_time_s = 3;
  wall.rtf = 3.3;
  EXPECT_EQ(scenarios::CalcMetricsJsonHash(wall), base);
  sim::Metrics other = m;  // control
  other.distance_m = 1e-9;
  EXPECT_NE(scenarios::CalcMetricsJsonHash(other), base);
}

}  // namespace
}  // namespace marsdrive::testing

#pragma once
// Determinism fingerprints of a drive (as Box2D's b2World_GetStateHash): FNV-1a 64 over the
// exact bits of every telemetry value, and over the metrics.json text. Same inputs must give the
// same hashes on every run, thread count and machine with the same build; a pinned hash that
// changes means the simulation changed (tests/sim/determinism_pin_test.cpp, docs/architecture.md
// "Determinism pins").
//
// Byte order is fixed whatever the platform: a double is its IEEE-754 bits as a little-endian
// uint64 (so -0.0 != 0.0 and no decimal formatting is involved), an int a little-endian int32,
// a bool or an enum one byte. Each column is hashed down all samples (column-major), and the
// telemetry hash is FNV-1a over (name, '\0', column hash as 8 little-endian bytes) per column, so
// a changed telemetry hash can be traced to the columns whose hashes changed.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "sim/telemetry.h"

namespace marsdrive::sim {

struct TelemetryColumnHash {
  std::string name;  // the telemetry CSV column name, or a body-contact column (see below)
  std::uint64_t hash = 0;
};

struct TelemetryHash {
  std::uint64_t value = 0;  // the whole telemetry: every column below, in order
  // Every scalar column of sim/telemetry_columns.h (CSV order), then
  //   body_contact_count   contacts per sample
  //   body_contact_parts   per contact: BodyPart, with_rock
  //   body_contact_points  per contact: point_map_m (x, y, z), normal_force_N (not in the CSV)
  std::vector<TelemetryColumnHash> columns;
};

TelemetryHash CalcTelemetryHash(const Telemetry& telemetry);

}  // namespace marsdrive::sim

#include "sim/telemetry_hash.h"

#include <bit>
#include <cstddef>
#include <type_traits>

#include "base/check.h"
#include "base/content_hash.h"
#include "sim/telemetry_columns.h"

namespace marsdrive::sim {

namespace {

void PutU64(Fnv1a64& h, std::uint64_t v) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
  h.Update(bytes, sizeof bytes);
}
void PutU32(Fnv1a64& h, std::uint32_t v) {
  unsigned char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(v >> (8 * i));
  h.Update(bytes, sizeof bytes);
}
void PutU8(Fnv1a64& h, std::uint8_t v) { h.Update(&v, 1); }
void PutDouble(Fnv1a64& h, double v) { PutU64(h, std::bit_cast<std::uint64_t>(v)); }

}  // namespace

TelemetryHash CalcTelemetryHash(const Telemetry& telemetry) {
  TelemetryHash result;
  const TelemetrySample empty;
  VisitTelemetryColumns(empty, [&](const std::string& name, int, const auto&) {
    result.columns.push_back({name, 0});
  });
  const std::size_t scalar_count = result.columns.size();
  for (const char* name : {"body_contact_count", "body_contact_parts", "body_contact_points"}) {
    result.columns.push_back({name, 0});
  }

  std::vector<Fnv1a64> column(result.columns.size());
  for (const TelemetrySample& s : telemetry) {
    std::size_t c = 0;
    VisitTelemetryColumns(s, [&](const std::string&, int, const auto& field) {
      Fnv1a64& h = column[c++];
      using T = std::decay_t<decltype(field)>;
      if constexpr (std::is_same_v<T, double>) {
        PutDouble(h, field);
      } else if constexpr (std::is_same_v<T, bool>) {
        PutU8(h, field ? 1 : 0);
      } else if constexpr (std::is_same_v<T, int>) {
        PutU32(h, static_cast<std::uint32_t>(field));
      } else {
        static_assert(std::is_same_v<T, CommandKind>);
        PutU8(h, static_cast<std::uint8_t>(field));
      }
    });
    MD_DEMAND(c == scalar_count);
    PutU32(column[c], static_cast<std::uint32_t>(s.body_contacts.size()));
    for (const BodyContact& contact : s.body_contacts) {
      PutU8(column[c + 1], static_cast<std::uint8_t>(contact.part));
      PutU8(column[c + 1], contact.with_rock ? 1 : 0);
      for (double v : contact.point_map_m) PutDouble(column[c + 2], v);
      PutDouble(column[c + 2], contact.normal_force_N);
    }
  }

  Fnv1a64 all;
  for (std::size_t c = 0; c < column.size(); ++c) {
    result.columns[c].hash = column[c].Value();
    all.Update(result.columns[c].name);
    PutU8(all, 0);
    PutU64(all, result.columns[c].hash);
  }
  result.value = all.Value();
  return result;
}

}  // namespace marsdrive::sim

// Telemetry CSV: units in the header, deterministic bytes, a round trip to the written
// precision, and clear errors for truncated or malformed files (what the viewer will load).
#include "sim/telemetry_csv.h"

#include <cmath>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/check.h"
#include "tests/util/command.h"

namespace marsdrive::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Values that exercise every column: irrational-looking numbers, signs, flags, contacts.
Telemetry MakeTelemetry(int samples) {
  Telemetry t;
  for (int k = 0; k < samples; ++k) {
    const double f = k + 1;
    TelemetrySample s;
    s.time_s = 0.25 * k + 1.0 / 3.0;
    s.position_map_m = {12.3456789 * f, -7.654321 / f, 0.1 * std::sin(f)};
    s.roll_rad = 0.01 * std::cos(f);
    s.pitch_rad = -0.02 * std::sin(f);
    s.yaw_rad = std::remainder(0.3 * f, 6.283185307179586);
    s.tilt_rad = std::hypot(s.roll_rad, s.pitch_rad);
    s.velocity_map_mps = {0.042 * std::cos(f), 0.042 * std::sin(f), -1e-4 * f};
    s.odometry_position_map_m = {12.3 * f, -7.6 / f};
    s.odometry_distance_m = 0.0105 * f;
    s.truth_distance_m = 0.0101 * f;
    for (int w = 0; w < kWheelCount; ++w) {
      WheelSample& wheel = s.wheels[static_cast<std::size_t>(w)];
      wheel.angle_rad = 0.16 * f + w;
      wheel.speed_radps = 0.16 + 0.001 * w;
      wheel.torque_Nm = 12.34567 * (w - 2.5);
      wheel.steer_rad = (w % 3 == 1) ? 0 : 0.1 * (w - 3);
      wheel.normal_force_N = 1000.0 / 6 + w;
      wheel.sinkage_m = 0.0123 * w;
      wheel.slip_ratio = 0.05 * std::sin(f + w);
      wheel.in_contact = (k + w) % 4 != 0;
      wheel.on_rock = (k + w) % 5 == 0;
      wheel.rock_height_m = wheel.on_rock ? 0.123 : 0;
    }
    s.rocker_left_rad = 0.05 * std::sin(f);
    s.rocker_right_rad = -s.rocker_left_rad;
    s.bogie_left_rad = 0.07 * std::cos(f);
    s.bogie_right_rad = -0.03;
    s.differential_rad = 0.002 * f;
    s.energy_J = 15.5 * f + 1.0 / 7.0;
    s.command = static_cast<CommandKind>(k % 5);
    s.command_index = k % 5 == 0 ? -1 : k / 3;
    if (k % 3 == 1) s.body_contacts.push_back({BodyPart::kChassis, true, {1, 2, 3}, 40});
    if (k % 3 == 2) {
      s.body_contacts.push_back({BodyPart::kBogieLeft, false, {1, 2, 3}, 10});
      s.body_contacts.push_back({BodyPart::kMast, true, {1, 2, 3}, 5});
    }
    t.push_back(s);
  }
  return t;
}

std::string ToCsv(const Telemetry& t) {
  std::ostringstream out;
  WriteTelemetryCsv(out, t);
  return out.str();
}

std::string ParseError(const std::string& text) {
  try {
    ParseTelemetryCsv(text, "run/telemetry.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TelemetryCsv, HeaderNamesEveryColumnWithItsUnit) {
  const std::string csv = ToCsv({});
  EXPECT_THAT(csv, StartsWith("time_s,x_m,y_m,z_m,roll_rad,pitch_rad,yaw_rad,tilt_rad,vx_mps,"));
  for (const char* column :
       {"lf_angle_rad", "lm_speed_radps", "lr_torque_Nm", "rf_steer_rad", "rm_normal_force_N",
        "rr_sinkage_m", "rr_slip_ratio", "lf_in_contact", "rr_rock_height_m", "differential_rad",
        "energy_J", "command_index", "body_contact_parts\n"}) {
    EXPECT_THAT(csv, HasSubstr(column));
  }
  EXPECT_EQ(TelemetryCsvColumns().size(), 15u + 6u * 10u + 6u + 2u + 2u);
}

TEST(TelemetryCsv, RoundTripsEveryColumnToItsWrittenPrecision) {
  const Telemetry original = MakeTelemetry(25);
  const Telemetry back = ParseTelemetryCsv(ToCsv(original), "test");
  ASSERT_EQ(back.size(), original.size());
  // Compare through the writer's own column list: every numeric column within half a unit in
  // its last written decimal.
  for (std::size_t i = 0; i < original.size(); ++i) {
    SCOPED_TRACE(i);
    const TelemetrySample& a = original[i];
    const TelemetrySample& b = back[i];
    const auto near = [](double x, double y, int decimals) {
      EXPECT_NEAR(x, y, 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9) + 1e-12 * std::abs(x));
    };
    near(a.time_s, b.time_s, 6);
    for (int k = 0; k < 3; ++k) near(a.position_map_m[k], b.position_map_m[k], 6);
    for (int k = 0; k < 3; ++k) near(a.velocity_map_mps[k], b.velocity_map_mps[k], 6);
    for (int k = 0; k < 2; ++k) near(a.odometry_position_map_m[k], b.odometry_position_map_m[k], 6);
    near(a.roll_rad, b.roll_rad, 6);
    near(a.pitch_rad, b.pitch_rad, 6);
    near(a.yaw_rad, b.yaw_rad, 6);
    near(a.tilt_rad, b.tilt_rad, 6);
    near(a.odometry_distance_m, b.odometry_distance_m, 6);
    near(a.truth_distance_m, b.truth_distance_m, 6);
    for (std::size_t w = 0; w < kWheelCount; ++w) {
      near(a.wheels[w].angle_rad, b.wheels[w].angle_rad, 6);
      near(a.wheels[w].speed_radps, b.wheels[w].speed_radps, 6);
      near(a.wheels[w].torque_Nm, b.wheels[w].torque_Nm, 4);
      near(a.wheels[w].steer_rad, b.wheels[w].steer_rad, 6);
      near(a.wheels[w].normal_force_N, b.wheels[w].normal_force_N, 3);
      near(a.wheels[w].sinkage_m, b.wheels[w].sinkage_m, 6);
      near(a.wheels[w].slip_ratio, b.wheels[w].slip_ratio, 6);
      near(a.wheels[w].rock_height_m, b.wheels[w].rock_height_m, 6);
      EXPECT_EQ(a.wheels[w].in_contact, b.wheels[w].in_contact);
      EXPECT_EQ(a.wheels[w].on_rock, b.wheels[w].on_rock);
    }
    near(a.rocker_left_rad, b.rocker_left_rad, 6);
    near(a.rocker_right_rad, b.rocker_right_rad, 6);
    near(a.bogie_left_rad, b.bogie_left_rad, 6);
    near(a.bogie_right_rad, b.bogie_right_rad, 6);
    near(a.differential_rad, b.differential_rad, 6);
    near(a.energy_J, b.energy_J, 3);
    EXPECT_EQ(a.command, b.command);
    EXPECT_EQ(a.command_index, b.command_index);
    ASSERT_EQ(a.body_contacts.size(), b.body_contacts.size());
    for (std::size_t c = 0; c < a.body_contacts.size(); ++c) {
      EXPECT_EQ(a.body_contacts[c].part, b.body_contacts[c].part);
      EXPECT_EQ(a.body_contacts[c].with_rock, b.body_contacts[c].with_rock);
      EXPECT_EQ(b.body_contacts[c].point_map_m,
                b.position_map_m);  // documented: the CSV keeps no contact point
    }
  }
  // And writing what was read gives the same bytes: the text is a fixed point.
  EXPECT_EQ(ToCsv(back), ToCsv(original));
}

TEST(TelemetryCsv, SameTelemetrySameBytesAndTidyNumbers) {
  Telemetry t = MakeTelemetry(3);
  EXPECT_EQ(ToCsv(t), ToCsv(MakeTelemetry(3)));
  EXPECT_NE(ToCsv(t), ToCsv(MakeTelemetry(4)));  // control
  t[0].position_map_m[0] = -1e-9;                // rounds to zero: written without a sign
  t[0].position_map_m[1] = 2;
  const std::string csv = ToCsv(t);
  const std::string row = csv.substr(csv.find('\n') + 1);
  EXPECT_THAT(row, StartsWith("0.333333,0.000000,2.000000,"));
  EXPECT_THAT(csv, HasSubstr(",1,chassis@rock\n"));
  EXPECT_THAT(csv, HasSubstr(",2,bogie_left|mast@rock\n"));
}

TEST(TelemetryCsv, NonFiniteValuesRoundTrip) {
  Telemetry t = MakeTelemetry(2);
  t[1].position_map_m[0] = std::nan("");
  t[1].velocity_map_mps[0] = INFINITY;
  t[1].velocity_map_mps[1] = -INFINITY;
  const std::string csv = ToCsv(t);
  EXPECT_THAT(csv, HasSubstr(",nan,"));
  const Telemetry back = ParseTelemetryCsv(csv, "test");
  EXPECT_TRUE(std::isnan(back[1].position_map_m[0]));
  EXPECT_EQ(back[1].velocity_map_mps[0], INFINITY);
  EXPECT_EQ(back[1].velocity_map_mps[1], -INFINITY);
}

TEST(TelemetryCsv, TruncatedFilesGiveAClearError) {
  const std::string good = ToCsv(MakeTelemetry(5));
  ASSERT_EQ(ParseTelemetryCsv(good, "test").size(), 5u);  // control: the whole file reads
  // Cut inside the last row: no line end.
  const std::string cut_line = good.substr(0, good.size() - 20);
  EXPECT_THAT(ParseError(cut_line),
              HasSubstr("run/telemetry.csv: line 6: incomplete last line (no line end): the "
                        "file is truncated"));
  // A short row in the middle (e.g. a partial write followed by more output).
  std::string short_row = good;
  const std::size_t third =
      short_row.find('\n', short_row.find('\n', short_row.find('\n') + 1) + 1);
  short_row.erase(third - 30, 30);
  EXPECT_THAT(ParseError(short_row), HasSubstr("run/telemetry.csv: line 3: expected 85 fields"));
  EXPECT_THAT(ParseError(short_row), HasSubstr("truncated"));
  // Nothing after the header, or nothing at all.
  EXPECT_THAT(ParseError(good.substr(0, good.find('\n') + 1)), HasSubstr("no samples"));
  EXPECT_THAT(ParseError(""), HasSubstr("run/telemetry.csv: empty file"));
}

TEST(TelemetryCsv, MalformedFilesNameLineAndColumn) {
  const std::string good = ToCsv(MakeTelemetry(3));
  const std::size_t row2 = good.find('\n') + 1;
  const auto replace_field = [&](int column, const std::string& with) {
    std::string text = good;
    std::size_t at = row2;
    for (int c = 0; c < column; ++c) at = text.find(',', at) + 1;
    text.replace(at, text.find(',', at) - at, with);
    return ParseError(text);
  };
  EXPECT_THAT(replace_field(2, "abc"),
              HasSubstr("line 2: column 'y_m': expected a number, got 'abc'"));
  EXPECT_THAT(replace_field(2, ""), HasSubstr("column 'y_m': expected a number, got ''"));
  EXPECT_THAT(replace_field(2, "1,5"), HasSubstr("expected 85 fields, got 86"));
  EXPECT_THAT(replace_field(22, "yes"), HasSubstr("column 'lf_in_contact': expected 0 or 1"));
  EXPECT_THAT(replace_field(81, "reverse"),
              HasSubstr("column 'command': expected one of none, straight, arc, turn, stop"));
  EXPECT_THAT(replace_field(82, "1.5"), HasSubstr("column 'command_index': expected an integer"));
  EXPECT_THAT(replace_field(83, "3"), HasSubstr("body_contact_count 3 does not match the 0"));
  EXPECT_THAT(replace_field(0, "99"), HasSubstr("line 3: column 'time_s'"));  // next row earlier
  // Another file's header.
  EXPECT_THAT(ParseError("t,x,y\n1,2,3\n"),
              HasSubstr("line 1: column 1: expected 'time_s', got 't' (not a marsdrive telemetry"));
  EXPECT_THAT(ParseError(good.substr(0, good.find(",body_contact_parts")) + "\n"),
              HasSubstr("column 85: expected 'body_contact_parts', got '(nothing)'"));
}

TEST(TelemetryCsv, FilesRoundTripAndAMissingFileIsAnError) {
  testing::TempDir tmp("telemetry-csv");
  const Telemetry t = MakeTelemetry(4);
  WriteTelemetryCsv(tmp / "telemetry.csv", t);
  EXPECT_EQ(ReadTelemetryCsv(tmp / "telemetry.csv").size(), 4u);
  EXPECT_EQ(testing::ReadWholeFile(tmp / "telemetry.csv"), ToCsv(t));
  try {
    ReadTelemetryCsv(tmp / "missing.csv");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("missing.csv: cannot open telemetry"));
  }
  EXPECT_THROW(WriteTelemetryCsv(tmp / "no/such/dir/telemetry.csv", t), InputError);
}

}  // namespace
}  // namespace marsdrive::sim

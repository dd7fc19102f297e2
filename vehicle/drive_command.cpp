#include "vehicle/drive_command.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <string_view>
#include <system_error>

#include "base/angle.h"
#include "base/check.h"

namespace marsdrive::vehicle {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  while (true) {
    s = Trim(s);
    if (s.empty()) return words;
    std::size_t n = 0;
    while (n < s.size() && !IsSpace(s[n])) ++n;
    words.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// One command's text with its position, for error messages.
struct CommandText {
  std::string_view text;
  int number = 0;  // 1-based among non-empty commands
  int line = 0;    // 1-based line of the text
};

// Splits at newlines and ';', drops '#' comments (to the end of the line) and empty commands.
std::vector<CommandText> SplitCommands(std::string_view text) {
  std::vector<CommandText> commands;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    line = line.substr(0, line.find('#'));
    while (true) {
      const std::size_t semi = line.find(';');
      const std::string_view piece = Trim(line.substr(0, semi));
      if (!piece.empty()) {
        commands.push_back({piece, static_cast<int>(commands.size()) + 1, line_number});
      }
      if (semi == std::string_view::npos) break;
      line.remove_prefix(semi + 1);
    }
  }
  return commands;
}

class CommandParser {
 public:
  CommandParser(const CommandText& command, const std::string& source, bool multi_line)
      : words_(SplitWords(command.text)) {
    prefix_ = source + ": command " + std::to_string(command.number);
    if (multi_line) prefix_ += " (line " + std::to_string(command.line) + ")";
    prefix_ += " '" + std::string(command.text) + "': ";
  }

  DriveCommand Parse() const {
    const std::string verb = Lower(words_.front());
    DriveCommand c;
    if (verb == "straight") {
      CheckArgCount(1, 2, "straight DISTANCE_M [SPEED_MPS]");
      c.kind = DriveCommandKind::kStraight;
      c.distance_m = Number(1, "DISTANCE_M");
      MD_THROW_UNLESS(c.distance_m != 0, Fail("DISTANCE_M: expected a non-zero distance "
                                              "(negative drives backwards), got 0"));
      c.speed_mps = OptionalSpeed(2);
    } else if (verb == "arc") {
      CheckArgCount(2, 3, "arc RADIUS_M ANGLE_DEG [SPEED_MPS]");
      c.kind = DriveCommandKind::kArc;
      c.radius_m = Number(1, "RADIUS_M");
      MD_THROW_UNLESS(c.radius_m > 0,
                      Fail("RADIUS_M: expected a radius > 0 (the sign of ANGLE_DEG gives the "
                           "direction; use 'turn' to turn in place), got " +
                           Word(1)));
      c.angle_rad = Number(2, "ANGLE_DEG") * kDegToRad;
      MD_THROW_UNLESS(c.angle_rad != 0, Fail("ANGLE_DEG: expected a non-zero heading change "
                                             "(+ = left), got 0"));
      c.speed_mps = OptionalSpeed(3);
    } else if (verb == "turn") {
      CheckArgCount(1, 1, "turn ANGLE_DEG");
      c.kind = DriveCommandKind::kTurnInPlace;
      c.angle_rad = Number(1, "ANGLE_DEG") * kDegToRad;
      MD_THROW_UNLESS(c.angle_rad != 0, Fail("ANGLE_DEG: expected a non-zero heading change "
                                             "(+ = left), got 0"));
    } else if (verb == "stop") {
      CheckArgCount(0, 1, "stop [SECONDS]");
      c.kind = DriveCommandKind::kStop;
      if (words_.size() > 1) {
        c.duration_s = Number(1, "SECONDS");
        MD_THROW_UNLESS(c.duration_s >= 0,
                        Fail("SECONDS: expected a duration >= 0, got " + Word(1)));
      }
    } else {
      throw InputError(Fail("unknown command '" + std::string(words_.front()) +
                            "', expected one of: straight DISTANCE_M [SPEED_MPS]; arc RADIUS_M "
                            "ANGLE_DEG [SPEED_MPS]; turn ANGLE_DEG; stop [SECONDS]"));
    }
    return c;
  }

 private:
  std::string Fail(const std::string& what) const { return prefix_ + what; }
  std::string Word(std::size_t i) const { return std::string(words_[i]); }

  void CheckArgCount(std::size_t min_args, std::size_t max_args, const char* usage) const {
    const std::size_t n = words_.size() - 1;
    if (n >= min_args && n <= max_args) return;
    const std::string expected = min_args == max_args
                                     ? std::to_string(min_args)
                                     : std::to_string(min_args) + " to " + std::to_string(max_args);
    throw InputError(Fail("expected " + expected + " argument" + (max_args == 1 ? "" : "s") + " (" +
                          usage + "), got " + std::to_string(n)));
  }

  // A finite decimal number (locale-independent; a leading '+' is allowed).
  double Number(std::size_t i, const char* name) const {
    std::string_view w = words_[i];
    if (w.size() > 1 && w.front() == '+') w.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), value);
    MD_THROW_UNLESS(ec == std::errc() && end == w.data() + w.size() && std::isfinite(value),
                    Fail(std::string(name) + ": expected a finite number, got '" + Word(i) + "'"));
    return value;
  }

  double OptionalSpeed(std::size_t i) const {
    if (words_.size() <= i) return 0;  // the rover's default drive speed
    const double speed_mps = Number(i, "SPEED_MPS");
    MD_THROW_UNLESS(speed_mps > 0, Fail("SPEED_MPS: expected a speed > 0 (m/s; leave it out for "
                                        "the rover's default), got " +
                                        Word(i)));
    return speed_mps;
  }

  std::vector<std::string_view> words_;
  std::string prefix_;
};

}  // namespace

std::vector<DriveCommand> ParseDriveCommands(const std::string& text, const std::string& source) {
  const std::vector<CommandText> pieces = SplitCommands(text);
  MD_THROW_UNLESS(!pieces.empty(), source +
                                       ": no drive commands, expected e.g. "
                                       "'straight 10; arc 5 90; turn 45; stop'");
  const bool multi_line = text.find('\n') != std::string::npos;
  std::vector<DriveCommand> commands;
  commands.reserve(pieces.size());
  for (const CommandText& piece : pieces) {
    commands.push_back(CommandParser(piece, source, multi_line).Parse());
  }
  return commands;
}

Pose2 IdealEndPose(const Pose2& start, const std::vector<DriveCommand>& commands) {
  Pose2 p = start;
  for (const DriveCommand& c : commands) {
    switch (c.kind) {
      case DriveCommandKind::kStraight:
        p.x_m += c.distance_m * std::cos(p.yaw_rad);
        p.y_m += c.distance_m * std::sin(p.yaw_rad);
        break;
      case DriveCommandKind::kArc: {
        // Rotation by angle about the centre at radius on the side of the turn (left for +).
        const double side = c.angle_rad > 0 ? 1.0 : -1.0;
        const double yaw_end = p.yaw_rad + c.angle_rad;
        p.x_m += side * c.radius_m * (std::sin(yaw_end) - std::sin(p.yaw_rad));
        p.y_m += side * c.radius_m * (std::cos(p.yaw_rad) - std::cos(yaw_end));
        p.yaw_rad = yaw_end;
        break;
      }
      case DriveCommandKind::kTurnInPlace:
        p.yaw_rad += c.angle_rad;
        break;
      case DriveCommandKind::kStop:
        break;
    }
  }
  p.yaw_rad = base::WrapPi(p.yaw_rad);
  return p;
}

}  // namespace marsdrive::vehicle

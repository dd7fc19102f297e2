#include "planners/vlm/route_answer.h"

#include <cctype>
#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "io/json_reader.h"

namespace marsdrive::planners::vlm {

namespace {

using Json = nlohmann::json;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

bool IsJsonObject(std::string_view text) {
  const Json json = ParseBoundedJsonOrDiscarded<Json>(text);
  return !json.is_discarded() && json.is_object();
}

// The bodies of ``` fences (the info string, e.g. "json", dropped).
std::vector<std::string_view> FencedBlocks(std::string_view text) {
  std::vector<std::string_view> blocks;
  std::size_t pos = 0;
  while ((pos = text.find("```", pos)) != std::string_view::npos) {
    const std::size_t line_end = text.find('\n', pos + 3);
    if (line_end == std::string_view::npos) break;
    const std::size_t close = text.find("```", line_end + 1);
    if (close == std::string_view::npos) break;
    blocks.push_back(text.substr(line_end + 1, close - line_end - 1));
    pos = close + 3;
  }
  return blocks;
}

// Every balanced top-level {...} of the text (braces inside JSON strings ignored).
std::vector<std::string_view> BraceSpans(std::string_view text) {
  std::vector<std::string_view> spans;
  int depth = 0;
  bool in_string = false, escaped = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"' && depth > 0) {
      in_string = true;
    } else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}' && depth > 0 && --depth == 0) {
      spans.push_back(text.substr(start, i - start + 1));
    }
  }
  return spans;
}

std::string Excerpt(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out(text.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text.size() > kMax ? out + "..." : out;
}

}  // namespace

std::optional<std::string> ExtractJsonObject(std::string_view text, std::string& why) {
  const std::string_view whole = Trim(text);
  if (whole.empty()) {
    why = "the answer is empty";
    return std::nullopt;
  }
  if (IsJsonObject(whole)) return std::string(whole);
  std::vector<std::string_view> found;
  const std::vector<std::string_view> fenced = FencedBlocks(text);
  for (const std::string_view block : fenced) {
    if (IsJsonObject(Trim(block))) found.push_back(Trim(block));
  }
  if (found.empty()) {
    for (const std::string_view span : BraceSpans(text)) {
      if (IsJsonObject(span)) found.push_back(span);
    }
  }
  if (found.size() == 1) return std::string(found.front());
  if (found.size() > 1) {
    why =
        "the answer holds " + std::to_string(found.size()) + " JSON objects; expected exactly one";
    return std::nullopt;
  }
  const std::vector<std::string_view> braces = BraceSpans(text);
  if (!braces.empty()) {
    // Say what the parser objects to in the first candidate.
    std::string message = "no valid JSON object in the answer";
    std::string error;
    const Json ignored = ParseBoundedJsonOrDiscarded<Json>(
        fenced.empty() ? braces.front() : Trim(fenced.front()), &error);
    if (!error.empty()) message += " (" + error + ")";
    why = message;
  } else {
    why = "no JSON object in the answer (it begins \"" + Excerpt(whole) + "\")";
  }
  return std::nullopt;
}

RouteAnswer ParseRouteAnswer(std::string_view text, std::string_view structured_json) {
  RouteAnswer answer;
  std::string object_text;
  if (!Trim(structured_json).empty() && IsJsonObject(Trim(structured_json))) {
    object_text = std::string(Trim(structured_json));
  } else {
    std::string why;
    const std::optional<std::string> extracted = ExtractJsonObject(text, why);
    if (!extracted) {
      answer.error = why;
      return answer;
    }
    object_text = *extracted;
  }
  const Json doc = ParseBoundedJsonOrDiscarded<Json>(object_text);
  const auto fail = [&answer](std::string why) {
    answer.waypoints.clear();
    answer.error = std::move(why);
    return answer;
  };
  const auto list = doc.find("waypoints");
  if (list == doc.end()) return fail("the JSON object has no \"waypoints\" key");
  if (!list->is_array()) return fail("\"waypoints\" is not a list");
  if (list->empty()) return fail("\"waypoints\" is empty");
  if (list->size() > kMaxAnswerWaypoints) {
    return fail("\"waypoints\" holds " + std::to_string(list->size()) + " items; at most " +
                std::to_string(kMaxAnswerWaypoints) + " are accepted");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    const std::string where = "waypoints[" + std::to_string(i) + "]";
    if (!item.is_object()) return fail(where + " is not an object {\"x\", \"y\", \"rationale\"}");
    ProposedWaypoint w;
    for (const char* key : {"x", "y"}) {
      const auto v = item.find(key);
      if (v == item.end()) return fail(where + " has no \"" + key + "\"");
      if (!v->is_number()) {
        return fail(where + "." + key + " is not a number (got " + DescribeJson(*v) + ")");
      }
      const double value = v->get<double>();
      if (!std::isfinite(value)) return fail(where + "." + key + " is not finite");
      (key[0] == 'x' ? w.position.x_m : w.position.y_m) = value;
    }
    if (const auto why = item.find("rationale"); why != item.end()) {
      if (!why->is_string()) return fail(where + ".rationale is not a string");
      w.rationale = why->get<std::string>();
    }
    answer.waypoints.push_back(std::move(w));
  }
  return answer;
}

}  // namespace marsdrive::planners::vlm

#include "planners/vlm/vlm_planner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "base/check.h"
#include "planners/cost_map.h"
#include "planners/map_render.h"
#include "planners/route.h"
#include "planners/vlm/cassette.h"
#include "planners/vlm/route_answer.h"
#include "planners/vlm/route_prompt.h"

namespace marsdrive::planners {

namespace fs = std::filesystem;

namespace vlm {

namespace {

constexpr double kStartSnapM = 1.0;  // a first waypoint this close to the start is the start
constexpr const char* kAnswerText = "text";
constexpr const char* kAnswerJson = "json";
constexpr const char* kAnswerSchema = "schema";

std::string Num(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::vector<ParamSpec> VlmParams() {
  return {
      {.name = "provider",
       .type = ParamType::kChoice,
       .default_value = "anthropic",
       .choices = {"anthropic", "openai"},
       .help = "protocol: anthropic (Messages API; ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL without "
               "/v1) or openai (Chat Completions, also Ollama/vLLM/llama.cpp; OPENAI_API_KEY, "
               "OPENAI_BASE_URL with /v1)"},
      {.name = "model",
       .type = ParamType::kString,
       .default_value = "",
       .help = "model name; empty: claude-sonnet-4-5 (anthropic) or gpt-4o (openai)"},
      {.name = "temperature",
       .type = ParamType::kDouble,
       .default_value = "0",
       .min_value = -1,
       .max_value = 2,
       .help = "sampling temperature; -1: not sent (the model's default)"},
      {.name = "max_tokens",
       .type = ParamType::kInt,
       .default_value = "4096",
       .min_value = 64,
       .max_value = 200000,
       .help = "longest answer (tokens)"},
      {.name = "timeout_s",
       .type = ParamType::kDouble,
       .default_value = "120",
       .min_value = 0.1,
       .max_value = 3600,
       .help = "cap on one model call, retries included (also capped by the plan's --time-budget)"},
      {.name = "max_rounds",
       .type = ParamType::kInt,
       .default_value = "3",
       .min_value = 0,
       .max_value = 20,
       .help = "critique rounds: revisions asked for after an invalid answer (requests per plan "
               "<= 1 + max_rounds)"},
      {.name = "cache",
       .type = ParamType::kChoice,
       .default_value = "off",
       .choices = {"off", "record", "replay", "auto"},
       .help = "cassettes: off (always call), record (call and store), replay (stored answers "
               "only, no network), auto (replay when stored, else call and record)"},
      {.name = "cassette_dir",
       .type = ParamType::kString,
       .default_value = "vlm-cassettes",
       .help = "directory of the cassettes (one JSON file per model call, keyed by SHA-256)"},
      {.name = "overlay",
       .type = ParamType::kChoice,
       .default_value = "hazard",
       .choices = {"none", "slope", "hazard"},
       .help = "tint on the map image: impassable cells (hazard), slope colours, or none"},
      {.name = "segment_m",
       .type = ParamType::kDouble,
       .default_value = "10",
       .min_value = 1,
       .max_value = 1000,
       .help = "leg length the model is asked for (the real drives used ~10 m segments)"},
      {.name = "max_spacing_m",
       .type = ParamType::kDouble,
       .default_value = "20",
       .min_value = 1,
       .max_value = 10000,
       .help = "longest leg accepted (m; capped by the problem's spacing limit)"},
      {.name = "image_px",
       .type = ParamType::kInt,
       .default_value = "1024",
       .min_value = 256,
       .max_value = 4096,
       .help = "longer side of the map image (px); bigger maps are downscaled"},
      {.name = "answer",
       .type = ParamType::kChoice,
       .default_value = "json",
       .choices = {"json", "schema", "text"},
       .help = "answer mode: json (OpenAI json_object; prompt only for anthropic), schema "
               "(anthropic forced tool use / OpenAI json_schema), text (prompt only)"},
  };
}

PlannerSpecs VlmSpecs() {
  return {.summary =
              "vision-language model over HTTP (Anthropic or OpenAI-compatible): waypoints from "
              "the annotated orbital image, validated and critiqued; record/replay cassettes",
          .optimizing = false,
          .deterministic = false,
          .anytime = false,
          .needs_network = true};
}

bool HasCassettes(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") return true;
  }
  return false;
}

std::string EndpointHint(Provider provider) {
  return provider == Provider::kAnthropic ? "set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL"
                                          : "set OPENAI_API_KEY or OPENAI_BASE_URL";
}

// cache=auto: the stored answer when there is one, else a live call that is recorded.
class AutoCassetteClient final : public ModelClient {
 public:
  AutoCassetteClient(const fs::path& dir, std::unique_ptr<ModelClient> live)
      : replay_(dir, CacheMode::kReplay, nullptr),
        record_(
            live ? std::make_unique<CassetteModelClient>(dir, CacheMode::kRecord, std::move(live))
                 : nullptr) {}
  ModelResponse Call(const ModelRequest& request) override {
    ModelResponse stored = replay_.Call(request);
    if (stored.status != CallStatus::kReplayMiss || !record_) return stored;
    return record_->Call(request);
  }
  std::vector<std::string> Secrets() const override {
    return record_ ? record_->Secrets() : std::vector<std::string>{};
  }

 private:
  CassetteModelClient replay_;
  std::unique_ptr<CassetteModelClient> record_;
};

// What a failed call means for the plan: its status and the start of its reason.
std::pair<PlanStatus, std::string> DescribeFailure(CallStatus status) {
  switch (status) {
    case CallStatus::kAuthError:
      return {PlanStatus::kCrash, "authentication failed"};
    case CallStatus::kNotFound:
      return {PlanStatus::kCrash, "model or endpoint not found"};
    case CallStatus::kBadRequest:
    case CallStatus::kClientError:
      return {PlanStatus::kCrash, "request rejected"};
    case CallStatus::kRateLimited:
      return {PlanStatus::kCrash, "rate limited"};
    case CallStatus::kServerError:
      return {PlanStatus::kCrash, "server error"};
    case CallStatus::kConnectionError:
      return {PlanStatus::kCrash, "cannot reach the model server"};
    case CallStatus::kTimeout:
      return {PlanStatus::kTimeout, "timed out"};
    case CallStatus::kCancelled:
      return {PlanStatus::kTimeout, "stopped"};
    case CallStatus::kBadResponse:
      return {PlanStatus::kCrash, "unreadable response"};
    case CallStatus::kRefused:
      return {PlanStatus::kCrash, "the model refused"};
    case CallStatus::kReplayMiss:
      return {PlanStatus::kCrash, "no recorded answer"};
    case CallStatus::kCassetteError:
      return {PlanStatus::kCrash, "cassette error"};
    case CallStatus::kConfigError:
      return {PlanStatus::kCrash, "not configured"};
    case CallStatus::kOk:
      break;
  }
  return {PlanStatus::kCrash, "failed"};
}

// A model's route as the planner checks it: the start, then the model's waypoints (a first
// one within kStartSnapM of the start is the start), with the rationale of each.
struct Proposal {
  std::vector<Point2> route;
  std::vector<std::string> rationale;  // [0], the start's, is ""
};

Proposal MakeProposal(const RouteAnswer& answer, Point2 start) {
  Proposal p{{start}, {""}};
  for (std::size_t i = 0; i < answer.waypoints.size(); ++i) {
    const ProposedWaypoint& w = answer.waypoints[i];
    if (i == 0 && std::hypot(w.position.x_m - start.x_m, w.position.y_m - start.y_m) <= kStartSnapM)
      continue;
    p.route.push_back(w.position);
    p.rationale.push_back(w.rationale);
  }
  return p;
}

// CheckRoute's violations (map, blocked cells, spacing under `rules`), then "ends outside the
// goal tolerance" if so; `only_goal_missed` tells whether that is the only problem.
std::vector<RouteViolation> CheckProposal(const CostMap& map, const PlanProblem& rules,
                                          const GoalRegion& goal, const Proposal& proposal,
                                          bool& only_goal_missed) {
  std::vector<RouteViolation> violations = CheckRoute(map, rules, proposal.route);
  only_goal_missed = violations.empty();
  const double miss_m = DistanceToGoal(proposal.route, goal);
  if (miss_m > goal.tolerance_m) {
    const std::size_t last = proposal.route.size() - 1;
    violations.push_back(
        {static_cast<int>(last), "the route ends at waypoint " + std::to_string(last) + ", " +
                                     Num(miss_m) + " m from the goal (" + Num(goal.x_m) + ", " +
                                     Num(goal.y_m) + "); the last waypoint must lie within " +
                                     Num(goal.tolerance_m) + " m of it"});
  }
  return violations;
}

class VlmPlanner final : public Planner {
 public:
  VlmPlanner(PlannerParams params, VlmRuntime runtime)
      : Planner("vlm", VlmSpecs(), VlmParams(), std::move(params)), runtime_(std::move(runtime)) {
    if (!runtime_.env) runtime_.env = ProcessEnv();
  }

  PlanResult Plan(const PlanProblem& problem, std::stop_token stop) override;

 private:
  std::unique_ptr<ModelClient> MakeClient() const;
  ModelRequest BaseRequest() const;

  VlmRuntime runtime_;
};

std::unique_ptr<ModelClient> VlmPlanner::MakeClient() const {
  const std::string& cache = ParamValues().String("cache");
  const fs::path dir = ParamValues().String("cassette_dir");
  HttpModelClientOptions options;
  options.http = runtime_.http;
  options.env = runtime_.env;
  if (cache == "auto") {
    const Provider provider = *ParseProvider(ParamValues().String("provider"));
    std::unique_ptr<ModelClient> live;
    if (EndpointConfigured(provider, runtime_.env))
      live = std::make_unique<HttpModelClient>(std::move(options));
    return std::make_unique<AutoCassetteClient>(dir, std::move(live));
  }
  return MakeModelClient(*ParseCacheMode(cache), dir, std::move(options));
}

ModelRequest VlmPlanner::BaseRequest() const {
  const PlannerParams& p = ParamValues();
  ModelRequest request;
  request.provider = *ParseProvider(p.String("provider"));
  request.model = p.String("model").empty() ? DefaultModel(request.provider) : p.String("model");
  request.system = SystemPrompt();
  if (p.Double("temperature") >= 0) request.temperature = p.Double("temperature");
  request.max_tokens = static_cast<int>(p.Int("max_tokens"));
  const std::string& answer = p.String("answer");
  if (answer == kAnswerSchema) {
    request.answer_format = AnswerFormat::kJsonSchema;
    request.schema.name = "route";
    request.schema.description = "The rover route: waypoints in map metres, in driving order.";
    request.schema.schema_json = RouteAnswerSchemaJson();
    request.schema.strict = true;
  } else {
    request.answer_format = answer == kAnswerJson ? AnswerFormat::kJsonObject : AnswerFormat::kText;
  }
  return request;
}

PlanResult VlmPlanner::Plan(const PlanProblem& problem, std::stop_token stop) {
  const StopCondition budget(stop, problem.time_budget_s);
  const CostMap map(problem);
  if (std::optional<PlanResult> invalid = CheckEndpoints(map, problem)) return std::move(*invalid);
  const PlannerParams& p = ParamValues();
  // The spacing rule the routes are checked against: this planner's limit within the problem's.
  PlanProblem rules = problem;
  rules.limits.max_waypoint_spacing_m = EffectiveSpacing(problem, p.Double("max_spacing_m"));
  const Overlay overlay = *ParseOverlay(p.String("overlay"));
  const MapImage image =
      RenderMap(problem, {.max_side_px = static_cast<int>(p.Int("image_px")), .overlay = overlay});
  const BriefOptions brief_options{.segment_m = p.Double("segment_m"),
                                   .max_spacing_m = rules.limits.max_waypoint_spacing_m,
                                   .max_rounds = static_cast<int>(p.Int("max_rounds")),
                                   .overlay = overlay};
  const std::unique_ptr<ModelClient> client = MakeClient();
  ModelRequest request = BaseRequest();
  const std::string brief = MapBrief(problem, image, brief_options);
  request.turns.push_back({Role::kUser, brief, image.png});

  PlanResult result;
  const std::string image_note =
      "[image: the annotated map, PNG " + std::to_string(image.width_px) + " x " +
      std::to_string(image.height_px) + " px, sha256 " +
      Sha256Hex(
          std::string_view(reinterpret_cast<const char*>(image.png.data()), image.png.size())) +
      "]\n";
  result.transcript.push_back({"system", request.system});
  result.transcript.push_back({"user", image_note + brief});
  SetDiagnostic(result, "provider", std::string(ToString(request.provider)));
  SetDiagnostic(result, "model", request.model);
  SetDiagnostic(result, "image_px",
                std::to_string(image.width_px) + "x" + std::to_string(image.height_px));
  SetDiagnostic(result, "metres_per_px", image.metres_per_px);

  const Point2 start{problem.start.x_m, problem.start.y_m};
  const int max_answers = 1 + static_cast<int>(p.Int("max_rounds"));
  std::int64_t requests = 0, answers = 0, input_tokens = 0, output_tokens = 0;
  std::optional<std::pair<PlanStatus, std::string>> failure;  // a failed call or budget
  std::vector<Point2> last_route;
  std::vector<std::string> last_rationale;
  std::vector<RouteViolation> last_violations;
  bool accepted = false, only_goal_missed = false;
  std::string last_problem;  // why the last answer was rejected
  for (int round = 1; round <= max_answers; ++round) {
    const std::string tag = "round " + std::to_string(round);
    if (budget.ShouldStop()) {
      failure = {PlanStatus::kTimeout,
                 tag + ": " +
                     (budget.StopRequested()
                          ? "stop requested"
                          : "the time budget of " + Num(problem.time_budget_s) +
                                " s ran out (model calls take seconds to minutes: raise "
                                "--time-budget)")};
      break;
    }
    request.timeout_s = std::min(p.Double("timeout_s"), budget.RemainingS());
    request.stop = stop;
    const ModelResponse response = client->Call(request);
    ++requests;
    if (!response.ok()) {
      const auto [status, what] = DescribeFailure(response.status);
      failure = {status, tag + ": " + what + ": " + response.error};
      SetDiagnostic(result, "failure", std::string(ToString(response.status)));
      break;
    }
    ++answers;
    input_tokens += response.usage.input_tokens;
    output_tokens += response.usage.output_tokens;
    // What the model said, as the conversation goes on: its text, or its tool input.
    const std::string said =
        request.answer_format == AnswerFormat::kJsonSchema && !response.structured_json.empty()
            ? response.structured_json
            : response.text;
    result.transcript.push_back({"assistant", said});

    std::string critique;
    const RouteAnswer answer = ParseRouteAnswer(response.text, response.structured_json);
    if (!answer.ok()) {
      last_problem = tag + ": the answer could not be used: " + answer.error;
      result.log += last_problem + "\n";
      critique = ParseErrorCritique(round, answer.error);
    } else {
      const Proposal proposal = MakeProposal(answer, start);
      const std::vector<Point2>& route = proposal.route;
      const std::vector<RouteViolation> violations =
          CheckProposal(map, rules, problem.goal, proposal, only_goal_missed);
      last_route = route;
      last_rationale = proposal.rationale;
      last_violations = violations;
      if (violations.empty()) {
        result.log +=
            tag + ": route of " + std::to_string(route.size() - 1) + " waypoints accepted\n";
        accepted = true;
        break;
      }
      result.alternatives.push_back({tag, route});
      last_problem = tag + ": " + std::to_string(violations.size()) + " problem" +
                     (violations.size() == 1 ? "" : "s") + ": " + SummarizeViolations(violations);
      result.log += last_problem + "\n";
      critique = ViolationCritique(round, violations, route);
    }
    if (round == max_answers) break;  // no revision left to ask for
    request.turns.push_back({Role::kAssistant, said, {}});
    request.turns.push_back({Role::kUser, critique, {}});
    result.transcript.push_back({"user", critique});
  }

  SetDiagnostic(result, "requests", requests);
  SetDiagnostic(result, "rounds", answers);
  SetDiagnostic(result, "input_tokens", input_tokens);
  SetDiagnostic(result, "output_tokens", output_tokens);
  SetDiagnostic(result, "violations", static_cast<std::int64_t>(last_violations.size()));
  if (accepted) {
    result.status = PlanStatus::kExact;
  } else if (failure) {
    result.status = failure->first;
    result.reason = "vlm " + failure->second;
    last_route.clear(), last_rationale.clear();  // nothing valid was proposed before it
  } else if (!last_route.empty() && only_goal_missed) {
    result.status = PlanStatus::kApproximate;
    result.reason = "after " + std::to_string(answers) + " answers the route still ends short " +
                    "of the goal: " + SummarizeViolations(last_violations);
  } else {
    result.status = PlanStatus::kInvalidRoute;
    result.reason = "vlm: no valid route in " + std::to_string(answers) + " answers (max_rounds " +
                    std::to_string(p.Int("max_rounds")) + "); " + last_problem;
  }
  result.waypoints = last_route;
  result.rationale = last_rationale;
  if (!result.waypoints.empty()) AddRouteDiagnostics(result, map);

  // The key is only ever sent in headers, but nothing the model or a server said is trusted.
  const std::vector<std::string> secrets = client->Secrets();
  result.reason = ScrubSecrets(std::move(result.reason), secrets);
  result.log = ScrubSecrets(std::move(result.log), secrets);
  for (TranscriptEntry& entry : result.transcript)
    entry.text = ScrubSecrets(std::move(entry.text), secrets);
  for (std::string& why : result.rationale) why = ScrubSecrets(std::move(why), secrets);
  return result;
}

}  // namespace

const char* DefaultModel(Provider provider) {
  return provider == Provider::kAnthropic ? "claude-sonnet-4-5" : "gpt-4o";
}

std::unique_ptr<Planner> MakeVlmPlanner(const marsdrive::ParamMap& params, VlmRuntime runtime) {
  return std::make_unique<VlmPlanner>(PlannerParams::Resolve("vlm", VlmParams(), params),
                                      std::move(runtime));
}

std::optional<std::string> VlmUnavailableReason(const PlannerParams& params, const EnvFn& env) {
  const Provider provider = *ParseProvider(params.String("provider"));
  const std::string& cache = params.String("cache");
  const fs::path dir = params.String("cassette_dir");
  const bool endpoint = EndpointConfigured(provider, env ? env : ProcessEnv());
  const bool cassettes = cache != "off" && cache != "record" && HasCassettes(dir);
  if (cache == "replay") {
    if (cassettes) return std::nullopt;
    return "vlm: cache=replay and no cassette at " + dir.string();
  }
  if (endpoint || cassettes) return std::nullopt;
  std::string why = "vlm: no endpoint configured (" + EndpointHint(provider) + ")";
  if (cache == "auto") why += " and no cassette at " + dir.string();
  return why;
}

}  // namespace vlm

PlannerInfo VlmPlannerInfo() {
  return {.name = "vlm",
          .specs = vlm::VlmSpecs(),
          .params = vlm::VlmParams(),
          .make = [](PlannerParams params) -> std::unique_ptr<Planner> {
            return std::make_unique<vlm::VlmPlanner>(std::move(params), vlm::VlmRuntime{});
          },
          .unavailable_reason =
              [](const marsdrive::ParamMap& given) {
                return vlm::VlmUnavailableReason(
                    PlannerParams::Resolve("vlm", vlm::VlmParams(), given), vlm::ProcessEnv());
              }};
}

}  // namespace marsdrive::planners

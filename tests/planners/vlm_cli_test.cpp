// `marsdrive plan --planner vlm` end to end against the fake server: plan.json, route.geojson
// and route.xml written; a recorded cassette replays to the identical plan with no network; a
// failed call still writes plan.json and exits 1; the key appears in no output and no file.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/base64.h"
#include "tests/planners/vlm_planner_test_util.h"
#include "tests/util/command.h"

namespace marsdrive {
namespace {

namespace fs = std::filesystem;
using planners::testing::FakeModelServer;
using planners::testing::kVlmTestKey;
using ::testing::HasSubstr;
using testing::Marsdrive;
using ::testing::Not;
using testing::ReadWholeFile;
using testing::RunCommand;
using testing::TempDir;

class VlmCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("vlm-cli");
    const auto r = Marsdrive("terrain generate --preset flat --size 60x40 --resolution 0.2 --out " +
                             (*dir_ / "t").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ofstream(*dir_ / "crater.geojson") << R"({"type": "Feature",
        "properties": {"name": "crater"}, "geometry": {"type": "Polygon",
        "coordinates": [[[25, 10], [35, 10], [35, 30], [25, 30], [25, 10]]]}})";
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path Tmp() { return dir_->path(); }

  // `marsdrive plan` with only the given model variables in its environment.
  static testing::CommandResult Plan(const std::string& env, const std::string& params,
                                     const fs::path& out) {
    return RunCommand(
        "env -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL -u OPENAI_API_KEY "
        "-u OPENAI_BASE_URL " +
        env + " " + MARSDRIVE_BINARY + " plan --terrain " + (Tmp() / "t").string() +
        " --keep-out " + (Tmp() / "crater.geojson").string() +
        " --planner vlm --param image_px=512 --param timeout_s=10 " + params +
        " --start 5,5 --goal 55,35,1.5 --time-budget 60 --out " + out.string());
  }
  static std::string ServerEnv(const FakeModelServer& server) {
    return "ANTHROPIC_BASE_URL=" + server.base_url() + " ANTHROPIC_API_KEY=" + kVlmTestKey;
  }

  // Every file under `dir` and the command's output are free of the key.
  static void ExpectNoKey(const testing::CommandResult& r, const std::vector<fs::path>& dirs) {
    EXPECT_THAT(r.out, Not(HasSubstr(kVlmTestKey)));
    EXPECT_THAT(r.err, Not(HasSubstr(kVlmTestKey)));
    for (const fs::path& dir : dirs) {
      for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        EXPECT_THAT(ReadWholeFile(entry.path()), Not(HasSubstr(kVlmTestKey))) << entry.path();
      }
    }
  }

 private:
  static TempDir* dir_;
};
TempDir* VlmCli::dir_ = nullptr;

// plan.json without the lines that may differ between a recorded and a replayed plan.
std::string Comparable(const fs::path& plan) {
  std::string out;
  std::istringstream in(ReadWholeFile(plan));
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"wall_time_s\"") != std::string::npos) continue;
    if (line.find("\"cache\"") != std::string::npos) continue;
    out += line + "\n";
  }
  return out;
}

TEST_F(VlmCli, RecordsThenReplaysTheIdenticalPlanWithoutNetwork) {
  using planners::testing::CraterRoute;
  using planners::testing::GoodRoute;
  using planners::testing::ModelAnswer;
  using planners::testing::RouteJson;
  const auto anthropic = planners::vlm::Provider::kAnthropic;
  FakeModelServer server({ModelAnswer(anthropic, RouteJson(CraterRoute())),
                          ModelAnswer(anthropic, RouteJson(GoodRoute()))});
  const fs::path cassettes = Tmp() / "cassettes", recorded = Tmp() / "recorded";
  const auto r = Plan(ServerEnv(server),
                      "--param cache=record --param cassette_dir=" + cassettes.string(), recorded);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("plan vlm exact"));
  ASSERT_EQ(server.requests().size(), 2u);  // the critique round
  const nlohmann::json plan = nlohmann::json::parse(ReadWholeFile(recorded / "plan.json"));
  EXPECT_EQ(plan["status"], "exact");
  EXPECT_EQ(plan["alternatives"][0]["label"], "round 1");
  EXPECT_EQ(plan["rationale"][1], "leg 1: flat ground");
  EXPECT_EQ(plan["transcript"].size(), 5u);
  for (const char* file : {"problem.json", "plan.json", "route.geojson", "route.xml"})
    EXPECT_TRUE(fs::exists(recorded / file)) << file;
  EXPECT_THAT(ReadWholeFile(recorded / "route.xml"), HasSubstr("<steps count=\"7\">"));
  ExpectNoKey(r, {recorded, cassettes});

  // Replay: no key, no server (a closed port), the same plan.
  server.Stop();
  const fs::path replayed = Tmp() / "replayed";
  const auto again =
      Plan("ANTHROPIC_BASE_URL=http://127.0.0.1:9",
           "--param cache=replay --param cassette_dir=" + cassettes.string(), replayed);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(Comparable(replayed / "plan.json"), Comparable(recorded / "plan.json"));
  EXPECT_EQ(ReadWholeFile(replayed / "route.xml"), ReadWholeFile(recorded / "route.xml"));
  EXPECT_EQ(server.requests().size(), 2u);
  // The saved problem replays too (the suite's way to re-score offline).
  const fs::path from_problem = Tmp() / "replayed-problem";
  const auto saved = Marsdrive("plan --problem " + (recorded / "problem.json").string() +
                               " --planner vlm --param image_px=512 --param timeout_s=10 "
                               "--param cache=replay --param cassette_dir=" +
                               cassettes.string() + " --out " + from_problem.string());
  ASSERT_EQ(saved.exit_code, 0) << saved.out << saved.err;
  EXPECT_EQ(Comparable(from_problem / "plan.json"), Comparable(recorded / "plan.json"));
  // Control: the comparison sees a difference when there is one.
  EXPECT_NE(Comparable(replayed / "plan.json"), Comparable(replayed / "problem.json"));
}

TEST_F(VlmCli, AFailedCallWritesPlanJsonAndExitsOne) {
  FakeModelServer server({planners::testing::Reply(
      401, planners::testing::AnthropicError("authentication_error", "invalid x-api-key"))});
  const fs::path out = Tmp() / "bad-key";
  const auto r = Plan(ServerEnv(server), "", out);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("authentication failed"));
  const nlohmann::json plan = nlohmann::json::parse(ReadWholeFile(out / "plan.json"));
  EXPECT_EQ(plan["status"], "crash");
  EXPECT_THAT(plan["reason"].get<std::string>(), HasSubstr("ANTHROPIC_API_KEY"));
  EXPECT_TRUE(fs::exists(out / "route.geojson"));
  EXPECT_TRUE(fs::exists(out / "route.xml"));
  ExpectNoKey(r, {out});
}

// ---- a server that echoes the key back in every form (issue 14 item 3) ----------------------

std::string EscapedEach(const std::string& s, const char* format) {
  std::string out;
  for (const char c : s) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned>(c));
    out += buffer;
  }
  return out;
}

// Every form of every run of 8 characters of the key (and of 11 characters of its base64) that
// the server below sends: none may reach a file, stdout or stderr.
std::vector<std::string> LeakForms() {
  const std::string key = kVlmTestKey;
  std::vector<std::string> forms;
  for (std::size_t i = 0; i + 8 <= key.size(); ++i) {
    const std::string run = key.substr(i, 8);
    for (const char* format : {"%c", "\\u%04x", "\\\\u%04x", "%%%02X"})
      forms.push_back(EscapedEach(run, format));
  }
  const std::string base64 = marsdrive::Base64Encode(key);
  for (std::size_t i = 0; i + 11 <= base64.size() - 4; ++i) forms.push_back(base64.substr(i, 11));
  return forms;
}

void ExpectNoLeak(const std::string& text, const std::string& where) {
  for (const std::string& form : LeakForms())
    EXPECT_EQ(text.find(form), std::string::npos) << where << " holds " << form;
}

void ExpectNoLeak(const testing::CommandResult& r, const fs::path& dir) {
  ExpectNoLeak(r.out, "stdout");
  ExpectNoLeak(r.err, "stderr");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ExpectNoLeak(ReadWholeFile(entry.path()), entry.path().string());
  }
}

TEST_F(VlmCli, AKeyEchoedInAnyFormIsInNoFileAndNoOutput) {
  using planners::testing::GoodRoute;
  using planners::testing::Reply;
  using planners::testing::RouteJson;
  const std::string key = kVlmTestKey;
  // A 200 answer whose JSON body holds the key with every character a JSON u-escape (it decodes
  // to the key itself in the answer), escaped twice, URL-encoded and in base64.
  std::string answer = planners::testing::AnthropicTextAnswer(RouteJson(GoodRoute()) + " ECHO");
  answer.replace(answer.find("ECHO"), 4,
                 "json:" + EscapedEach(key, "\\u%04x") + " twice:" + EscapedEach(key, "\\\\u%04x") +
                     " url:" + EscapedEach(key, "%%%02X") + " b64:" + marsdrive::Base64Encode(key));
  ASSERT_TRUE(nlohmann::json::accept(answer));
  FakeModelServer server({Reply(200, answer)});
  const fs::path out = Tmp() / "echo-200", cassettes = Tmp() / "echo-cassettes";
  const auto r = Plan(ServerEnv(server),
                      "--param cache=record --param cassette_dir=" + cassettes.string(), out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Control: the echo reached plan.json and the cassette, redacted.
  EXPECT_THAT(ReadWholeFile(out / "plan.json"), HasSubstr("json:[REDACTED] twice:[REDACTED]"));
  ASSERT_FALSE(fs::is_empty(cassettes));
  ExpectNoLeak(r, out);
  ExpectNoLeak(r, cassettes);

  // A 401 whose error message cuts the key short (its first 16 characters).
  server.SetScript(
      {Reply(401, planners::testing::AnthropicError("authentication_error",
                                                    "invalid x-api-key " + key.substr(0, 16)))});
  const fs::path out401 = Tmp() / "echo-401";
  const auto r401 = Plan(ServerEnv(server), "", out401);
  EXPECT_EQ(r401.exit_code, 1) << r401.out << r401.err;
  EXPECT_THAT(r401.out, HasSubstr("invalid x-api-key [REDACTED]"));
  ExpectNoLeak(r401, out401);

  // A 400 HTML page with the key's last 20 characters, ESC and CR, and a multi-byte character
  // where the message is cut: shown scrubbed, printable, and cut on a character boundary.
  std::string page = "<html><body>bad key " + key.substr(key.size() - 20) + " \x1b[2J\r";
  for (int i = 0; i < 400; ++i) page += "\xc3\xa9";
  server.SetScript({Reply(400, page + "</body></html>", {}, "text/html")});
  const fs::path out400 = Tmp() / "echo-400";
  const auto r400 = Plan(ServerEnv(server), "", out400);
  EXPECT_EQ(r400.exit_code, 1) << r400.out << r400.err;  // a failed plan, not exit 3
  EXPECT_THAT(r400.out, HasSubstr("bad key [REDACTED]"));
  EXPECT_THAT(r400.out + r400.err, Not(HasSubstr("\x1b")));
  EXPECT_TRUE(nlohmann::json::accept(ReadWholeFile(out400 / "plan.json")));
  ExpectNoLeak(r400, out400);
}

TEST_F(VlmCli, ReplayWithoutCassetteFailsClearly) {
  const fs::path out = Tmp() / "miss";
  const auto r =
      Plan("", "--param cache=replay --param cassette_dir=" + (Tmp() / "none").string(), out);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const nlohmann::json plan = nlohmann::json::parse(ReadWholeFile(out / "plan.json"));
  EXPECT_THAT(plan["reason"].get<std::string>(), HasSubstr("no cassette for request"));
}

TEST_F(VlmCli, EveryPlannerWritesRouteFilesThatReadBack) {
  const fs::path out = Tmp() / "astar", again = Tmp() / "astar-scripted";
  const std::string common = "plan --terrain " + (Tmp() / "t").string() + " --keep-out " +
                             (Tmp() / "crater.geojson").string() + " --start 5,5 --goal 55,35 ";
  const auto r = Marsdrive(common + "--planner astar --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(ReadWholeFile(out / "route.xml"), HasSubstr("planner=\"astar\" status=\"exact\""));
  // The GeoJSON carries the route to another planner unchanged.
  const auto s =
      Marsdrive(common + "--planner scripted --param file=" + (out / "route.geojson").string() +
                " --out " + again.string());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(nlohmann::json::parse(ReadWholeFile(again / "plan.json"))["waypoints"],
            nlohmann::json::parse(ReadWholeFile(out / "plan.json"))["waypoints"]);
}

TEST_F(VlmCli, IsListedWithItsParameters) {
  const auto r = Marsdrive("planners");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* text : {"vlm:", "provider", "anthropic|openai", "max_rounds", "cassette_dir",
                           "off|record|replay|auto", "none|slope|hazard"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
}

}  // namespace
}  // namespace marsdrive

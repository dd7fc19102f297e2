// A model's route answer (planners/vlm/route_answer.h): as free text (the object found in
// prose or a code fence) and as a structured answer (a forced tool's input, a JSON mode).
// Bad answers are values (RouteAnswer::error), never exceptions: nothing is caught here.

#include "planners/vlm/route_answer.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive::planners::vlm;
  const std::string text = marsdrive::fuzz::Text(data, size);
  std::string why;
  (void)ExtractJsonObject(text, why);
  (void)ParseRouteAnswer(text, "");
  (void)ParseRouteAnswer("", text);
  return 0;
}

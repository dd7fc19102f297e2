// A model server's HTTP response (planners/vlm/model_client.h, http_client.h, scrub.h): the body
// parsed as each provider's 2xx answer and as an error body, the Retry-After headers, and the
// scrubber, which must leave no copy of the key in anything. Errors are values, never
// exceptions: nothing is caught here.

#include <cstdio>
#include <map>

#include "planners/vlm/http_client.h"
#include "planners/vlm/model_client.h"
#include "planners/vlm/scrub.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace marsdrive::planners::vlm;
  static const std::string kKey = "sk-fuzz-0123456789abcdefKEY";
  const std::string body = marsdrive::fuzz::Text(data, size);
  for (const Provider p : {Provider::kAnthropic, Provider::kOpenAi}) {
    (void)ParseResponseBody(p, body);
  }
  (void)ExtractApiErrorMessage(body);
  (void)RedactUrl(body);
  (void)ParseRetryAfter({{"retry-after-ms", body}}, 1700000000);
  (void)ParseRetryAfter({{"retry-after", body}}, 1700000000);
  const std::string scrubbed = ScrubSecrets(body + kKey + body, std::span(&kKey, 1));
  if (scrubbed.find(kKey) != std::string::npos) {
    std::fprintf(stderr, "the scrubbed text still holds the key\n");
    __builtin_trap();
  }
  return 0;
}

#pragma once
// Secrets (API keys) never leave the process in anything written or printed: the scrubber that
// every message, log line, transcript, cassette and plan passes through (docs/planners.md).

#include <span>
#include <string>

namespace marsdrive::planners::vlm {

// Replaces each secret in `text` by "[REDACTED]", in every form a server could echo it back:
//   - exact, JSON-escaped (\uXXXX for any character, "\/", also escaped twice: "\\u0073"),
//     URL-encoded (%XX for any character, also %25XX), or any mix of these;
//   - base64 (standard and URL-safe alphabets, at any of the three byte alignments inside a
//     longer base64 text, e.g. "Basic base64(user:key)");
//   - cut: any prefix or suffix of 8 or more characters of the secret (a key cut short at the
//     end of a truncated error body is still a key), and of 11 or more characters of its base64
//     form (8 bytes of the key). Runs from a key's middle are not matched: a key that holds a
//     word must not shred that word everywhere.
// Secrets shorter than 6 characters are not secrets (replacing them would shred the text);
// those of 6 or 7 characters are replaced only whole. Linear in text size for ordinary text.
std::string ScrubSecrets(std::string text, std::span<const std::string> secrets);

}  // namespace marsdrive::planners::vlm

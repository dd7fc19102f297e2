#pragma once
// Untrusted text in messages: an input's bytes are quoted, never echoed (docs/hardening.md).

#include <cstddef>
#include <string>
#include <string_view>

namespace marsdrive::base {

// `text` as a short, printable, quoted excerpt for an error message: printable ASCII is kept,
// `quote` and '\' are backslash-escaped, every other byte (control characters, ESC, CR, bytes
// of UTF-8 sequences, invalid bytes) becomes \xNN; at most `max_bytes` input bytes are quoted,
// then "..." follows the closing quote. E.g. QuoteExcerpt("a\x1b[31m") is "\"a\\x1b[31m\"".
std::string QuoteExcerpt(std::string_view text, std::size_t max_bytes = 40, char quote = '"');

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence (a cut never splits a character; invalid bytes are left to the caller).
std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes);

// `text` with every invalid UTF-8 sequence and every control character except '\n' and '\t'
// replaced by '?': safe to print on a terminal.
std::string PrintableUtf8(std::string_view text);

}  // namespace marsdrive::base

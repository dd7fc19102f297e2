#pragma once
// Escaping text for XML and HTML documents (JUnit XML, route XML, the HTML report): the markup
// characters become entity references, and what XML 1.0 cannot hold (invalid UTF-8, controls
// other than tab, newline and carriage return) becomes U+FFFD, so any string (a model's answer,
// an exception message) yields a well-formed document.

#include <string>
#include <string_view>

namespace marsdrive {

// For element text, or (attribute = true) for a double-quoted attribute value, where tab,
// newline and carriage return become references (attribute-value normalisation would turn
// them into spaces).
std::string EscapeMarkup(std::string_view text, bool attribute);

}  // namespace marsdrive

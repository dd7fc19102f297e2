#pragma once
// Checks on a YAML document's structure that yaml-cpp does not make, run on the event stream
// before any node tree is built (issue 14):
//   - a key repeated in one map is an input error (yaml-cpp keeps both and every lookup finds
//     the first: `goal:` twice silently used the first);
//   - aliases may add at most kYamlMaxAliasNodes nodes to the document: a "billion laughs"
//     (anchors of anchors of lists) is refused before anything expands it (44 KB took 2.3 GB).

#include <cstdint>
#include <string>

namespace marsdrive {

// Nodes that aliases (*name) may add in all, counted as if each alias were replaced by a copy
// of its anchor's node. Far above what reusing a few settings needs.
inline constexpr std::uint64_t kYamlMaxAliasNodes = 1'000'000;

// Throws InputError "<file>: <key path>: duplicate key (first at line N)" or "<file>: <path>:
// aliases expand the document by more than 1000000 nodes ...". Syntax errors are
// YAML::ParserException (the callers' own messages), as from YAML::Load.
void CheckYamlStructure(const std::string& text, const std::string& file);

}  // namespace marsdrive

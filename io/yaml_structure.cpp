#include "io/yaml_structure.h"

#include <map>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "base/check.h"
#include "base/text.h"

namespace marsdrive {

namespace {

// A key as it appears in a path: plain when short and printable, else a quoted excerpt.
std::string KeyText(const std::string& key) {
  bool plain = !key.empty() && key.size() <= 40;
  for (const char c : key) plain = plain && c > ' ' && c < 0x7f && c != '"' && c != '\\';
  return plain ? key : base::QuoteExcerpt(key, 40);
}

class StructureCheck : public YAML::EventHandler {
 public:
  explicit StructureCheck(std::string file) : file_(std::move(file)) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor, "~"); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    Leaf(mark, anchor, value);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    const std::uint64_t nodes = it == anchors_.end() ? 1 : it->second.nodes;
    const std::string path = ChildPath();
    alias_nodes_ += nodes;
    MD_THROW_UNLESS(alias_nodes_ <= kYamlMaxAliasNodes,
                    Where(path) + "aliases expand the document by more than " +
                        std::to_string(kYamlMaxAliasNodes) +
                        " nodes (an alias bomb?); write the values out instead");
    const bool scalar = it != anchors_.end() && it->second.scalar;
    EndNode(mark, scalar ? it->second.text : std::string(), nodes, scalar);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(false, anchor);
  }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(true, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapEnd() override { Close(); }

 private:
  struct Anchor {
    std::uint64_t nodes = 1;
    bool scalar = false;
    std::string text;  // a scalar's value (an alias may be a key)
  };
  struct Frame {
    bool map = false;
    std::string path;
    YAML::anchor_t anchor = 0;
    std::uint64_t nodes = 1;  // this container and everything in it, aliases expanded
    std::size_t items = 0;    // sequence items so far
    bool at_key = true;       // maps: the next node is a key
    bool key_is_text = false;
    std::string key;                   // the current key (when key_is_text)
    std::map<std::string, int> lines;  // key -> 1-based line of its first use
  };

  std::string Where(const std::string& path) const {
    return file_ + ": " + (path.empty() ? "" : path + ": ");
  }

  // The path of the node that starts now, as a value or item of the innermost container.
  std::string ChildPath() const {
    if (stack_.empty()) return "";
    const Frame& f = stack_.back();
    if (!f.map) return f.path + "[" + std::to_string(f.items) + "]";
    const std::string key = f.at_key ? "(key)" : (f.key_is_text ? KeyText(f.key) : "(key)");
    return f.path.empty() ? key : f.path + "." + key;
  }

  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& text) {
    if (anchor != 0) anchors_[anchor] = {1, true, text};
    EndNode(mark, text, 1);
  }

  void Open(bool map, YAML::anchor_t anchor) {
    Frame f;
    f.map = map;
    f.path = ChildPath();
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor != 0) anchors_[f.anchor] = {f.nodes, false, ""};
    EndNode(YAML::Mark::null_mark(), "", f.nodes, /*is_text=*/false);
  }

  // A node (of `nodes` nodes, aliases expanded) ended inside the innermost container.
  void EndNode(const YAML::Mark& mark, const std::string& text, std::uint64_t nodes,
               bool is_text = true) {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    f.nodes += nodes;
    if (!f.map) {
      ++f.items;
      return;
    }
    if (!f.at_key) {
      f.at_key = true;
      return;
    }
    f.at_key = false;
    f.key_is_text = is_text;
    f.key = text;
    if (!is_text) return;  // a list or map as a key: never in marsdrive's files
    const auto [it, added] = f.lines.emplace(text, mark.line + 1);
    MD_THROW_UNLESS(added, Where(f.path.empty() ? KeyText(text) : f.path + "." + KeyText(text)) +
                               "duplicate key (first at line " + std::to_string(it->second) +
                               "); each key may appear once");
  }

  std::string file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchor> anchors_;
  std::uint64_t alias_nodes_ = 0;
};

}  // namespace

void CheckYamlStructure(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  StructureCheck check(file);
  parser.HandleNextDocument(check);
}

}  // namespace marsdrive

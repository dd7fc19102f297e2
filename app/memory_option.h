#pragma once
// `--max-memory SIZE` for the subcommands that estimate memory before they allocate
// (base/memory_budget.h, docs/limits.md).

#include <string>

#include <CLI/CLI.hpp>

#include "base/check.h"
#include "base/memory_budget.h"

namespace marsdrive::app {

inline void AddMaxMemoryOption(CLI::App* command) {
  command->add_option_function<std::string>(
      "--max-memory",
      [](const std::string& text) {
        const auto bytes = base::ParseByteSize(text);
        MD_THROW_UNLESS(bytes.has_value(),
                        "--max-memory " + text +
                            ": expected a size in bytes > 0, e.g. 4G, 512M, 2.5GiB or 1e9");
        base::SetMaxMemoryBytes(*bytes);
      },
      "refuse requests estimated to need more memory than this (e.g. 4G; default 16G; also "
      "limited by ulimit -v and the available memory)");
}

}  // namespace marsdrive::app

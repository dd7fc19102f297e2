#pragma once
// Shared by the libFuzzer targets (docs/fuzzing.md): the input as text or as a file, and the one
// outcome bad input may have. An InputError is the expected answer to bad input; anything else
// escaping a target (another exception, a signal, a sanitizer report) is a finding.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>

#include "base/check.h"

namespace marsdrive::fuzz {

inline std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// This process's scratch directory, on /dev/shm when there is one (no disk IO per input);
// removed when the fuzzer exits normally.
class Scratch {
 public:
  Scratch() {
    std::error_code ec;
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base, ec)) base = std::filesystem::temp_directory_path();
    dir_ = base / ("marsdrive-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};
inline const std::filesystem::path& ScratchDir() {
  static const Scratch scratch;
  return scratch.dir();
}

// Writes the input to `name` in the scratch directory (or under `dir` when given).
inline std::filesystem::path WriteFile(const std::filesystem::path& path, const std::uint8_t* data,
                                       std::size_t size) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}
inline std::filesystem::path WriteScratchFile(const std::string& name, const std::uint8_t* data,
                                              std::size_t size) {
  return WriteFile(ScratchDir() / name, data, size);
}

// Runs `parse`; an InputError is the expected outcome for bad input and is swallowed.
template <class F>
void AcceptInputError(F&& parse) {
  try {
    parse();
  } catch (const InputError&) {
  }
}

}  // namespace marsdrive::fuzz

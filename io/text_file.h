#pragma once
// Whole-file input and output, written once for every module: bounded reads that name the file
// in their errors, and writes that never leave half a file or follow a planted symlink.

#include <cstddef>
#include <filesystem>
#include <string>

namespace marsdrive {

// Largest text input file read whole (JSON, GeoJSON, plans, results): 256 MiB.
inline constexpr std::size_t kTextFileMaxBytes = std::size_t{256} << 20;

// The whole of a regular file of at most `max_bytes` bytes; InputError naming the file and
// `what` it should have been otherwise (missing, a directory, too large, unreadable).
std::string ReadBoundedTextFile(const std::filesystem::path& path, std::size_t max_bytes,
                                const std::string& what);

// ReadBoundedTextFile with kTextFileMaxBytes, for "an input file".
std::string ReadTextFile(const std::filesystem::path& path);

// Writes `bytes` to a new temporary file beside `path` (a name no one else uses, created
// exclusively and never through a symlink) and renames it over `path`, so readers see the old
// file or the whole new one. A symbolic link at `path` is refused ("PATH: is a symbolic link;
// refusing to write through it"), never followed; links among the parent directories are the
// caller's to check (app/out_dir.h, the suite runner's runs/ tree). InputError naming the path
// on any failure; the temporary file is removed then.
void WriteTextFile(const std::filesystem::path& path, const std::string& bytes);

}  // namespace marsdrive

#include "io/text_file.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/check.h"

namespace marsdrive {
namespace fs = std::filesystem;

std::string ReadBoundedTextFile(const fs::path& path, std::size_t max_bytes,
                                const std::string& what) {
  std::error_code ec;
  MD_THROW_UNLESS(fs::is_regular_file(path, ec),
                  path.string() + ": no such file (expected " + what + ")");
  const std::uintmax_t size = fs::file_size(path, ec);
  MD_THROW_UNLESS(!ec, path.string() + ": cannot read its size (" + ec.message() + ")");
  MD_THROW_UNLESS(size <= max_bytes, path.string() + ": " + std::to_string(size) +
                                         " bytes; expected at most " + std::to_string(max_bytes) +
                                         " (" + what + ")");
  std::ifstream in(path, std::ios::binary);
  MD_THROW_UNLESS(in.good(), path.string() + ": cannot open (expected " + what + ")");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  // A file that grew after its size was read (a pipe, /proc): read on, still bounded.
  char extra[4096];
  while (in.read(extra, sizeof extra) || in.gcount() > 0) {
    text.append(extra, static_cast<std::size_t>(in.gcount()));
    MD_THROW_UNLESS(text.size() <= max_bytes, path.string() + ": more than " +
                                                  std::to_string(max_bytes) + " bytes (expected " +
                                                  what + ")");
  }
  return text;
}

std::string ReadTextFile(const fs::path& path) {
  return ReadBoundedTextFile(path, kTextFileMaxBytes, "an input file");
}

namespace {

// A name no other writer (thread or process) uses: .NAME.partial-PID-N beside the target.
fs::path TemporaryBeside(const fs::path& path) {
  static std::atomic<std::uint64_t> counter{0};
  // Appended piece by piece: g++ 12 warns -Wrestrict (a false positive) on "literal" + string.
  std::string name = ".";
  name += path.filename().string();
  name += ".partial-";
  name += std::to_string(::getpid());
  name += "-";
  name += std::to_string(counter.fetch_add(1));
  return path.parent_path() / name;
}

// Writes all of `bytes` to `fd`; false on any error.
bool WriteAll(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void WriteTextFile(const fs::path& path, const std::string& bytes) {
  struct stat st {};
  MD_THROW_UNLESS(::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode),
                  path.string() + ": is a symbolic link; refusing to write through it");
  const fs::path temporary = TemporaryBeside(path);
  // O_EXCL | O_NOFOLLOW: never write through a file or link someone planted under that name.
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    const std::string reason = std::strerror(errno);
    throw InputError(path.string() + ": cannot write (" + reason + ")");
  }
  const bool written = WriteAll(fd, bytes);
  const bool closed = ::close(fd) == 0;
  std::error_code ec;
  if (written && closed) fs::rename(temporary, path, ec);
  if (!written || !closed || ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    std::string reason = ec ? ec.message() : "write failed";
    throw InputError(path.string() + ": cannot write (" + reason + ")");
  }
}

}  // namespace marsdrive

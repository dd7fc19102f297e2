#include "terrain/file_write.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "terrain/check.h"

namespace marsdrive {

namespace fs = std::filesystem;

namespace {

std::string Refusal(const fs::path& path) {
  return path.string() + ": is a symbolic link; refusing to write through it";
}

bool IsSymlink(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

// Writes everything to `fd` and closes it; throws naming `path` on failure.
void WriteAndClose(int fd, const fs::path& path, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      throw InputError(path.string() + ": write failed (" + std::strerror(err) + ")");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  MD_THROW_UNLESS(::close(fd) == 0,
                  path.string() + ": write failed (" + std::strerror(errno) + ")");
}

int OpenNoFollow(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd >= 0) return fd;
  const int err = errno;
  MD_THROW_UNLESS(err != ELOOP, Refusal(path));
  throw InputError(path.string() + ": cannot open for writing (" + std::strerror(err) + ")");
}

}  // namespace

void WriteFileNoFollow(const fs::path& path, std::string_view bytes) {
  WriteAndClose(OpenNoFollow(path, O_CREAT | O_TRUNC), path, bytes);
}

void WriteFileAtomically(const fs::path& path, std::string_view bytes) {
  MD_THROW_UNLESS(!IsSymlink(path), Refusal(path));
  const fs::path temporary = path.string() + ".partial";
  // unlink removes a planted link itself, never its target; O_EXCL then refuses anything
  // created in between.
  if (::unlink(temporary.c_str()) != 0 && errno != ENOENT) {
    throw InputError(temporary.string() + ": cannot replace (" + std::strerror(errno) + ")");
  }
  WriteAndClose(OpenNoFollow(temporary, O_CREAT | O_EXCL), temporary, bytes);
  // rename replaces the name `path`; it would replace a link there too, not write through it.
  MD_THROW_UNLESS(::rename(temporary.c_str(), path.c_str()) == 0,
                  path.string() + ": cannot rename into place (" + std::strerror(errno) + ")");
}

}  // namespace marsdrive

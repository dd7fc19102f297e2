#pragma once
// `--out DIR` of every command that writes a directory: checked before any work. A symbolic
// link is refused (outputs are never written through links: a planted link would redirect them,
// issue 14), and so is an existing file that is not a directory; a missing DIR is created later
// by the command itself.

#include <string>

#include <sys/stat.h>

#include "base/check.h"

namespace marsdrive::app {

inline void RequireOutDir(const std::string& out, const std::string& option = "--out") {
  std::string path = out;
  // "link/" would make lstat follow the link: look at the name itself.
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  struct stat st {};
  if (path.empty() || ::lstat(path.c_str(), &st) != 0) return;
  MD_THROW_UNLESS(!S_ISLNK(st.st_mode),
                  option + " " + out +
                      ": is a symbolic link; give the directory itself (marsdrive does not write "
                      "through links)");
  MD_THROW_UNLESS(S_ISDIR(st.st_mode),
                  option + " " + out + ": exists and is not a directory; expected a directory");
}

}  // namespace marsdrive::app

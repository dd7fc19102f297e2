#include "terrain/truth/rock_file.h"

#include <string>
#include <system_error>

#include "base/check.h"
#include "io/text_file.h"
#include "terrain/rock_list.h"

namespace marsdrive::terrain {

std::vector<Rock> LoadRockFile(const std::filesystem::path& path) {
  std::error_code ec;
  MD_THROW_UNLESS(std::filesystem::is_regular_file(path, ec),
                  path.string() + ": cannot open rock file (missing or unreadable)");
  return ParseRockList(ReadBoundedTextFile(path, kTextFileMaxBytes, "a rock file"), path.string());
}

}  // namespace marsdrive::terrain

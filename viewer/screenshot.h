#pragma once
// Writing a rendered frame to a PNG file (OpenCV imgcodecs).

#include <cstdint>
#include <filesystem>
#include <vector>

namespace marsdrive::viewer {

// rgb: width * height * 3 bytes, row 0 at the top. Throws InputError naming the file when it
// cannot be written.
void WritePng(const std::filesystem::path& path, int width, int height,
              const std::vector<std::uint8_t>& rgb);

}  // namespace marsdrive::viewer

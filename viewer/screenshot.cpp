#include "viewer/screenshot.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "base/check.h"

namespace marsdrive::viewer {

void WritePng(const std::filesystem::path& path, int width, int height,
              const std::vector<std::uint8_t>& rgb) {
  MD_DEMAND(rgb.size() == static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  const cv::Mat view(height, width, CV_8UC3, const_cast<std::uint8_t*>(rgb.data()));
  cv::Mat bgr;
  cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  bool ok = false;
  try {
    ok = cv::imwrite(path.string(), bgr, {cv::IMWRITE_PNG_COMPRESSION, 9});
  } catch (const cv::Exception& e) {
    throw InputError(path.string() + ": cannot write the PNG: " + e.what());
  }
  MD_THROW_UNLESS(ok, path.string() + ": cannot write the PNG (directory missing or read-only?)");
}

}  // namespace marsdrive::viewer

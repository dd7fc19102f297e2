#pragma once
// glfwInit / glfwTerminate, and one window with an OpenGL 3.3 core context made current
// (throws DisplayError when there is none: no display, no OpenGL 3.3).

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace marsdrive::viewer {

class Window {
 public:
  Window(int width, int height, bool visible, const char* title);
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;
  Window(Window&&) = delete;
  Window& operator=(Window&&) = delete;
  ~Window();
  GLFWwindow* get() const { return window_; }

 private:
  GLFWwindow* window_ = nullptr;
};

}  // namespace marsdrive::viewer

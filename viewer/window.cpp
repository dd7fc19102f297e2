#include "viewer/window.h"

#include <string>

#include "viewer/viewer_options.h"

namespace marsdrive::viewer {
namespace {

std::string g_glfw_error;  // the last GLFW error, for DisplayError messages

void OnGlfwError(int code, const char* text) {
  g_glfw_error = "GLFW error ";
  g_glfw_error += std::to_string(code);
  g_glfw_error += ": ";
  g_glfw_error += text;
}

}  // namespace

Window::Window(int width, int height, bool visible, const char* title) {
  glfwSetErrorCallback(OnGlfwError);
  if (!glfwInit()) {
    std::string m = "cannot open a display for OpenGL (is DISPLAY set? headless: run under ";
    m += "xvfb-run -a): ";
    m += g_glfw_error;
    throw DisplayError(m);
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, 4);
  window_ = glfwCreateWindow(width, height, title, nullptr, nullptr);
  if (window_ == nullptr) {
    glfwTerminate();
    std::string m = "cannot create an OpenGL 3.3 core window: ";
    m += g_glfw_error;
    throw DisplayError(m);
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);
}

Window::~Window() {
  glfwDestroyWindow(window_);
  glfwTerminate();
}

}  // namespace marsdrive::viewer

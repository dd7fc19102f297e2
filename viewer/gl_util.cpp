#include "viewer/gl_util.h"

#include <algorithm>
#include <stdexcept>

namespace marsdrive::viewer {

namespace {

GLuint Compile(GLenum type, const char* src, const std::string& name) {
  const GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &src, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[4096] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    glDeleteShader(shader);
    std::string message = name;
    message += type == GL_VERTEX_SHADER ? " vertex shader: " : " fragment shader: ";
    message += log;
    throw std::runtime_error(message);
  }
  return shader;
}

}  // namespace

GLuint MakeProgram(const char* vertex_src, const char* fragment_src, const std::string& name) {
  const GLuint vs = Compile(GL_VERTEX_SHADER, vertex_src, name);
  const GLuint fs = Compile(GL_FRAGMENT_SHADER, fragment_src, name);
  const GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[4096] = {};
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    std::string message = name;
    message += " program: ";
    message += log;
    throw std::runtime_error(message);
  }
  return program;
}

void SetUniform(GLuint p, const char* name, const Mat4& m) {
  glUniformMatrix4fv(glGetUniformLocation(p, name), 1, GL_FALSE, m.m.data());
}
void SetUniform(GLuint p, const char* name, float v) {
  glUniform1f(glGetUniformLocation(p, name), v);
}
void SetUniform(GLuint p, const char* name, int v) {
  glUniform1i(glGetUniformLocation(p, name), v);
}
void SetUniform(GLuint p, const char* name, float x, float y) {
  glUniform2f(glGetUniformLocation(p, name), x, y);
}
void SetUniform(GLuint p, const char* name, float x, float y, float z) {
  glUniform3f(glGetUniformLocation(p, name), x, y, z);
}
void SetUniform(GLuint p, const char* name, float x, float y, float z, float w) {
  glUniform4f(glGetUniformLocation(p, name), x, y, z, w);
}

GLuint MakeTexture(int width, int height, int channels, const std::uint8_t* data) {
  GLuint tex = 0;
  glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  const GLenum format = channels == 4 ? GL_RGBA : GL_RGB;
  glTexImage2D(GL_TEXTURE_2D, 0, channels == 4 ? GL_RGBA8 : GL_RGB8, width, height, 0, format,
               GL_UNSIGNED_BYTE, data);
  glGenerateMipmap(GL_TEXTURE_2D);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return tex;
}

GLuint MakeArrayBuffer(const std::vector<float>& data, GLenum usage) {
  GLuint vbo = 0;
  glGenBuffers(1, &vbo);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(data.size() * sizeof(float)),
               data.empty() ? nullptr : data.data(), usage);
  return vbo;
}

void SetFloatAttribs(const std::vector<AttribLayout>& layout, GLuint divisor,
                     std::size_t first_float) {
  int stride = 0;
  for (const AttribLayout& a : layout) stride += a.components;
  std::size_t offset = first_float;
  for (const AttribLayout& a : layout) {
    glEnableVertexAttribArray(a.location);
    glVertexAttribPointer(a.location, a.components, GL_FLOAT, GL_FALSE,
                          stride * static_cast<int>(sizeof(float)),
                          reinterpret_cast<const void*>(offset * sizeof(float)));
    glVertexAttribDivisor(a.location, divisor);
    offset += static_cast<std::size_t>(a.components);
  }
}

OffscreenTarget::OffscreenTarget(int width, int height, int samples)
    : width_(width), height_(height) {
  glGenFramebuffers(1, &msaa_fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, msaa_fbo_);
  glGenRenderbuffers(1, &colour_rb_);
  glBindRenderbuffer(GL_RENDERBUFFER, colour_rb_);
  glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_rb_);
  glGenRenderbuffers(1, &depth_rb_);
  glBindRenderbuffer(GL_RENDERBUFFER, depth_rb_);
  glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT24, width, height);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth_rb_);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("offscreen framebuffer incomplete");
  }
  glGenFramebuffers(1, &resolve_fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, resolve_fbo_);
  glGenRenderbuffers(1, &resolve_rb_);
  glBindRenderbuffer(GL_RENDERBUFFER, resolve_rb_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, resolve_rb_);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("resolve framebuffer incomplete");
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

OffscreenTarget::~OffscreenTarget() {
  glDeleteFramebuffers(1, &msaa_fbo_);
  glDeleteFramebuffers(1, &resolve_fbo_);
  glDeleteRenderbuffers(1, &colour_rb_);
  glDeleteRenderbuffers(1, &depth_rb_);
  glDeleteRenderbuffers(1, &resolve_rb_);
}

void OffscreenTarget::Bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, msaa_fbo_);
  glViewport(0, 0, width_, height_);
}

std::vector<std::uint8_t> OffscreenTarget::ReadRgb() const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, msaa_fbo_);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolve_fbo_);
  glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolve_fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  const auto row = static_cast<std::size_t>(width_) * 3;
  std::vector<std::uint8_t> bottom_up(row * static_cast<std::size_t>(height_));
  glReadPixels(0, 0, width_, height_, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  std::vector<std::uint8_t> top_down(bottom_up.size());
  for (int y = 0; y < height_; ++y) {
    std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)),
                row,
                top_down.begin() +
                    static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(height_ - 1 - y)));
  }
  return top_down;
}

}  // namespace marsdrive::viewer

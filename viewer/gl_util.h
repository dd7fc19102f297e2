#pragma once
// Small OpenGL helpers: shader programs, buffers, textures, an offscreen framebuffer. Every
// function needs a current OpenGL 3.3 context.

#include <cstdint>
#include <string>
#include <vector>

#include "viewer/gl.h"
#include "viewer/math3d.h"

namespace marsdrive::viewer {

// Compiles and links; throws std::runtime_error with the driver's log on failure.
GLuint MakeProgram(const char* vertex_src, const char* fragment_src, const std::string& name);

void SetUniform(GLuint program, const char* name, const Mat4& m);
void SetUniform(GLuint program, const char* name, float v);
void SetUniform(GLuint program, const char* name, int v);
void SetUniform(GLuint program, const char* name, float x, float y);
void SetUniform(GLuint program, const char* name, float x, float y, float z);
void SetUniform(GLuint program, const char* name, float x, float y, float z, float w);

// An RGBA8 or RGB8 texture, linear filtering, clamped.
GLuint MakeTexture(int width, int height, int channels, const std::uint8_t* data);

// A float vertex buffer with interleaved attributes: {location, component count} in order.
struct AttribLayout {
  GLuint location;
  int components;
};
GLuint MakeArrayBuffer(const std::vector<float>& data, GLenum usage = GL_STATIC_DRAW);
// Describes interleaved float attributes of the bound GL_ARRAY_BUFFER on the bound VAO,
// starting `first_float` floats into the buffer.
void SetFloatAttribs(const std::vector<AttribLayout>& layout, GLuint divisor = 0,
                     std::size_t first_float = 0);

// A multisampled offscreen framebuffer resolved into a plain one for reading back.
class OffscreenTarget {
 public:
  OffscreenTarget(int width, int height, int samples);
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  OffscreenTarget(OffscreenTarget&&) = delete;
  OffscreenTarget& operator=(OffscreenTarget&&) = delete;
  ~OffscreenTarget();
  void Bind() const;  // render into it
  // Resolves and reads RGB8 pixels, row 0 at the TOP (image order).
  std::vector<std::uint8_t> ReadRgb() const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  int width_, height_;
  GLuint msaa_fbo_ = 0, colour_rb_ = 0, depth_rb_ = 0;
  GLuint resolve_fbo_ = 0, resolve_rb_ = 0;
};

}  // namespace marsdrive::viewer

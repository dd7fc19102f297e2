#pragma once
// OpenGL 3.3 core entry points. Linux's libGL (glvnd) exports every core function, so the
// prototypes of glext.h are enough: no loader. Include this before GLFW (GLFW_INCLUDE_NONE).

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#pragma once
// GLSL 3.30 core sources of the viewer's four programs.

namespace marsdrive::viewer::shaders {

// Terrain: orthoimage (or hillshade) base, optional layer overlay, Lambert light.
inline constexpr const char* kTerrainVs = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
uniform mat4 u_vp;
out vec3 v_pos;
out vec3 v_normal;
void main() {
  v_pos = a_pos;
  v_normal = a_normal;
  gl_Position = u_vp * vec4(a_pos, 1.0);
})";
inline constexpr const char* kTerrainFs = R"(#version 330 core
in vec3 v_pos;
in vec3 v_normal;
uniform sampler2D u_ortho;
uniform vec4 u_ortho_rect;  // origin x, y (south-west), width, height (m); rows from the north
uniform sampler2D u_overlay;
uniform vec4 u_overlay_rect;  // rows from the south
uniform int u_overlay_on;
uniform int u_hillshade;
uniform float u_light_mix;
uniform vec3 u_light_dir;
out vec4 frag;
void main() {
  vec3 n = normalize(v_normal);
  float lambert = max(dot(n, u_light_dir), 0.0);
  vec3 colour;
  if (u_hillshade == 1) {
    colour = vec3(0.78, 0.56, 0.40) * (0.22 + 0.9 * lambert);
  } else {
    vec2 uv = vec2((v_pos.x - u_ortho_rect.x) / u_ortho_rect.z,
                   1.0 - (v_pos.y - u_ortho_rect.y) / u_ortho_rect.w);
    colour = texture(u_ortho, uv).rgb * mix(1.0, 0.45 + 0.8 * lambert, u_light_mix);
  }
  if (u_overlay_on == 1) {
    vec4 o = texture(u_overlay, (v_pos.xy - u_overlay_rect.xy) / u_overlay_rect.zw);
    colour = mix(colour, o.rgb, o.a);
  }
  frag = vec4(colour, 1.0);
})";

// Instanced shapes (rocks, rover parts): per-instance model matrix and colour.
inline constexpr const char* kShapeVs = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in mat4 a_model;
layout(location = 6) in vec4 a_color;
uniform mat4 u_vp;
out vec3 v_normal;
out vec4 v_color;
void main() {
  v_normal = transpose(inverse(mat3(a_model))) * a_normal;
  v_color = a_color;
  gl_Position = u_vp * (a_model * vec4(a_pos, 1.0));
})";
inline constexpr const char* kShapeFs = R"(#version 330 core
in vec3 v_normal;
in vec4 v_color;
uniform vec3 u_light_dir;
out vec4 frag;
void main() {
  float lambert = max(dot(normalize(v_normal), u_light_dir), 0.0);
  frag = vec4(v_color.rgb * (0.35 + 0.75 * lambert), v_color.a);
})";

// Flat-coloured ground ribbons (wheel tracks): each vertex appears at its time.
inline constexpr const char* kFlatVs = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec4 a_color;
layout(location = 2) in float a_t0;
uniform mat4 u_vp;
uniform float u_depth_bias;
out vec4 v_color;
out float v_t0;
void main() {
  v_color = a_color;
  v_t0 = a_t0;
  vec4 c = u_vp * vec4(a_pos, 1.0);
  c.z -= u_depth_bias * c.w;
  gl_Position = c;
})";
inline constexpr const char* kFlatFs = R"(#version 330 core
in vec4 v_color;
in float v_t0;
uniform float u_time;
out vec4 frag;
void main() {
  if (v_t0 > u_time) discard;
  frag = v_color;
})";

// Polylines of a constant width in pixels, expanded in screen space; shown in [t0, t1).
inline constexpr const char* kLineVs = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_other;
layout(location = 2) in float a_side;
layout(location = 3) in float a_width;
layout(location = 4) in vec4 a_color;
layout(location = 5) in vec2 a_window;
uniform mat4 u_vp;
uniform vec2 u_viewport;
uniform float u_time;
uniform float u_depth_bias;
uniform float u_width_scale;
out vec4 v_color;
out float v_visible;
void main() {
  vec4 c = u_vp * vec4(a_pos, 1.0);
  vec4 o = u_vp * vec4(a_other, 1.0);
  vec2 half_vp = u_viewport * 0.5;
  vec2 d = o.xy / max(o.w, 1e-4) * half_vp - c.xy / max(c.w, 1e-4) * half_vp;
  d = length(d) < 1e-6 ? vec2(1.0, 0.0) : normalize(d);
  vec2 n = vec2(-d.y, d.x);
  c.xy += n * a_side * (a_width * u_width_scale * 0.5) / half_vp * c.w;
  c.z -= u_depth_bias * c.w;
  gl_Position = c;
  v_color = a_color;
  v_visible = (u_time >= a_window.x && u_time < a_window.y) ? 1.0 : 0.0;
})";
inline constexpr const char* kLineFs = R"(#version 330 core
in vec4 v_color;
in float v_visible;
out vec4 frag;
void main() {
  if (v_visible < 0.5) discard;
  frag = v_color;
})";

}  // namespace marsdrive::viewer::shaders

#pragma once
// Output files written without following symbolic links (issue 14): a link planted where
// marsdrive writes (out/plan.json, run.json, run.json.partial, ...) never redirects a write to
// its target. A link at the output's own name is refused with InputError (exit 2); a link
// among the parent directories is the caller's to check (app/out_dir.h checks --out itself;
// the suite runner checks its runs/ tree).

#include <filesystem>
#include <string_view>

namespace marsdrive {

// Creates or truncates `path` (opened with O_NOFOLLOW) and writes `bytes`. Throws InputError
// "<path>: is a symbolic link; refusing to write through it", or "<path>: cannot open for
// writing (<reason>)" / "<path>: write failed (<reason>)".
void WriteFileNoFollow(const std::filesystem::path& path, std::string_view bytes);

// Writes `bytes` to `path` + ".partial" — a leftover file or link of that name is removed
// first, then the temporary is created exclusively (O_CREAT | O_EXCL | O_NOFOLLOW) — and
// renames it over `path`, so readers see the old or the new file, never half of one. Refuses
// when `path` is a symbolic link.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace marsdrive

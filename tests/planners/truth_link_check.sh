#!/usr/bin/env bash
# Usage: truth_link_check.sh LIBRARY TRUTH_LIBRARY [MEMBER.o ...]
# Fails (exit 1) when the static LIBRARY references any symbol that TRUTH_LIBRARY defines (its
# strong global definitions: code and data), listing them demangled. The planners library must
# pass; tests/planners/truth_link_control.cpp, which calls truth functions, must not.
# With MEMBERs, only the symbols those objects of TRUTH_LIBRARY define count: the plan check
# (scenarios/check) builds grounds with the truth types but must not call what READS a terrain
# directory's truth (terrain_dir.cpp.o, raster_read.cpp.o, rock_file.cpp.o).
set -euo pipefail
library=$1
truth=$2
shift 2
members=" $* "
for f in "$library" "$truth"; do
  [ -f "$f" ] || { echo "truth_link_check: $f: no such library (build it first)"; exit 2; }
done
defined=$(mktemp)
undefined=$(mktemp)
trap 'rm -f "$defined" "$undefined"' EXIT
nm -g --defined-only "$truth" 2>/dev/null |
  awk -v members="$members" '
    /\.o:$/ { member = substr($0, 1, length($0) - 1); next }
    NF == 3 && $2 ~ /^[TDBR]$/ && (members == "  " || index(members, " " member " ")) {print $3}' |
  sort -u >"$defined"
nm -u "$library" 2>/dev/null | awk '$1 == "U" {print $2}' | sort -u >"$undefined"
[ -s "$defined" ] || { echo "truth_link_check: $truth defines no symbols"; exit 2; }
leaks=$(comm -12 "$defined" "$undefined")
if [ -n "$leaks" ]; then
  echo "$(basename "$library") references ground-truth symbols of $(basename "$truth"):"
  echo "$leaks" | c++filt | sed 's/^/  /'
  exit 1
fi
echo "$(basename "$library"): no reference to any of $(wc -l <"$defined") ground-truth symbols"

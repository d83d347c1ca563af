#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #28: medveil-cli and medveil load only what a command uses, and nothing of the build machine is
# compiled in. Checks, on the built programs:
#  - the shared libraries a command maps (LD_DEBUG=files): --version and PNG protect/recover map neither
#    OpenCV's imgcodecs (and the GDAL/GDCM chain behind it) nor LibTorch, and few libraries in all;
#  - a JPEG input still decodes (the codecs plugin, loaded for it alone);
#  - the CLI, the GUI and the plugins hold no path of the source or build tree (they find the plugins and
#    the weights beside the executable: core/InstallLayout.h).
# Usage: lean_process.sh MEDVEIL_CLI MEDVEIL_GUI SOURCE_DIR BUILD_DIR CORPUS_DIR
set -uo pipefail
cli=$1
gui=$2
source_dir=$(realpath "$3")
build_dir=$(realpath "$4")
corpus=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "lean_process: $*"; exit 1; }
# The libraries a run maps, one name a line.
libraries() { LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\];  *needed by.*/\1/p; s/.*file=\([^ ]*\) \[0\];  *dynamically loaded by.*/\1/p' | sort -u; }
# 60 before DICOM networking; DCMTK's dcmnet (the PACS client and node live in the same binary) adds
# libdcmnet, libwrap and libnsl: 62 for protect at the time of writing.
max_libraries=64

"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" 2>/dev/null || fail "keygen failed"
png=$corpus/mri_colin_axial_z160_512.png
libraries "$cli" --version > "$work/version.libs"
libraries "$cli" protect "$png" "$work/p.png" --public "$work/pub.pem" > "$work/protect.libs"
[[ -s $work/p.png ]] || fail "protect wrote nothing"
libraries "$cli" recover "$work/p.png" "$work/r.png" --private "$work/priv.pem" > "$work/recover.libs"
[[ -s $work/r.png ]] || fail "recover wrote nothing"
for run in version protect recover; do
  n=$(wc -l < "$work/$run.libs")
  echo "lean_process: $run maps $n shared libraries"
  ((n > 0)) || fail "$run: LD_DEBUG listed no library (is the loader's output format different?)"
  if grep -E 'imgcodecs|gdal|gdcm|torch|OpenEXR' "$work/$run.libs"; then
    fail "$run maps the libraries above, which it does not use"
  fi
  ((n <= max_libraries)) || fail "$run maps $n shared libraries (at most $max_libraries)"
done

# JPEG still reads: the codecs plugin is loaded for it (and only then maps imgcodecs).
/usr/bin/python3 - "$png" "$work/slice.jpg" <<'PY' || fail "cannot make the JPEG probe"
import sys
from PIL import Image
Image.open(sys.argv[1]).save(sys.argv[2], quality=95)
PY
libraries "$cli" metrics "$work/slice.jpg" "$work/slice.jpg" --json > "$work/jpeg.libs" ||
  fail "metrics on a JPEG failed"
"$cli" metrics "$work/slice.jpg" "$work/slice.jpg" --json > "$work/jpeg.json" || fail "a JPEG does not decode"
grep -q imgcodecs "$work/jpeg.libs" || fail "the JPEG was decoded without OpenCV's codecs (expected the plugin)"

# Nothing of the build machine compiled in.
plugin_dir=$(dirname "$(find "$build_dir" -name libmedveil_hinet.so -print -quit)")
for binary in "$cli" "$gui" "$plugin_dir"/libmedveil_*.so; do
  [[ -f $binary ]] || continue
  if grep -a -o -F -e "$source_dir" -e "$build_dir" "$binary" | sort -u | head -3 | grep .; then
    fail "$(basename "$binary") holds the build machine's paths above"
  fi
done
echo "lean_process: no imgcodecs/GDAL/GDCM/LibTorch for PNG work, JPEG through the plugin, no build paths"

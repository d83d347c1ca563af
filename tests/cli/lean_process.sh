#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #28: medveil-cli and medveil load only what a command uses, and nothing of the build machine is
# compiled in. Checks, on the built programs:
#  - the shared libraries a command maps (LD_DEBUG=files): --version and PNG protect/recover map neither
#    OpenCV's imgcodecs (and the GDAL/GDCM chain behind it), nor DCMTK (and libwrap, Kerberos, libxml2, ICU
#    behind it), nor LibTorch, and few libraries in all;
#  - a JPEG input still decodes (the codecs plugin, loaded for it alone), a DICOM file still reads (the
#    DICOM plugin, loaded for it alone), and without the DICOM plugin a DICOM command fails with exit 5 (Internal)
#    naming the missing file while PNG work goes on;
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
# 62 for protect while DCMTK was linked in; 33 for --version and 38 for protect once it moved into the DICOM
# plugin (io/DicomModule.h).
max_libraries=40

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
  if grep -E 'imgcodecs|gdal|gdcm|torch|OpenEXR|libdcm|libofstd|liboflog|libwrap|libkrb5|libxml2|libicu' \
    "$work/$run.libs"; then
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

# DICOM still reads: the DICOM plugin is loaded for it (and only then maps DCMTK).
dicom=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
libraries "$cli" metrics "$dicom" "$dicom" --json > "$work/dicom.libs" || fail "metrics on a DICOM file failed"
"$cli" metrics "$dicom" "$dicom" --json > "$work/dicom.json" || fail "a DICOM file does not read"
grep -q 'libmedveil_dicom' "$work/dicom.libs" || fail "the DICOM file was read without the DICOM plugin"
grep -q 'libdcmdata' "$work/dicom.libs" || fail "the DICOM file was read without DCMTK"
# Without the plugin: a DICOM command says which file is missing (exit 5, Internal); PNG work is unaffected.
MEDVEIL_DICOM_PLUGIN=$work/no-such-plugin.so "$cli" metrics "$dicom" "$dicom" --json > /dev/null 2> "$work/err"
rc=$?
[[ $rc == 5 ]] || fail "a DICOM command without the plugin exited $rc (expected 5): $(cat "$work/err")"
grep -q "no-such-plugin.so" "$work/err" || fail "the missing plugin is not named: $(cat "$work/err")"
MEDVEIL_DICOM_PLUGIN=$work/no-such-plugin.so "$cli" protect "$png" "$work/p2.png" --public "$work/pub.pem" \
  > /dev/null 2>&1 || fail "PNG protect needed the DICOM plugin"
# A DICOM protect that cannot load the plugin leaves a file already at its output as it was.
echo "a file that was here first" > "$work/existing.dcm"
if MEDVEIL_DICOM_PLUGIN=$work/no-such-plugin.so "$cli" protect "$dicom" "$work/existing.dcm" \
  --public "$work/pub.pem" > /dev/null 2>&1; then
  fail "a DICOM protect without the plugin succeeded"
fi
[[ $(cat "$work/existing.dcm") == "a file that was here first" ]] || fail "the existing output was changed"
MEDVEIL_DICOM_PLUGIN=$work/no-such-plugin.so "$cli" protect "$dicom" "$work/new.dcm" --public "$work/pub.pem" \
  > /dev/null 2>&1 && fail "a DICOM protect without the plugin succeeded"
[[ ! -e $work/new.dcm ]] || fail "a DICOM protect without the plugin left $work/new.dcm"

# Nothing of the build machine compiled in.
plugin_dir=$(dirname "$(find "$build_dir" -name libmedveil_hinet.so -print -quit)")
for binary in "$cli" "$gui" "$plugin_dir"/libmedveil_*.so; do
  [[ -f $binary ]] || continue
  if grep -a -o -F -e "$source_dir" -e "$build_dir" "$binary" | sort -u | head -3 | grep .; then
    fail "$(basename "$binary") holds the build machine's paths above"
  fi
done
echo "lean_process: no imgcodecs/GDAL/GDCM/DCMTK/LibTorch for PNG work, JPEG and DICOM through their plugins, no build paths"

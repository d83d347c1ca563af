#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# medveil-cli on DICOM inputs: distinct exit codes for what cannot be protected, nothing written, inputs
# untouched. Usage: dicom_cli.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$1
corpus=$2
files=/usr/lib/python3/dist-packages/pydicom/data/test_files
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "dicom_cli: $*"; exit 1; }
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null || fail keygen
expect() { # expect CODE ARGS...: exit code CODE and no output file
  local code=$1; shift
  "$cli" "$@" 2> "$work/err"; local got=$?
  [[ $got == "$code" ]] || fail "'$*' exited $got, expected $code: $(cat "$work/err")"
  [[ ! -e $work/out.dcm && ! -e $work/out.png ]] || fail "'$*' left an output file"
}
expect 2 protect "$files/JPEG-lossy.dcm" "$work/out.dcm" --public "$work/pub.pem"
grep -q lossy "$work/err" || fail "no word about lossy compression"
expect 2 protect "$files/rtdose.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/SC_rgb_rle.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/MR_small_jp2klossless.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/MR_small.dcm" "$work/out.dcm" --public "$work/pub.pem"   # 64×64: smaller than the QR
expect 1 protect "$corpus/mri_colin_axial_z160_512.png" "$work/out.dcm" --public "$work/pub.pem" # DICOM out needs DICOM in
before=$(sha256sum "$files/CT_small.dcm")
"$cli" protect "$files/CT_small.dcm" "$work/p.dcm" --public "$work/pub.pem" > /dev/null || fail "protect CT_small"
# A DICOM input may also be protected to PNG (pixels and MedVeil metadata, no header).
"$cli" protect "$files/CT_small.dcm" "$work/p.png" --public "$work/pub.pem" > /dev/null || fail "protect to PNG"
"$cli" recover "$work/p.dcm" "$work/r.dcm" --private "$work/priv.pem" > /dev/null || fail "recover"
[[ $(sha256sum "$files/CT_small.dcm") == "$before" ]] || fail "the input changed"
# Tampering with one stored pixel of the protected DICOM: refused (exit 3), nothing written.
/usr/bin/python3 - "$work/p.dcm" "$work/t.dcm" <<'PY'
import sys, pydicom
d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array.copy(); a[100, 100] ^= 1
d.PixelData = a.tobytes(); d.save_as(sys.argv[2])
PY
expect 3 recover "$work/t.dcm" "$work/out.dcm" --private "$work/priv.pem"
echo "dicom_cli: exit codes 2/1/3 for unsupported, mismatched and tampered DICOM; protect/recover round trip"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# "identical" means identical to the input file (issue #25, points 3 and 4): for every DICOM input the suite
# has that protect accepts, recover's output has every attribute of the input — dcmdump of the whole dataset
# (all values printed, pixel data included; the file meta group aside, which names the transfer syntax) —
# and the same PixelData bytes. Inputs whose PixelData holds more or less than Rows × Columns × frames ×
# bytes per pixel are refused (exit 2, naming what was found), never protected with the rest cut off; zero
# padding after the frame is carried whole.
# Usage: dicom_identity.sh MEDVEIL_CLI
set -uo pipefail
cli=$1
files=/usr/lib/python3/dist-packages/pydicom/data/test_files
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "dicom_identity: $*"; exit 1; }
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null 2>&1 || fail keygen

/usr/bin/python3 - "$files" "$work" <<'PY' || fail "cannot make the test inputs"
import sys, numpy as np, pydicom
files, work = sys.argv[1], sys.argv[2]
src = files + "/CT_small.dcm"
def ct512():
    d = pydicom.dcmread(src)
    a = np.kron(d.pixel_array, np.ones((4, 4), dtype=d.pixel_array.dtype))
    d.Rows, d.Columns = a.shape
    d.PixelData = a.tobytes()
    return d
# The attribute the review lost: (0008,2111) Derivation Description of the input.
d = ct512(); d.DerivationDescription = "Resampled from 0.5 mm source"; d.save_as(work + "/CT_derivation.dcm")
# A 12-bit unsigned CT (BitsStored 12, values up to 4095) without Image Type: absent stays absent.
d = ct512(); a = np.clip(d.pixel_array.astype(np.int32) + 1024, 0, 4095).astype(np.uint16)
d.PixelData = a.tobytes(); d.PixelRepresentation = 0; d.BitsStored = 12; d.HighBit = 11
d.RescaleIntercept = -1024; del d.ImageType; d.save_as(work + "/CT_12bit.dcm")
# Another vendor's private block in group 0071, where MedVeil keeps its own.
d = ct512(); d.add_new((0x0071, 0x0010), "LO", "ACME 7"); d.add_new((0x0071, 0x1001), "LO", "VENDOR-VALUE")
d.add_new((0x0071, 0x1002), "US", 7); d.save_as(work + "/CT_private0071.dcm")
# An explicit Number of Frames 1.
d = ct512(); d.NumberOfFrames = 1; d.save_as(work + "/CT_oneframe.dcm")
# Zero padding after the frame (as pydicom's 64×64 MR_small_padded, too small to protect): carried whole.
d = ct512(); d.PixelData = d.PixelData + bytes(1024); d.save_as(work + "/CT_zeropadded.dcm")
# Malformed: PixelData longer than Rows × Columns × frames × 2 bytes (the review's 524,288 of 1,048,576).
d = ct512(); d.PixelData = d.PixelData * 2; d.save_as(work + "/bad_twoframes_noframes.dcm")
d = ct512(); d.NumberOfFrames = 1; d.PixelData = d.PixelData * 2; d.save_as(work + "/bad_twoframes_one.dcm")
d = ct512(); d.Rows = 256; d.save_as(work + "/bad_rows256.dcm")
d = ct512(); d.PixelData = d.PixelData[: len(d.PixelData) // 2]; d.save_as(work + "/bad_short.dcm")
PY

# The whole dataset as dcmdump prints it, every value in full (+L), without the file meta group.
dataset() { dcmdump -q +L "$1" | sed -n '/^# Dicom-Data-Set/,$p' | grep -v '^# Used TransferSyntax'; }
pixels() { /usr/bin/python3 -c 'import sys, hashlib, pydicom; d = pydicom.dcmread(sys.argv[1])
print(len(d.PixelData), hashlib.sha256(d.PixelData).hexdigest())' "$1"; }

checked=0
for input in "$files/CT_small.dcm" "$work/CT_derivation.dcm" "$work/CT_12bit.dcm" "$work/CT_private0071.dcm" \
             "$work/CT_oneframe.dcm" "$work/CT_zeropadded.dcm"; do
  name=$(basename "$input" .dcm)
  "$cli" protect "$input" "$work/$name.p.dcm" --public "$work/pub.pem" > /dev/null 2> "$work/err" ||
    fail "protect $name: $(cat "$work/err")"
  "$cli" recover "$work/$name.p.dcm" "$work/$name.r.dcm" --private "$work/priv.pem" > "$work/said" 2> "$work/err" ||
    fail "recover $name: $(cat "$work/err")"
  grep -q "identical to the original" "$work/said" || fail "$name: recover did not say identical: $(cat "$work/said")"
  if ! diff <(dataset "$input") <(dataset "$work/$name.r.dcm") > "$work/diff"; then
    fail "$name: recover said '$(cat "$work/said")' but the dataset differs from the input:
$(head -20 "$work/diff")"
  fi
  [[ $(pixels "$input") == $(pixels "$work/$name.r.dcm") ]] ||
    fail "$name: PixelData differs: input $(pixels "$input"), recovered $(pixels "$work/$name.r.dcm")"
  checked=$((checked + 1))
done
# The protected file does not claim the input's derivation (it is MedVeil's), the recovered one does.
dcmdump -q +P DerivationDescription "$work/CT_derivation.p.dcm" | grep -q MedVeil ||
  fail "the protected file does not describe its derivation"

refused=0
for bad in bad_twoframes_noframes bad_twoframes_one bad_rows256 bad_short; do
  "$cli" protect "$work/$bad.dcm" "$work/out.dcm" --public "$work/pub.pem" > /dev/null 2> "$work/err"
  code=$?
  [[ $code == 2 ]] || fail "$bad: protect exited $code (expected 2): $(cat "$work/err")"
  [[ ! -e $work/out.dcm ]] || fail "$bad: an output was left"
  grep -q "malformed pixel data" "$work/err" || fail "$bad: the message does not say what was found: $(cat "$work/err")"
  grep -qE "[0-9]+ bytes where" "$work/err" || fail "$bad: no byte counts: $(cat "$work/err")"
  refused=$((refused + 1))
done
echo "dicom_identity: $checked DICOM inputs recovered attribute for attribute and byte for byte; $refused malformed pixel data refused (exit 2)"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Verdicts and exit codes agree (issue #25, point 5): `inspect` exits 0 only when the file looks intact and
# 3 when it does not — QR code unreadable, pixels changed — with the report (and the JSON) still printed;
# 2 for an image that was never protected. And the README's promise holds: QR modules are at least 2 px
# wherever the image holds such a QR code (3072- and 4096-bit keys on 512², a 181×217 native slice).
# Usage: inspect_verdicts.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "inspect_verdicts: $*"; exit 1; }
for bits in 2048 3072 4096; do
  "$cli" keygen --bits "$bits" --private "$work/priv$bits.pem" --public "$work/pub$bits.pem" > /dev/null 2>&1 ||
    fail "keygen $bits"
done
src="$corpus/mri_colin_axial_z160_512.png"
"$cli" protect "$src" "$work/p.png" --public "$work/pub2048.pem" --info hospital=Union --json > "$work/p.json" ||
  fail "protect"

# inspect FILE CODE WORDS: exit CODE, WORDS in the text report, and the JSON still comes out with that code.
inspect() {
  "$cli" inspect "$1" > "$work/out" 2>&1; local got=$?
  [[ $got == "$2" ]] || fail "inspect $(basename "$1") exited $got, expected $2: $(cat "$work/out")"
  grep -q "$3" "$work/out" || fail "inspect $(basename "$1"): no '$3' in: $(cat "$work/out")"
  "$cli" inspect "$1" --json > "$work/json" 2> "$work/err"; got=$?
  [[ $got == "$2" ]] || fail "inspect --json $(basename "$1") exited $got, expected $2: $(cat "$work/err")"
  /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["intact"] == (sys.argv[2] == "0") else 1)' \
    "$work/json" "$2" || fail "inspect --json $(basename "$1"): 'intact' disagrees with exit $2: $(cat "$work/json")"
}
inspect "$work/p.png" 0 "looks intact"

# Damaged copies, MedVeil's metadata kept: the QR code's modules painted over (unreadable), one pixel of the
# texture changed (pixels changed since protection).
/usr/bin/python3 - "$work/p.png" "$work/p.json" "$work" <<'PY' || fail "cannot make the damaged copies"
import json, sys
import numpy as np
from PIL import Image, PngImagePlugin
src, report, work = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
image = Image.open(src)
meta = PngImagePlugin.PngInfo()
for key, value in image.text.items():
    meta.add_itxt(key, value)
x, y, w, h = report["region"]
a = np.array(image)
qr = a.copy(); qr[y + h // 4:y + 3 * h // 4, x + w // 4:x + 3 * w // 4] = 128
Image.fromarray(qr).save(work + "/qr.png", pnginfo=meta)
px = a.copy(); px[300, 256] ^= 1
Image.fromarray(px).save(work + "/pixel.png", pnginfo=meta)
PY
inspect "$work/qr.png" 3 "NOT intact"
inspect "$work/pixel.png" 3 "NOT intact: pixels changed"
# Never protected: exit 2, as before.
"$cli" inspect "$src" > /dev/null 2>&1; code=$?
[[ $code == 2 ]] || fail "inspect of an unprotected image exited $code, expected 2"

# QR modules of at least 2 px: on 512² for 3072- and 4096-bit keys; on a 181×217 native slice either 2 px
# or exit 4 saying why (no silent 1-px modules in an automatic region).
module_px() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["qr_module_px"])' "$1"; }
for case in "$src:3072" "$src:4096" "$corpus/mri_colin_axial_z90_native.png:2048"; do
  image=${case%:*}; bits=${case##*:}
  "$cli" protect "$image" "$work/m.png" --public "$work/pub$bits.pem" --json > "$work/m.json" 2> "$work/err"
  code=$?
  if [[ $code == 4 && $image != "$src" ]]; then
    grep -q "modules of 2 px" "$work/err" || fail "$(basename "$image"), $bits-bit key: exit 4 without the reason: $(cat "$work/err")"
    echo "$(basename "$image"), $bits-bit key: exit 4: $(cat "$work/err")"
  else
    [[ $code == 0 ]] || fail "protect $(basename "$image") for a $bits-bit key exited $code: $(cat "$work/err")"
    [[ $(module_px "$work/m.json") -ge 2 ]] ||
      fail "$(basename "$image"), $bits-bit key: QR modules of $(module_px "$work/m.json") px (README: at least 2)"
    echo "$(basename "$image"), $bits-bit key: $(module_px "$work/m.json")-px modules"
  fi
  rm -f "$work/m.png"
done
echo "inspect_verdicts: intact 0, unreadable QR 3, changed pixel 3, unprotected 2; QR modules >= 2 px"

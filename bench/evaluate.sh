#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's evaluation command: regenerates docs/EVALUATION.md and docs/evaluation/*.{json,md,png} from
# real images in Debian packages (after the README's build). Deterministic apart from timings, the
# keyless attack and the key region on the anatomy (fresh keys each run: both reported as median and range
# over 7 runs); the cipher's pair study runs over 5 fixed seeds. Timings want a quiet machine (pause
# training: kill -STOP / -CONT). Stamps the commit and the SHA-256 of the shipped HiNet weights into the report
# (ctest evaluation_stamp fails when resources/models/hinet.pt no longer matches).
# Usage: bench/evaluate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/evaluation
data=build/hinet-data
camera=/usr/lib/python3/dist-packages/skimage/data/camera.png
for tool in medveil_evaluate cipher_analysis_table hinet_eval keyregion_body; do
  [[ -x build/bin/$tool ]] || { echo "evaluate.sh: build/bin/$tool missing: run the README's build first" >&2; exit 1; }
done
[[ -f $camera ]] || { echo "evaluate.sh: $camera missing (python3-skimage)" >&2; exit 1; }
mkdir -p "$out"
start=$(date +%s)
if [[ ! -d $data/heldout || ! -d $data/heldout-modalities ]]; then
  echo "extracting held-out slices and images (tools/hinet_data.json)…" >&2
  /usr/bin/python3 tools/extract_hinet_slices.py "$data" >&2
fi
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- . ':!docs/EVALUATION.md' ':!docs/evaluation' 2>/dev/null || commit="$commit (with uncommitted changes)"
weights=$(sha256sum resources/models/hinet.pt | cut -d' ' -f1)
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1 /proc/loadavg) at the start"
/usr/bin/python3 -c 'import json, sys; print(json.dumps({"commit": sys.argv[1], "weights_sha256": sys.argv[2], "date": sys.argv[3], "machine": sys.argv[4]}, indent=2))' \
  "$commit" "$weights" "$(date -u +%Y-%m-%d)" "$machine" > "$out/stamp.json"
echo "cipher analysis table (5 seeds × 100 one-pixel pairs per cipher version)…" >&2
build/bin/cipher_analysis_table tests/data/corpus "$out/cipher_analysis" 5 100 > /dev/null
echo "key region on the anatomy (corpus + extracted slices)…" >&2
if [[ ! -d build/body-slices ]]; then
  /usr/bin/python3 tools/extract_body_slices.py build/body-slices >&2
fi
build/bin/keyregion_body --runs 7 build/keyregion-body tests/data/corpus build/body-slices > "$out/keyregion_body.json"
echo "HiNet held-out evaluation (shipped, plain-HiNet ablation, linear start; fundus; 16-bit DICOM)…" >&2
pydicom=/usr/lib/python3/dist-packages/pydicom/data/test_files
dicom=()
for f in CT_small.dcm MR_small.dcm; do [[ -f $pydicom/$f ]] && dicom+=(--dicom "$pydicom/$f"); done
build/bin/hinet_eval "$data/heldout" tests/data/emr "$out/hinet_heldout" - 21 \
  --plain resources/models/hinet-plain.pt --other "$data/heldout-other" "${dicom[@]}" > /dev/null || {
  echo "evaluate.sh: hinet_eval reported an EMR that did not come back exactly" >&2; exit 1; }
echo "HiNet on every held-out modality (native and 512²)…" >&2
build/bin/hinet_eval --modalities "$data/heldout-modalities" tests/data/emr "$out/hinet_modalities" \
  resources/models/hinet.pt > /dev/null || {
  echo "evaluate.sh: hinet_eval --modalities reported an EMR or image that did not come back exactly" >&2; exit 1; }
build/bin/medveil_evaluate --corpus tests/data/corpus --camera "$camera" --notes tests/data/emr \
  --out "$out" --report docs/EVALUATION.md
echo "evaluation done in $(( $(date +%s) - start )) s" >&2

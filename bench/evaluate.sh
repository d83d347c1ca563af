#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's evaluation command: regenerates docs/EVALUATION.md and docs/evaluation/*.{json,md,png} from
# real images in Debian packages (after the README's build). Deterministic apart from timings.
# Usage: bench/evaluate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/evaluation
data=build/hinet-data
camera=/usr/lib/python3/dist-packages/skimage/data/camera.png
for tool in medveil_evaluate cipher_analysis_table hinet_eval; do
  [[ -x build/bin/$tool ]] || { echo "evaluate.sh: build/bin/$tool missing: run the README's build first" >&2; exit 1; }
done
[[ -f $camera ]] || { echo "evaluate.sh: $camera missing (python3-skimage)" >&2; exit 1; }
mkdir -p "$out"
start=$(date +%s)
if [[ ! -d $data/heldout ]]; then
  echo "extracting held-out MRI slices from mricron-data…" >&2
  /usr/bin/python3 tools/extract_hinet_slices.py "$data" >&2
fi
echo "cipher analysis table…" >&2
build/bin/cipher_analysis_table tests/data/corpus "$out/cipher_analysis" > /dev/null
echo "HiNet held-out evaluation (shipped, plain-HiNet ablation, linear start; fundus; 16-bit DICOM)…" >&2
pydicom=/usr/lib/python3/dist-packages/pydicom/data/test_files
dicom=()
for f in CT_small.dcm MR_small.dcm; do [[ -f $pydicom/$f ]] && dicom+=(--dicom "$pydicom/$f"); done
build/bin/hinet_eval "$data/heldout" tests/data/emr "$out/hinet_heldout" - 21 \
  --plain resources/models/hinet-plain.pt --other "$data/heldout-other" "${dicom[@]}" > /dev/null || {
  echo "evaluate.sh: hinet_eval reported an EMR that did not come back exactly" >&2; exit 1; }
build/bin/medveil_evaluate --corpus tests/data/corpus --camera "$camera" --notes tests/data/emr \
  --out "$out" --report docs/EVALUATION.md
echo "evaluation done in $(( $(date +%s) - start )) s" >&2

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark on the built tree and prints one JSON document: the machine and its load, every row of
# issue #28's table (bench/targets.json) with its target and whether it was met, the run's own reference points
# (AES-256-GCM on the same bytes, process start of /bin/true) and each program's full output under "details".
# Usage: bench/run.sh [RUNS] [--readme]   (after the README's build; --readme also rewrites the README's table)
# A new benchmark: a program printing JSON with "rows": [{name, value, unit, target, op}], run below into $out.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
corpus=tests/data/corpus
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export MEDVEIL_BENCH_LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/report.py reference-start 50 >"$out/reference.json"
build/bin/bench_keyregion "$corpus" "$runs" >"$out/keyregion.json"
build/bin/bench_cipher "$corpus" "$runs" >"$out/cipher.json"
if [[ -x build/bin/bench_process ]]; then
  build/bin/bench_process 7 >"$out/process.json"
fi
if [[ -x build/bin/bench_gui_live_metrics ]]; then
  QT_QPA_PLATFORM=offscreen build/bin/bench_gui_live_metrics "$runs" >"$out/gui_live_metrics.json" 2>/dev/null || true
fi
# batch protect, 50 × 512², --jobs 1 vs --jobs 2 in one run (3 alternating rounds, medians)
bench/bench_batch.sh build/bin/medveil-cli "$corpus" 3 >"$out/batch.json"
if command -v storescu > /dev/null && command -v storescp > /dev/null; then
  bench/bench_dicom_node.sh build/bin/medveil-cli >"$out/dicom_node.json"
fi
if [[ -x build/bin/bench_hinet && -f resources/models/hinet.pt ]]; then
  build/bin/bench_hinet "$corpus" 5 >"$out/hinet.json"
fi
# Peak memory and time per pixel, 256² to 8000² (protect) and 256² to 4096² (emr-seal/open: 8000² would take
# the network ~10 minutes per command on 2 cores); MEDVEIL_BENCH_MEMORY_BASELINE=OLD_CLI measures an older
# build beside it, alternately, in the same run.
if [[ -x build/bin/bench_memory ]]; then
  build/bin/bench_memory ${MEDVEIL_BENCH_MEMORY_BASELINE:+--baseline "$MEDVEIL_BENCH_MEMORY_BASELINE"} \
    >"$out/memory.json"
fi
python3 bench/report.py merge "$out" >"$out/result"
if [[ "${2:-}" == "--readme" ]]; then
  python3 bench/report.py readme "$out/result" README.md
fi
cat "$out/result"

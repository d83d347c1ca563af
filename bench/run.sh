#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark on the built tree and prints one JSON document: {"keyregion": …, "process": …, "gui_live_metrics": …, "cipher": …, "hinet": …}.
# Usage: bench/run.sh [RUNS]   (after the README's build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
corpus=tests/data/corpus
echo "{"
echo "\"keyregion\": $(build/bin/bench_keyregion "$corpus" "$runs"),"
if [[ -x build/bin/bench_process ]]; then
  echo "\"process\": $(build/bin/bench_process 7),"
fi
if [[ -x build/bin/bench_gui_live_metrics ]]; then
  echo "\"gui_live_metrics\": $(QT_QPA_PLATFORM=offscreen build/bin/bench_gui_live_metrics "$runs" 2>/dev/null),"
fi
if [[ -x build/bin/bench_hinet && -f resources/models/hinet.pt ]]; then
  echo "\"cipher\": $(build/bin/bench_cipher "$corpus" "$runs"),"
  echo "\"hinet\": $(build/bin/bench_hinet "$corpus" 5)"
else
  echo "\"cipher\": $(build/bin/bench_cipher "$corpus" "$runs")"
fi
echo "}"

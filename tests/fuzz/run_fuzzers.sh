#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs each for SECONDS, starting from
# its committed corpus (tests/fuzz/corpus/<target>/, copied: what a run adds stays in build-fuzz/).
# Usage: tests/fuzz/run_fuzzers.sh SECONDS [TARGET ...]   (all targets without names; FUZZ_JOBS=2 runs two
# at a time). Prints each target's final libFuzzer line (inputs, coverage, exec/s); a crash, a sanitizer
# report, a leak, a time-out or an out-of-memory input is saved as build-fuzz/findings/<target>/… and the
# script exits 1. Reproduce one with: build-fuzz/bin/fuzz_<target> FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: $0 SECONDS [TARGET ...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(protection_record pee_plan sealed_emr_parameters png_metadata qr_text qr_grid dicom_loader image_decode)
fi
if ! command -v clang++ >/dev/null || ! compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null; then
  echo "the fuzz build needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev" >&2
  exit 2
fi
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz

jobs=${FUZZ_JOBS:-1}
runs=build-fuzz/runs
mkdir -p "$runs"
run_one() {
  local target=$1 corpus=build-fuzz/corpus/$1 findings=build-fuzz/findings/$1
  mkdir -p "$corpus" "$findings"
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb: so is one needing 2 GB.
  if build-fuzz/bin/fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$findings"/ "$corpus" >"$runs/$target.log" 2>&1; then
    echo "$target: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$runs/$target.log" | tail -1)"
  else
    echo "$target: FINDING (log $runs/$target.log, input in $findings/)"
    grep -E 'ERROR: |runtime error|SUMMARY' "$runs/$target.log" | head -5 || true
    return 1
  fi
}

status=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  wait "$pid" || status=1
done
exit $status

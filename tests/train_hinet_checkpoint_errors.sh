#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# train_hinet and a checkpoint it cannot continue exactly (issue #29, weights one command reproduces): a
# truncated checkpoint and one whose sampler state is not an engine's state are refused with a message and
# exit 2 (not an uncaught LibTorch error, not a silent restart), the checkpoint left as it was; a resume on
# another thread count, or with other CPU kernels, than the run trained on says it will not be bit-identical.
# Usage: train_hinet_checkpoint_errors.sh TRAIN_HINET SOURCE_DIR
set -eu
bin=$1 schedule=$2/tests/data/hinet/schedule-smoke.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --schedule "$schedule" --threads 1 --steps 7 --out "$work/run" > "$work/run.out"
cp "$work/run/checkpoint.pt" "$work/good.pt"

# expect_refusal NAME MESSAGE: resuming from $work/NAME/checkpoint.pt exits 2 with MESSAGE on stderr.
expect_refusal() {
  status=0
  "$bin" --schedule "$schedule" --threads 1 --steps 9 --out "$work/$1" > "$work/$1.out" 2> "$work/$1.err" ||
    status=$?
  [ "$status" -eq 2 ] || { cat "$work/$1.out" "$work/$1.err"; echo "$1: exit $status, not 2"; exit 1; }
  grep -q "$2" "$work/$1.err" || { cat "$work/$1.err"; echo "$1: no '$2' message"; exit 1; }
  [ "$(wc -l < "$work/$1.err")" -le 2 ] || { cat "$work/$1.err"; echo "$1: more than a message"; exit 1; }
  echo "$1: refused with exit 2: $(head -n 1 "$work/$1.err")"
}

mkdir "$work/truncated"
head -c 20000 "$work/good.pt" > "$work/truncated/checkpoint.pt"
cp "$work/truncated/checkpoint.pt" "$work/truncated.pt"
expect_refusal truncated "cannot read the checkpoint"
cmp -s "$work/truncated.pt" "$work/truncated/checkpoint.pt" || { echo "truncated: the checkpoint changed"; exit 1; }

# The samplers' states are std::mt19937 states as text (digits and spaces, several kB): overwrite the first
# such entry of the archive with letters of the same length.
mkdir "$work/badstate"
/usr/bin/python3 - "$work/good.pt" "$work/badstate/checkpoint.pt" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
done = False
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if not done and len(data) > 4000 and re.fullmatch(rb"[0-9 ]+", data):
            data, done = b"x" * len(data), True
        zout.writestr(info.filename, data)
sys.exit(0 if done else "no sampler state found in the checkpoint")
PY
cp "$work/badstate/checkpoint.pt" "$work/badstate.pt"
expect_refusal badstate "unreadable sampler state"
cmp -s "$work/badstate.pt" "$work/badstate/checkpoint.pt" || { echo "badstate: the checkpoint changed"; exit 1; }

# The good checkpoint resumed on two threads: warned, and it trains on.
mkdir "$work/threads"
cp "$work/good.pt" "$work/threads/checkpoint.pt"
"$bin" --schedule "$schedule" --threads 2 --steps 9 --out "$work/threads" > "$work/threads.out"
grep -q "warning: the run trained with --threads 1 and goes on with --threads 2" "$work/threads.out" ||
  { cat "$work/threads.out"; echo "threads: no warning"; exit 1; }
grep -q "checkpoint .* at step 9" "$work/threads.out" || { cat "$work/threads.out"; echo "threads: not trained on"; exit 1; }
echo "threads: resumed on 2 threads with the warning"
# An export changes no weights: no warning, whatever the thread count.
"$bin" --schedule "$schedule" --threads 2 --out "$work/run" --export "$work/export.pt" > "$work/export.out"
if grep -q "warning" "$work/export.out"; then cat "$work/export.out"; echo "export: warned"; exit 1; fi
# The good checkpoint resumed with LibTorch's kernels limited below the CPU's (as on an older CPU): warned.
mkdir "$work/kernels"
cp "$work/good.pt" "$work/kernels/checkpoint.pt"
ATEN_CPU_CAPABILITY=default DNNL_MAX_CPU_ISA=SSE41 \
  "$bin" --schedule "$schedule" --threads 1 --steps 9 --out "$work/kernels" > "$work/kernels.out"
trained=$(sed -n 's/^HiNet: .*CPU (\(.*\))$/\1/p' "$work/run.out")
limited=$(sed -n 's/^HiNet: .*CPU (\(.*\))$/\1/p' "$work/kernels.out")
[ -n "$trained" ] && [ -n "$limited" ] || { cat "$work/run.out" "$work/kernels.out"; echo "kernels: not named"; exit 1; }
if [ "$trained" != "$limited" ]; then
  grep -q "warning: the run trained with $trained kernels and goes on with $limited" "$work/kernels.out" ||
    { cat "$work/kernels.out"; echo "kernels: no warning"; exit 1; }
  echo "kernels: $trained, then $limited: warned"
else
  echo "kernels: this CPU has none above SSE4.1 ($trained): nothing to warn about"
fi
# The same thread count: no warning.
mkdir "$work/same"
cp "$work/good.pt" "$work/same/checkpoint.pt"
"$bin" --schedule "$schedule" --threads 1 --steps 9 --out "$work/same" > "$work/same.out"
if grep -q "warning" "$work/same.out"; then cat "$work/same.out"; echo "same: warned"; exit 1; fi
echo "same thread count: no warning"

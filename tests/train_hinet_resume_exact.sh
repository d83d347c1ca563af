#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A stop and resume changes nothing (issue #29, weights one command reproduces): the CI schedule (40 steps,
# augmentation with LibTorch noise on, a phase change at step 20) trained in one go and trained in two
# stretches, stopped at step 7, 13 or 29, export byte-identical weights — the checkpoint carries the
# samplers' engines, LibTorch's generator and the warm-up's position. The control shows the comparison can
# fail: resumed from a checkpoint without that state (a release's final checkpoint, as written before), the
# run restarts its sampler and warm-up and its weights differ.
# Usage: train_hinet_resume_exact.sh TRAIN_HINET SOURCE_DIR
set -eu
bin=$1 schedule=$2/tests/data/hinet/schedule-smoke.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
train() { "$bin" --schedule "$schedule" --threads 1 "$@" > /dev/null; }
# Exported under one file name: the archive records its name.
export_to() { mkdir -p "$2" && "$bin" --schedule "$schedule" --out "$1" --export "$2/weights.pt" > /dev/null; }
train --out "$work/whole"
export_to "$work/whole" "$work/whole.export"
for stop in 7 13 29; do
  train --steps "$stop" --out "$work/split$stop"
  "$bin" --schedule "$schedule" --threads 1 --out "$work/split$stop" > "$work/resume$stop.log"
  grep -q "at step $stop (sampler state restored" "$work/resume$stop.log" ||
    { cat "$work/resume$stop.log"; echo "stop at $stop: the resume did not restore the run state"; exit 1; }
  export_to "$work/split$stop" "$work/split$stop.export"
  cmp "$work/whole.export/weights.pt" "$work/split$stop.export/weights.pt" ||
    { echo "stopped at step $stop and resumed: the weights differ from the uninterrupted run's"; exit 1; }
  echo "stopped at step $stop and resumed: byte-identical weights"
done
# Control: the same stop at 13, resumed from a checkpoint that carries no run state.
train --steps 13 --out "$work/stopped13"
"$bin" --schedule "$schedule" --out "$work/stopped13" --final-checkpoint "$work/stateless.pt" > /dev/null
mkdir -p "$work/control" && cp "$work/stateless.pt" "$work/control/checkpoint.pt"
"$bin" --schedule "$schedule" --threads 1 --out "$work/control" > "$work/control.log"
grep -q "at step 13 (no optimiser state" "$work/control.log" ||
  { cat "$work/control.log"; echo "control: not resumed at step 13 without state"; exit 1; }
export_to "$work/control" "$work/control.export"
if cmp -s "$work/whole.export/weights.pt" "$work/control.export/weights.pt"; then
  echo "control: a resume without the run state gave the same weights, so the comparison proves nothing"
  exit 1
fi
echo "control: resumed without the run state, the weights differ (as they must)"

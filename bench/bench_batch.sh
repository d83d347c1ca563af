#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# batch protect of 50 × 512² files (the corpus's 512² images, 8- and 16-bit, in turn) with --jobs 1 and
# --jobs 2, measured in one run: ROUNDS rounds, the two job counts alternating so that a change in the
# machine's load hits both alike. Prints one JSON object: median files/s of each, the ratio, CPU use
# (user+system seconds per wall second, and per file) and the load average before the run. On a machine
# other work shares, the ratio measures the share of the cores the batch got; cpu_per_wall says how much.
# Usage: bench/bench_batch.sh MEDVEIL_CLI CORPUS_DIR [ROUNDS]
set -euo pipefail
cli=$1
corpus=$2
rounds=${3:-3}
files=50
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null 2>&1
mkdir "$work/in"
mapfile -t sources < <(ls "$corpus"/*_512*.png)
for ((i = 0; i < files; i++)); do
  cp "${sources[i % ${#sources[@]}]}" "$work/in/$(printf 'slice_%03d.png' "$i")"
done
load=$(cut -d' ' -f1 /proc/loadavg)
# One timed batch: "wall_s cpu_s" (children's user+system time from bash's `times`).
timed() {
  rm -rf "$work/out"
  /usr/bin/python3 - "$cli" "$work" "$1" <<'PY'
import os, resource, subprocess, sys, time
cli, work, jobs = sys.argv[1:4]
start = time.perf_counter()
rc = subprocess.call([cli, "batch", "protect", work + "/in", work + "/out", "--public", work + "/pub.pem",
                      "--jobs", jobs], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if rc != 0:
    sys.exit(f"batch protect --jobs {jobs} failed with exit {rc}")
print(wall, usage.ru_utime + usage.ru_stime)
PY
}
declare -a one two one_cpu two_cpu
for ((r = 0; r < rounds; r++)); do
  read -r w c < <(timed 1); one+=("$w"); one_cpu+=("$c")
  read -r w c < <(timed 2); two+=("$w"); two_cpu+=("$c")
done
/usr/bin/python3 - "$files" "$load" "$(nproc)" "${one[*]}" "${two[*]}" "${one_cpu[*]}" "${two_cpu[*]}" <<'PY'
import json, statistics, sys
files, load, cores = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
one, two, one_cpu, two_cpu = ([float(x) for x in a.split()] for a in sys.argv[4:8])
rate = lambda walls: files / statistics.median(walls)
r1, r2 = rate(one), rate(two)
print(json.dumps({
    "files": files, "size": "512x512", "rounds": len(one), "cores": cores, "loadavg_before": load,
    "jobs1_files_per_s": round(r1, 2), "jobs2_files_per_s": round(r2, 2), "ratio": round(r2 / r1, 3),
    "target_ratio": 1.8,
    "jobs1_cpu_per_wall": round(statistics.median(c / w for c, w in zip(one_cpu, one)), 3),
    "jobs2_cpu_per_wall": round(statistics.median(c / w for c, w in zip(two_cpu, two)), 3),
    "jobs1_cpu_ms_per_file": round(1000 * statistics.median(one_cpu) / files, 1),
    "jobs2_cpu_ms_per_file": round(1000 * statistics.median(two_cpu) / files, 1),
    "jobs1_wall_s": one, "jobs2_wall_s": two,
    "rows": [{"name": "batch protect 50 × 512², 2 jobs over 1 job", "value": round(r2 / r1, 3), "unit": "×",
              "target": 1.8, "op": ">="}]}, indent=1))
PY

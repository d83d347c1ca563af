#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Throughput of the protecting DICOM node (`medveil-cli dicom serve --action protect`, one worker per core):
# N 512x512 CT instances sent by DCMTK's storescu over loopback, by one association and by two at once, without
# and with --forward to a DCMTK storescp. Instances/s = N / (first association opened .. last response), every
# instance answered with success (and forwarded, where asked); also the node's CPU time per instance and the
# machine's load average (on a shared machine the wall-clock rate says more about the neighbours). Prints
# one JSON object.
# Usage: bench/bench_dicom_node.sh MEDVEIL_CLI [N]   (run by bench/run.sh; needs dcmtk and python3-pydicom)
set -euo pipefail
# storescp (the forward destination) listens on every interface: in a private network namespace where allowed.
if [[ -z ${MEDVEIL_IN_NETNS:-} ]] && unshare -n true 2>/dev/null; then
  exec env MEDVEIL_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
cli=$(realpath "$1")
count=${2:-32}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cd "$work"

# N distinct 512x512 CT instances: CT_small's header with the corpus's 512x512 rendering of its pixels.
/usr/bin/python3 - "$root/tests/data/corpus/ct_small_512_16.png" "$count" <<'PY'
import pathlib, sys, numpy as np, pydicom
from PIL import Image
from pydicom.uid import generate_uid
pixels = np.array(Image.open(sys.argv[1])).astype(np.int16)
pathlib.Path("a").mkdir(); pathlib.Path("b").mkdir()
for i in range(int(sys.argv[2])):
    ds = pydicom.dcmread("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm")
    ds.Rows, ds.Columns = pixels.shape
    ds.PixelData = pixels.tobytes()
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.InstanceNumber = i + 1
    ds.save_as(f"{'ab'[i % 2]}/slice{i:03d}.dcm")
PY
"$cli" keygen --private priv.pem --public pub.pem > /dev/null 2>&1

sink_port=$(free_port)
mkdir sink
storescp -aet SINK --output-directory sink "$sink_port" &
pids+=($!)

# ASSOCIATIONS FORWARD(0|1): instances/s of one run against a fresh node.
run() {
  local out=out-$1-$2 port
  port=$(free_port)
  local forward=()
  [[ $2 == 1 ]] && forward=(--forward "127.0.0.1:$sink_port:SINK" --queue "$out.queue")
  "$cli" dicom serve --port "$port" --bind 127.0.0.1 --aet NODE --out "$out" --action protect \
    --public pub.pem --workers 2 --log "$out.jsonl" "${forward[@]}" 2> "$out.err" &
  local node=$!
  for _ in $(seq 100); do grep -q listening "$out.err" && break; sleep 0.1; done
  local start end
  start=$(date +%s%N)
  if [[ $1 == 1 ]]; then
    storescu -aec NODE 127.0.0.1 "$port" a/*.dcm b/*.dcm
  else
    storescu -aec NODE 127.0.0.1 "$port" a/*.dcm &
    local first=$!
    storescu -aec NODE 127.0.0.1 "$port" b/*.dcm
    wait "$first"
  fi
  end=$(date +%s%N)
  # The node's own CPU time (user + system), a figure the other load on a shared machine does not inflate.
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$node/stat")
  kill -TERM "$node"
  wait "$node"
  local ok sent
  ok=$(grep -c '"result":"ok"' "$out.jsonl" || true)
  sent=$(grep -c '"forward":"sent"' "$out.jsonl" || true)
  [[ $ok -eq $count ]] || { echo "bench_dicom_node: $ok of $count instances protected" >&2; exit 1; }
  [[ $2 == 0 || $sent -eq $count ]] || { echo "bench_dicom_node: $sent of $count forwarded" >&2; exit 1; }
  /usr/bin/python3 -c "print(round($count / (($end - $start) / 1e9), 2), round($ticks * 1000 / $(getconf CLK_TCK) / $count, 1))"
}

read -r one one_cpu < <(run 1 0)
read -r two two_cpu < <(run 2 0)
read -r one_fw one_fw_cpu < <(run 1 1)
read -r two_fw two_fw_cpu < <(run 2 1)
cat <<JSON
{"instances": $count, "size": "512x512", "modality": "CT", "action": "protect", "cores": $(nproc), "workers": 2,
 "load_average_1min": $(cut -d' ' -f1 /proc/loadavg),
 "instances_per_s": {"one_association": $one, "two_associations": $two,
                     "one_association_forward": $one_fw, "two_associations_forward": $two_fw},
 "node_cpu_ms_per_instance": {"one_association": $one_cpu, "two_associations": $two_cpu,
                              "one_association_forward": $one_fw_cpu, "two_associations_forward": $two_fw_cpu},
 "rows": [{"name": "dicom serve --action protect 512² CT, 2 associations", "value": $two, "unit": "instances/s",
           "target": null, "op": ">=", "cpu_ms": $two_cpu},
          {"name": "dicom serve --action protect --forward 512² CT, 2 associations", "value": $two_fw,
           "unit": "instances/s", "target": null, "op": ">=", "cpu_ms": $two_fw_cpu}]}
JSON

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The protecting DICOM node (`medveil-cli dicom serve`) between DCMTK's storescu and a real Orthanc, all on
# loopback with free ports: a 4-slice CT series protected on its way into Orthanc, recovered bit-exactly
# from there; Orthanc stopped during the run (the queue delivers when it is back); a node restarted on a
# non-empty queue delivers it; SIGTERM finishes the instance in hand and exits 0; a refused instance is a
# C-STORE failure with nothing written; --action seal, store and recover once each.
# Where the kernel allows it (root), the test runs in a private network namespace: Orthanc 1.10's DICOM port
# listens on every interface of that namespace, which has nothing but its own loopback.
# Usage: dicom_node.sh MEDVEIL_CLI
set -euo pipefail
# (No `producer | grep -q` below: with pipefail, grep's early exit fails the producer with SIGPIPE.)
if [[ -z ${MEDVEIL_IN_NETNS:-} ]] && unshare -n true 2>/dev/null; then
  exec env MEDVEIL_IN_NETNS=1 unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
cli=$(realpath "$1")
ct=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "dicom_node: FAIL: $*"; for f in "$work"/*.err "$work"/*.jsonl; do [[ -f $f ]] && { echo "== $f"; tail -5 "$f"; }; done; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cd "$work"

# A CT series of distinct instances (one study, one series): slice i is CT_small with its own SOP Instance
# UID and Instance Number.
mkdir series
for i in $(seq 1 12); do
  cp "$ct" "series/slice$i.dcm"
  dcmodify -nb -m "(0008,0018)=1.2.826.0.1.3680043.8.498.77.$RANDOM.$i" -m "(0020,0013)=$i" "series/slice$i.dcm"
done
"$cli" keygen --private priv.pem --public pub.pem 2> /dev/null > /dev/null

# --- Orthanc: DICOM and REST on loopback ports of its own, storage kept across restarts ---------------------
http=$(free_port)
orthanc_dicom=$(free_port)
url=http://127.0.0.1:$http
mkdir storage
cat > orthanc.json <<JSON
{ "Name": "MedVeilNodeTest", "StorageDirectory": "$work/storage", "IndexDirectory": "$work/storage",
  "HttpPort": $http, "DicomPort": $orthanc_dicom, "DicomAet": "ORTHANC", "DicomServerEnabled": true,
  "DicomCheckCalledAet": true, "DicomAlwaysAllowStore": true, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": [], "HttpServerEnabled": true }
JSON
orthanc_pid=
start_orthanc() {
  Orthanc orthanc.json >> orthanc.log 2>&1 &
  orthanc_pid=$!
  pids+=("$orthanc_pid")
  for _ in $(seq 150); do
    curl -sf "$url/system" > /dev/null && return 0
    kill -0 "$orthanc_pid" 2>/dev/null || fail "Orthanc did not start: $(tail -3 orthanc.log)"
    sleep 0.1
  done
  fail "Orthanc did not answer"
}
stop_orthanc() { kill "$orthanc_pid"; wait "$orthanc_pid" 2>/dev/null || true; }
# Orthanc's instance IDs are 44 characters (five groups of 8 hex digits): counted without starting python.
instances() { curl -sf "$url/instances" > instances.json && grep -o '"[0-9a-f-]\{44\}"' instances.json | wc -l; }
wait_instances() { # N SECONDS
  for _ in $(seq $(($2 * 10))); do [[ $(instances) -ge $1 ]] && return 0; sleep 0.1; done
  fail "Orthanc holds $(instances) instances, expected $1"
}

# --- the node -----------------------------------------------------------------------------------------------
node_pid=
node_port=
start_node() { # NAME ARGS...: runs `dicom serve`, waits for it to listen
  local name=$1
  shift
  node_port=$(free_port)
  "$cli" dicom serve --port "$node_port" --bind 127.0.0.1 --aet NODE "$@" 2>> "$name.err" &
  node_pid=$!
  pids+=("$node_pid")
  for _ in $(seq 100); do
    grep -q "listening on 127.0.0.1:$node_port" "$name.err" && return 0
    kill -0 "$node_pid" 2>/dev/null || fail "the node did not start: $(cat "$name.err")"
    sleep 0.1
  done
  fail "the node did not listen"
}
stop_node() { # SIGTERM; the exit status must be 0
  kill -TERM "$node_pid"
  local rc=0
  wait "$node_pid" || rc=$?
  [[ $rc -eq 0 ]] || fail "the node exited with $rc after SIGTERM"
}
send() { storescu -aec NODE 127.0.0.1 "$node_port" "$@"; }
lines() { grep -c -- "$2" "$1" || true; } # FILE TEXT: how many log lines hold TEXT

# DIR N: DIR holds N files, each equal to the slice sent with its SOP Instance UID (stored pixel bytes and
# every attribute of the dataset; the file meta group aside), slices 1..N.
same_as_sent() {
  /usr/bin/python3 - series "$1" "$2" <<'PY' || fail "$1 does not hold the slices sent"
import pathlib, sys, pydicom
originals = {pydicom.dcmread(p).SOPInstanceUID: p for p in pathlib.Path(sys.argv[1]).glob("*.dcm")}
files = sorted(pathlib.Path(sys.argv[2]).glob("*.dcm"))
assert len(files) == int(sys.argv[3]), f"{len(files)} files"
numbers = set()
for path in files:
    b = pydicom.dcmread(path)
    a = pydicom.dcmread(originals[b.SOPInstanceUID])
    assert a.PixelData == b.PixelData, f"{path}: stored pixel bytes differ"
    assert list(a) == list(b), f"{path}: header differs"
    numbers.add(int(b.InstanceNumber))
assert numbers == set(range(1, int(sys.argv[3]) + 1)), numbers
PY
}

# Refusals before anything listens: exit 1 for usage, 2 for a port that is taken; nothing written.
expect() { # CODE ARGS...
  local code=$1 rc=0
  shift
  "$cli" dicom serve "$@" > /dev/null 2> refusal.err || rc=$?
  [[ $rc -eq $code ]] || fail "dicom serve $* exited $rc, expected $code: $(cat refusal.err)"
}
taken=$(free_port)
expect 1 --port 1 --aet NODE --out refused --action protect                     # protect needs --public
expect 1 --port 1 --aet NODE --out refused --action store --queue q             # --queue needs --forward
expect 1 --port 1 --aet NODE --out refused --action store --forward nohost       # HOST:PORT:AE
/usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(30)' "$taken" &
pids+=($!)
sleep 0.3
expect 2 --port "$taken" --bind 127.0.0.1 --aet NODE --out refused --action store # the port is taken
grep -q "cannot listen on 127.0.0.1:$taken" refusal.err || fail "the taken port is not named: $(cat refusal.err)"
[[ ! -e q && ! -e refused ]] || fail "a refused start left a folder behind"

start_orthanc
forward=127.0.0.1:$orthanc_dicom:ORTHANC
start_node protect --out protected --action protect --public pub.pem --info hospital="Union Hospital" \
  --forward "$forward" --queue queue --retry-max 1 --log protect.jsonl

# 1. Two slices straight through to Orthanc.
send series/slice1.dcm series/slice2.dcm
wait_instances 2 10
[[ $(lines protect.jsonl '"forward":"sent"') -eq 2 ]] || fail "two instances forwarded at once expected"

# 2. Orthanc down: the node still accepts (C-STORE success), the results wait in the queue.
stop_orthanc
send series/slice3.dcm series/slice4.dcm
[[ $(grep -c '"forward":"queued"' protect.jsonl) -eq 2 ]] || fail "two queued instances expected"
[[ $(ls queue | wc -l) -eq 2 ]] || fail "the queue folder should hold 2 entries: $(ls queue)"
# ... Orthanc back: the node's retries deliver them.
start_orthanc
wait_instances 4 15
for _ in $(seq 50); do [[ $(ls queue | wc -l) -eq 0 ]] && break; sleep 0.1; done
[[ $(ls queue | wc -l) -eq 0 ]] || fail "the queue should be empty once delivered"
grep -q '"event":"forward".*"result":"sent"' protect.jsonl || fail "no delivery logged"
[[ $(grep -c '"event":"instance"' protect.jsonl) -eq 4 ]] || fail "one log line per instance expected"

# 3. Orthanc holds 4 protected instances, which recover bit-exactly to the 4 slices sent.
mkdir fromorthanc recovered
for id in $(curl -sf "$url/instances" | /usr/bin/python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))'); do
  curl -sf "$url/instances/$id/file" -o "fromorthanc/$id.dcm"
  grep -q 'MEDVEIL 1' <(dcmdump -q "fromorthanc/$id.dcm") || fail "Orthanc holds an unprotected instance"
  grep -q "identical to the original" <("$cli" recover "fromorthanc/$id.dcm" "recovered/$id.dcm" --private priv.pem) ||
    fail "fromorthanc/$id.dcm did not recover"
done
same_as_sent recovered 4

# 4. A node restarted with a non-empty queue delivers it: Orthanc down, slice 5 queued, node stopped...
stop_orthanc
send series/slice5.dcm
[[ $(ls queue | wc -l) -eq 1 ]] || fail "slice 5 should wait in the queue"
stop_node
grep -q "1 waiting in the forward queue" protect.err || fail "the node should report 1 queued result"
[[ $(ls queue | wc -l) -eq 1 ]] || fail "the queue must survive the node"
# ... Orthanc and then the node started again: the queue drains.
start_orthanc
start_node protect --out protected --action protect --public pub.pem --forward "$forward" --queue queue \
  --retry-max 1 --log protect.jsonl
wait_instances 5 15
for _ in $(seq 50); do [[ $(ls queue | wc -l) -eq 0 ]] && break; sleep 0.1; done
[[ $(ls queue | wc -l) -eq 0 ]] || fail "the restarted node did not drain its queue"
stop_node

# 5. SIGTERM during a transfer: the instance in hand is finished (written, answered), the rest refused, exit 0.
start_node term --out term --action protect --public pub.pem --log term.jsonl
send series/slice{1..12}.dcm > storescu-term.log 2>&1 &
sender=$!
pids+=("$sender")
for _ in $(seq 200); do [[ $(lines term.jsonl '"event":"instance"') -ge 1 ]] && break; sleep 0.02; done
start=$(date +%s%N)
stop_node
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
wait "$sender" || true
done_count=$(grep -c '"result":"ok"' term.jsonl)
[[ $done_count -ge 1 && $done_count -lt 12 ]] || fail "SIGTERM should stop the transfer part way ($done_count of 12)"
[[ $(ls term | wc -l) -eq $done_count ]] || fail "one complete output per answered instance expected"
for f in term/*.dcm; do dcmftest "$f" > /dev/null || fail "$f is not a complete DICOM file"; done
[[ -z $(ls -A term | grep -v '\.dcm$') ]] || fail "left-overs in the output folder: $(ls -A term)"
[[ $elapsed_ms -lt 5000 ]] || fail "SIGTERM took $elapsed_ms ms"

# 6. --action seal: the identity moves into the seal; the study's record comes back from emr-open.
mkdir records
study=$(dcmdump +P StudyInstanceUID "$ct" | sed 's/.*\[\(.*\)\].*/\1/')
printf 'Follow-up CT: stable appearance.\n' > "records/$study.txt"
start_node seal --out sealed --action seal --public pub.pem --emr-dir records --log seal.jsonl
send series/slice6.dcm
stop_node
sealed=$(ls sealed/*.dcm)
[[ $(ls sealed | wc -l) -eq 1 && $sealed == sealed/sealed-*.dcm ]] || fail "one sealed output expected"
dcmdump -q "$sealed" > sealed.dump
grep -q 'YES.*PatientIdentityRemoved' sealed.dump || fail "the sealed header keeps the identity"
! grep -q 'CompressedSamples' sealed.dump || fail "the patient's name is in the sealed header"
"$cli" emr-open "$sealed" --private priv.pem --emr-out emr.txt --image-out opened.dcm --identity-out id.txt > /dev/null
cmp emr.txt "records/$study.txt"
grep -q 'PatientName: CompressedSamples' id.txt
diff <(dcmdump -q series/slice6.dcm | grep -v '^#\|(0002,') <(dcmdump -q opened.dcm | grep -v '^#\|(0002,')

# 7. --action store: the instance as it arrived (dataset identical).
start_node store --out stored --action store --log store.jsonl
send series/slice7.dcm
stop_node
uid7=$(dcmdump +P SOPInstanceUID series/slice7.dcm | sed 's/.*\[\(.*\)\].*/\1/')
diff <(dcmdump -q series/slice7.dcm | grep -v '^#\|(0002,') <(dcmdump -q "stored/$uid7.dcm" | grep -v '^#\|(0002,')

# 8. --action recover: a protected instance from Orthanc back to its original; an unprotected instance is
# refused with a C-STORE failure status, logged, and nothing is written for it.
start_node recover --out originals --action recover --private priv.pem --log recover.jsonl
first_protected=$(ls fromorthanc/*.dcm | head -1)
send "$first_protected"
storescu -v -aec NODE 127.0.0.1 "$node_port" series/slice8.dcm > storescu-refused.log 2>&1 || true
stop_node
[[ $(lines recover.jsonl '"result":"ok"') -eq 1 ]] || fail "1 recovered instance expected"
grep '"result":"failed"' recover.jsonl > refused.line || true
grep -q '"status":"C000"' refused.line || fail "the refused instance should be logged with C000"
grep -q "Received Store Response (Error: CannotUnderstand)" storescu-refused.log || fail "storescu was not told of the failure"
[[ $(ls originals | wc -l) -eq 1 ]] || fail "nothing may be written for the refused instance"
uid=$(dcmdump +P SOPInstanceUID originals/*.dcm | sed 's/.*\[\(.*\)\].*/\1/')
cmp <(dcmdump -q "$(grep -l "$uid" recovered/*.dcm)" | grep -v '^#\|(0002,') <(dcmdump -q originals/*.dcm | grep -v '^#\|(0002,') ||
  fail "the recover node's output differs from recover's"
echo "dicom_node: 4 slices protected through the node into Orthanc (stopped and restarted meanwhile) recovered bit-exactly;"
echo "dicom_node: a restarted node drained its queue; SIGTERM answered $done_count of 12 in ${elapsed_ms} ms and exited 0;"
echo "dicom_node: seal, store and recover nodes gave the sealed record, the stored dataset and the originals back"

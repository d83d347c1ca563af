#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# medveil-cli dicom echo|find|get|send against real PACS peers started here: two Orthancs (one storing as
# sent, one told to store everything as Implicit VR Little Endian) with throw-away configuration and
# storage, a closed port and a peer that accepts TCP but never answers. A protected, a sealed and a plain CT
# go out with `dicom send`, `dicom find` finds them, `dicom get` (C-GET, and C-MOVE to MedVeil's own
# listener) brings them back byte for byte, and what comes back from the implicit-VR archive recovers /
# opens bit-exactly.
# Runs in a private network namespace (unshare -rn) where the system allows it: Orthanc 1.10 binds every
# interface, so there only the namespace's loopback exists. Elsewhere it runs on the host's loopback.
# Usage: pacs_client.sh MEDVEIL_CLI
set -euo pipefail
if [[ -z ${MEDVEIL_PACS_NETNS:-} ]] && unshare -rn true 2> /dev/null; then
  exec unshare -rn env MEDVEIL_PACS_NETNS=1 bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
cli=$(realpath "$1")
ct=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "pacs_client: FAIL: $*"; exit 1; }
t0=$(date +%s%N)
elapsed() { printf '%.1f s' "$((($(date +%s%N) - t0) / 1000000))e-3"; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# (dcmdump into sed, never into grep -q or head: with pipefail, an early exit of the reader fails the pipe)
uid_of() { dcmdump -q "$1" +P "$2" | sed -n '1s/.*\[\(.*\)\].*/\1/p'; }
syntax_of() { dcmdump -q "$1" +P 0002,0010 | sed -n '1s/.*=\([A-Za-z]*\).*/\1/p'; }
cd "$work"

# --- two Orthancs: "as sent" (knows MedVeil as a C-MOVE destination) and "implicit" (ingest transcoding)
move_port=$(free_port)
start_orthanc() { # NAME EXTRA_JSON → sets http_NAME, dicom_NAME
  local name=$1 http dicom
  http=$(free_port)
  dicom=$(free_port)
  mkdir -p "$name"
  cat > "$name/orthanc.json" << JSON
{ "Name": "MedVeil-$name", "StorageDirectory": "$work/$name", "IndexDirectory": "$work/$name",
  "HttpPort": $http, "DicomPort": $dicom, "DicomAet": "ORTHANC", "DicomCheckCalledAet": true,
  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "Plugins": [],
  "DicomAlwaysAllowFind": true, "DicomAlwaysAllowGet": true, "DicomAlwaysAllowMove": true,
  "DicomAssociationCloseDelay": 0 $2 }
JSON
  Orthanc "$name/orthanc.json" > "$name/orthanc.log" 2>&1 &
  pids+=($!)
  printf -v "http_$name" %s "$http"
  printf -v "dicom_$name" %s "$dicom"
}
start_orthanc sent ", \"DicomModalities\": { \"medveil\": [ \"MEDVEIL\", \"127.0.0.1\", $move_port ] }"
start_orthanc implicit ', "IngestTranscoding": "1.2.840.10008.1.2"'
wait_http() {
  for _ in $(seq 150); do
    curl -sf "http://127.0.0.1:$1/system" > /dev/null && return 0
    sleep 0.1
  done
  cat */orthanc.log
  fail "Orthanc did not start"
}

# --- the three CTs (meanwhile Orthanc starts). A canonical copy of the CT first: zero preamble and no
# trailing padding, which a network transfer does not carry, so that what comes back can be compared byte
# for byte with what went out.
"$cli" keygen --private priv.pem --public pub.pem > /dev/null 2>&1
dcmconv -p "$ct" ct.dcm
dd if=/dev/zero of=ct.dcm bs=128 count=1 conv=notrunc status=none
dcmodify -q -nb -m "(0010,0020)=MV-PROT" ct.dcm
"$cli" protect ct.dcm protected.dcm --public pub.pem > /dev/null
printf 'Follow-up CT: stable appearance, 头痛 resolved.\n' > note.txt
"$cli" emr-seal --image ct.dcm --emr note.txt sealed.dcm --public pub.pem > /dev/null
cp ct.dcm plain.dcm
dcmodify -q -nb -gst -gse -gin -m "(0010,0020)=MV-PLAIN" -m "(0008,0020)=20190305" -m "(0008,0050)=ACC-PLAIN" plain.dcm
"$cli" recover protected.dcm ref-recovered.dcm --private priv.pem > /dev/null
"$cli" emr-open sealed.dcm --private priv.pem --emr-out ref-note.txt --image-out ref-opened.dcm > /dev/null
cmp -s ref-note.txt note.txt || fail "emr-open of the sealed file as made"
study_prot=$(uid_of protected.dcm StudyInstanceUID)
study_seal=$(uid_of sealed.dcm StudyInstanceUID)
study_plain=$(uid_of plain.dcm StudyInstanceUID)
series_plain=$(uid_of plain.dcm SeriesInstanceUID)
[[ $study_prot != "$study_seal" && $study_prot != "$study_plain" && $study_seal != "$study_plain" ]] ||
  fail "the three CTs should be three studies"
echo "pacs_client: [$(elapsed)] test files made"
wait_http "$http_sent"
wait_http "$http_implicit"
echo "pacs_client: [$(elapsed)] both Orthancs answer"
peer=(--host 127.0.0.1 --port "$dicom_sent" --called-ae ORTHANC)
implicit_peer=(--host 127.0.0.1 --port "$dicom_implicit" --called-ae ORTHANC)

# --- usage
set +e
"$cli" dicom > /dev/null 2>&1; [[ $? == 1 ]] || fail "dicom without a sub-command: exit 1"
"$cli" dicom bogus "${peer[@]}" > /dev/null 2>&1; [[ $? == 1 ]] || fail "an unknown sub-command: exit 1"
"$cli" dicom echo --port "$dicom_sent" > /dev/null 2>&1; [[ $? == 1 ]] || fail "echo without --host: exit 1"
"$cli" dicom echo "${peer[@]}" --calling-ae THIS-AE-TITLE-IS-TOO-LONG > /dev/null 2>&1
[[ $? == 1 ]] || fail "an AE title over 16 characters: exit 1"
set -e

# --- echo: ok; wrong called AE (the peer's reason); closed port; a peer that never answers
[[ $("$cli" dicom echo "${peer[@]}") == *": ok ("* ]] || fail "echo"
"$cli" dicom echo "${peer[@]}" --json | /usr/bin/python3 -c 'import json,sys; assert json.load(sys.stdin)["ok"] is True'
set +e
msg=$("$cli" dicom echo --host 127.0.0.1 --port "$dicom_sent" --called-ae NOT-ORTHANC 2>&1); rc=$?
set -e
[[ $rc == 2 ]] || fail "echo to a wrong called AE: exit $rc, not 2 ($msg)"
grep -q "association rejected" <<< "$msg" && grep -q "Called AE Title Not Recognized" <<< "$msg" ||
  fail "echo to a wrong called AE: the peer's reason is missing: $msg"
closed=$(free_port)
set +e
start=$(date +%s%N)
msg=$("$cli" dicom echo --host 127.0.0.1 --port "$closed" --timeout 5 2>&1); rc=$?
closed_ms=$((($(date +%s%N) - start) / 1000000))
set -e
[[ $rc == 2 ]] && grep -q "Connection refused" <<< "$msg" || fail "echo to a closed port: exit $rc: $msg"
((closed_ms < 3000)) || fail "echo to a closed port took $closed_ms ms"
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])  # accepts the connection, never says a word
' > silent.port &
pids+=($!)
for _ in $(seq 50); do [[ -s silent.port ]] && break; sleep 0.1; done
set +e
start=$(date +%s%N)
msg=$("$cli" dicom echo --host 127.0.0.1 --port "$(cat silent.port)" --timeout 2 2>&1); rc=$?
silent_ms=$((($(date +%s%N) - start) / 1000000))
set -e
[[ $rc == 2 ]] && grep -q "no answer within the timeout (2 s)" <<< "$msg" ||
  fail "echo to a silent peer: exit $rc: $msg"
((silent_ms >= 1900 && silent_ms < 6000)) || fail "echo to a silent peer: $silent_ms ms for a 2 s timeout"
echo "pacs_client: [$(elapsed)] echo ok; wrong AE, closed port ($closed_ms ms) and silent peer ($silent_ms ms, timeout 2 s) exit 2"

# --- send: a folder (recursively; a text file in it is not DICOM and is skipped) and a file
mkdir -p out/sub
cp protected.dcm out/
cp sealed.dcm out/sub/
echo "not DICOM" > out/readme.txt
"$cli" dicom send "${peer[@]}" out plain.dcm --json > send.json
/usr/bin/python3 - send.json << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))
paths = [i["path"] for i in r["instances"]]
assert paths == ["out/protected.dcm", "out/sub/sealed.dcm", "plain.dcm"], paths
assert all(i["ok"] and i["status"] == 0 and i["transfer_syntax"] == "1.2.840.10008.1.2.1" for i in r["instances"]), r
assert r["sent"] == 3 and r["failed"] == 0
PY
# A file named explicitly that is not DICOM: reported per instance, exit 2, the rest still sent.
set +e
"$cli" dicom send "${peer[@]}" out/readme.txt plain.dcm --json > send-bad.json; rc=$?
set -e
[[ $rc == 2 ]] || fail "send with a non-DICOM file: exit $rc"
/usr/bin/python3 -c '
import json, sys
r = json.load(open("send-bad.json"))
assert [i["ok"] for i in r["instances"]] == [False, True] and r["failed"] == 1, r
assert "not a DICOM file" in r["instances"][0]["message"], r'
echo "pacs_client: [$(elapsed)] send of a folder and a file: 3 instances stored, per-instance status; a non-DICOM file reported, exit 2"

# --- find
"$cli" dicom find "${peer[@]}" --json > all.json
"$cli" dicom find "${peer[@]}" --patient-id MV-PROT --json > by-id.json
"$cli" dicom find "${peer[@]}" --date 20190101-20191231 --json > by-date.json
"$cli" dicom find "${peer[@]}" --date 20190305- --accession ACC-PLAIN --json > by-accession.json
"$cli" dicom find "${peer[@]}" --study-uid "$study_seal" --json > by-uid.json
"$cli" dicom find "${peer[@]}" --patient-id NOBODY --json > none.json
/usr/bin/python3 - "$study_prot" "$study_seal" "$study_plain" << 'PY'
import json, sys
prot, seal, plain = sys.argv[1:4]
def load(name):
    r = json.load(open(name))
    assert r["count"] == len(r["studies"]), r
    return {s["study_uid"]: s for s in r["studies"]}
everything = load("all.json")
assert set(everything) == {prot, seal, plain}, everything
assert all(s["series"] == 1 and s["instances"] == 1 for s in everything.values()), everything
assert everything[plain]["patient_id"] == "MV-PLAIN" and everything[plain]["study_date"] == "20190305"
assert everything[seal]["patient_id"] == "" and everything[seal]["patient_name"] == "", "the sealed study holds no identity"
assert list(load("by-id.json")) == [prot]
assert list(load("by-date.json")) == [plain]
assert list(load("by-accession.json")) == [plain]
assert list(load("by-uid.json")) == [seal]
assert list(load("none.json")) == []
PY
[[ $("$cli" dicom find "${peer[@]}" --patient-id MV-PLAIN) == "20190305  MV-PLAIN "*"1 series, 1 instances  $study_plain"* ]] ||
  fail "find's text output"
# Series level: the one series of the plain study, by its UID; study filters do not combine with it.
"$cli" dicom find "${peer[@]}" --series-of "$study_plain" --json > series.json
/usr/bin/python3 - "$series_plain" << 'PY' || fail "find --series-of"
import json, sys
r = json.load(open("series.json"))
assert r["count"] == 1 and [s["series_uid"] for s in r["series"]] == [sys.argv[1]], r
assert r["series"][0]["instances"] == 1 and r["series"][0]["modality"] == "CT", r
PY
[[ $("$cli" dicom find "${peer[@]}" --series-of "$study_plain") == *"1 instances  $series_plain"* ]] || fail "find --series-of text"
set +e
"$cli" dicom find "${peer[@]}" --series-of "$study_plain" --patient-id X > /dev/null 2>&1; rc=$?
set -e
[[ $rc == 1 ]] || fail "find --series-of with a study filter: exit $rc"
echo "pacs_client: [$(elapsed)] find: 3 studies; by patient ID, date range, accession, study UID; none for an unknown patient; a study's series"

# --- get: every study by C-GET, a series, and the sealed study by C-MOVE to our own listener
same_file() { # RETRIEVED SENT: byte for byte, else the attributes that differ
  cmp -s "$1" "$2" && return 0
  diff <(dcmdump -q "$2") <(dcmdump -q "$1") | head -20
  fail "$1 is not the file that was sent ($2)"
}
"$cli" dicom get "${peer[@]}" --study-uid "$study_prot" --out-dir got --json > get.json
"$cli" dicom get "${peer[@]}" --study-uid "$study_seal" --out-dir got > /dev/null
"$cli" dicom get "${peer[@]}" --study-uid "$study_plain" --series-uid "$series_plain" --out-dir got > /dev/null
"$cli" dicom get "${peer[@]}" --study-uid "$study_seal" --out-dir moved --move-port "$move_port" --json > move.json
[[ $(ls got | wc -l) == 3 && $(ls moved | wc -l) == 1 ]] || fail "get: $(ls got moved)"
same_file "got/$(uid_of protected.dcm SOPInstanceUID).dcm" protected.dcm
same_file "got/$(uid_of sealed.dcm SOPInstanceUID).dcm" sealed.dcm
same_file "got/$(uid_of plain.dcm SOPInstanceUID).dcm" plain.dcm
same_file "moved/$(uid_of sealed.dcm SOPInstanceUID).dcm" sealed.dcm
/usr/bin/python3 -c '
import json
assert json.load(open("move.json"))["method"] == "C-MOVE" and json.load(open("get.json"))["count"] == 1' || fail "get --json"
set +e
"$cli" dicom get "${peer[@]}" --study-uid 1.2.3.4.5 --out-dir nothing > /dev/null 2>&1; rc=$?
set -e
[[ $rc == 2 ]] || fail "get of a study the PACS does not hold: exit $rc"
"$cli" recover got/"$(uid_of protected.dcm SOPInstanceUID)".dcm recovered.dcm --private priv.pem > /dev/null
cmp -s recovered.dcm ref-recovered.dcm || fail "recover of the retrieved protected CT is not bit-exact"
"$cli" emr-open moved/"$(uid_of sealed.dcm SOPInstanceUID)".dcm --private priv.pem --emr-out note-out.txt \
  --image-out opened.dcm > /dev/null
cmp -s note-out.txt note.txt && cmp -s opened.dcm ref-opened.dcm || fail "emr-open of the retrieved sealed CT"
echo "pacs_client: [$(elapsed)] get (C-GET study and series, C-MOVE): the 3 CTs back byte for byte; recover and emr-open bit-exact"

# --- the implicit-VR archive: Orthanc transcodes what it receives to Implicit VR Little Endian
"$cli" dicom send "${implicit_peer[@]}" protected.dcm sealed.dcm > /dev/null
for f in protected sealed; do
  id=$(curl -sf -X POST "http://127.0.0.1:$http_implicit/tools/lookup" -d "$(uid_of $f.dcm SOPInstanceUID)" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])')
  curl -sf "http://127.0.0.1:$http_implicit/instances/$id/file" -o "stored-$f.dcm"
  [[ $(syntax_of "stored-$f.dcm") == LittleEndianImplicit ]] ||
    fail "Orthanc did not store $f as implicit VR"
done
# Retrieved as stored (implicit proposed) and as Orthanc converts it for explicit VR (the private block as UN).
"$cli" dicom get "${implicit_peer[@]}" --study-uid "$study_prot" --out-dir gi --transfer-syntax implicit > /dev/null
"$cli" dicom get "${implicit_peer[@]}" --study-uid "$study_seal" --out-dir gi --transfer-syntax implicit > /dev/null
"$cli" dicom get "${implicit_peer[@]}" --study-uid "$study_prot" --out-dir ge > /dev/null
"$cli" dicom get "${implicit_peer[@]}" --study-uid "$study_seal" --out-dir ge > /dev/null
for f in protected sealed; do
  same_file "gi/$(uid_of $f.dcm SOPInstanceUID).dcm" "stored-$f.dcm"
  [[ $(syntax_of "ge/$(uid_of $f.dcm SOPInstanceUID).dcm") == LittleEndianExplicit ]] ||
    fail "get without --transfer-syntax: $f not explicit VR"
done
for dir in gi ge; do
  rm -f r.dcm e.txt o.dcm
  "$cli" recover "$dir/$(uid_of protected.dcm SOPInstanceUID).dcm" r.dcm --private priv.pem > /dev/null ||
    fail "recover of the protected CT from the implicit-VR archive ($dir)"
  cmp -s r.dcm ref-recovered.dcm || fail "recover from the implicit-VR archive ($dir) is not bit-exact"
  "$cli" emr-open "$dir/$(uid_of sealed.dcm SOPInstanceUID).dcm" --private priv.pem --emr-out e.txt \
    --image-out o.dcm > /dev/null || fail "emr-open of the sealed CT from the implicit-VR archive ($dir)"
  cmp -s e.txt note.txt && cmp -s o.dcm ref-opened.dcm || fail "emr-open from the implicit-VR archive ($dir)"
done
echo "pacs_client: [$(elapsed)] implicit-VR archive: stored as implicit VR, retrieved as implicit and explicit VR; recover and emr-open bit-exact"

# --- a file's own transfer syntax, and a receiver that takes implicit VR only. A JPEG-LS protected CT goes to
# Orthanc as JPEG-LS (proposed as is) and to `storescp --implicit`, which accepts nothing else: there it is
# decompressed to implicit VR on the way, and still recovers bit-exactly.
dcmcjpls protected.dcm protected-jls.dcm
"$cli" dicom send "${peer[@]}" protected-jls.dcm --json > send-jls.json
scp_port=$(free_port)
mkdir scp
storescp --implicit --aetitle STORESCP --output-directory scp "$scp_port" > storescp.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do "$cli" dicom echo --host 127.0.0.1 --port "$scp_port" --called-ae STORESCP > /dev/null 2>&1 && break; sleep 0.1; done
"$cli" dicom send --host 127.0.0.1 --port "$scp_port" --called-ae STORESCP protected-jls.dcm sealed.dcm --json > send-scp.json
/usr/bin/python3 -c '
import json
jls = json.load(open("send-jls.json"))["instances"][0]
assert jls["ok"] and jls["transfer_syntax"] == "1.2.840.10008.1.2.4.80", jls
scp = json.load(open("send-scp.json"))["instances"]
assert all(i["ok"] and i["transfer_syntax"] == "1.2.840.10008.1.2" for i in scp), scp' || fail "send in the file's own transfer syntax"
stored=(scp/*)
[[ ${#stored[@]} == 2 ]] || fail "storescp received ${#stored[@]} files"
for f in "${stored[@]}"; do
  [[ $(syntax_of "$f") == LittleEndianImplicit ]] || fail "$f is not implicit VR"
  rm -f r.dcm e.txt o.dcm
  if [[ $(uid_of "$f" SOPInstanceUID) == "$(uid_of protected.dcm SOPInstanceUID)" ]]; then
    "$cli" recover "$f" r.dcm --private priv.pem > /dev/null && cmp -s r.dcm ref-recovered.dcm ||
      fail "recover after JPEG-LS → implicit VR on the way to storescp"
  else
    "$cli" emr-open "$f" --private priv.pem --emr-out e.txt --image-out o.dcm > /dev/null &&
      cmp -s e.txt note.txt && cmp -s o.dcm ref-opened.dcm || fail "emr-open of what storescp --implicit received"
  fi
done
echo "pacs_client: [$(elapsed)] send: JPEG-LS file sent as JPEG-LS to Orthanc, converted to implicit VR for storescp --implicit; recover and emr-open bit-exact"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A protected study through a real PACS: starts Debian's Orthanc on loopback with a throw-away
# configuration and storage, uploads a key-region-protected CT (DICOM) through the REST API, downloads it
# back, recovers it and checks the stored pixels and the header against the original.
# Usage: orthanc_roundtrip.sh MEDVEIL_CLI
set -euo pipefail
cli=$1
original=/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm
work=$(mktemp -d)
orthanc_pid=
cleanup() { [[ -n $orthanc_pid ]] && kill "$orthanc_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http=$(free_port)
dicom=$(free_port)
mkdir -p "$work/storage"
cat > "$work/orthanc.json" <<JSON
{ "Name": "MedVeilTest", "StorageDirectory": "$work/storage", "IndexDirectory": "$work/storage",
  "HttpPort": $http, "DicomPort": $dicom, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
  "Plugins": [], "HttpServerEnabled": true, "DicomServerEnabled": false }
JSON
Orthanc "$work/orthanc.json" > "$work/orthanc.log" 2>&1 &
orthanc_pid=$!
url=http://127.0.0.1:$http
for _ in $(seq 100); do
  curl -sf "$url/system" > /dev/null && break
  kill -0 "$orthanc_pid" 2>/dev/null || { cat "$work/orthanc.log"; echo "orthanc_roundtrip: Orthanc did not start"; exit 1; }
  sleep 0.2
done
curl -sf "$url/system" | grep -q '"Version"' || { echo "orthanc_roundtrip: no answer from Orthanc"; exit 1; }

"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null
"$cli" protect "$original" "$work/protected.dcm" --public "$work/pub.pem" --info hospital="Union Hospital" > /dev/null
id=$(curl -sf -X POST "$url/instances" --data-binary @"$work/protected.dcm" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["ID"])')
curl -sf "$url/instances/$id/file" -o "$work/downloaded.dcm"
# The archive keeps the file as it was sent (Part 10 bytes identical), private block included.
cmp "$work/protected.dcm" "$work/downloaded.dcm"
"$cli" recover "$work/downloaded.dcm" "$work/recovered.dcm" --private "$work/priv.pem" | grep -q "identical to the original"
# Stored pixel words identical, and the whole dataset apart from the file meta group.
/usr/bin/python3 - "$original" "$work/recovered.dcm" <<'PY'
import sys, numpy as np, pydicom
a, b = pydicom.dcmread(sys.argv[1]), pydicom.dcmread(sys.argv[2])
assert np.array_equal(a.pixel_array, b.pixel_array) and a.pixel_array.dtype == b.pixel_array.dtype, "pixels differ"
assert a.SOPInstanceUID == b.SOPInstanceUID and a.PatientName == b.PatientName
PY
diff <(dcmdump -q "$original" | grep -v '^#\|(0002,') <(dcmdump -q "$work/recovered.dcm" | grep -v '^#\|(0002,')
# The recovered study goes back to the archive as the original instance.
curl -sf -X POST "$url/instances" --data-binary @"$work/recovered.dcm" | grep -q '"Status"'
# A sealed (de-identified) study through the archive: Orthanc sees no identity; emr-open restores it.
printf 'Follow-up CT: stable appearance.\n' > "$work/note.txt"
"$cli" emr-seal --image "$original" --emr "$work/note.txt" "$work/sealed.dcm" --public "$work/pub.pem" > /dev/null
id=$(curl -sf -X POST "$url/instances" --data-binary @"$work/sealed.dcm" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["ID"])')
curl -sf "$url/instances/$id/simplified-tags" | grep -q '"PatientIdentityRemoved" *: *"YES"'
! curl -sf "$url/instances/$id/simplified-tags" | grep -q 'CompressedSamples'
curl -sf "$url/instances/$id/file" -o "$work/sealed-down.dcm"
"$cli" emr-open "$work/sealed-down.dcm" --private "$work/priv.pem" --emr-out "$work/emr.txt" --image-out "$work/opened.dcm" \
  --identity-out "$work/identity.txt" > /dev/null
cmp "$work/note.txt" "$work/emr.txt"
grep -q 'PatientName: CompressedSamples' "$work/identity.txt"
diff <(dcmdump -q "$original" | grep -v '^#\|(0002,\|(7fe0,0010)') <(dcmdump -q "$work/opened.dcm" | grep -v '^#\|(0002,\|(7fe0,0010)')
echo "orthanc_roundtrip: sealed CT stored de-identified in Orthanc, opened with its original header"
echo "orthanc_roundtrip: protected CT uploaded to Orthanc, downloaded unchanged, recovered bit-exactly with its original header"

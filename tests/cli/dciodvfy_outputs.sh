#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What MedVeil writes passes DICOM's own validator: dicom3tools' dciodvfy on the outputs of protect, recover,
# emr-seal and emr-open, for every pydicom test file MedVeil accepts and for a 512² CT with a full,
# identifying header. Fails on any dciodvfy error line the input did not already have, and on any
# identifying value of the input that survives into a sealed (de-identified) file.
# Usage: dciodvfy_outputs.sh MEDVEIL_CLI
set -uo pipefail
cli=$1
files=/usr/lib/python3/dist-packages/pydicom/data/test_files
command -v dciodvfy > /dev/null || { echo "dciodvfy_outputs: dciodvfy missing (packaging/install-deps.sh installs dicom3tools)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "dciodvfy_outputs: $*"; exit 1; }
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null 2>&1 || fail keygen
printf 'Ward round: stable, CT reviewed. 复查 CT，病情稳定。\n' > "$work/note.txt"

# Inputs made here from pydicom's files: a 512² CT carrying the identifying attributes PS3.15's profile
# lists (the review found them surviving de-identification), and a 256² MR large enough to protect.
/usr/bin/python3 - "$files" "$work" <<'PY' || fail "cannot make the test inputs"
import sys, numpy as np, pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
files, work = sys.argv[1], sys.argv[2]
d = pydicom.dcmread(files + "/CT_small.dcm")
a = np.kron(d.pixel_array, np.ones((4, 4), dtype=d.pixel_array.dtype))
d.Rows, d.Columns = a.shape
d.PixelData = a.tobytes()
d.PatientName = "Mallory^Eve"
d.PatientID = "MRN-7731-EVE"
d.OtherPatientIDs = "OTHER-5521"
d.MedicalAlerts = "PENICILLIN-ALERT"
d.Allergies = "LATEX-ALLERGY"
d.PatientReligiousPreference = "RELIGION-X"
d.Occupation = "LIGHTHOUSE-KPR"
d.OperatorsName = "Operator^Oscar"
d.StationName = "STATION-CT-7"
d.RequestedProcedureDescription = "PROCEDURE-SECRET"
d.DetectorID = "DETECTOR-99"
d.add_new((0x0009, 0x0010), "LO", "ACME 1")          # a vendor's private block
d.add_new((0x0009, 0x1001), "LO", "PRIVATE-SECRET")
item = Dataset(); item.UID = "1.2.3.4.5.6.7.8.99"; item.ValueType = "UIDREF"
d.ContentSequence = Sequence([item])
d.save_as(work + "/CT_full.dcm")
m = pydicom.dcmread(files + "/MR_small.dcm")
b = np.kron(m.pixel_array, np.ones((4, 4), dtype=m.pixel_array.dtype))
m.Rows, m.Columns = b.shape
m.PixelData = b.tobytes()
m.save_as(work + "/MR_256.dcm")
PY

errors() { dciodvfy "$1" 2>&1 | grep '^Error' | sort -u; }
check() { # check INPUT OUTPUT WHAT: no error line in OUTPUT that INPUT lacks
  local added
  added=$(comm -13 <(errors "$1") <(errors "$2"))
  [[ -z $added ]] || fail "$3 of $(basename "$1") adds dciodvfy errors: $added"
  checked=$((checked + 1))
}
checked=0
inputs=("$work/CT_full.dcm" "$work/MR_256.dcm" "$files/CT_small.dcm")
# Seal-only inputs: 64×64 MR in several encodings (too small for the QR code of a protection). pydicom's
# deflated image_dfl.dcm is left out: dciodvfy cannot read its input, so there is no baseline.
seal_only=(MR_small MR_small_RLE MR_small_bigendian MR_small_expb MR_small_implicit MR_small_jpeg_ls_lossless
  MR_small_padded)
for f in "${inputs[@]}"; do
  b=$(basename "$f" .dcm)
  "$cli" protect "$f" "$work/p_$b.dcm" --public "$work/pub.pem" > /dev/null || fail "protect $b"
  check "$f" "$work/p_$b.dcm" protect
  "$cli" recover "$work/p_$b.dcm" "$work/r_$b.dcm" --private "$work/priv.pem" > /dev/null || fail "recover $b"
  check "$f" "$work/r_$b.dcm" recover
done
for f in "${inputs[@]}" "${seal_only[@]/#/$files/}"; do
  f=${f%.dcm}.dcm
  b=$(basename "$f" .dcm)
  "$cli" emr-seal --image "$f" --emr "$work/note.txt" "$work/s_$b.dcm" --public "$work/pub.pem" > /dev/null ||
    fail "emr-seal $b"
  check "$f" "$work/s_$b.dcm" emr-seal
  "$cli" emr-open "$work/s_$b.dcm" --private "$work/priv.pem" --emr-out "$work/e_$b.txt" \
    --image-out "$work/o_$b.dcm" > /dev/null || fail "emr-open $b"
  check "$f" "$work/o_$b.dcm" emr-open
  # No empty Type 2C attribute whose condition MedVeil cannot know (Laterality: "should be absent").
  absent=$(dciodvfy "$work/s_$b.dcm" 2>&1 | grep 'should be absent')
  [[ -z $absent ]] || fail "emr-seal of $b writes an attribute that should be absent: $absent"
  # A sealed file is a Secondary Capture object with the coded de-identification method.
  dump=$(dcmdump "$work/s_$b.dcm")
  grep -qF '(0008,0016) UI =SecondaryCaptureImageStorage' <<< "$dump" || fail "$b: sealed file is not Secondary Capture"
  grep -q '\[113100\]' <<< "$dump" || fail "$b: no Deidentification Method Code Sequence (113100)"
done
# emr-open --identity-out lists every identifying attribute it restored: each listed line is an attribute the
# restored file holds that the sealed one lacks or holds otherwise, with its value; every identifying
# attribute so restored is listed, the times and UIDs included.
"$cli" emr-open "$work/s_CT_full.dcm" --private "$work/priv.pem" --emr-out "$work/e_id.txt" \
  --image-out "$work/o_id.dcm" --identity-out "$work/id_CT_full.txt" > /dev/null || fail "emr-open --identity-out"
/usr/bin/python3 - "$work/s_CT_full.dcm" "$work/o_id.dcm" "$work/id_CT_full.txt" <<'PY' || fail "--identity-out does not list what was restored: $(cat "$work/id_CT_full.txt")"
import sys, pydicom
from pydicom.multival import MultiValue
sealed, restored = pydicom.dcmread(sys.argv[1]), pydicom.dcmread(sys.argv[2])
listed = {}
for line in open(sys.argv[3], encoding="utf-8").read().splitlines()[1:]:
    if line.endswith(" private attributes"):
        continue
    keyword, value = line.split(": ", 1)
    listed[keyword] = value
def text(e):
    if e.VR == "SQ": return f"(sequence of {len(e.value)} item(s))"
    if isinstance(e.value, MultiValue): return "\\".join(str(v) for v in e.value)
    return str(e.value)
changed = {}
for e in restored:
    if e.tag.is_private or e.tag.group == 0x0002 or e.tag == 0x7FE00010 or e.value in (None, "", b"") or not e.keyword:
        continue
    if e.tag not in sealed or sealed[e.tag].value != e.value:
        changed[e.keyword] = e
for keyword, value in listed.items():
    assert keyword in changed, f"{keyword} is listed but was not restored"
    e = changed[keyword]
    if e.VR in ("PN", "LO", "SH", "DA", "TM", "UI", "CS", "DT", "AS", "LT", "ST", "SQ"):
        assert value == text(e), f"{keyword}: listed '{value}', restored '{text(e)}'"
# Identifying, judged here without MedVeil's table: names, dates, times, ages, instance UIDs, sequences,
# and the patient's, institution's, staff's and study's descriptive attributes.
import re
words = re.compile(r"^(Other)?Patient(?!Position|Orientation)|Institution|Station|Physician|Operator|Accession|StudyID|Comments|Description|"
                   r"Occupation|Allergies|MedicalAlerts|Religious|DetectorID|DeviceSerial|Address|Telephone")
identifying = {k for k, e in changed.items()
               if (e.VR in ("PN", "DA", "TM", "DT", "AS", "SQ") or (e.VR == "UI" and not k.endswith("ClassUID"))
                   or words.search(k)) and k not in ("PatientIdentityRemoved", "DeidentificationMethod")}
must = {"PatientName", "PatientID", "StudyDate", "StudyTime", "StudyInstanceUID", "SeriesInstanceUID",
        "SOPInstanceUID", "FrameOfReferenceUID", "InstitutionName", "OtherPatientIDs", "StationName",
        "OperatorsName", "ContentSequence"}
assert must <= set(listed), f"missing from the list: {sorted(must - set(listed))}"
assert identifying <= set(listed), f"restored but not listed: {sorted(identifying - set(listed))}"
PY
# Nothing identifying of the full-header CT survives into its sealed file (bytes, any VR, any element).
for secret in Mallory MRN-7731 OTHER-5521 PENICILLIN LATEX RELIGION-X LIGHTHOUSE Oscar STATION-CT-7 \
  PROCEDURE-SECRET DETECTOR-99 PRIVATE-SECRET 1.2.3.4.5.6.7.8.99 ACME; do
  grep -qa -- "$secret" "$work/s_CT_full.dcm" && fail "sealed CT still carries '$secret'"
  grep -qa -- "$secret" "$work/o_CT_full.dcm" || fail "restored CT lost '$secret'"
done
echo "dciodvfy_outputs: $checked outputs checked, no new dciodvfy errors; sealed CT carries no identity"

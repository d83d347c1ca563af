#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# medveil-cli on DICOM inputs: distinct exit codes for what cannot be protected, nothing written, inputs
# untouched. Usage: dicom_cli.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$1
corpus=$2
files=/usr/lib/python3/dist-packages/pydicom/data/test_files
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "dicom_cli: $*"; exit 1; }
# leaked ORIGINAL SEALED ATTRIBUTE=VALUE...: names each VALUE readable in SEALED — in its bytes outside
# MedVeil's private text element, or in that element's fields once decoded down to their bytes (base64, as
# many layers as decode) — and fails unless every VALUE is readable in ORIGINAL (the check can see it).
# The element's encoded ciphertext itself is not searched: ~31 KB of base64 text holds a given 4-character
# ID such as CT_small's '1CT1' by chance about once in 500 seals (a failed CI run, not a leak); a value
# stored encoded but not encrypted is still found in the decoded bytes. One process per file: pydicom's
# import is most of its time.
leaked() {
  /usr/bin/python3 - "$@" <<'PY'
import base64, binascii, sys, pydicom

def readable(path):
    raw = open(path, "rb").read()
    dataset = pydicom.dcmread(path)
    text = bytes(dataset[0x00711001].value) if 0x00711001 in dataset else b""
    assert not text or raw.count(text) == 1
    places = [raw.replace(text, b"")] if text else [raw]
    for line in text.rstrip(b"\0").split(b"\n"):
        field = line.partition(b"\t")[2]
        while field:
            try:
                field = base64.b64decode(field, validate=True)
            except (binascii.Error, ValueError):
                break
        places.append(field)
    return lambda value: any(value in place for place in places)

in_original, in_sealed = readable(sys.argv[1]), readable(sys.argv[2])
for pair in sys.argv[3:]:
    attribute, _, value = pair.partition("=")
    if not in_original(value.encode()):
        sys.exit(f"leaked() does not see {attribute} '{value}' in the original")
    if in_sealed(value.encode()):
        print(f"{attribute} '{value}'")
PY
}
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null || fail keygen
expect() { # expect CODE ARGS...: exit code CODE and no output file
  local code=$1; shift
  "$cli" "$@" 2> "$work/err"; local got=$?
  [[ $got == "$code" ]] || fail "'$*' exited $got, expected $code: $(cat "$work/err")"
  [[ ! -e $work/out.dcm && ! -e $work/out.png ]] || fail "'$*' left an output file"
}
expect 2 protect "$files/JPEG-lossy.dcm" "$work/out.dcm" --public "$work/pub.pem"
grep -q lossy "$work/err" || fail "no word about lossy compression"
expect 2 protect "$files/rtdose.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/SC_rgb_rle.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/MR_small_jp2klossless.dcm" "$work/out.dcm" --public "$work/pub.pem"
expect 2 protect "$files/MR_small.dcm" "$work/out.dcm" --public "$work/pub.pem"   # 64×64: smaller than the QR
expect 2 protect "$files/MR_truncated.dcm" "$work/out.dcm" --public "$work/pub.pem"
# Broken files made from a real one: no pixel data, 0×0, a wrong value length.
/usr/bin/python3 - "$files/CT_small.dcm" "$work" <<'PY'
import sys, pydicom
src, work = sys.argv[1], sys.argv[2]
d = pydicom.dcmread(src); del d.PixelData; d.save_as(work + "/nopixels.dcm")
d = pydicom.dcmread(src); d.Rows = 0; d.Columns = 0; d.save_as(work + "/empty.dcm")
raw = bytearray(open(src, "rb").read())
i = raw.find(b"\x10\x00\x10\x00PN")            # PatientName, explicit VR: 2-byte length follows
raw[i + 6:i + 8] = (0xFFF0).to_bytes(2, "little")   # claims 65,520 bytes
open(work + "/badlength.dcm", "wb").write(raw)
PY
for broken in nopixels empty badlength; do
  expect 2 protect "$work/$broken.dcm" "$work/out.dcm" --public "$work/pub.pem"
  grep -q "$broken.dcm" "$work/err" || fail "$broken: the message does not name the file"
done
expect 1 protect "$corpus/mri_colin_axial_z160_512.png" "$work/out.dcm" --public "$work/pub.pem" # DICOM out needs DICOM in
before=$(sha256sum "$files/CT_small.dcm")
"$cli" protect "$files/CT_small.dcm" "$work/p.dcm" --public "$work/pub.pem" > /dev/null || fail "protect CT_small"
# A DICOM input may also be protected to PNG (pixels and MedVeil metadata, no header).
"$cli" protect "$files/CT_small.dcm" "$work/p.png" --public "$work/pub.pem" > /dev/null || fail "protect to PNG"
"$cli" recover "$work/p.dcm" "$work/r.dcm" --private "$work/priv.pem" > /dev/null || fail "recover"
[[ $(sha256sum "$files/CT_small.dcm") == "$before" ]] || fail "the input changed"
# Tampering with one stored pixel of the protected DICOM: refused (exit 3), nothing written.
/usr/bin/python3 - "$work/p.dcm" "$work/t.dcm" <<'PY'
import sys, pydicom
d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array.copy(); a[100, 100] ^= 1
d.PixelData = a.tobytes(); d.save_as(sys.argv[2])
PY
expect 3 recover "$work/t.dcm" "$work/out.dcm" --private "$work/priv.pem"
# The header is authenticated with the pixels: a forged name or rescale intercept (dcmodify, as a user
# would) or an edited MedVeil block (the values recovery puts back) → exit 3, nothing written.
cp "$work/p.dcm" "$work/h.dcm"
dcmodify -nb -m "(0028,1052)=-500" -m "(0010,0010)=Evil^Mallory" "$work/h.dcm" || fail dcmodify
expect 3 recover "$work/h.dcm" "$work/out.dcm" --private "$work/priv.pem"
grep -q "header was modified" "$work/err" || fail "header edit: $(cat "$work/err")"
/usr/bin/python3 - "$work/p.dcm" "$work/h.dcm" <<'PY'
import sys, base64, pydicom
d = pydicom.dcmread(sys.argv[1]); lines = bytes(d[0x00711001].value).rstrip(b"\0").split(b"\n")
bits_stored = b"\x28\x00\x01\x01US\x02\x00"  # (0028,0101) US, explicit VR little endian
for i, line in enumerate(lines):
    if line.startswith(b"MedVeil:dicom-original\t"):  # the original elements recovery restores
        source = base64.b64decode(line.split(b"\t")[1])
        assert bits_stored + b"\x10\x00" in source
        source = source.replace(bits_stored + b"\x10\x00", bits_stored + b"\x0c\x00", 1)  # 16 -> 12
        lines[i] = b"MedVeil:dicom-original\t" + base64.b64encode(source)
d[0x00711001].value = b"\n".join(lines); d.save_as(sys.argv[2])
PY
expect 3 recover "$work/h.dcm" "$work/out.dcm" --private "$work/priv.pem"
# EMR hidden encryption of DICOM studies: identity out of the header into the sealed EMR, and back.
printf 'Discharge summary: no acute findings. 出院小结：未见急性病变。\n' > "$work/note.txt"
"$cli" keygen --private "$work/other.pem" --public "$work/other.pub" > /dev/null || fail keygen
for f in CT_small MR_small MR_small_RLE MR_small_jpeg_ls_lossless; do
  "$cli" emr-seal --image "$files/$f.dcm" --emr "$work/note.txt" "$work/s_$f.dcm" --public "$work/pub.pem" > /dev/null ||
    fail "emr-seal $f"
  dcmdump -q "$work/s_$f.dcm" > "$work/sealed.txt"
  grep -q 'PatientIdentityRemoved' "$work/sealed.txt" && grep -q '\[YES\]' "$work/sealed.txt" || fail "$f: no Patient Identity Removed"
  # Names, IDs and UIDs survive nowhere in the file's bytes; the other profile attributes are gone or empty.
  identifiers=()
  for attribute in PatientName PatientID StudyInstanceUID SeriesInstanceUID SOPInstanceUID; do
    value=$(dcmdump -q +P "$attribute" "$files/$f.dcm" | head -1 | sed -n 's/.*\[\(.*\)\].*/\1/p')
    [[ -n $value ]] && identifiers+=("$attribute=$value")
  done
  found=$(leaked "$files/$f.dcm" "$work/s_$f.dcm" "${identifiers[@]}" 2>&1) || fail "$f: $found"
  [[ -z $found ]] || fail "$f: left in the sealed file: $found"
  for attribute in InstitutionName StudyDate OperatorsName PatientBirthDate PatientSex StationName StudyID; do
    ! dcmdump -q +P "$attribute" "$work/s_$f.dcm" | grep -q '\[' || fail "$f: $attribute still has a value"
  done
  ! grep -qaF OtherPatientIDsSequence "$work/sealed.txt" || fail "$f: other patient IDs left"
  expect 3 emr-open "$work/s_$f.dcm" --private "$work/other.pem" --emr-out "$work/out.txt" --image-out "$work/out.dcm"
  # The sealed header is bound into the seal: Modality changed → exit 3, nothing written.
  cp "$work/s_$f.dcm" "$work/h.dcm"
  dcmodify -nb -m "(0008,0060)=MR" -m "(0020,0013)=7" "$work/h.dcm" || fail dcmodify
  expect 3 emr-open "$work/h.dcm" --private "$work/priv.pem" --emr-out "$work/out.txt" --image-out "$work/out.dcm"
  [[ ! -e $work/out.txt ]] || fail "$f: an EMR was written from a tampered header"
  "$cli" emr-open "$work/s_$f.dcm" --private "$work/priv.pem" --emr-out "$work/e_$f.txt" --image-out "$work/r_$f.dcm" \
    --identity-out "$work/id_$f.txt" > /dev/null || fail "emr-open $f"
  # The note comes back byte-exactly (nothing appended), the identity only on request, readable and without
  # the header key, the header exactly (only the file meta group and the pixel data's encoding differ), the
  # pixels bit-exactly (exact recovery, the default).
  cmp "$work/note.txt" "$work/e_$f.txt" || fail "$f: EMR differs from the sealed note"
  grep -q 'PatientName: CompressedSamples' "$work/id_$f.txt" || fail "$f: identity not in --identity-out"
  ! grep -q 'MEDVEIL DICOM ATTRIBUTES' "$work/id_$f.txt" || fail "$f: the header key is in a user-visible file"
  [[ $(stat -c %a "$work/id_$f.txt") == 600 ]] || fail "$f: identity file is not 0600"
  diff <(dcmdump -q "$files/$f.dcm" | grep -v '^#\|(0002,\|(7fe0,0010)\|(fffe,') \
       <(dcmdump -q "$work/r_$f.dcm" | grep -v '^#\|(0002,\|(7fe0,0010)\|(fffe,') || fail "$f: header not restored"
  reference="$files/$f.dcm"
  [[ $f == MR_small* ]] && reference="$files/MR_small.dcm" # same pixels (test_dicom); pydicom lacks a JPEG-LS decoder
  /usr/bin/python3 - "$reference" "$work/r_$f.dcm" <<'PY' || fail "$f: recovered pixels differ from the original"
import sys, numpy as np, pydicom
a = pydicom.dcmread(sys.argv[1]).pixel_array.astype(float); b = pydicom.dcmread(sys.argv[2]).pixel_array.astype(float)
span = a.max() - a.min(); psnr = 10 * np.log10(span * span / ((a - b) ** 2).mean())
print(f"{sys.argv[1].split('/')[-1]}: recovered pixels {'bit-exact' if np.array_equal(a, b) else 'DIFFER'}")
sys.exit(0 if np.array_equal(a, b) else 1)
PY
done

# A header in another character set (ISO_IR 100, as many European PACS send): the identity comes back as
# UTF-8 text, the restored header byte for byte in its own character set (issue #16 point 5).
/usr/bin/python3 - "$files/CT_small.dcm" "$work/latin1.dcm" <<'PY'
import sys, pydicom
d = pydicom.dcmread(sys.argv[1]); d.SpecificCharacterSet = "ISO_IR 100"
d.PatientName = "Müller^Jürgen"; d.InstitutionName = "Universitätsklinikum Köln"; d.save_as(sys.argv[2])
PY
grep -qa $'M\xfcller' "$work/latin1.dcm" || fail "the test file is not ISO-8859-1"
"$cli" emr-seal --image "$work/latin1.dcm" --emr "$work/note.txt" "$work/s_latin1.dcm" --public "$work/pub.pem" > /dev/null ||
  fail "emr-seal of an ISO_IR 100 file"
"$cli" emr-open "$work/s_latin1.dcm" --private "$work/priv.pem" --emr-out "$work/e_latin1.txt" \
  --image-out "$work/r_latin1.dcm" --identity-out "$work/id_latin1.txt" > /dev/null || fail "emr-open latin1"
iconv -f UTF-8 -t UTF-8 "$work/id_latin1.txt" > /dev/null 2>&1 || fail "the identity of an ISO_IR 100 file is not UTF-8"
grep -q 'PatientName: Müller^Jürgen' "$work/id_latin1.txt" || fail "latin1: $(cat "$work/id_latin1.txt")"
grep -q 'InstitutionName: Universitätsklinikum Köln' "$work/id_latin1.txt" || fail "latin1: institution"
cmp "$work/note.txt" "$work/e_latin1.txt" || fail "latin1: EMR differs"
diff <(dcmdump -q "$work/latin1.dcm" | grep -v '^#\|(0002,\|(7fe0,0010)\|(fffe,') \
     <(dcmdump -q "$work/r_latin1.dcm" | grep -v '^#\|(0002,\|(7fe0,0010)\|(fffe,') > /dev/null || fail "latin1: header not restored"
grep -qa $'M\xfcller' "$work/r_latin1.dcm" || fail "latin1: the restored header is not in its own character set"

# Batch over a folder: per-file results, exit code of the first failure, nothing half-written on Ctrl+C.
mkdir -p "$work/batch"
cp "$files/CT_small.dcm" "$files/JPEG-lossy.dcm" "$corpus/mri_colin_axial_z160_512.png" "$work/batch/"
"$cli" batch protect "$work/batch" "$work/bprot" --public "$work/pub.pem" --json > "$work/bsum.json" 2> /dev/null
[[ $? == 2 ]] || fail "batch protect with one lossy file should exit 2"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert (d["total"], d["ok"], d["failed"]) == (3, 2, 1), d' \
  "$work/bsum.json" || fail "batch summary"
"$cli" batch recover "$work/bprot" "$work/brec" --private "$work/priv.pem" > /dev/null 2>&1 || fail "batch recover"
"$cli" metrics "$corpus/mri_colin_axial_z160_512.png" "$work/brec/mri_colin_axial_z160_512.png" --json | grep -q '"psnr": "inf"' ||
  fail "batch-recovered PNG differs"
"$cli" batch recover "$work/bprot" "$work/brec" --private "$work/priv.pem" > /dev/null 2>&1
[[ $? == 1 ]] || fail "batch must refuse to replace existing outputs with exit 1 (usage: the folder holds them)"
mkdir -p "$work/many"
for i in $(seq -w 1 40); do cp "$corpus/mri_colin_axial_z160_512.png" "$work/many/slice_$i.png"; done
"$cli" batch protect "$work/many" "$work/mprot" --public "$work/pub.pem" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [[ -e $work/mprot/slice_01.png ]] && break; sleep 0.1; done # interrupt mid-batch
kill -INT $pid
wait $pid
[[ $? == 130 ]] || fail "an interrupted batch should exit 130"
done_files=$(ls "$work/mprot" | wc -l)
(( done_files > 0 && done_files < 40 )) || fail "interrupt came too late or too early ($done_files files)"
! ls -a "$work/mprot" | grep -v '^slice_[0-9]*\.png$\|^\.\.\?$' | grep -q . || fail "temporary files left behind"
for f in "$work"/mprot/*.png; do "$cli" inspect "$f" > /dev/null || fail "$f is not a complete protected image"; done

echo "dicom_cli: exit codes 2/1/3 for unsupported, mismatched and tampered DICOM; protect/recover round trip"

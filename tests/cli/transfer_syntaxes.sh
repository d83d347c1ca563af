#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A protected or sealed DICOM keeps working whatever lossless transfer syntax a PACS or a converter re-encodes
# it to: implicit/explicit VR little endian, big endian, deflate, RLE, JPEG-LS lossless, JPEG lossless
# (process 14, selection values 1 and 6), and after a real DICOM network transfer to a receiver that accepts
# implicit VR only (storescp +xi). recover and emr-open must write the same bytes as from the file as made.
# A re-encode that really drops MedVeil's private block still says so.
# Usage: transfer_syntaxes.sh MEDVEIL_CLI TEST_DATA_DIR
set -uo pipefail
cli=$(realpath "$1")
data=$(realpath "$2")
files=/usr/lib/python3/dist-packages/pydicom/data/test_files
work=$(mktemp -d)
storescp_pid=
cleanup() { [[ -n $storescp_pid ]] && kill "$storescp_pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "transfer_syntaxes: $*"; exit 1; }
# same_dataset A B: every element of the two data sets equal (pixel data included), apart from the file meta
# information and Data Set Trailing Padding, which a network transfer drops (PS3.10: it has no meaning)
same_dataset() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, pydicom
a, b = (pydicom.dcmread(f) for f in sys.argv[1:3])
for d in (a, b):
    if (0xFFFC, 0xFFFC) in d:
        del d[0xFFFC, 0xFFFC]
sys.exit(0 if a == b and a.PixelData == b.PixelData else 1)
PY
}
cd "$work" || exit 1
"$cli" keygen --private priv.pem --public pub.pem > /dev/null 2>&1 || fail keygen
printf 'Patient record: fever 38.5 C, 头痛 two days.\n' > emr.txt

# converter NAME IN OUT: re-encode as a PACS or an archive tool would
converter() {
  case $1 in
    implicit) dcmconv +ti "$2" "$3" ;;
    explicit) dcmconv +te "$2" "$3" ;;
    bigendian) dcmconv +tb "$2" "$3" ;;
    deflate) dcmconv +td "$2" "$3" ;;
    rle) dcmcrle "$2" "$3" ;;
    jpegls) dcmcjpls "$2" "$3" ;;
    jpeg-sv1) dcmcjpeg +e1 "$2" "$3" ;;
    jpeg-sv6) dcmcjpeg +el "$2" "$3" ;;
    jpeg-then-implicit) dcmcjpeg +el "$2" "$work/tmp.dcm" && dcmdjpeg "$work/tmp.dcm" "$work/tmp2.dcm" &&
      dcmconv +ti "$work/tmp2.dcm" "$3" ;;
  esac
}
syntaxes=(implicit explicit bigendian deflate rle jpegls jpeg-sv1 jpeg-sv6 jpeg-then-implicit)

checked=0
for input in CT_small.dcm MR_small_RLE.dcm; do
  [[ -f $files/$input ]] || fail "missing test file $files/$input (python3-pydicom)"
  name=${input%.dcm}
  # The MR is 64×64 (smaller than a QR code): key-region protection is for the CT only; both are sealed.
  if [[ $name == CT_small ]]; then
    "$cli" protect "$files/$input" "p_$name.dcm" --public pub.pem > /dev/null || fail "protect $input"
    "$cli" recover "p_$name.dcm" "ref_r_$name.dcm" --private priv.pem > /dev/null || fail "recover $input"
    for ts in "${syntaxes[@]}"; do
      rm -f x.dcm out.dcm
      converter "$ts" "p_$name.dcm" x.dcm || fail "$ts: the converter failed"
      "$cli" recover x.dcm out.dcm --private priv.pem > log 2>&1 || fail "recover of $name as $ts: $(cat log)"
      grep -q "identical to the original" log || fail "recover of $name as $ts: $(cat log)"
      cmp -s out.dcm "ref_r_$name.dcm" || fail "recover of $name as $ts wrote other bytes"
      checked=$((checked + 1))
    done
  fi
  "$cli" emr-seal --image "$files/$input" --emr emr.txt "s_$name.dcm" --public pub.pem > /dev/null 2>&1 ||
    fail "emr-seal $input"
  "$cli" emr-open "s_$name.dcm" --private priv.pem --emr-out ref_e.txt --image-out "ref_i_$name.dcm" \
    > /dev/null 2>&1 || fail "emr-open $input"
  for ts in "${syntaxes[@]}"; do
    rm -f x.dcm e.txt i.dcm
    converter "$ts" "s_$name.dcm" x.dcm || fail "$ts: the converter failed"
    "$cli" emr-open x.dcm --private priv.pem --emr-out e.txt --image-out i.dcm > log 2>&1 ||
      fail "emr-open of $name as $ts: $(cat log)"
    cmp -s e.txt emr.txt || fail "emr-open of $name as $ts: the record is not byte-exact"
    cmp -s i.dcm "ref_i_$name.dcm" || fail "emr-open of $name as $ts wrote another image"
    checked=$((checked + 1))
  done
done

# A real transfer: storescu proposes implicit VR only, storescp accepts implicit VR only and stores what it
# received; the private element arrives without its VR.
port=$((20000 + RANDOM % 20000))
mkdir received
storescp +xi -od received -aet MEDVEIL_TEST "$port" > storescp.log 2>&1 &
storescp_pid=$!
for _ in $(seq 50); do echoscu -aec MEDVEIL_TEST localhost "$port" > /dev/null 2>&1 && break; sleep 0.1; done
storescu -xi -aec MEDVEIL_TEST localhost "$port" p_CT_small.dcm s_CT_small.dcm > storescu.log 2>&1 ||
  fail "storescu: $(cat storescu.log storescp.log)"
received=(received/*)
[[ ${#received[@]} == 2 ]] || fail "storescp stored ${#received[@]} files"
for f in "${received[@]}"; do
  dcmdump +P 0002,0010 "$f" | grep -q '=LittleEndianImplicit.*TransferSyntaxUID' || fail "$f: not stored as implicit VR"
  rm -f out.dcm e.txt i.dcm
  if "$cli" recover "$f" out.dcm --private priv.pem > log 2>&1; then
    same_dataset out.dcm ref_r_CT_small.dcm || fail "recover after the network transfer wrote another data set"
  else
    "$cli" emr-open "$f" --private priv.pem --emr-out e.txt --image-out i.dcm > log 2>&1 ||
      fail "neither recover nor emr-open opens $f: $(cat log)"
    cmp -s e.txt emr.txt && same_dataset i.dcm ref_i_CT_small.dcm || fail "emr-open after the network transfer differs"
  fi
  checked=$((checked + 1))
done

# A protection made by an earlier release (its header digest included the trailing padding) still opens.
rm -f out.dcm
install -m 600 "$data/protected-dicom-legacy/recipient-private.pem" legacy-private.pem # git checks out 0644
"$cli" recover "$data/protected-dicom-legacy/ct_small-protected.dcm" out.dcm --private legacy-private.pem \
  > log 2>&1 || fail "legacy protection: $(cat log)"
grep -q "identical to the original" log || fail "legacy protection: $(cat log)"
dcmdump +P 7fe0,0010 +L out.dcm > a.txt && dcmdump +P 7fe0,0010 +L "$files/CT_small.dcm" > b.txt &&
  cmp -s a.txt b.txt || fail "legacy protection: other pixel data than CT_small.dcm"
checked=$((checked + 1))

# Really lost: the private block deleted, or the pixels re-encoded lossily → still refused, nothing written.
cp p_CT_small.dcm stripped.dcm
dcmodify -nb -ea "(0071,1001)" stripped.dcm || fail dcmodify
rm -f out.dcm
"$cli" recover stripped.dcm out.dcm --private priv.pem > log 2>&1
rc=$?
[[ $rc == 3 && ! -e out.dcm ]] || fail "a file without its protection data: exit $rc, $(cat log)"
grep -q "protection data is gone" log || fail "no word that the protection data is gone: $(cat log)"
dcmcjpeg +eb s_CT_small.dcm lossy.dcm ||
  fail "lossy converter"
rm -f e.txt i.dcm
"$cli" emr-open lossy.dcm --private priv.pem --emr-out e.txt --image-out i.dcm > log 2>&1
rc=$?
[[ $rc != 0 && ! -e e.txt && ! -e i.dcm ]] || fail "a lossy re-encode opened: exit $rc"
echo "transfer_syntaxes: $checked re-encoded files recovered/opened bit-exactly; lossy and stripped refused"

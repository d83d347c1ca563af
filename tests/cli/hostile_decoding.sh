#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Files whose header shows one size and whose decoder decodes another (tools/make_hostile_images.py:
# duplicate TIFF tags, a huge second TIFF page or tile, a fake SOF in a JPEG APP segment after a TEM
# marker, PNG IHDR games, OS/2 BMP headers, a DICOM whose JPEG frame is larger than Rows × Columns) are
# refused by every command that decodes an image: exit 2, the reason on stderr, in under 5 s and 1 GB
# (peak RSS by /usr/bin/time; the address space is capped at 1.5 GB so a regression fails fast instead
# of taking the machine's memory), and no output left.
# Usage: hostile_decoding.sh MEDVEIL_CLI
set -uo pipefail
cli=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

/usr/bin/python3 "$here/../../tools/make_hostile_images.py" "$work/hostile" || { echo "generator failed"; exit 1; }
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" 2>/dev/null || { echo "keygen failed"; exit 1; }
printf 'Hostile-file test record.\n' > "$work/emr.txt"
mkdir -p "$work/out"

# What stderr must say for each file: the limit, or the library's own refusal.
declare -A reason=(
  [tiff-duplicate-tags.tif]="declares 10000×10000 pixels, more than the limit"
  [tiff-huge-second-page.tif]="page 2 declares 100000000 pixels, more than the limit"
  [tiff-huge-tile.tif]="a tile of page 1 declares 150994944 pixels, more than the limit"
  [jpeg-fake-sof.jpg]="declares 10000×10000 pixels, more than the limit"
  [png-big-ihdr.png]="declares 10000×10000 pixels, more than the limit"
  [png-second-ihdr.png]="IHDR: out of place"
  [bmp-core-header.bmp]="declares 10000×10000 pixels, more than the limit"
  [bmp-big.bmp]="declares 10000×10000 pixels, more than the limit"
  [dicom-jpeg-bigger-than-rows.dcm]="a compressed frame declares 16000×16000 pixels, the header 64×64"
)
[[ ${#reason[@]} -eq $(ls "$work/hostile" | wc -l) ]] || fail "the generator made $(ls "$work/hostile" | wc -l) files, the test knows ${#reason[@]}"

for name in "${!reason[@]}"; do
  file=$work/hostile/$name
  [[ -s $file ]] || { fail "$name was not generated"; continue; }
  size=$(stat -c %s "$file")
  (( size < 2000000 )) || fail "$name is $size bytes; hostile files must stay small"
  ext=${name##*.}
  [[ $ext == dcm ]] && out=$work/out/o.dcm || out=$work/out/o.png
  commands=(
    "inspect|$file"
    "metrics|$file|$file"
    "protect|$file|$out|--public|$work/pub.pem"
    "recover|$file|$out|--private|$work/priv.pem"
    "emr-seal|--image|$file|--emr|$work/emr.txt|$work/out/s.png|--public|$work/pub.pem"
  )
  for command in "${commands[@]}"; do
    IFS='|' read -r -a args <<< "$command"
    ( ulimit -v 1500000; /usr/bin/time -f '%e %M' -o "$work/usage" timeout 60 "$cli" "${args[@]}" ) \
      > /dev/null 2> "$work/stderr"
    rc=$?
    read -r seconds rss_kb < <(tail -1 "$work/usage")
    label="${args[0]} $name"
    [[ $rc -eq 2 ]] || fail "$label: exit $rc, expected 2 ($(head -c 300 "$work/stderr"))"
    grep -qF -- "${reason[$name]}" "$work/stderr" ||
      fail "$label: stderr does not say '${reason[$name]}': $(head -c 300 "$work/stderr")"
    awk -v s="$seconds" 'BEGIN { exit !(s < 5) }' || fail "$label: took $seconds s (limit 5 s)"
    [[ $rss_kb =~ ^[0-9]+$ ]] && (( rss_kb < 1000000 )) || fail "$label: peak RSS $rss_kb KB (limit 1 GB)"
    [[ -z $(ls -A "$work/out") ]] || { fail "$label: left $(ls -A "$work/out")"; rm -f "$work/out"/*; }
    echo "$label: exit $rc, $seconds s, $((rss_kb / 1024)) MB"
  done
done
if (( failures )); then
  echo "hostile_decoding: $failures failures"
  exit 1
fi
echo "hostile_decoding: all refused"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# batch on every core, resumable and shardable (issue #26 point 6): --jobs 1 and --jobs 2 give the same
# summary, exit code and recovered files; --shard 1/3, 2/3, 3/3 cover every file exactly once; --resume after
# a partial run (a shard, a SIGKILL mid-batch) does only the rest, a rerun does nothing, and a corrupted
# output is redone; the manifest says what was done.
# Usage: batch_parallel.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "batch_parallel: $*"; exit 1; }
py() { /usr/bin/python3 - "$@"; }
"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" > /dev/null 2>&1 || fail keygen

# 9 inputs: 8 real images (8- and 16-bit, MRI, CT, camera) and one that is not an image (exit 2, in the
# middle of the name order, so the first failure is the same whichever worker reaches it).
mkdir "$work/in"
n=0
for f in mri_colin_axial_z130_512 mri_colin_axial_z160_512 mri_colin_axial_z190_512 camera_512 \
  ct_small_512_16 mr_small_512_16 mri_natbrainlab_axial_z80_512 mri_colin_coronal_y200_512; do
  n=$((n + 1))
  cp "$corpus/$f.png" "$work/in/$(printf '%02d' $n)_$f.png"
done
echo "not an image" > "$work/in/05_notes.png"
total=$(ls "$work/in" | wc -l)

summary() { # the --json summary without timings
  py "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("ms", "jobs"): d.pop(k)
for f in d["files"]: f.pop("ms")
print(json.dumps(d, sort_keys=True))
PY
}

# 1. --jobs 1 and --jobs 2: identical summary (input order), exit code, output names; the recovered
# files are byte-identical to each other and pixel-identical to the inputs.
"$cli" batch protect "$work/in" "$work/p1" --public "$work/pub.pem" --jobs 1 --json > "$work/s1.json" 2> /dev/null
rc1=$?
"$cli" batch protect "$work/in" "$work/p2" --public "$work/pub.pem" --jobs 2 --json > "$work/s2.json" 2> /dev/null
rc2=$?
[[ $rc1 == 2 && $rc2 == 2 ]] || fail "exit codes with --jobs 1 / 2: $rc1 / $rc2 (want 2: one input is not an image)"
grep -q '"jobs": 2' "$work/s2.json" || fail "--jobs 2 did not run two workers"
[[ $(summary "$work/s1.json") == "$(summary "$work/s2.json")" ]] || fail "summaries differ: $(summary "$work/s1.json") vs $(summary "$work/s2.json")"
diff <(ls "$work/p1") <(ls "$work/p2") > /dev/null || fail "--jobs 1 and 2 wrote different files"
[[ $(ls "$work/p2" | wc -l) == $((total - 1)) ]] || fail "expected $((total - 1)) outputs"
for j in 1 2; do
  "$cli" batch recover "$work/p$j" "$work/r$j" --private "$work/priv.pem" --jobs "$j" > /dev/null 2>&1 ||
    fail "batch recover --jobs $j"
done
for f in "$work"/r1/*.png; do
  cmp -s "$f" "$work/r2/$(basename "$f")" || fail "recovered $(basename "$f") differs between --jobs 1 and 2"
  "$cli" metrics "$work/in/$(basename "$f")" "$f" --json | grep -q '"psnr": "inf"' ||
    fail "recovered $(basename "$f") is not the original"
done
# The default is every core.
"$cli" batch protect "$work/in" "$work/pd" --public "$work/pub.pem" --json > "$work/sd.json" 2> /dev/null
want=$(( $(nproc) < total ? $(nproc) : total ))
grep -q "\"jobs\": $want" "$work/sd.json" || fail "default --jobs is not one per core ($want)"

# 2. Shards 1/3, 2/3, 3/3: each file in exactly one; the split depends on the name only (the same in a
# folder holding other files too).
for k in 1 2 3; do
  "$cli" batch protect "$work/in" "$work/sh$k" --public "$work/pub.pem" --shard "$k/3" --manifest "$work/m$k.jsonl" \
    > /dev/null 2>&1
done
cat "$work"/m[123].jsonl > "$work/m_all.jsonl"
py "$work/in" "$work/m_all.jsonl" <<'PY' || fail "shards do not cover every file exactly once"
import json, os, sys
names = sorted(os.path.basename(json.loads(l)["input"]) for l in open(sys.argv[2]))
assert names == sorted(os.listdir(sys.argv[1])), names
PY
for k in 1 2 3; do # nonempty shards and same assignment in a bigger folder
  [[ -s $work/m$k.jsonl ]] || echo "batch_parallel: note: shard $k/3 is empty for these names"
done
mkdir "$work/in_more" && cp "$work"/in/* "$work/in_more/" && cp "$corpus/mri_colin_sagittal_x150_512.png" "$work/in_more/10_extra.png"
"$cli" batch protect "$work/in_more" "$work/shm" --public "$work/pub.pem" --shard 2/3 --manifest "$work/mm.jsonl" > /dev/null 2>&1
py "$work/m2.jsonl" "$work/mm.jsonl" <<'PY' || fail "the shard of a file changed when another file was added"
import json, os, sys
a = {os.path.basename(json.loads(l)["input"]) for l in open(sys.argv[1])}
b = {os.path.basename(json.loads(l)["input"]) for l in open(sys.argv[2])} - {"10_extra.png"}
assert a == b, (a, b)
PY

# 3. --resume after a partial run does only the rest; a rerun does nothing (and changes nothing).
cp -r "$work/sh1" "$work/res"
"$cli" batch protect "$work/in" "$work/res" --public "$work/pub.pem" --resume --jobs 2 --manifest "$work/mr.jsonl" > /dev/null 2>&1
[[ $? == 2 ]] || fail "resume: the non-image should still fail with exit 2"
py "$work/m1.jsonl" "$work/mr.jsonl" <<'PY' || fail "resume did not do exactly the rest"
import json, os, sys
first = {os.path.basename(json.loads(l)["input"]) for l in open(sys.argv[1]) if json.loads(l)["status"] == "ok"}
rows = [json.loads(l) for l in open(sys.argv[2])]
for r in rows:
    name = os.path.basename(r["input"])
    want = "skipped" if name in first else ("failed" if name == "05_notes.png" else "ok")
    assert r["status"] == want, (name, r["status"], want)
    assert (r["sha256"] is None) == (want == "failed"), r
PY
sha_before=$(sha256sum "$work"/res/* | sort)
"$cli" batch protect "$work/in" "$work/res" --public "$work/pub.pem" --resume --manifest "$work/mr2.jsonl" --json > "$work/sr2.json" 2> /dev/null
py "$work/mr2.jsonl" "$work/sr2.json" <<'PY' || fail "a rerun with --resume did something"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["status"] in ("skipped", "failed") for r in rows), rows
d = json.load(open(sys.argv[2])); assert d["skipped"] == d["total"] - 1, d
PY
[[ $(sha256sum "$work"/res/* | sort) == "$sha_before" ]] || fail "a rerun with --resume changed an output"
# The manifest's digests are those of the files.
py "$work/mr2.jsonl" <<'PY' || fail "manifest sha256 is not the output's"
import hashlib, json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["sha256"]: assert hashlib.sha256(open(r["output"], "rb").read()).hexdigest() == r["sha256"], r
PY

# 4. A corrupted output is redone under --resume: a flipped pixel byte (the PNG's CRC still made right by
# rewriting it with Python, so only the protection's digest can tell) and a truncated file.
py "$work/res/01_mri_colin_axial_z130_512.png" <<'PY' || fail "cannot corrupt"
import sys, zlib, struct
path = sys.argv[1]
data = open(path, "rb").read()
# Re-encode the IDAT stream with one pixel changed, keeping every other chunk (the protection's iTXt).
chunks, pos = [], 8
while pos < len(data):
    n, = struct.unpack(">I", data[pos:pos + 4]); t = data[pos + 4:pos + 8]; chunks.append((t, data[pos + 8:pos + 8 + n])); pos += 12 + n
raw = bytearray(zlib.decompress(b"".join(c for t, c in chunks if t == b"IDAT")))
raw[len(raw) // 2] ^= 0x01
out = data[:8]
done = False
for t, c in chunks:
    if t == b"IDAT":
        if done: continue
        c, done = zlib.compress(bytes(raw)), True
    out += struct.pack(">I", len(c)) + t + c + struct.pack(">I", zlib.crc32(t + c))
open(path, "wb").write(out)
PY
"$cli" inspect "$work/res/01_mri_colin_axial_z130_512.png" > /dev/null 2>&1 && fail "the corrupted file still inspects intact"
truncate -s 2000 "$work/res/02_mri_colin_axial_z160_512.png"
"$cli" batch protect "$work/in" "$work/res" --public "$work/pub.pem" --resume --jobs 2 --manifest "$work/mr3.jsonl" > /dev/null 2>&1
py "$work/mr3.jsonl" <<'PY' || fail "--resume did not redo exactly the corrupted outputs"
import json, os, sys
for l in open(sys.argv[1]):
    r = json.loads(l); name = os.path.basename(r["input"])
    want = "ok" if name[:2] in ("01", "02") else "failed" if name == "05_notes.png" else "skipped"
    assert r["status"] == want, (name, r["status"], want)
PY
for f in "$work"/res/*.png; do "$cli" inspect "$f" > /dev/null 2>&1 || fail "$(basename "$f") not intact after --resume"; done
# batch recover --resume: a truncated recovered file is redone, the others skipped.
truncate -s 1000 "$work/r2/03_mri_colin_axial_z190_512.png"
"$cli" batch recover "$work/p2" "$work/r2" --private "$work/priv.pem" --resume --manifest "$work/rr.jsonl" > /dev/null 2>&1 ||
  fail "batch recover --resume"
py "$work/rr.jsonl" <<'PY' || fail "recover --resume did not redo exactly the truncated file"
import json, os, sys
for l in open(sys.argv[1]):
    r = json.loads(l); name = os.path.basename(r["input"])
    assert r["status"] == ("ok" if name.startswith("03_") else "skipped"), (name, r["status"])
PY
cmp -s "$work/r1/03_mri_colin_axial_z190_512.png" "$work/r2/03_mri_colin_axial_z190_512.png" || fail "redone recovery differs"

# 5. A SIGKILL mid-batch leaves only complete outputs (no partial file, no temporary); --resume finishes.
mkdir "$work/many"
for i in $(seq -w 1 24); do cp "$corpus/mri_colin_axial_z160_512.png" "$work/many/slice_$i.png"; done
"$cli" batch protect "$work/many" "$work/kill" --public "$work/pub.pem" --jobs 2 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do (( $(ls "$work/kill" 2> /dev/null | wc -l) >= 3 )) && break; sleep 0.05; done
kill -KILL $pid
wait $pid 2> /dev/null
left=$(ls "$work/kill" | wc -l)
(( left > 0 && left < 24 )) || fail "the kill came too late or too early ($left files)"
! ls -A "$work/kill" | grep -v '^slice_[0-9]*\.png$' | grep -q . || fail "temporary files left behind: $(ls -A "$work/kill")"
for f in "$work"/kill/*.png; do "$cli" inspect "$f" > /dev/null 2>&1 || fail "$(basename "$f") is a partial output"; done
"$cli" batch protect "$work/many" "$work/kill" --public "$work/pub.pem" --jobs 2 --resume --json > "$work/sk.json" 2> /dev/null ||
  fail "resume after SIGKILL"
py "$work/sk.json" "$left" <<'PY' || fail "resume after SIGKILL did not do exactly the rest"
import json, sys
d = json.load(open(sys.argv[1])); left = int(sys.argv[2])
assert d["skipped"] == left and d["ok"] == 24 and d["failed"] == 0, d
PY

# 6. Bad values are usage errors (exit 1); a batch never replaces an output without --resume (exit 1).
for bad in "--jobs 0" "--jobs x" "--shard 0/3" "--shard 4/3" "--shard 3" "--shard 1/0"; do
  # shellcheck disable=SC2086
  "$cli" batch protect "$work/in" "$work/bad" --public "$work/pub.pem" $bad > /dev/null 2>&1
  [[ $? == 1 ]] || fail "'$bad' should be exit 1"
done
"$cli" batch protect "$work/many" "$work/kill" --public "$work/pub.pem" --jobs 2 > /dev/null 2>&1
[[ $? == 1 ]] || fail "without --resume existing outputs must be refused (exit 1)"
echo "batch_parallel: --jobs 1/2 identical ($total inputs), shards 1-3/3 cover each file once, --resume does only the rest ($left after SIGKILL), redoes corrupted outputs"

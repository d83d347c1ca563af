#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/reproduce_hinet.sh (issue #29: one command reproduces the shipped weights) on the CI schedule:
# 40 steps of a 2-block network from scratch, its export at the schedule's last step, the held-out table on
# two corpus images and the comparison with the shipped weights' table. So small a network cannot reproduce
# them: the script must say so (exit 1, "reproduced": false, the judged figures outside 0.3 dB, the shipped
# table's other rows missing), with the export's EMRs still exact, and that its export is not hinet.pt. Run
# again, it resumes at step 40 without training (this time asked for 2 threads, which a resume may change) and
# compares a freshly measured table; run from scratch in another folder, its export is the first's byte for byte.
# First the comparison alone on committed tables and a thread count the script must refuse; last the
# training-log comparison (bench/compare_training_logs.py) on the run's log and a perturbed copy.
set -eu
bin=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Named as two of the shipped table's modalities, so the per-modality deltas are computed for them.
mkdir -p "$work/in/ct-12bit" "$work/in/mr-t1"
cp "$source/tests/data/corpus/ct_small_native_16.png" "$work/in/ct-12bit/"
cp "$source/tests/data/corpus/mri_colin_axial_z90_native.png" "$work/in/mr-t1/"
# The comparison alone, on committed tables: the shipped table reproduces itself (exit 0); the previous
# weights' table on the same set (0.6-4.7 dB lower) does not (exit 1).
compare=$source/bench/compare_hinet_tables.py
/usr/bin/python3 "$compare" "$source/docs/evaluation/hinet_modalities.json" \
  "$source/docs/evaluation/hinet_modalities.json" | grep -q '"reproduced": true'
rc=0
/usr/bin/python3 "$compare" "$source/docs/evaluation/hinet_modalities.json" \
  "$source/docs/evaluation/hinet_modalities_step11200.json" > "$work/old.json" || rc=$?
# Separate commands: under set -e a failed test before the last && of a list would not stop the script.
[ "$rc" -eq 1 ]
grep -q '"reproduced": false' "$work/old.json"
rc=0
"$source/bench/reproduce_hinet.sh" --schedule "$source/tests/data/hinet/schedule-smoke.json" --threads 0 \
  --modalities "$work/in" --bin "$bin" "$work/run" > /dev/null 2> "$work/stderr" || rc=$?
[ "$rc" -eq 2 ]
grep -q 'positive count' "$work/stderr"
[ ! -e "$work/run" ]
run() {
  rc=0
  "$source/bench/reproduce_hinet.sh" --schedule "$source/tests/data/hinet/schedule-smoke.json" "$@" \
    --modalities "$work/in" --bin "$bin" "$work/run" > "$work/comparison.json" 2> "$work/stderr" || rc=$?
  cat "$work/stderr"
  cat "$work/comparison.json"
  [ "$rc" -eq 1 ] || { echo "expected exit 1 (not reproduced), got $rc"; exit 1; }
}
run
test -s "$work/run/step40.pt"
grep -q '(step 40,' "$work/stderr"
grep -q 'the export differs from .*/resources/models/hinet.pt byte for byte' "$work/stderr"
/usr/bin/python3 - "$work/comparison.json" "$work/run/modalities.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
assert c["reproduced"] is False
assert [j["figure"] for j in c["judged"]] == ["revealed_psnr.min", "revealed_psnr.median", "stego_psnr.min",
                                             "stego_psnr.median"]
assert not all(j["within"] for j in c["judged"]), c["judged"]
for j in c["judged"]:
    assert abs(j["delta"] - (j["candidate"] - j["reference"])) < 2e-3, j
assert c["candidate_all_exact"] is True and t["emr_all_exact"] is True
assert "atlas-labels native" in c["rows_missing_from_candidate"], c["rows_missing_from_candidate"]
assert "ct-12bit native" not in c["rows_missing_from_candidate"]
assert sorted((m["modality"], m["size"]) for m in c["modalities"]) == [
    ("ct-12bit", "512"), ("ct-12bit", "native"), ("mr-t1", "512"), ("mr-t1", "native")], c["modalities"]
for m in c["modalities"]:
    assert m["revealed_median_delta"] != 0, m  # a 40-step network is not the shipped one
PY
rm "$work/run/modalities.json"
run --threads 2 # a resume may change the thread count (the schedule's is 1)
grep -q '^HiNet: .*, 1 threads,' "$work/run/train.log"
grep -q 'resumed from .* at step 40' "$work/run/train.log"
sed -n '/resumed from .* at step 40/,$p' "$work/run/train.log" | grep -q '^HiNet: .*, 2 threads,'
test -s "$work/run/modalities.json"
# A second run from scratch in another folder, on the schedule's thread count like the first: its export is
# the first's byte for byte (the script says so) and its table reproduces the first's (exit 0).
rc=0
"$source/bench/reproduce_hinet.sh" --schedule "$source/tests/data/hinet/schedule-smoke.json" \
  --reference "$work/run/modalities.json" --weights "$work/run/step40.pt" --modalities "$work/in" --bin "$bin" \
  "$work/again" > "$work/again.json" 2> "$work/again.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$work/again.err" "$work/again.json"; echo "expected exit 0 (reproduced), got $rc"; exit 1; }
grep -q '"reproduced": true' "$work/again.json"
grep -q "the export is byte-identical to $work/run/step40.pt" "$work/again.err"
# How closely one run follows another (bench/compare_training_logs.py): a log is identical to itself through
# its last step; one whose last mean loss differs by 0.5 is identical through none and differs by 0.5.
logs=$source/bench/compare_training_logs.py
/usr/bin/python3 "$logs" "$work/run/log.csv" "$work/run/log.csv" > "$work/same.json"
/usr/bin/python3 - "$work/run/log.csv" "$work/perturbed.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    reader = csv.DictReader(f)
    rows, fields = list(reader), reader.fieldnames
rows[-1]["loss"] = repr(float(rows[-1]["loss"]) + 0.5)
with open(sys.argv[2], "w", newline="") as f:
    writer = csv.DictWriter(f, fields)
    writer.writeheader()
    writer.writerows(rows)
PY
/usr/bin/python3 "$logs" "$work/run/log.csv" "$work/perturbed.csv" > "$work/perturbed.json"
/usr/bin/python3 - "$work/same.json" "$work/perturbed.json" <<'PY'
import json, sys
same, perturbed = (json.load(open(p)) for p in sys.argv[1:3])
assert same["last_step"] == 40 and same["identical_through_step"] == 40, same
assert same["loss_abs_difference_after"] == {"steps": 0, "max": 0.0, "mean": 0.0}, same
assert perturbed["identical_through_step"] is None, perturbed  # the smoke run logs step 40 only
assert abs(perturbed["loss_abs_difference_after"]["max"] - 0.5) < 1e-6, perturbed
PY
echo "reproduce_hinet.sh: mechanics ok"

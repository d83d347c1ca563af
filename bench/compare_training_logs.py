#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How closely one train_hinet run follows another: compares the training-loss columns of two log.csv
files (train_hinet's per-epoch log) at the steps both logged.

The validation columns are left out: they depend on the held-out validation list of the day, the training
columns only on the schedule, the data and the seeds. A run is bit-identical to another up to the first step
whose mean loss, printed to 6 significant digits, differs; after that (a resume reseeds the sampler, and a
different thread count changes the order of floating-point sums) only the size of the differences says
whether it follows the same course.

Usage: bench/compare_training_logs.py REFERENCE.csv RUN.csv     prints JSON
"""
import csv
import json
import statistics
import sys

COLUMNS = ("loss", "conceal", "reveal", "low", "kl")


def rows(path):
    with open(path, newline="") as f:
        return {int(r["step"]): r for r in csv.DictReader(f)}


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    reference, run = rows(argv[1]), rows(argv[2])
    common = sorted(set(reference) & set(run))
    if not common:
        print("compare_training_logs: the logs share no step", file=sys.stderr)
        return 1
    identical_through = None
    for step in common:
        if all(reference[step][c] == run[step][c] for c in COLUMNS):
            identical_through = step
        else:
            break
    differences = [abs(float(reference[s]["loss"]) - float(run[s]["loss"])) for s in common]
    after = [d for s, d in zip(common, differences) if identical_through is None or s > identical_through]
    print(json.dumps({
        "reference": argv[1],
        "run": argv[2],
        "common_steps": len(common),
        "first_step": common[0],
        "last_step": common[-1],
        "identical_through_step": identical_through,
        "loss_abs_difference_after": {
            "steps": len(after),
            "max": round(max(after), 6) if after else 0.0,
            "mean": round(statistics.fmean(after), 6) if after else 0.0,
        },
        "last_common": {
            "step": common[-1],
            "reference_loss": float(reference[common[-1]]["loss"]),
            "run_loss": float(run[common[-1]]["loss"]),
        },
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

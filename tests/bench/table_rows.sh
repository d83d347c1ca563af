#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A bench program's output fills its rows of bench/run.sh's table: run the program as run.sh does (few runs),
# merge its JSON with bench/report.py as run.sh does, and check that every named row of bench/targets.json
# came out measured (a positive value) with its target beside it.
# Usage: table_rows.sh SOURCE_DIR 'ROW NAME[|ROW NAME…]' PROGRAM [ARGS…]
set -eu
source=$1 names=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$@" >"$work/program.json"
/usr/bin/python3 "$source/bench/report.py" merge "$work" >"$work/result.json"
/usr/bin/python3 - "$work/result.json" "$names" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
rows = {row["name"]: row for row in result["rows"]}
for name in sys.argv[2].split("|"):
    row = rows.get(name)
    assert row is not None, f"no row {name!r} in the table"
    assert row["value"] is not None and row["value"] > 0, f"row {name!r} not measured: {row}"
    assert row["target"] is not None and row["met"] is not None, f"row {name!r} has no target: {row}"
    print(f"{name}: {row['value']:.3g} {row['unit']} (target {row['op']} {row['target']:g}, met {row['met']})")
PY

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes engine/io/data/ps3.15-table-e1-1.tsv, the Basic Application Level Confidentiality Profile
(DICOM PS3.15 Table E.1-1: every attribute and its Basic Profile action code), from the table in its
machine-readable JSON form (a list of {"tag": "(GGGG,EEEE)", "name": ..., "basicProfile": ...} objects, as
parsed from the standard's DocBook source). MedVeil's de-identification compiles the TSV in at build time;
the test suite reads it to check every attribute of the standard against what emr-seal writes.

Usage: tools/make_basic_profile_table.py CONFIDENTIALITY_PROFILE_ATTRIBUTES.json [OUT.tsv]
"""
import json
import re
import sys

HEADER = """\
# DICOM PS3.15 Table E.1-1, Application Level Confidentiality Profile Attributes: the Basic Profile
# column (X remove, Z zero-length or dummy, D non-zero-length dummy, U consistent new UID, C clean; A/B:
# the choice depends on the attribute's type in the IOD). Written by tools/make_basic_profile_table.py.
# Columns: tag (GGGGEEEE, x = any hex digit; "private" = every attribute of an odd group), action, name.
"""


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 1
    out = sys.argv[2] if len(sys.argv) > 2 else "engine/io/data/ps3.15-table-e1-1.tsv"
    rows = []
    for entry in json.load(open(sys.argv[1], encoding="utf-8")):
        action = entry["basicProfile"].strip()
        if not re.fullmatch(r"[XZDUC]\*?(/[XZDUC]\*?)*", action):
            raise SystemExit(f"unexpected action: {entry}")
        if entry["tag"].strip().upper() == "(GGGG,EEEE) WHERE GGGG IS ODD":
            rows.append(("private", action, entry["name"].strip()))
            continue
        tag = re.fullmatch(r"\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)", entry["tag"].strip())
        if not tag:
            raise SystemExit(f"unexpected tag: {entry}")
        name = " ".join(entry["name"].split())  # one line: "Icon Image Sequence (see Note 11)"
        rows.append(((tag.group(1) + tag.group(2)).upper().replace("X", "x"), action, name))
    rows.sort()
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER)
        for tag, action, name in rows:
            f.write(f"{tag}\t{action}\t{name}\n")
    print(f"{len(rows)} attributes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

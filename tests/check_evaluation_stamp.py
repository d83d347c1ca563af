#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when docs/EVALUATION.md was generated with other HiNet weights than the shipped
resources/models/hinet.pt: every HiNet figure in it would then describe a network nobody ships.
bench/evaluate.sh stamps the weights' SHA-256 into the report; regenerate it after changing the weights.
Usage: check_evaluation_stamp.py SOURCE_DIR
"""
import hashlib
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
report = (root / "docs/EVALUATION.md").read_text(encoding="utf-8")
stamped = re.search(r"HiNet weights `resources/models/hinet\.pt` SHA-256 `([0-9a-f]{64})`", report)
if not stamped:
    sys.exit("docs/EVALUATION.md carries no weights stamp: regenerate it with bench/evaluate.sh")
weights = root / "resources/models/hinet.pt"
digest = hashlib.sha256(weights.read_bytes()).hexdigest()
if stamped.group(1) != digest:
    sys.exit(f"docs/EVALUATION.md was generated with weights {stamped.group(1)}, but {weights} is {digest}: "
             "regenerate the report with bench/evaluate.sh")
print(f"docs/EVALUATION.md describes the shipped weights ({digest})")

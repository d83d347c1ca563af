#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when engine code dereferences the result of a Result-returning call without checking it
(`*psnr(a, b)`, `*Image::fromMat(m)`): reading a failed Result stops the program, so every engine call's
result is checked (ok(), MEDVEIL_TRY, MEDVEIL_ASSIGN_OR_RETURN, valueOr). The Result-returning names are
read from the engine's own headers, so a new function is covered the day it is declared.
Usage: check_unchecked_results.py ENGINE_DIR"""
import pathlib
import re
import sys

engine = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "engine")
declared = re.compile(r"\bResult<[^;{()]*?>\s+(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)\s*\(")
names = set()
for header in engine.rglob("*.h"):
    names.update(declared.findall(header.read_text(encoding="utf-8")))
for source in engine.rglob("*.cpp"):  # file-local helpers count too
    names.update(declared.findall(source.read_text(encoding="utf-8")))
if len(names) < 50:
    sys.exit(f"only {len(names)} Result-returning functions found under {engine}: is this the engine?")
call = "|".join(sorted(map(re.escape, names)))
# `*name(`, `*object.name(`, `*Type::name(`, `*ptr->name(` where a dereference can start (after `=`, `(`,
# `,`, `return`, …), not `a * name(` (a multiplication follows an operand).
start_of_statement = re.compile(r"(^|[=(,{;!]|return|&&|\|\|)\s*\*\s*(?:[A-Za-z_]\w*(?:::|\.|->))*(?:" + call + r")\s*\(")
problems = []
for source in sorted(engine.rglob("*.cpp")):
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("//")[0]
        if start_of_statement.search(code):
            problems.append(f"{source}:{number}: {line.strip()}")
for p in problems:
    print(p)
print(f"{len(names)} Result-returning functions, {len(problems)} unchecked dereference(s)")
sys.exit(1 if problems else 0)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when the CLI (app/) or the GUI (ui/) reaches past the engine's public faces into a stage of a
scheme (issue #12): read → engine → write lives in engine/workflow, the stages of protection in
keyregion/ProtectionStages, and app/ and ui/ see only the headers listed here — their types and the calls
a face makes (a preview protection, the teaching walkthrough, a metric). A new include of, say,
keyregion/QrCodec.h or emr/LscChaoticCipher.h in ui/ is a workflow being written a second time.
Usage: check_layers.py SOURCE_DIR"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
public = {
    # value types and errors
    "core/Bytes.h", "core/DisplayText.h", "core/Image.h", "core/Progress.h", "core/Result.h", "core/Version.h",
    "core/ProcessSetup.h", "core/InstallLayout.h",
    # reading images and keys (what a face opens), the DICOM viewer's facts
    "io/ImageIo.h", "io/DicomFile.h", "io/DicomSeries.h", "io/ModalityScale.h", "io/AtomicFile.h",
    "crypto/RsaKey.h", "crypto/KeyFile.h",
    # the schemes' entry points (their options and reports), the network, metrics, teaching
    "keyregion/KeyRegionProtector.h", "emr/EmrSealer.h", "emr/HiNet.h", "emr/EmrImageCodec.h",
    "emr/CipherAnalysis.h", "metrics/ImageMetrics.h", "net/PacsClient.h", "net/DicomNode.h",
    "teaching/PipelineWalkthrough.h", "teaching/KeylessAttack.h",
}
engine_dirs = {p.name for p in (root / "engine").iterdir() if p.is_dir()}
include = re.compile(r'^\s*#\s*include\s+"([a-z]+)/([A-Za-z0-9_]+\.h)"', re.M)
problems, seen = [], 0
for face in ("app", "ui"):
    for source in sorted((root / face).rglob("*")):
        if source.suffix not in (".cpp", ".h"):
            continue
        for folder, name in include.findall(source.read_text(encoding="utf-8")):
            if folder not in engine_dirs:
                continue  # the face's own headers (cli/…)
            seen += 1
            header = f"{folder}/{name}"
            if folder != "workflow" and header not in public:
                problems.append(f"{source.relative_to(root)}: includes {header}")
if seen < 40:
    sys.exit(f"only {seen} engine includes found under {root}/app and {root}/ui: is this the source tree?")
for p in problems:
    print(p)
print(f"{len(problems)} includes of engine internals in app/ and ui/ ({seen} engine includes read)")
sys.exit(1 if problems else 0)

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fills translations/medveil_zh_CN.ts from tools/zh_CN_strings.py and medveil_en.ts with the English
sources, after `cmake --build build --target update_translations` added new strings. Strings without a
Chinese text stay "unfinished" (and the translations_complete test names them).

Usage: /usr/bin/python3 tools/fill_translations.py
"""
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zh_CN_strings import ZH_CN  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fill(path, lookup):
    tree = ET.parse(path)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation")
        text = lookup(source)
        if text is None:
            missing.append(source)
            translation.set("type", "unfinished")
            continue
        translation.text = text
        translation.attrib.pop("type", None)
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    return missing


missing = fill(os.path.join(ROOT, "translations/medveil_zh_CN.ts"), ZH_CN.get)
fill(os.path.join(ROOT, "translations/medveil_en.ts"), lambda s: s)
for source in missing:
    print("zh_CN: no translation for", repr(source))
sys.exit(1 if missing else 0)

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Refreshes translations/medveil_{en,zh_CN}.ts from the sources (lupdate) and fills them from
# tools/zh_CN_strings.py; exits non-zero naming any string that still lacks a Chinese text.
set -euo pipefail
cd "$(dirname "$0")/.."
for lang in en zh_CN; do
  /usr/lib/qt6/bin/lupdate -silent -no-obsolete -locations none ui app -ts "translations/medveil_$lang.ts"
done
/usr/bin/python3 tools/fill_translations.py

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts the built MedVeil on FILE. With no display (CI, ssh) it runs under Xvfb, saves a
# screenshot to build/medveil-screenshot.png and exits, so the command still proves the GUI works.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  exec build/bin/medveil "$@"
fi
echo "run-gui: no display; running under Xvfb and saving build/medveil-screenshot.png"
exec xvfb-run -a -s "-screen 0 1280x900x24" build/bin/medveil --screenshot build/medveil-screenshot.png "$@"

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# train_hinet with a data folder that does not exist: a message naming it and exit 2, no abort (it used to end
# in an uncaught std::filesystem::filesystem_error, exit 134).
# Usage: train_hinet_missing_data.sh TRAIN_HINET
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
message=$("$1" --train /nonexistent/medveil-train --steps 1 --out "$out/run" 2>&1)
code=$?
echo "$message"
[ "$code" -eq 2 ] || { echo "train_hinet_missing_data: exit $code, expected 2"; exit 1; }
echo "$message" | grep -q "training folder '/nonexistent/medveil-train' does not exist" ||
  { echo "train_hinet_missing_data: the message does not name the missing folder"; exit 1; }

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #28: medveil-cli ends as soon as a command is done. Once its outputs are committed and its report is
# written it leaves without the libraries' finalisers (LibTorch deregistering thousands of operators and the
# allocator consolidating its heap took 100-250 ms of every emr-seal / emr-open), and what it printed arrives
# whole when standard output and error are pipes or files. Checks, on the built CLI: LD_DEBUG=files shows no
# library finaliser called at exit, for a success (protect), a usage error and a bad input; stdout/stderr
# carry the full report and the exit codes are the contract's.
# Usage: prompt_exit.sh MEDVEIL_CLI CORPUS_DIR
set -uo pipefail
cli=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "prompt_exit: $*"; exit 1; }
finalisers() { grep -c 'calling fini'; }

"$cli" keygen --private "$work/priv.pem" --public "$work/pub.pem" >/dev/null 2>&1 || fail "keygen failed"
LD_DEBUG=files LD_DEBUG_OUTPUT="$work/protect.ld" "$cli" protect "$corpus/mri_colin_axial_z160_512.png" \
  "$work/p.png" --public "$work/pub.pem" >"$work/protect.out" 2>"$work/protect.err"
code=$?
((code == 0)) || fail "protect exited $code: $(cat "$work/protect.err")"
grep -q '^protected ' "$work/protect.out" || fail "protect's report is missing: $(cat "$work/protect.out")"
"$cli" inspect "$work/p.png" >/dev/null 2>&1 || fail "the protected file does not inspect as intact"
n=$(cat "$work"/protect.ld.* | finalisers)
echo "prompt_exit: protect called $n library finalisers at exit"
((n == 0)) || fail "protect ran $n library finalisers after its work was done"

LD_DEBUG=files LD_DEBUG_OUTPUT="$work/usage.ld" "$cli" protect >"$work/usage.out" 2>"$work/usage.err"
code=$?
((code == 1)) || fail "protect without arguments exited $code (expected 1)"
[[ -s $work/usage.err ]] || fail "the usage error printed nothing"
n=$(cat "$work"/usage.ld.* | finalisers)
((n == 0)) || fail "a usage error ran $n library finalisers"

LD_DEBUG=files LD_DEBUG_OUTPUT="$work/bad.ld" "$cli" recover "$work/priv.pem" "$work/r.png" \
  --private "$work/priv.pem" >"$work/bad.out" 2>"$work/bad.err"
code=$?
((code == 2)) || fail "recover of a PEM file exited $code (expected 2): $(cat "$work/bad.err")"
[[ -s $work/bad.err ]] || fail "the bad-input error printed nothing"
[[ ! -e $work/r.png ]] || fail "a failed recover left an output"
n=$(cat "$work"/bad.ld.* | finalisers)
((n == 0)) || fail "a failed command ran $n library finalisers"
echo "prompt_exit: ok"
